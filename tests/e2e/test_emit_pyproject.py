"""`--emit-pyproject`: the output folder becomes a pip-installable project with a console script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
from conftest import ROOT

HTTPX = "httpx==0.28.1"


def _generate(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(ROOT / "openapi.yaml"), "-o", str(out),
         "--package", "vastai_api", "--emit-pyproject", *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_project_file_names_the_package_the_script_and_only_httpx(tmp_path: Path) -> None:
    proc = _generate(tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    data = tomllib.loads((tmp_path / "out" / "pyproject.toml").read_text())
    assert data["project"]["name"] == "vastai-api"
    assert data["project"]["version"] == "1.0.0"
    assert data["project"]["dependencies"] == ["httpx>=0.27,<1"]
    assert data["project"]["scripts"] == {"vastai": "vastai_api._cli:main"}  # cli_name from config
    assert data["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["vastai_api"]


@pytest.mark.slow
def test_pip_install_of_the_output_folder_gives_a_working_console_script(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _generate(out).returncode == 0
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    skip = ("PYTHON", "VIRTUAL_ENV", "VAST_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    pip = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         HTTPX, str(out)],
        capture_output=True, text=True, timeout=900, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert pip.returncode == 0, pip.stderr[-3000:]
    run = subprocess.run(
        [str(venv / "bin" / "vastai"), "create", "endpoint", "--min_load", "50", "--dry-run",
         "--api-key", "k"],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "POST https://console.vast.ai/api/v0/endptjobs/" in run.stdout
    assert '"min_load": 50.0' in run.stdout
