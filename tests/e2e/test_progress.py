"""Progress: stage by stage on stderr when it is a terminal; nothing when it is piped."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from generator import cli

STAGES = ["load", "resolve", "validate", "build", "select", "render", "format"]


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "openapi.yaml", tmp_path / "openapi.yaml")
    (tmp_path / "oagen.toml").write_text('package = "vastai_api"\n')
    return tmp_path


class FakeTerminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def run_in_process(
    project: Path, monkeypatch: pytest.MonkeyPatch, tty: bool, *args: str
) -> tuple[int, str]:
    monkeypatch.chdir(project)
    stderr = FakeTerminal(tty)
    monkeypatch.setattr(sys, "stderr", stderr)
    code = cli.main(["generate", *args])
    return code, stderr.getvalue()


def test_progress_on_a_terminal(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, err = run_in_process(project, monkeypatch, True)
    assert code == 0
    positions = [err.index(f"oagen: [{i}/7] {stage}") for i, stage in enumerate(STAGES, 1)]
    assert positions == sorted(positions)
    assert "[7/7] format: 13 files" in err or "[7/7] format: " in err
    assert "[6/7] render: 1 operations" in err
    # the progress line is erased before the summary, which stays
    last = err.rsplit("\r\x1b[K", 1)
    assert last[1].startswith("oagen: vastai_api: 1 operation(s)")


def test_quiet_when_not_a_terminal(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, err = run_in_process(project, monkeypatch, False)
    assert code == 0
    assert "[1/7]" not in err and "\r" not in err and "\x1b" not in err
    assert err.startswith("oagen: vastai_api: 1 operation(s)")


def test_progress_is_erased_before_errors(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "openapi.yaml").write_text("openapi: 3.1.0\ninfo: [\n")
    code, err = run_in_process(project, monkeypatch, True)
    assert code == 2
    assert "[1/7] load" in err
    after = err.rsplit("\r\x1b[K", 1)[1]
    assert "invalid YAML" in after and "nothing written" in after


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_real_pseudo_terminal_and_pipe(project: Path) -> None:
    import pty

    master, slave = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "generate"],
            cwd=project,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=slave,
            timeout=300,
        )
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the other side is closed and drained
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    err = b"".join(chunks).decode()
    assert proc.returncode == 0
    assert proc.stdout == b""  # progress never goes to stdout
    assert "oagen: [1/7] load" in err and "oagen: [7/7] format" in err
    assert "oagen: vastai_api: 1 operation(s)" in err

    piped = subprocess.run(
        [sys.executable, "-m", "generator", "generate"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert piped.returncode == 0
    assert "[1/7]" not in piped.stderr and "\r" not in piped.stderr
