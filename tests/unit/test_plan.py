"""`pipeline.generate()` returns the whole output plan: the package's files, the API surface and
the manifest's metadata; `oagen generate` writes exactly that plan and nothing else."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from generator import __version__, cli, diff, pipeline, write
from generator.config import Config


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(ROOT / "openapi.yaml", tmp_path / "openapi.yaml")
    (tmp_path / "oagen.toml").write_text('package = "planned"\nmax_retries = 4\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OAGEN_CACHE_DIR", "")  # no no-op record: always the full path
    return tmp_path


def test_the_plan_holds_the_surface_and_the_manifest_metadata(project: Path) -> None:
    config = Config(package="planned", max_retries=4)
    result = pipeline.generate(Path("openapi.yaml"), config, display="openapi.yaml")
    assert result.files[diff.SURFACE_FILE] == diff.surface_text(result.surface)
    assert result.surface == diff.surface(result.api)
    assert set(result.package_files) == set(result.files) - {diff.SURFACE_FILE}
    assert all(path.startswith("planned/") for path in result.package_files)
    spec_sha = result.settings.spec_sha256
    assert result.manifest == {
        "oagen": __version__,
        "spec": "openapi.yaml",
        "spec_sha256": spec_sha,
        "config": config.fingerprint(),
    }


def test_oagen_generate_writes_exactly_the_plan(project: Path) -> None:
    assert cli.main(["generate"]) == 0
    config = Config(package="planned", max_retries=4)
    result = pipeline.generate(Path("openapi.yaml"), config, display="openapi.yaml")
    out = project / "generated"
    on_disk = {
        str(p.relative_to(out)): p.read_text(encoding="utf-8")
        for p in out.rglob("*")
        if p.is_file() and p.name != write.MANIFEST
    }
    assert on_disk == result.files
    manifest = json.loads((out / write.MANIFEST).read_text(encoding="utf-8"))
    assert manifest == {
        **result.manifest,
        "files": {path: write.sha256(text) for path, text in result.files.items()},
    }
    assert cli.main(["generate", "--check"]) == 0
