"""Time oagen's pipeline stage by stage, in one process, the way `oagen generate` runs it.

    python bench/stages.py SPEC OUT [--package NAME]

Prints one JSON object: seconds per stage (imports split by library, then load, resolve,
validate, build, render, format, write) and counts. Run it with oagen's interpreter (the
project venv). The stages call generator's public functions in the order `cli._run` does;
if their signatures change, update this file (it does not patch or wrap generator code).
"""

from __future__ import annotations

import os
import time

T0 = time.perf_counter()
WALL0 = time.time()

import argparse  # noqa: E402
import json  # noqa: E402
from pathlib import Path  # noqa: E402


def _cpu() -> float:
    """CPU seconds of this process plus its finished children (black's worker pool)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _hwm_mib() -> float:
    """This process's peak RSS so far (VmHWM), MiB; black's forked workers not included."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("spec", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--package", default="bench_pkg")
    args = parser.parse_args()
    times: dict[str, float] = {}
    cpu: dict[str, float] = {}
    mark, cmark = time.perf_counter(), _cpu()
    cpu["interpreter + argparse"] = cmark  # CPU spent before main()
    hwm: dict[str, float] = {"interpreter + argparse": _hwm_mib()}

    def lap(name: str) -> None:
        nonlocal mark, cmark
        now, cnow = time.perf_counter(), _cpu()
        times[name] = times.get(name, 0.0) + now - mark
        cpu[name] = cpu.get(name, 0.0) + cnow - cmark
        hwm[name] = _hwm_mib()
        mark, cmark = now, cnow

    import yaml  # noqa: F401

    lap("import yaml")
    import jinja2  # noqa: F401

    lap("import jinja2")
    from generator import pipeline, write
    from generator.build import build_api
    from generator.config import Config
    from generator.format import format_files
    from generator.load import load
    from generator.render import render
    from generator.resolve import resolve
    from generator.validate import check_version, validate

    lap("import generator (rest)")
    import openapi_spec_validator  # noqa: F401

    lap("import openapi_spec_validator")
    import black  # noqa: F401

    lap("import black")

    config = Config(spec=str(args.spec), output=str(args.out), package=args.package)
    loaded = load(args.spec, max_bytes=config.max_bytes, display=str(args.spec))
    lap("load (read + YAML parse)")
    version = check_version(loaded.data, loaded.source)
    data = resolve(loaded.data, args.spec, loaded.source)
    lap("resolve")
    diagnostics = validate(data, version, loaded.source)
    lap("validate (openapi-spec-validator)")
    api, found = build_api(data, loaded.source)
    lap("build (IR)")
    settings = pipeline.settings_for(api, config, str(args.spec), loaded.sha256)
    rendered = render(api, settings)
    lap("render (Jinja)")
    files = format_files(rendered)
    lap("format (black)")
    the_plan = write.plan(args.out, files)
    meta = {"oagen": "bench", "spec": str(args.spec), "spec_sha256": loaded.sha256}
    write.apply(args.out, files, the_plan, meta)
    lap("write (plan + apply)")
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
                "total_in_script": time.perf_counter() - T0,
                "operations": len(api.operations),
                "models": len(api.models),
                "files": len(files),
                "py_lines": py_lines,
                "all_lines": all_lines,
                "diagnostics": len(diagnostics) + len(found),
            }
        )
    )


if __name__ == "__main__":
    main()
