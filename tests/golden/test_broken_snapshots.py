"""Snapshot tests of error output: each broken document in tests/broken/ has its expected stderr.

A change in wording is a reviewed change: rerun with OAGEN_UPDATE_SNAPSHOTS=1 to rewrite the
`.stderr` files, and read the diff. Each snapshot's first line is the expected exit code.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

BROKEN = Path(__file__).resolve().parents[1] / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.suffix in (".yaml", ".json"))


def _run(name: str, out: Path) -> tuple[int, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate", name, "-o", str(out)],
        cwd=BROKEN,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(BROKEN.parent.parent)},
    )
    stderr = proc.stderr.replace(str(out), "<out>").replace(str(BROKEN), "<spec folder>")
    return proc.returncode, stderr


@pytest.mark.parametrize("name", CASES)
def test_error_output_matches_snapshot(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    start = time.monotonic()
    code, stderr = _run(name, out)
    elapsed = time.monotonic() - start
    assert "Traceback" not in stderr
    actual = f"exit: {code}\n{stderr}"
    snapshot = BROKEN / (name + ".stderr")
    if os.environ.get("OAGEN_UPDATE_SNAPSHOTS") or not snapshot.exists():
        snapshot.write_text(actual, encoding="utf-8")
    assert actual == snapshot.read_text(encoding="utf-8")
    if code == 2:
        assert not out.exists(), "a failed run must not create the output folder"
    assert elapsed < 60, "a broken spec must be refused within seconds, not hang"
