"""Text: Python literals, docstrings, Markdown cells, layout helpers and the provenance header.

Spec text reaches Python source only through `pyrepr` (`repr()`-based literals) and
`docstring` (escaping for triple-quoted strings); it never goes into a `#` comment or an
identifier (identifiers come from `naming`). Both write what black would write, so black
finds nothing to change (see `layout`).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import __version__, layout
from generator.model import EnumMember

if TYPE_CHECKING:
    from generator.render.settings import Settings

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ud800-\udfff]")


def docstring(text: str, depth: int = 0, attribute: bool = False) -> str:
    """Text made safe for the inside of a triple-quoted docstring at `depth` indent levels
    (`attribute`: the string after a class attribute, which black treats differently).

    Long lines are wrapped to fit 88 columns at that indent; the result is laid out as black
    lays out docstrings (`layout.docstring_body`), so black finds nothing to change.
    """
    width = max(88 - 4 * depth, 40)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        if len(line) > width and not line.lstrip().startswith(("|", "```", "    ")):
            indent = line[: len(line) - len(line.lstrip())]
            lines.extend(
                textwrap.wrap(
                    line,
                    width,
                    subsequent_indent=indent,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
                or [""]
            )
        else:
            lines.append(line)
    out = "\n".join(lines).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    out = _UNSAFE.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        out,
    )
    if out.endswith('"'):
        out = out[:-1] + '\\"'
    return layout.docstring_body(out, depth, attribute)


def pyrepr(value: Any) -> str:
    """A Python literal for JSON-like data, built from `repr()` and written as black writes it.

    Strings get double quotes where that adds no escapes (black's rule: black is much faster
    on text it would not change); containers are spelled out item by item; anything else is
    `repr()`.
    """
    if isinstance(value, str):
        literal = repr(value)
        if literal[0] == "'" and value.count('"') <= value.count("'"):
            return '"' + _requote(literal[1:-1]) + '"'  # no more escapes than repr's: black's
        return literal
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pyrepr(k)}: {pyrepr(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(pyrepr(v) for v in value) + "]"
    if isinstance(value, tuple):
        items = [pyrepr(v) for v in value]
        return "(" + items[0] + ",)" if len(items) == 1 else "(" + ", ".join(items) + ")"
    if isinstance(value, float):
        return repr(value).replace("e+", "e")  # black drops the exponent's plus sign
    return repr(value)


def _requote(body: str) -> str:
    """The body of a `'...'` literal rewritten for `"..."`: `\\'` unescaped, `"` escaped."""
    if "\\" not in body:
        return body.replace('"', '\\"')
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            following = body[i + 1]
            out.append("'" if following == "'" else char + following)
            i += 2
            continue
        out.append('\\"' if char == '"' else char)
        i += 1
    return "".join(out)


def classdef(name: str, bases: list[str]) -> str:
    """Filter: a top-level `class Name(bases):` line, laid out as black would."""
    return layout.statement("class ", f"{name}({', '.join(bases)})", ":", 0)


def enum_member(member: EnumMember) -> str:
    """Filter: an enum member's line in its class body."""
    return layout.statement(f"{member.name} = ", pyrepr(member.value), "", 1, optional_parens=True)


def method_alias(name: str, wrapper: str, owner: str, depth: int = 1) -> str:
    """Filter: `name = rt.<wrapper>(<owner>.name)` in a client class body."""
    return layout.statement(
        f"{name} = ", f"{wrapper}({owner}.{name})", "", depth, optional_parens=True
    )


def one_line(text: str, limit: int = 120) -> str:
    """First sentence-ish line of a description, for summaries and tables."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def md(text: str) -> str:
    """Spec text for Markdown table cells: one line, pipes escaped."""
    return one_line(text, 300).replace("|", "\\|")


def header(settings: Settings, comment: str = "#") -> str:
    """The provenance header of every generated file.

    It names the generator and the spec's file, not the spec's sha256: that lives in the
    manifest (`--check` compares it), so an edit of the spec rewrites only the files whose
    content it changes.
    """
    name = _UNSAFE.sub("?", Path(settings.spec_name).name)
    name = name if len(name) <= 40 else name[:39] + "…"
    first = f"Generated by oagen {__version__} from {name}; do not edit (run `oagen generate`)."
    if comment == "toml":
        return f"# {first}\n"
    if comment == "#":
        # E501: spec strings (descriptions, defaults) can be longer than any line limit.
        return f"# {first}\n# ruff: noqa: E501, RUF100\n"
    return f"<!-- {first.replace('--', '- -')} -->\n"
