"""Profile oagen on a few specs: the split by stage, and cProfile's top functions.

    python bench/profile.py    # vastai and openai, into bench/profile-latest.md
    python bench/profile.py --specs seed,vastai --runs 2 --output /tmp/p.md

For each spec:
1. `python bench/stages.py SPEC OUT` (fresh OUT each run): wall and CPU seconds per stage,
   interpreter start-up measured from outside;
2. `python -m cProfile -o PROF -m generator generate SPEC -o OUT --package NAME`: the top
   functions by cumulative and by own time, and own time summed per library.

Stdlib only; run with oagen's interpreter (the project venv). cProfile slows pure-Python code
(2-3x) and cannot see inside compiled code (black is mypyc-compiled, PyYAML's C loader) nor
into black's forked worker pool, so trust the stage table for the split (its CPU column adds
the pool's CPU time) and the profile for where inside a stage the time goes. Every run starts
with empty caches (a fresh OAGEN_CACHE_DIR / XDG_CACHE_HOME).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import cold_env, measure, spec_paths  # noqa: E402

BENCH = Path(__file__).resolve().parent


def stage_runs(spec: Path, runs: int, tmp: Path) -> list[dict[str, Any]]:
    results = []
    for i in range(runs):
        out = tmp / f"stages-{spec.stem}-{i}"
        launched = time.time()
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(BENCH / "stages.py"), str(spec), str(out), "--package", "p"],
            capture_output=True,
            text=True,
            env=cold_env(tmp / f"stages-{spec.stem}-{i}-env", os.environ),
        )
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"stages.py failed on {spec}:\n{done.stderr[-2000:]}")
        data = json.loads(done.stdout.strip().splitlines()[-1])
        data["wall"] = wall
        data["startup"] = (
            data["wall0"] - launched
        )  # interpreter + site until the script's first line
        results.append(data)
    return results


def library_of(filename: str) -> str:
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins/C"
    parts = Path(filename).parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].split(".")[0]
    if "generator" in parts and "main" in parts:
        return "generator (oagen)"
    if "python3.11" in parts or "lib" in parts:
        return "stdlib"
    return filename


def cprofile(spec: Path, tmp: Path, top: int) -> tuple[str, float, list[str]]:
    prof = tmp / f"{spec.stem}.prof"
    out = tmp / f"cprof-{spec.stem}"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "generator", "generate"]
    cmd += [str(spec), "-o", str(out), "--package", "p"]
    outcome = measure(cmd, tmp, cold_env(tmp / f"cprof-{spec.stem}-env", os.environ), 3600)
    if outcome.rc != 0:
        raise SystemExit(f"cProfile run failed on {spec}: {outcome.tail}")
    stats = pstats.Stats(str(prof))
    rows: list[str] = []
    for sort, label in (("cumulative", "cumulative"), ("tottime", "own (tottime)")):
        stats.sort_stats(sort)
        rows += [
            "",
            f"Top {top} by {label} time (seconds under cProfile):",
            "",
            "| # | function | calls | own s | cumulative s |",
            "|---|---|---|---|---|",
        ]
        # pstats keeps the sorted keys in fcn_list after sort_stats
        # drop the start-up frames (runpy, exec, importlib, cli.main) that wrap everything
        shown = [f for f in stats.fcn_list if not _wrapper(f)]  # type: ignore[attr-defined]
        for n, func in enumerate(shown[:top], 1):
            cc, nc, tt, ct, _ = stats.stats[func]  # type: ignore[attr-defined]
            filename, line, name = func
            where = f"{_short(filename)}:{line}({name})" if line else name
            calls = f"{nc}/{cc}" if nc != cc else str(nc)
            rows.append(f"| {n} | `{where}` | {calls} | {tt:.2f} | {ct:.2f} |")
    per_lib: dict[str, float] = {}
    for (filename, _, _), (_, _, tt, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        lib = library_of(filename)
        per_lib[lib] = per_lib.get(lib, 0.0) + tt
    total = sum(per_lib.values())
    rows += [
        "",
        "Own time per library under cProfile:",
        "",
        "| library | s | share |",
        "|---|---|---|",
    ]
    for lib, secs in sorted(per_lib.items(), key=lambda kv: -kv[1])[:12]:
        rows.append(f"| {lib} | {secs:.2f} | {secs / total:.0%} |")
    return " ".join(cmd), outcome.wall, rows


def _wrapper(func: tuple[str, int, str]) -> bool:
    filename, _, name = func
    return (
        filename.startswith(("<frozen", "<string>"))
        or name in ("<built-in method builtins.exec>", "<module>")
        or filename.endswith(("generator/cli.py", "generator/__main__.py"))
    )


def _short(filename: str) -> str:
    parts = Path(filename).parts
    for anchor in ("site-packages", "main", "python3.11"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) + 1 :])
    return filename


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--specs", default="vastai,openai")
    parser.add_argument("--runs", type=int, default=1, help="stage-timing runs per spec")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--no-cprofile", action="store_true")
    parser.add_argument("--output", type=Path, default=BENCH / "profile-latest.md")
    args = parser.parse_args()
    names = [s for s in args.specs.split(",") if s]
    paths = spec_paths(names)
    lines = [
        "# oagen profile (generated by bench/profile.py)",
        "",
        f"Date: {dt.datetime.now().isoformat(timespec='seconds')}; load average at start "
        + "/".join(f"{v:.1f}" for v in os.getloadavg())
        + f"; {os.cpu_count()} CPUs. Command: `python bench/profile.py {' '.join(sys.argv[1:])}`.",
    ]
    with tempfile.TemporaryDirectory(prefix="oagen-profile-") as tmp_name:
        tmp = Path(tmp_name)
        for name in names:
            spec = paths[name]
            print(f"[profile] {name}: stage timing", file=sys.stderr, flush=True)
            runs = stage_runs(spec, args.runs, tmp)
            first = runs[0]
            lines += [
                "",
                f"## {name}: `{spec}`",
                "",
                f"{first['operations']} operations, {first['models']} models, "
                f"{first['files']} files, {first['py_lines']} Python lines "
                f"({first['all_lines']} lines in all), {first['diagnostics']} diagnostics. "
                f"Stage timing: `{sys.executable} bench/stages.py {spec} OUT --package p`, "
                f"median of {len(runs)}.",
                "",
                "| stage | wall s | CPU s | share of CPU | peak RSS after, MiB |",
                "|---|---|---|---|---|",
            ]
            cpu_total = statistics.median(r["cpu_total"] for r in runs)
            startup = statistics.median(r["startup"] for r in runs)
            lines.append(
                f"| interpreter start-up (outside the script) | {startup:.2f} | — | — | — |"
            )
            for stage in first["cpu"]:
                wall = statistics.median(r["stages"].get(stage, 0.0) for r in runs)
                cpu = statistics.median(r["cpu"][stage] for r in runs)
                shown = "—" if stage not in first["stages"] else f"{wall:.2f}"
                hwm = statistics.median(r.get("hwm_mib", {}).get(stage, 0.0) for r in runs)
                lines.append(
                    f"| {stage} | {shown} | {cpu:.2f} | {cpu / cpu_total:.0%} | {hwm:.0f} |"
                )
            total_wall = statistics.median(r["wall"] for r in runs)
            lines.append(f"| **whole process** | {total_wall:.2f} | {cpu_total:.2f} | 100% | — |")
            if not args.no_cprofile:
                print(f"[profile] {name}: cProfile", file=sys.stderr, flush=True)
                cmd, wall, rows = cprofile(spec, tmp, args.top)
                lines += ["", f"cProfile: `{cmd}` ({wall:.1f} s wall under the profiler)."]
                lines += rows
    text = "\n".join(lines) + "\n"
    args.output.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
