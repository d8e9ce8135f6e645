"""Peak memory of the process tree, oagen against openapi-python-client, on every OpenAPI 3 spec
of the corpus (issue 17: at most openapi-python-client's everywhere).

    python bench/corpus_memory.py [--output bench/results-corpus-memory.md]

One cold run per tool and spec (fresh output folder and caches), measured as bench/run.py
measures (its launcher and `measure()`: the larger of the biggest process's max RSS and the
sampled sum of PSS over the live tree). openapi-python-client runs with `literal_enums: true`
(it stops on some specs' enums otherwise); where it fails, its figure is not comparable and the
row says so. Stdlib only, like bench/run.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402

CORPUS = bench.shared_specs_dir() / "corpus"


def _cold(tool: str, spec: Path, env_base: dict[str, str]) -> tuple[int, float]:
    work = Path(tempfile.mkdtemp(prefix="oagen-corpus-memory-"))
    try:
        out = work / "out"
        if tool == "oagen":
            cmd, env = bench.oagen_command(spec, out, "bench_pkg"), bench.cold_env(work, os.environ)
        else:
            config = work / "opc-config.yaml"
            config.write_text("literal_enums: true\n")
            cmd = [str(bench.peer_bin("openapi-python-client")), "generate", "--path", str(spec)]
            cmd += ["--output-path", str(out), "--overwrite", "--config", str(config)]
            env = bench.cold_env(work, env_base)
        outcome = bench.measure(cmd, work, env, 900, work / "log.txt")
        return outcome.rc, outcome.rss_mib
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--output", type=Path, default=Path(__file__).parent / "results-corpus-memory.md"
    )
    args = parser.parse_args(argv)
    manifest = CORPUS / "manifest.json"
    if not manifest.exists():
        bench.log(f"skipping: {manifest} not found")
        return 0
    tools = bench.ensure_peers(["opc"])
    if not tools["opc"].available:
        bench.log(f"skipping: openapi-python-client: {tools['opc'].reason}")
        return 0
    started = dt.datetime.now()
    lines = [
        "# Peak memory on the corpus: oagen and openapi-python-client",
        "",
        f"Date: {started:%Y-%m-%dT%H:%M}. Command: `python bench/corpus_memory.py`. "
        "One cold run per tool and spec; memory is the peak of the process tree as "
        "bench/run.py measures it.",
        "",
        "| spec | operations | oagen | openapi-python-client | oagen/opc |",
        "|---|---|---|---|---|",
    ]
    for entry in json.loads(manifest.read_text()):
        if not str(entry.get("version", "")).startswith("3"):
            continue
        spec = CORPUS / entry["entry"]
        (rc_a, mem_a), (rc_b, mem_b) = (
            _cold("oagen", spec, {}),
            _cold("opc", spec, tools["opc"].env),
        )
        ratio = f"{mem_a / mem_b:.2f}×" if rc_a == 0 and rc_b == 0 else "not comparable"
        cells = [
            entry["name"],
            str(entry.get("operations", "")),
            f"{mem_a:.0f} MiB" + ("" if rc_a == 0 else f" (exit {rc_a})"),
            f"{mem_b:.0f} MiB" + ("" if rc_b == 0 else f" (failed, exit {rc_b})"),
            ratio,
        ]
        lines.append("| " + " | ".join(cells) + " |")
        bench.log(lines[-1])
    args.output.write_text("\n".join(lines) + "\n")
    bench.log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
