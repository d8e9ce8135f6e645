"""Time oagen's pipeline stage by stage, in one process, the way `oagen generate` runs it.

    python bench/stages.py SPEC OUT [--package NAME] [--cprofile FILE] [--no-validate]

Prints one JSON object: seconds per stage (imports split by library, then load, resolve,
validate, build, select, render, format, surface, write) and counts. Run it with oagen's
interpreter (the project venv). The stages call generator's public functions in the order
`pipeline.generate` and `cli._write` do, except that the validator runs here, in this process,
serially (`oagen generate` forks it beside build/render/format), so its CPU and memory are
measured on their own; if their signatures change, update this file (it does not patch or wrap
generator code). `--cprofile FILE` profiles everything after the imports into FILE.
"""

from __future__ import annotations

import os
import time

T0 = time.perf_counter()
WALL0 = time.time()

import argparse  # noqa: E402
import json  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402


def _cpu() -> float:
    """CPU seconds of this process plus its finished children (black's forked helpers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _status(field: str) -> float:
    """A field of /proc/self/status in MiB (VmHWM: peak RSS so far; VmRSS: now)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main() -> None:  # noqa: PLR0915 - one straight sequence of stages
    parser = argparse.ArgumentParser()
    parser.add_argument("spec", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--package", default="bench_pkg")
    parser.add_argument("--cprofile", type=Path, default=None)
    parser.add_argument("--no-validate", action="store_true")
    args = parser.parse_args()
    times: dict[str, float] = {}
    cpu: dict[str, float] = {}
    mark, cmark = time.perf_counter(), _cpu()
    cpu["interpreter + argparse"] = cmark  # CPU spent before main()
    hwm: dict[str, float] = {"interpreter + argparse": _status("VmHWM")}
    rss: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal mark, cmark
        now, cnow = time.perf_counter(), _cpu()
        times[name] = times.get(name, 0.0) + now - mark
        cpu[name] = cpu.get(name, 0.0) + cnow - cmark
        hwm[name] = _status("VmHWM")
        rss[name] = _status("VmRSS")
        mark, cmark = now, cnow

    import yaml  # noqa: F401

    lap("import yaml")
    import jinja2  # noqa: F401

    lap("import jinja2")
    from generator import diff, pipeline, write
    from generator import validate as validate_stage
    from generator.build import build_api
    from generator.config import Config
    from generator.format import format_files
    from generator.load import load
    from generator.render import STATIC_FILES, render
    from generator.resolve import resolve
    from generator.select import drop_unused_inline, select

    lap("import generator (rest)")
    import openapi_spec_validator  # noqa: F401

    lap("import openapi_spec_validator")
    import black  # noqa: F401

    lap("import black")
    profiler: Any = None
    if args.cprofile:
        import sys

        here = str(Path(__file__).resolve().parent)  # bench/profile.py shadows stdlib `profile`
        sys.path[:] = [p for p in sys.path if str(Path(p or ".").resolve()) != here]
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
        lap("cProfile start")

    config = Config(spec=str(args.spec), output=str(args.out), package=args.package)
    loaded = load(args.spec, max_bytes=config.max_bytes, display=str(args.spec))
    lap("load (read + parse)")
    version = validate_stage.check_version(loaded.data, loaded.source)
    data = resolve(loaded.data, args.spec, loaded.source)
    lap("resolve")
    n_diag = 0
    if not args.no_validate:
        n_diag = len(validate_stage.start(data, version, cache=False).result(loaded.source))
        lap("validate (openapi-spec-validator, in this process)")
    api, found = build_api(data, loaded.source)
    lap("build (IR)")
    api = drop_unused_inline(
        select(api, config.include_tags, config.exclude_tags, config.operations)
    )
    lap("select")
    settings = pipeline.settings_for(api, config, str(args.spec), loaded.sha256)
    rendered = render(api, settings)
    lap("render (Jinja + layout)")
    static = {f"{settings.package}/{name}" for name in STATIC_FILES}
    files = format_files(rendered, verbatim=static)
    lap("format (black)")
    surface = diff.surface(api)
    files[diff.SURFACE_FILE] = diff.surface_text(surface)
    lap("surface")
    the_plan = write.plan(args.out, files, diffs=False)
    meta = {"oagen": "bench", "spec": str(args.spec), "spec_sha256": loaded.sha256}
    write.apply(args.out, files, the_plan, meta)
    lap("write (plan + apply)")
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(args.cprofile))
    py_lines = sum(t.count("\n") for p, t in files.items() if p.endswith(".py"))
    all_lines = sum(t.count("\n") for t in files.values())
    print(
        json.dumps(
            {
                "wall0": WALL0,
                "script_start": T0,
                "stages": times,
                "cpu": cpu,
                "cpu_total": _cpu(),
                "hwm_mib": hwm,
                "rss_mib": rss,
                "total_in_script": time.perf_counter() - T0,
                "operations": len(api.operations),
                "models": len(api.models),
                "files": len(files),
                "py_lines": py_lines,
                "all_lines": all_lines,
                "py_chars": sum(len(t) for p, t in files.items() if p.endswith(".py")),
                "surface_bytes": len(files[diff.SURFACE_FILE].encode()),
                "diagnostics": n_diag + len(found),
            }
        )
    )


if __name__ == "__main__":
    main()
