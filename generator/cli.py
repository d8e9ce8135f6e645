"""The `oagen` command: argument parsing and all disk I/O around `pipeline.generate`.

    oagen generate [SPEC] [-o OUT] [--package NAME] [--check] [--strict]
    oagen validate SPEC

Exit codes: 0 success, 1 `--check` found drift, 2 a spec, configuration or usage error (every
finding printed as `file:line: #/pointer: message`, never a traceback).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.config import check, load_config
from generator.diagnostics import Diagnostic, Severity, SpecError


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
            "or from oagen.toml in the current folder (keys: spec, output, package, "
            "api_key_env, base_url_env, cli_name, docs, max_bytes, strict); flags override them."
        ),
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
    val = sub.add_parser("validate", help="check a spec and print the findings; write nothing")
    val.add_argument("spec", nargs="?", help="the OpenAPI document (default: openapi.yaml)")
    val.add_argument("--strict", action="store_true", help="treat warnings as errors")
    return parser


def _print(diagnostics: Sequence[Diagnostic]) -> None:
    for d in sorted(diagnostics, key=lambda d: (d.file, d.line or 0, d.pointer, d.message)):
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
    from generator import pipeline, write

    config, _ = load_config(Path.cwd())
    overrides = {
        "spec": args.spec,
        "output": getattr(args, "output", None),
        "package": getattr(args, "package", None),
        "strict": True if args.strict else None,
    }
    config = dataclasses.replace(config, **{k: v for k, v in overrides.items() if v is not None})
    check(config)
    spec_path = Path(config.spec)
    if args.command == "validate":
        _, diagnostics, _ = pipeline.analyse(spec_path, config, display=config.spec)
        _print(diagnostics)
        print(f"oagen: {config.spec}: OK ({len(diagnostics)} warnings)", file=sys.stderr)
        return 0
    result = pipeline.generate(spec_path, config, display=config.spec)
    _print(result.diagnostics)
    out_dir = Path(config.output)
    the_plan = write.plan(out_dir, result.files)
    if args.check:
        _print(the_plan.diagnostics)
        if the_plan.write or the_plan.delete:
            sys.stdout.write("".join(the_plan.diffs))
            changed = len(the_plan.write) + len(the_plan.delete)
            print(
                f"oagen: {out_dir} is stale: {changed} file(s) differ; run `oagen generate`",
                file=sys.stderr,
            )
            return 1
        return 0
    _print(the_plan.diagnostics)
    meta = {
        "oagen": __version__,
        "spec": result.settings.spec_name,
        "spec_sha256": result.settings.spec_sha256,
        "config": config.fingerprint(),
    }
    write.apply(out_dir, result.files, the_plan, meta)
    changed = len(the_plan.write) + len(the_plan.delete)
    summary = f"{changed} file(s) written" if changed else "up to date"
    print(
        f"oagen: {result.settings.package}: {len(result.api.operations)} operation(s), "
        f"{len(result.files)} files in {out_dir}/ ({summary})",
        file=sys.stderr,
    )
    return 0
