"""The no-op fast path answers "up to date" only when that is true, and never serves stale output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_oagen

from generator import noop


def oagen(*args: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return run_oagen(*args, cwd=cwd, env={**os.environ, "OAGEN_CACHE_DIR": str(cache)})


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "openapi.yaml", tmp_path / "openapi.yaml")
    (tmp_path / "pyproject.toml").write_text('[tool.oagen]\npackage = "vastai_api"\n')
    return tmp_path


FAST = "up to date (nothing changed)"


def test_second_run_takes_the_fast_path_and_replays_warnings(project: Path, tmp_path: Path) -> None:
    spec = project / "openapi.yaml"
    # a property `required` but not defined: a warning the fast path must repeat
    spec.write_text(
        spec.read_text().replace(
            "    Error:\n      type: object\n",
            "    Error:\n      type: object\n      required: [ghost]\n",
        )
    )
    cache = tmp_path / "cache"
    first = oagen("generate", cwd=project, cache=cache)
    assert first.returncode == 0, first.stderr
    warning = [line for line in first.stderr.splitlines() if "ghost" in line]
    assert warning
    second = oagen("generate", cwd=project, cache=cache)
    assert FAST in second.stderr
    assert warning[0] in second.stderr
    assert oagen("generate", "--check", cwd=project, cache=cache).returncode == 0


@pytest.mark.parametrize("change", ["spec", "hand-edit", "delete", "config"])
def test_any_change_takes_the_full_path(project: Path, tmp_path: Path, change: str) -> None:
    cache = tmp_path / "cache"
    assert oagen("generate", cwd=project, cache=cache).returncode == 0
    client = project / "generated" / "vastai_api" / "client.py"
    if change == "spec":
        spec = project / "openapi.yaml"
        spec.write_text(
            spec.read_text().replace("Minimum load for the endpoint.", "Smallest load.")
        )
    elif change == "hand-edit":
        client.write_text(client.read_text() + "# hack\n")
    elif change == "delete":
        client.unlink()
    else:
        (project / "pyproject.toml").write_text(
            '[tool.oagen]\npackage = "vastai_api"\ncli_name = "vast"\n'
        )
    check = oagen("generate", "--check", cwd=project, cache=cache)
    assert FAST not in check.stderr
    assert check.returncode == 1
    proc = oagen("generate", cwd=project, cache=cache)
    assert FAST not in proc.stderr and proc.returncode == 0
    assert "# hack" not in client.read_text()
    if change == "spec":  # the operation's method lives in its tag's module
        assert "Smallest load." in (client.parent / "_client_serverless.py").read_text()
    assert FAST in oagen("generate", cwd=project, cache=cache).stderr


def test_a_new_oagen_invalidates_the_record(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OAGEN_CACHE_DIR", str(tmp_path / "cache"))
    out, spec = project / "out", project / "openapi.yaml"
    (out / "pkg").mkdir(parents=True)
    (out / "pkg" / "a.py").write_text("a = 1\n")
    (out / ".oagen-manifest.json").write_text("{}\n")
    noop.record(out, spec, "cfg", ["pkg/a.py"], ["a warning"])
    assert noop.check(out, spec, "cfg") == ["a warning"]
    assert noop.check(out, spec, "other cfg") is None
    monkeypatch.setattr(noop, "__version__", "999.0")
    assert noop.check(out, spec, "cfg") is None


def test_the_fast_path_imports_nothing_heavy(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert oagen("generate", cwd=project, cache=cache).returncode == 0
    script = (
        "import sys\n"
        "from generator import cli\n"
        "code = cli.main(['generate'])\n"
        "heavy = ('yaml', 'jinja2', 'black', 'openapi_spec_validator', 'generator.pipeline',\n"
        "         'generator.render', 'generator.build', 'generator.diff', 'generator.write')\n"
        "print(code, sorted(m for m in heavy if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "OAGEN_CACHE_DIR": str(cache)},
        timeout=120,
    )
    assert FAST in proc.stderr
    assert proc.stdout.strip() == "0 []"
