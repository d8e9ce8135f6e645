"""Format: rendered `{path: text}` in, black-formatted `{path: text}` out.

Python files go through `black.format_str` in memory (black's default mode, the same one
`black --check` applies to the output); other files pass through with trailing whitespace
trimmed. A file black cannot parse is a bug in a template: the error names the output path.
"""

from __future__ import annotations

from generator.diagnostics import SpecError, error


def format_files(files: dict[str, str]) -> dict[str, str]:
    import black

    mode = black.Mode()
    out: dict[str, str] = {}
    for path, text in files.items():
        if path.endswith(".py"):
            try:
                out[path] = black.format_str(text, mode=mode)
            except black.parsing.InvalidInput as exc:
                message = f"internal error: generated {path} does not parse ({exc}); report it"
                raise SpecError([error(message, file=path)]) from None
        else:
            out[path] = (
                "\n".join(line.rstrip() for line in text.split("\n")).rstrip("\n") + "\n"
                if text
                else ""
            )
    return out
