"""The `oagen` command: argument parsing and all disk I/O around `pipeline.generate`.

    oagen generate [SPEC] [-o OUT] [--package NAME] [--check] [--strict]
                   [--include-tag TAG]... [--exclude-tag TAG]... [--operation OP]...
    oagen validate [SPEC]
    oagen diff OLD NEW [--format text|json]

Exit codes: 0 success, 1 `--check` found drift (or `diff` found a breaking change, or
`--exit-non-zero-on-change` wrote files), 2 a spec, configuration or usage error (every finding
printed as `file:line: #/pointer: message`, never a traceback).

Besides the generated files, `generate` keeps the API surface (`.oagen-surface.json`, an owned
file) in the output folder and prints a one-line summary of how the API changed since the last
run. On a terminal it shows each stage on stderr while it works.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from generator import __version__, noop
from generator.config import check, load_config
from generator.diagnostics import Diagnostic, Severity, SpecError, error

_CONFIG_HELP = """\
configuration ([tool.oagen] in pyproject.toml, or oagen.toml; flags override):
  spec = "openapi.yaml"        the OpenAPI document
  output = "generated"         output folder
  package = "my_api"           Python package name (default: from info.title)
  api_key_env = "MY_API_KEY"   env var with the API key (default: <PACKAGE>_API_KEY)
  base_url_env = "MY_API_URL"  env var with the base URL (default: <PACKAGE>_BASE_URL)
  cli_name = "myapi"           command name shown in help and docs
                               (default: python -m <package>)
  docs = true                  write Markdown docs (docs/index.md, one page per operation)
  emit_pyproject = false       also write <output>/pyproject.toml (pip install <output>)
  max_bytes = 67108864         refuse larger specs
  strict = false               treat warnings as errors
  include_tags = ["Serverless"]           only operations with one of these tags
  exclude_tags = ["Billing"]              leave out operations with one of these tags
  operations = ["show instances", "GET /api/v0/users/current/", "createEndpoint"]
                               only these operations (CLI words, operationId, method name,
                               or "METHOD /path"); with include_tags: either one selects
  timeout = 60.0               the generated client's default read timeout, seconds
  connect_timeout = 5.0        its default connect timeout, seconds
  max_retries = 2              its default number of retries
  retry_after_cap = 60.0       the longest Retry-After it waits, seconds
Models and enums that no selected operation uses are left out. Keys may be spelled with dashes.
"""


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
        epilog=_CONFIG_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    gen.add_argument("spec", nargs="?", help="the OpenAPI document (default: openapi.yaml)")
    gen.add_argument("-o", "--output", help="output folder (default: generated)")
    gen.add_argument("--package", help="Python package name (default: from info.title)")
    gen.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 with a diff if the output is stale",
    )
    gen.add_argument("--strict", action="store_true", help="treat warnings as errors")
    gen.add_argument(
        "--include-tag",
        action="append",
        metavar="TAG",
        help="generate only operations with this tag (repeatable; replaces include_tags)",
    )
    gen.add_argument(
        "--exclude-tag",
        action="append",
        metavar="TAG",
        help="leave out operations with this tag (repeatable; replaces exclude_tags)",
    )
    gen.add_argument(
        "--operation",
        action="append",
        metavar="OP",
        help='generate only this operation: CLI words ("show instances"), operationId, method '
        'name or "METHOD /path" (repeatable; replaces operations)',
    )
    gen.add_argument(
        "--emit-pyproject",
        action="store_true",
        help="also write OUT/pyproject.toml, so that the folder can be pip-installed "
        "(the CLI becomes a console script)",
    )
    gen.add_argument(
        "--exit-non-zero-on-change",
        action="store_true",
        help="exit 1 when files were written or deleted (for pre-commit, which does not notice "
        "new files on its own)",
    )
    val = sub.add_parser("validate", help="check a spec and print the findings; write nothing")
    val.add_argument("spec", nargs="?", help="the OpenAPI document (default: openapi.yaml)")
    val.add_argument("--strict", action="store_true", help="treat warnings as errors")
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
    config, _ = load_config(Path.cwd())
    overrides: dict[str, Any] = {
        "spec": args.spec,
        "output": getattr(args, "output", None),
        "package": getattr(args, "package", None),
        "strict": True if args.strict else None,
        "emit_pyproject": True if getattr(args, "emit_pyproject", False) else None,
    }
    for flag, key in (
        ("include_tag", "include_tags"),
        ("exclude_tag", "exclude_tags"),
        ("operation", "operations"),
    ):
        values = getattr(args, flag, None)
        if values:
            overrides[key] = tuple(dict.fromkeys(values))
    config = dataclasses.replace(config, **{k: v for k, v in overrides.items() if v is not None})
    check(config)
    spec_path = Path(config.spec)
    out_dir = Path(config.output)
    if args.command == "generate":
        stored = noop.check(out_dir, spec_path, config.fingerprint())
        if stored is not None and not (config.strict and stored):
            for line in stored:
                print(line, file=sys.stderr)
            print(f"oagen: {out_dir}/ is up to date (nothing changed)", file=sys.stderr)
            return 0
    from generator import diff, pipeline, write  # the heavy imports: after the no-op check

    report = progress or _silent
    if args.command == "validate":
        _, diagnostics, _ = pipeline.analyse(
            spec_path, config, display=config.spec, progress=report
        )
        if progress is not None:
            progress.done()
        _print(diagnostics)
        print(f"oagen: {config.spec}: OK ({len(diagnostics)} warnings)", file=sys.stderr)
        return 0
    result = pipeline.generate(
        spec_path, config, display=config.spec, progress=report, background=True
    )
    if progress is not None:
        progress.done()
    _print(result.diagnostics)
    warnings = [d.format() for d in _sorted(result.diagnostics)]
    new_surface = diff.surface(result.api)
    files = {**result.files, diff.SURFACE_FILE: diff.surface_text(new_surface)}
    the_plan = write.plan(out_dir, files, diffs=args.check)
    meta = {
        "oagen": __version__,
        "spec": result.settings.spec_name,
        "spec_sha256": result.settings.spec_sha256,
        "config": config.fingerprint(),
    }
    if args.check:
        _print(the_plan.diagnostics)
        recorded = write.read_manifest(out_dir)
        stale_meta = sorted(k for k, v in meta.items() if recorded.get(k) != v)
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
            noop.record(out_dir, spec_path, config.fingerprint(), sorted(files), warnings)
        return 0
    _print(the_plan.diagnostics)
    old_surface = _stored_surface(out_dir / diff.SURFACE_FILE)
    write.apply(out_dir, files, the_plan, meta)
    if result.single_file:
        noop.record(out_dir, spec_path, config.fingerprint(), sorted(files), warnings)
    else:
        noop.forget(out_dir)
    changed = len(the_plan.write) + len(the_plan.delete)
    # counts are of the package's files; the surface file rides along with them
    package_changed = len(set(the_plan.write) - {diff.SURFACE_FILE}) + len(the_plan.delete)
    if package_changed:
        summary = f"{package_changed} file(s) written"
    else:
        summary = "API surface recorded" if changed else "up to date"
    print(
        f"oagen: {result.settings.package}: {len(result.api.operations)} operation(s), "
        f"{len(result.files)} files in {out_dir}/ ({summary})",
        file=sys.stderr,
    )
    if old_surface is not None:
        changes = diff.diff_surfaces(old_surface, new_surface)
        if changes:
            example = next((c for c in changes if c.breaking), changes[0])
            print(
                f"oagen: since the last generation: {diff.summary(changes)} "
                f"(e.g. {example.format().split(maxsplit=1)[1]})",
                file=sys.stderr,
            )
    if args.exit_non_zero_on_change and changed:
        print(f"oagen: {changed} file(s) in {out_dir}/ changed; add them", file=sys.stderr)
        return 1
    return 0


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
