"""How oagen's time and memory grow with the number of operations (issue 6: 100, 300, 700).

    python bench/scaling.py [--runs N] [--sizes 100,300,700] [--peers opc]
    python bench/scaling.py --source scale/github.json --sizes 150,300,600,1200 --runs 1

Cuts `corpus/okta-management` (732 operations, one file) down to its first N operations and
the components they reach (the `$ref` closure), writes each cut as JSON, and generates it
cold (fresh output folder, empty caches) with oagen and, side by side, the peers; prints and
writes `bench/scaling.md`: medians, milliseconds per operation, and the growth from the
smallest size to each larger one next to the growth in operations (linear growth keeps the
two equal; the fixed cost of starting up makes small sizes cost more per operation).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (  # noqa: E402
    PEER_LABEL,
    cold_env,
    ensure_peers,
    log,
    measure,
    oagen_command,
    peer_command,
    shared_specs_dir,
)

SOURCE = Path("corpus/okta-management/management-minimal.yaml")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
REF = re.compile(r'"\$ref": "#/components/([^/"]+)/([^/"]+)"')
OUTPUT = Path(__file__).resolve().parent / "scaling.md"


def cut(doc: dict[str, Any], count: int) -> tuple[dict[str, Any], int]:
    """The first `count` operations of `doc` and the components they reach; (spec, schemas)."""
    paths: dict[str, Any] = {}
    kept = 0
    for path, item in doc["paths"].items():
        if kept >= count:
            break
        ops = {k: v for k, v in item.items() if k in METHODS}
        shared = {k: v for k, v in item.items() if k not in METHODS}
        take = dict(list(ops.items())[: count - kept])
        kept += len(take)
        paths[path] = {**shared, **take}
    components = doc.get("components", {})
    wanted: set[tuple[str, str]] = set()
    todo = [json.dumps(paths)]
    while todo:
        for kind, name in REF.findall(todo.pop()):
            if (kind, name) not in wanted and name in components.get(kind, {}):
                wanted.add((kind, name))
                todo.append(json.dumps(components[kind][name]))
    kept_components: dict[str, Any] = {"securitySchemes": components.get("securitySchemes", {})}
    for kind, name in sorted(wanted):
        kept_components.setdefault(kind, {})[name] = components[kind][name]
    spec = {**{k: v for k, v in doc.items() if k not in ("paths", "components")}}
    spec["paths"], spec["components"] = paths, kept_components
    return spec, len(kept_components.get("schemas", {}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="100,300,700")
    parser.add_argument("--peers", default="opc", help="comma-separated subset of opc,oag")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--source",
        type=Path,
        default=SOURCE,
        help=f"the spec to cut, relative to the shared specs folder (default {SOURCE})",
    )
    args = parser.parse_args(argv)
    source = shared_specs_dir() / args.source
    if not source.is_file():
        log(f"skipped: {source} is absent (../shared/specs is not beside this clone)")
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    peers = ensure_peers([p for p in args.peers.split(",") if p.strip()])
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "generator"), quiet=1)
    doc = yaml.load(source.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    scratch = Path(tempfile.mkdtemp(prefix="oagen-scaling-"))
    rows: list[dict[str, Any]] = []
    started = time.strftime("%Y-%m-%dT%H:%M:%S")
    try:
        for size in sizes:
            spec, schemas = cut(doc, size)
            path = scratch / f"cut-{size}.json"
            path.write_text(json.dumps(spec), encoding="utf-8")
            results: dict[str, list[Any]] = {"oagen": [], **{p: [] for p in peers}}
            for run in range(args.runs):
                for tool in results:
                    work = scratch / f"{tool}-{size}-{run}"
                    work.mkdir()
                    if tool == "oagen":
                        cmd, env = oagen_command(path, work / "out", "okta"), cold_env(work, {})
                    else:
                        cmd, extra = peer_command(tool, "okta", path, work / "out", work)
                        env = {**cold_env(work, {}), **extra}
                    outcome = measure(cmd, work, {**_base_env(), **env})
                    if outcome.rc != 0:
                        log(f"{tool} failed on {size} operations: {outcome.tail}")
                    else:
                        results[tool].append(outcome)
                    shutil.rmtree(work, ignore_errors=True)
            rows.append({"size": size, "schemas": schemas, "results": results})
            log(f"{size} operations done")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report = _markdown(rows, list(peers), started, args.runs, args.source)
    print(report)
    args.output.write_text(report, encoding="utf-8")
    return 0


def _base_env() -> dict[str, str]:
    import os

    return dict(os.environ)


def _med(outcomes: list[Any], attr: str) -> float | None:
    return statistics.median(getattr(o, attr) for o in outcomes) if outcomes else None


def _markdown(
    rows: list[dict[str, Any]], peers: list[str], started: str, runs: int, source: Path = SOURCE
) -> str:
    tools = ["oagen", *peers]
    head = "| operations | schemas | " + " | ".join(
        f"{PEER_LABEL.get(t, t)} wall, cpu, peak memory | {t} ms/op | {t} growth" for t in tools
    )
    lines = [
        "# oagen scaling",
        "",
        f"Date: {started}. `python bench/scaling.py --runs {runs}`: the first N operations of "
        f"`{source}` and the components they reach, generated cold; medians of {runs} run(s), "
        "tools alternating. Growth: time at N over time at the smallest N, beside the ratio "
        "of operations.",
        "",
        head + " |",
        "|---|---|" + "---|---|---|" * len(tools),
    ]
    first = rows[0] if rows else None
    for row in rows:
        cells = [str(row["size"]), str(row["schemas"])]
        for tool in tools:
            outcomes = row["results"][tool]
            wall, cpu, mem = (_med(outcomes, a) for a in ("wall", "cpu", "rss_mib"))
            if wall is None or cpu is None or mem is None:
                cells += ["failed", "", ""]
                continue
            base = _med(first["results"][tool], "wall") if first else None
            growth = (
                f"{wall / base:.2f}× (ops {row['size'] / first['size']:.1f}×)"
                if base and first
                else ""
            )
            cells += [
                f"{wall:.2f} s, {cpu:.2f} s, {mem:.0f} MiB",
                f"{1000 * wall / row['size']:.1f}",
                growth,
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
