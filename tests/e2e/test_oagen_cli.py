"""The `oagen` command end to end: exit codes, messages, --check, and what it does to the output folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_oagen

oagen = run_oagen


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A folder with the project's openapi.yaml and config, as a user's repo would have."""
    shutil.copy(ROOT / "openapi.yaml", tmp_path / "openapi.yaml")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.oagen]\npackage = "vastai_api"\napi_key_env = "VAST_API_KEY"\nbase_url_env = "VAST_URL"\n',
        encoding="utf-8",
    )
    return tmp_path


def test_generate_with_no_arguments_uses_openapi_yaml_and_generated(project: Path) -> None:
    proc = oagen("generate", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert (project / "generated" / "vastai_api" / "client.py").is_file()
    assert (project / "generated" / ".oagen-manifest.json").is_file()
    assert "Traceback" not in proc.stderr
    again = oagen("generate", cwd=project)
    assert again.returncode == 0 and "up to date" in again.stderr


def test_package_name_from_title_without_config(tmp_path: Path) -> None:
    shutil.copy(ROOT / "openapi.yaml", tmp_path / "openapi.yaml")
    proc = oagen("generate", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "generated" / "vast_ai_api" / "__init__.py").is_file()


def test_package_flag_and_output_flag(project: Path) -> None:
    proc = oagen("generate", "openapi.yaml", "-o", "out", "--package", "myclient", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert (project / "out" / "myclient" / "client.py").is_file()


def test_check_reports_drift_with_a_diff(project: Path) -> None:
    assert oagen("generate", cwd=project).returncode == 0
    assert oagen("generate", "--check", cwd=project).returncode == 0
    spec = project / "openapi.yaml"
    spec.write_text(
        spec.read_text().replace("summary: create endpoint", "summary: make an endpoint")
    )
    proc = oagen("generate", "--check", cwd=project)
    assert proc.returncode == 1
    assert "+++ b/vastai_api/" in proc.stdout and "make an endpoint" in proc.stdout
    assert "stale" in proc.stderr


def test_check_reports_a_hand_edit_and_generate_overwrites_it_with_a_warning(project: Path) -> None:
    assert oagen("generate", cwd=project).returncode == 0
    client = project / "generated" / "vastai_api" / "client.py"
    original = client.read_text()
    client.write_text(original + "\n# my local hack\n")
    check = oagen("generate", "--check", cwd=project)
    assert check.returncode == 1
    assert "-# my local hack" in check.stdout
    assert "edited by hand" in check.stderr
    proc = oagen("generate", cwd=project)
    assert proc.returncode == 0
    assert "client.py was edited by hand" in proc.stderr
    assert client.read_text() == original


def test_files_it_does_not_own_are_never_touched(project: Path) -> None:
    notes = project / "generated" / "NOTES.md"
    notes.parent.mkdir()
    notes.write_text("mine\n")
    assert oagen("generate", cwd=project).returncode == 0
    assert notes.read_text() == "mine\n"
    # a foreign file where oagen wants to write: refused, nothing written
    shutil.rmtree(project / "generated" / "vastai_api")
    (project / "generated" / ".oagen-manifest.json").unlink()
    (project / "generated" / "vastai_api").mkdir()
    foreign = project / "generated" / "vastai_api" / "client.py"
    foreign.write_text("# hand-written\n")
    proc = oagen("generate", cwd=project)
    assert proc.returncode == 2
    assert "refusing to overwrite" in proc.stderr and "client.py" in proc.stderr
    assert foreign.read_text() == "# hand-written\n"
    assert not (project / "generated" / "vastai_api" / "models.py").exists()
    assert notes.read_text() == "mine\n"


def test_stale_owned_files_are_removed(project: Path) -> None:
    assert oagen("generate", cwd=project).returncode == 0
    page = project / "generated" / "vastai_api" / "docs" / "create_endpoint.md"
    assert page.is_file()
    spec = project / "openapi.yaml"
    spec.write_text(
        spec.read_text().replace(
            "CLI Usage: `vastai create endpoint [options]`", "CLI Usage: `vastai new endpoint`"
        )
    )
    assert oagen("generate", cwd=project).returncode == 0
    assert not page.exists()
    assert (project / "generated" / "vastai_api" / "docs" / "new_endpoint.md").is_file()


BROKEN = {
    "missing.yaml": (None, "missing.yaml: no such file"),
    "empty.yaml": ("", "empty.yaml:1: empty file"),
    "bad.yaml": ("openapi: 3.1.0\ninfo: [unclosed\n", "bad.yaml:3: invalid YAML"),
    "bad.json": ('{"openapi": "3.1.0",\n "info": }', "bad.json:2: invalid JSON"),
    "list.yaml": ("- a\n- b\n", "list.yaml:1: expected a mapping at the top level"),
    "swagger.yaml": (
        "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n",
        "swagger.yaml:1: #/swagger: Swagger 2.0 is not supported",
    ),
    "noversion.yaml": (
        "info: {title: x, version: '1'}\npaths: {}\n",
        "noversion.yaml:1: #: missing `openapi`",
    ),
    "v4.yaml": (
        "openapi: 4.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n",
        "v4.yaml:1: #/openapi: unsupported OpenAPI version '4.0.0'",
    ),
    "badparam.yaml": (
        "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      parameters:\n        - {name: q, in: nowhere}\n      responses:\n        '200': {description: ok}\n",
        "badparam.yaml:7: #/paths/~1a/get/parameters/0/in: parameter `in` must be path, query, header or cookie",
    ),
    "dangling.yaml": (
        "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
        "        '200':\n          description: ok\n          content:\n            application/json:\n"
        "              schema: {$ref: '#/components/schemas/Nope'}\n",
        "#/components/schemas/Nope' points nowhere",
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_specs_exit_2_with_a_located_message_and_write_nothing(
    project: Path, name: str
) -> None:
    text, expected = BROKEN[name]
    if text is not None:
        (project / name).write_text(text)
    before = sorted(p.name for p in project.iterdir())
    proc = oagen("generate", name, cwd=project)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert expected in proc.stderr, proc.stderr
    assert "nothing written" in proc.stderr
    assert sorted(p.name for p in project.iterdir()) == before  # no generated/ appeared


def test_a_broken_spec_leaves_existing_output_alone(project: Path) -> None:
    assert oagen("generate", cwd=project).returncode == 0
    snapshot = {p: p.read_bytes() for p in (project / "generated").rglob("*") if p.is_file()}
    (project / "openapi.yaml").write_text("openapi: 3.1.0\ninfo: [\n")
    assert oagen("generate", cwd=project).returncode == 2
    assert {
        p: p.read_bytes() for p in (project / "generated").rglob("*") if p.is_file()
    } == snapshot


def test_unknown_config_key_is_named(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.oagen]\npackage = "x"\npakage = "y"\n')
    proc = oagen("generate", cwd=project)
    assert proc.returncode == 2
    assert "unknown configuration key 'pakage'" in proc.stderr


def test_validate_command(project: Path) -> None:
    proc = oagen("validate", "openapi.yaml", cwd=project)
    assert proc.returncode == 0
    assert "OK" in proc.stderr


def test_check_reports_a_manifest_made_with_other_settings(project: Path) -> None:
    assert oagen("generate", cwd=project).returncode == 0
    manifest = project / "generated" / ".oagen-manifest.json"
    manifest.write_text(manifest.read_text().replace('"config": "', '"config": "x'))
    proc = oagen("generate", "--check", cwd=project)
    assert proc.returncode == 1
    assert "the manifest records another config" in proc.stderr
