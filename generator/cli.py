"""The `oagen` command: parse the arguments, call `pipeline.generate`, write its plan, print.

    oagen generate [SPEC] [flags]    (`oagen generate --help`: the flags and every setting)
    oagen validate [SPEC] [--strict]
    oagen diff OLD NEW [--format text|json]

The settings' flags and the key list of `--help` are made from `config.SETTINGS`. Flags that are
not settings choose what to do with the plan: `--check`, `--exit-non-zero-on-change`.

Exit codes: 0 success, 1 `--check` found drift (or `diff` found a breaking change, or
`--exit-non-zero-on-change` wrote files), 2 a spec, configuration or usage error (every finding
printed as `file:line: #/pointer: message`, never a traceback).

`pipeline.generate` returns every file oagen owns in the output folder, the API surface
(`.oagen-surface.json`) included, and the manifest's metadata; `generate` writes them and prints
a one-line summary of how the API changed since the last run. On a terminal it shows each stage
on stderr while it works. When the no-op record (`noop`) says the output is current, nothing
heavy is imported at all.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from generator import __version__, noop
from generator.config import SETTINGS, Config, flag_help, from_mapping, help_block, load_config
from generator.diagnostics import Diagnostic, Severity, SpecError, error

if TYPE_CHECKING:  # the pipeline is imported only after the no-op check
    from generator.pipeline import GenerationResult

_CONFIG_NOTE = """\
Models and enums that no selected operation uses are left out. Keys may be spelled with dashes.
"""


def _add_settings(parser: argparse.ArgumentParser, names: Sequence[str] | None = None) -> None:
    """The flags of the settings that have one (`names`: only these), from `config.SETTINGS`."""
    for entry in SETTINGS:
        if not entry.flags or (names is not None and entry.name not in names):
            continue
        if not entry.flags[0].startswith("-"):  # positional, and optional
            parser.add_argument(entry.name, nargs="?", help=flag_help(entry))
        elif entry.kind == "bool":  # a flag turns the setting from its default to the other
            parser.add_argument(
                *entry.flags,
                dest=entry.name,
                action="store_true" if entry.default is False else "store_false",
                default=None,
                help=flag_help(entry),
            )
        else:
            parser.add_argument(
                *entry.flags,
                dest=entry.name,
                metavar=entry.metavar,
                help=flag_help(entry),
                action="append" if entry.kind == "strs" else "store",
            )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oagen",
        description="Generate a typed Python client, a CLI and Markdown docs from an OpenAPI 3.x "
        "document.",
    )
    parser.add_argument("--version", action="version", version=f"oagen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gen = sub.add_parser(
        "generate",
        help="generate the package (default spec: openapi.yaml, default output: generated/)",
        description=(
            "Generate the client package. Settings come from [tool.oagen] in pyproject.toml "
            "or from oagen.toml in the current folder; flags override them."
        ),
        epilog=help_block() + _CONFIG_NOTE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_settings(gen)
    gen.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 with a diff if the output is stale",
    )
    gen.add_argument(
        "--exit-non-zero-on-change",
        action="store_true",
        help="exit 1 when files were written or deleted (for pre-commit, which does not notice "
        "new files on its own)",
    )
    val = sub.add_parser("validate", help="check a spec and print the findings; write nothing")
    _add_settings(val, ("spec", "strict"))
    dif = sub.add_parser(
        "diff",
        help="compare two versions of a spec: added, removed and changed operations and fields",
        description=(
            "Compare the API surface of two specs (or stored .oagen-surface.json files) and list "
            "every change, each marked BREAKING or ok. Exit 1 if anything is breaking, else 0."
        ),
    )
    dif.add_argument("old", help="the old spec (or a .oagen-surface.json)")
    dif.add_argument("new", help="the new spec (or a .oagen-surface.json)")
    dif.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )
    return parser


class _Progress:
    """Stage-by-stage progress on one terminal line of stderr, erased when done."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, stage: str, step: int, steps: int, detail: str) -> None:
        text = f"oagen: [{step}/{steps}] {stage}" + (f": {detail}" if detail else "")
        self.stream.write("\r\x1b[K" + text)
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _progress() -> _Progress | None:
    try:
        return _Progress(sys.stderr) if sys.stderr.isatty() else None
    except (AttributeError, ValueError):  # a closed or replaced stream
        return None


def _sorted(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: (d.file, d.line or 0, d.pointer, d.message))


def _print(diagnostics: Sequence[Diagnostic]) -> None:
    for d in _sorted(diagnostics):
        print(d.format(), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return _run(args)
    except SpecError as exc:
        _print(exc.diagnostics)
        count = sum(1 for d in exc.diagnostics if d.severity is Severity.ERROR)
        print(f"oagen: {count} error{'s' if count != 1 else ''}; nothing written", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("oagen: interrupted", file=sys.stderr)
        return 130
    except RecursionError:
        print("oagen: error: the spec nests too deeply; nothing written", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug in oagen: say so plainly, without a traceback
        if os.environ.get("OAGEN_DEBUG"):
            raise
        print(
            f"oagen: internal error: {type(exc).__name__}: {exc}; nothing written "
            "(set OAGEN_DEBUG=1 for a traceback, and please report it)",
            file=sys.stderr,
        )
        return 3


def _run(args: argparse.Namespace) -> int:
    progress = _progress()
    try:
        return _dispatch(args, progress)
    finally:
        if progress is not None:
            progress.done()


def _dispatch(args: argparse.Namespace, progress: _Progress | None) -> int:
    if args.command == "diff":
        return _diff(args)
    config = _config(args)
    if args.command == "generate" and _up_to_date(config):
        return 0
    from generator import pipeline  # the heavy imports: after the no-op check

    report = progress or _silent
    if args.command == "validate":
        _, diagnostics, _ = pipeline.analyse(
            Path(config.spec), config, display=config.spec, progress=report
        )
        if progress is not None:
            progress.done()
        _print(diagnostics)
        print(f"oagen: {config.spec}: OK ({len(diagnostics)} warnings)", file=sys.stderr)
        return 0
    result = pipeline.generate(
        Path(config.spec), config, display=config.spec, progress=report, background=True
    )
    if progress is not None:
        progress.done()
    _print(result.diagnostics)
    if args.check:
        return _check(config, result)
    return _write(config, result, args.exit_non_zero_on_change)


def _config(args: argparse.Namespace) -> Config:
    """The configuration file's settings, with the command line's flags over them."""
    config, _ = load_config(Path.cwd())
    flags = {s.name: getattr(args, s.name, None) for s in SETTINGS}
    return from_mapping(
        {name: value for name, value in flags.items() if value is not None},
        "command line",
        base=config,
    )


def _up_to_date(config: Config) -> bool:
    """The no-op fast path: whether the output is known to be current (its warnings printed)."""
    out_dir = Path(config.output)
    stored = noop.check(out_dir, Path(config.spec), config.fingerprint())
    if stored is None or (config.strict and stored):
        return False
    for line in stored:
        print(line, file=sys.stderr)
    print(f"oagen: {out_dir}/ is up to date (nothing changed)", file=sys.stderr)
    return True


def _remember(config: Config, result: GenerationResult) -> None:
    """Record the output for the no-op fast path (single-file specs only)."""
    out_dir = Path(config.output)
    if not result.single_file:
        noop.forget(out_dir)
        return
    warnings = [d.format() for d in _sorted(result.diagnostics)]
    noop.record(out_dir, Path(config.spec), config.fingerprint(), sorted(result.files), warnings)


def _check(config: Config, result: GenerationResult) -> int:
    """`--check`: exit 1 with the diff if the output folder is not what `result` holds."""
    from generator import write

    out_dir = Path(config.output)
    the_plan = write.plan(out_dir, result.files, diffs=True)
    _print(the_plan.diagnostics)
    recorded = write.read_manifest(out_dir)
    stale_meta = sorted(k for k, v in result.manifest.items() if recorded.get(k) != v)
    if the_plan.write or the_plan.delete or stale_meta:
        sys.stdout.write("".join(the_plan.diffs))
        changed = len(the_plan.write) + len(the_plan.delete)
        what = f"{changed} file(s) differ" if changed else ""
        if stale_meta:
            note = f"the manifest records another {', '.join(stale_meta)}"
            what = f"{what}; {note}" if what else note
        print(f"oagen: {out_dir} is stale: {what}; run `oagen generate`", file=sys.stderr)
        return 1
    if result.single_file:
        _remember(config, result)
    return 0


def _write(config: Config, result: GenerationResult, exit_non_zero_on_change: bool) -> int:
    """Write the plan, print what changed; 1 if `exit_non_zero_on_change` and files changed."""
    from generator import diff, write

    out_dir = Path(config.output)
    the_plan = write.plan(out_dir, result.files, diffs=False)
    _print(the_plan.diagnostics)
    # an unchanged surface (the usual edit) is neither parsed nor compared
    surface_path = out_dir / diff.SURFACE_FILE
    unchanged = diff.SURFACE_FILE in the_plan.unchanged
    old_surface = None if unchanged else _stored_surface(surface_path)
    write.apply(out_dir, result.files, the_plan, result.manifest)
    _remember(config, result)
    changed = len(the_plan.write) + len(the_plan.delete)
    # counts are of the package's files; the surface file rides along with them
    package_changed = len(set(the_plan.write) - {diff.SURFACE_FILE}) + len(the_plan.delete)
    if package_changed:
        summary = f"{package_changed} file(s) written"
    else:
        summary = "API surface recorded" if changed else "up to date"
    print(
        f"oagen: {result.settings.package}: {len(result.api.operations)} operation(s), "
        f"{len(result.package_files)} files in {out_dir}/ ({summary})",
        file=sys.stderr,
    )
    paging = _paging_summary(result)
    if paging:
        print(f"oagen: {paging}", file=sys.stderr)
    if old_surface is not None:
        _print_changes(old_surface, result.surface)
    if exit_non_zero_on_change and changed:
        print(f"oagen: {changed} file(s) in {out_dir}/ changed; add them", file=sys.stderr)
        return 1
    return 0


def _paging_summary(result: GenerationResult) -> str:
    """How many operations answer with pages, by rule (empty when none does)."""
    if not result.settings.pagination:
        return ""
    rules: dict[str, int] = {}
    for op in result.api.operations:
        if op.pagination is not None:
            rules[op.pagination.rule] = rules.get(op.pagination.rule, 0) + 1
    if not rules:
        return ""
    by_rule = ", ".join(f"{rule} {n}" for rule, n in sorted(rules.items()))
    return f"{sum(rules.values())} operation(s) paginate ({by_rule})"


def _print_changes(old_surface: dict[str, Any], new_surface: dict[str, Any]) -> None:
    """One line: how the API changed since the surface the last run stored."""
    from generator import diff

    changes = diff.diff_surfaces(old_surface, new_surface)
    if changes:
        example = next((c for c in changes if c.breaking), changes[0])
        print(
            f"oagen: since the last generation: {diff.summary(changes)} "
            f"(e.g. {example.format().split(maxsplit=1)[1]})",
            file=sys.stderr,
        )


def _silent(stage: str, step: int, steps: int, detail: str) -> None:
    return None


def _stored_surface(path: Path) -> dict[str, Any] | None:
    """The surface a previous run stored, or None (absent, unreadable or another format)."""
    import json

    from generator import diff

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if diff.is_surface(data) else None


def _load_surface(name: str) -> dict[str, Any]:
    """A spec's surface, or a stored surface file as it is."""
    from generator import diff, pipeline

    path = Path(name)
    if path.suffix == ".json" and path.is_file():
        stored = _stored_surface(path)
        if stored is not None:
            return stored
    config, _ = load_config(Path.cwd())
    plain = dataclasses.replace(config, include_tags=(), exclude_tags=(), operations=())
    if not path.is_file():
        raise SpecError([error(f"{name}: no such file", file=name)])
    api, _, _ = pipeline.analyse(path, plain, display=name)
    return diff.surface(api)


def _diff(args: argparse.Namespace) -> int:
    from generator import diff

    changes = diff.diff_surfaces(_load_surface(args.old), _load_surface(args.new))
    if args.format == "json":
        sys.stdout.write(diff.report_json(changes))
    else:
        sys.stdout.write(diff.report_text(changes))
    return 1 if any(c.breaking for c in changes) else 0
