"""Vendoring: the generated package, copied anywhere, works in a fresh venv with only httpx.

One session-scoped venv (`python -m venv`, then `pip install httpx==0.28.1` from PyPI) holds a
copy of generated/vastai_api; oagen itself is not installed there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import GENERATED

pytestmark = pytest.mark.slow

HTTPX = "httpx==0.28.1"
# httpx and what it pulls in (on any Python >= 3.10), plus what `python -m venv` seeds
ALLOWED = {
    "pip",
    "setuptools",
    "wheel",
    "httpx",
    "httpcore",
    "h11",
    "anyio",
    "sniffio",
    "idna",
    "certifi",
    "typing-extensions",
    "exceptiongroup",
}


@dataclass(frozen=True)
class Vendored:
    python: Path  # the fresh venv's interpreter
    folder: Path  # holds the copied vastai_api/

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PYTHON", "VAST_", "PIP_", "VIRTUAL_ENV"))
        }
        env["PYTHONNOUSERSITE"] = "1"
        return subprocess.run(
            [str(self.python), *args],
            cwd=self.folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


@pytest.fixture(scope="session")
def vendored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vendored]:
    base = tmp_path_factory.mktemp("vendoring")
    folder = base / "someone_elses_project"
    folder.mkdir()
    shutil.copytree(GENERATED / "vastai_api", folder / "vastai_api")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    v = Vendored(python, folder)
    pip = v.run("-m", "pip", "install", "-q", "--disable-pip-version-check", HTTPX, timeout=600)
    if pip.returncode != 0:
        pytest.fail(f"pip install {HTTPX} failed (is PyPI reachable?):\n{pip.stderr[-2000:]}")
    yield v


def test_the_venv_holds_only_httpx_and_its_dependencies(vendored: Vendored) -> None:
    proc = vendored.run("-m", "pip", "list", "--format", "json", "--disable-pip-version-check")
    assert proc.returncode == 0, proc.stderr
    names = {p["name"].lower().replace("_", "-") for p in json.loads(proc.stdout)}
    assert "httpx" in names
    assert names <= ALLOWED, f"unexpected packages: {sorted(names - ALLOWED)}"
    # and neither oagen nor its dependencies can be imported there
    probe = vendored.run("-c", "import generator")
    assert probe.returncode != 0 and "ModuleNotFoundError" in probe.stderr
    probe = vendored.run("-c", "import jinja2")
    assert probe.returncode != 0


def test_import_from_the_copied_folder(vendored: Vendored) -> None:
    proc = vendored.run(
        "-c",
        "import vastai_api, sys; print(vastai_api.__file__); print(sorted(sys.modules))",
    )
    assert proc.returncode == 0, proc.stderr
    first, modules = proc.stdout.splitlines()[:2]
    assert Path(first).resolve().is_relative_to(vendored.folder.resolve())
    loaded = {m.split(".")[0] for m in eval(modules)}  # a printed list of str
    assert not {"generator", "jinja2", "black", "yaml", "prance"} & loaded


def test_cli_help(vendored: Vendored) -> None:
    proc = vendored.run("-m", "vastai_api", "--help")
    assert proc.returncode == 0, proc.stderr
    assert "create" in proc.stdout and "--api-key" in proc.stdout


def test_cli_dry_run_prints_the_request_and_redacts_the_key(vendored: Vendored) -> None:
    proc = vendored.run(
        "-m",
        "vastai_api",
        "create",
        "endpoint",
        "--min_load",
        "50",
        "--dry-run",
        "--api-key",
        "secret-key-123",
    )
    assert proc.returncode == 0, proc.stderr
    assert "POST https://console.vast.ai/api/v0/endptjobs/" in proc.stdout
    assert '"min_load": 50.0' in proc.stdout
    assert "secret-key-123" not in proc.stdout + proc.stderr


def test_client_call_against_a_mock_transport(vendored: Vendored) -> None:
    script = textwrap.dedent("""
        import json
        import httpx
        import vastai_api

        seen = []

        def handler(request):
            seen.append(request)
            return httpx.Response(200, json={"success": True, "result": 42, "extra": 1})

        http = httpx.Client(transport=httpx.MockTransport(handler))
        with vastai_api.Client(api_key="k", http_client=http) as client:
            result = client.create_endpoint(min_load=50, endpoint_name="e1")
        request = seen[0]
        print(json.dumps({
            "type": type(result).__name__,
            "result": result.result,
            "success": result.success,
            "method": request.method,
            "url": str(request.url),
            "auth": request.headers["authorization"],
            "body": json.loads(request.content),
        }))
        """)
    proc = vendored.run("-c", script)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out == {
        "type": "CreateEndpointResponse",
        "result": 42,
        "success": True,
        "method": "POST",
        "url": "https://console.vast.ai/api/v0/endptjobs/",
        "auth": "Bearer k",
        "body": {"min_load": 50, "endpoint_name": "e1"},
    }


def test_readme_says_where_it_came_from_and_how_to_regenerate(vendored: Vendored) -> None:
    readme = (vendored.folder / "vastai_api" / "README.md").read_text(encoding="utf-8")
    manifest = json.loads((GENERATED / ".oagen-manifest.json").read_text(encoding="utf-8"))
    assert manifest["spec_sha256"] not in readme  # the manifest holds it (issue 17)
    assert f"oagen {manifest['oagen']}" in readme
    assert "`openapi.yaml`" in readme
    assert "oagen generate" in readme and "--check" in readme
    assert "httpx" in readme and "from vastai_api import Client" in readme
    assert "python -m vastai_api --help" in readme
