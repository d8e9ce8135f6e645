"""Configuration: [tool.oagen] / oagen.toml; wrong types are clean exit-2 errors; flags override."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import ROOT, run_oagen

from generator.config import Config, from_mapping, load_config
from generator.diagnostics import SpecError

oagen = run_oagen


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('docs = "yes"', "configuration key 'docs' must be true or false, not 'yes'"),
        ('max_bytes = "big"', "'max_bytes' must be a positive integer (bytes), not 'big'"),
        ("max_bytes = -1", "'max_bytes' must be a positive integer (bytes), not -1"),
        ("strict = 1", "'strict' must be true or false, not 1"),
        ("package = 3", "'package' must be a string (a Python identifier), not 3"),
        ('package = ""', "'package' must be a string (a Python identifier), not ''"),
        ("spec = [1]", "'spec' must be a string (a file path), not list"),
        ("include_tags = [1, 2]", "'include_tags' must be a list of strings (tag names), not list"),
        ("operations = {a = 1}", "'operations' must be a list of strings"),
        ('api_key_env = "MY KEY"', "api_key_env 'MY KEY' is not a valid environment variable name"),
        ('package = "my-client"', "package 'my-client' is not a Python identifier"),
    ],
)
def test_wrong_values_are_clean_exit_2_errors(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.oagen]\n{toml}\n", encoding="utf-8")
    proc = oagen("generate", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert "pyproject.toml" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "generated").exists()


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(SpecError) as exc:
        from_mapping({"docs": "no", "strict": "no", "pakage": "x"}, "oagen.toml")
    text = str(exc.value)
    assert "'docs'" in text and "'strict'" in text and "unknown configuration key 'pakage'" in text


def test_tool_oagen_must_be_a_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool]\noagen = "x"\n', encoding="utf-8")
    proc = oagen("generate", cwd=tmp_path)
    assert proc.returncode == 2 and "[tool.oagen] must be a table" in proc.stderr


def test_broken_toml_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "oagen.toml").write_text("package = \n", encoding="utf-8")
    proc = oagen("generate", cwd=tmp_path)
    assert proc.returncode == 2 and "cannot read configuration" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_oagen_toml_wins_and_dashed_keys_and_lists(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.oagen]\npackage = "from_pyproject"\n')
    (tmp_path / "oagen.toml").write_text(
        'package = "from_oagen_toml"\napi-key-env = "K"\ninclude-tags = ["a", "b", "a"]\n'
        'operations = "show instances"\n'
    )
    config, source = load_config(tmp_path)
    assert source == str(tmp_path / "oagen.toml")
    assert config == Config(
        package="from_oagen_toml",
        api_key_env="K",
        include_tags=("a", "b"),
        operations=("show instances",),
    )


def test_a_pyproject_without_the_table_gives_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_config(tmp_path) == (Config(), None)


def test_selection_is_part_of_the_fingerprint() -> None:
    base = Config()
    assert dataclasses.replace(base, output="elsewhere").fingerprint() == base.fingerprint()
    assert dataclasses.replace(base, include_tags=("x",)).fingerprint() != base.fingerprint()
    assert dataclasses.replace(base, operations=("x",)).fingerprint() != base.fingerprint()


def test_flags_override_the_file(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_text((ROOT / "openapi.yaml").read_text())
    (tmp_path / "pyproject.toml").write_text(
        '[tool.oagen]\npackage = "from_file"\noutput = "out_file"\ninclude_tags = ["Nope"]\n'
    )
    # the file's include_tags matches nothing: an error ...
    proc = oagen("generate", cwd=tmp_path)
    assert proc.returncode == 2 and "no operation has the tag 'Nope'" in proc.stderr
    # ... that the flag replaces
    proc = oagen(
        "generate", "--package", "from_flag", "-o", "out_flag", "--include-tag", "Serverless",
        cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out_flag" / "from_flag" / "client.py").is_file()
    assert not (tmp_path / "out_file").exists()


def test_generate_help_documents_every_key() -> None:
    proc = oagen("generate", "--help", cwd=ROOT)
    assert proc.returncode == 0
    for field in dataclasses.fields(Config):
        assert f"  {field.name} = " in proc.stdout, field.name
    for flag in ("--include-tag", "--exclude-tag", "--operation", "--check", "--strict"):
        assert flag in proc.stdout
