"""Each setting is declared once (a field of `Config`); the file keys, the flags, `--help`, the
fingerprint, the render options and the docs table are all derived from that declaration."""

from __future__ import annotations

import argparse
import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
import tomllib
from conftest import ROOT

from generator import cli, pipeline
from generator.config import (
    DOCS_BEGIN,
    DOCS_END,
    SETTINGS,
    Config,
    Setting,
    docs_block,
    from_mapping,
    load_config,
)
from generator.diagnostics import SpecError
from generator.model import Api
from generator.render import Settings

WORKFLOW = ROOT / "docs" / "workflow.md"


def other_value(entry: Setting) -> Any:
    """A valid value of `entry` that is not its default (as TOML gives it)."""
    if entry.kind in ("str", "str?", "header"):
        return "other_value"
    if entry.kind == "bool":
        return not entry.default
    if entry.kind in ("int", "count"):
        return entry.default + 1
    if entry.kind == "seconds":
        return entry.default + 1.5
    if entry.kind == "choice":
        return next(c for c in entry.choices if c != entry.default)
    assert entry.kind == "strs", entry.kind
    return ["first", "second"]


def expected(entry: Setting) -> Any:
    value = other_value(entry)
    return tuple(value) if isinstance(value, list) else value


def test_settings_are_the_config_fields_in_order() -> None:
    assert [s.name for s in SETTINGS] == [f.name for f in dataclasses.fields(Config)]
    for entry in SETTINGS:
        assert entry.default == getattr(Config(), entry.name)
        assert entry.help and entry.type


@pytest.mark.parametrize("entry", SETTINGS, ids=lambda s: s.name)
def test_every_key_is_accepted_from_a_toml_file(tmp_path: Path, entry: Setting) -> None:
    value = other_value(entry)
    assert value != entry.default
    dashed = entry.name.replace("_", "-")
    (tmp_path / "oagen.toml").write_text(f"{dashed} = {_toml(value)}\n", encoding="utf-8")
    config, _ = load_config(tmp_path)
    assert getattr(config, entry.name) == expected(entry)
    assert config == dataclasses.replace(Config(), **{entry.name: expected(entry)})


@pytest.mark.parametrize("entry", [s for s in SETTINGS if s.flags], ids=lambda s: s.name)
def test_every_flag_reaches_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: Setting
) -> None:
    monkeypatch.chdir(tmp_path)
    value = other_value(entry)
    flag = entry.flags[-1]
    if not flag.startswith("-"):
        argv = [str(value)]
    elif entry.kind == "bool":
        argv = [flag]
    elif entry.kind == "strs":
        argv = [flag, value[0], flag, value[1], flag, value[0]]  # repeats are dropped
    else:
        argv = [flag, str(value)]
    args = cli._parser().parse_args(["generate", *argv])
    config = cli._config(args)
    assert getattr(config, entry.name) == expected(entry)
    assert config == dataclasses.replace(Config(), **{entry.name: expected(entry)})


def test_flags_override_the_file_and_keep_its_other_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "oagen.toml").write_text('package = "from_file"\ncli_name = "tool"\n')
    args = cli._parser().parse_args(["generate", "--package", "from_flag"])
    config = cli._config(args)
    assert (config.package, config.cli_name) == ("from_flag", "tool")


def test_a_bad_flag_value_is_an_error_naming_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = cli._parser().parse_args(["generate", "--package", "not-an-identifier"])
    with pytest.raises(SpecError) as exc:
        cli._config(args)
    assert "command line" in str(exc.value) and "not-an-identifier" in str(exc.value)


@pytest.mark.parametrize("key", ["pakage", "max-retry", "tool"])
def test_unknown_keys_are_an_error_naming_the_key(key: str) -> None:
    with pytest.raises(SpecError) as exc:
        from_mapping({key: "x", "package": "ok"}, "oagen.toml")
    assert f"unknown configuration key {key!r}" in str(exc.value)
    assert "oagen.toml" in str(exc.value)


def test_generate_help_lists_every_key_and_flag() -> None:
    text = cli_help("generate")
    for entry in SETTINGS:
        assert re.search(rf"^  {entry.name} = ", text, re.M), entry.name
        for flag in entry.flags:
            assert flag in text, flag
    assert "(default: from info.title)" in text and "(default: <PACKAGE>_API_KEY)" in text


def test_the_fingerprint_holds_exactly_the_settings_that_change_the_output() -> None:
    base = Config()
    for entry in SETTINGS:
        changed = dataclasses.replace(base, **{entry.name: expected(entry)})
        assert (changed.fingerprint() != base.fingerprint()) == entry.fingerprint, entry.name
    assert {s.name for s in SETTINGS if not s.fingerprint} == {"output", "strict"}


def test_render_options_are_the_settings_marked_render() -> None:
    render_fields = {f.name for f in dataclasses.fields(Settings)}
    marked = {s.name for s in SETTINGS if s.render}
    assert render_fields == marked | {"spec_name", "spec_sha256"}
    api = Api("Pet Store", "1", "", (), (), (), ())
    defaults = pipeline.settings_for(api, Config(), "s.yaml", "0" * 64)
    assert (defaults.package, defaults.api_key_env, defaults.base_url_env) == (
        "pet_store",
        "PET_STORE_API_KEY",
        "PET_STORE_BASE_URL",
    )
    assert defaults.cli_name == "python -m pet_store"
    configured = Config(**{s.name: expected(s) for s in SETTINGS if s.render})
    settings = pipeline.settings_for(api, configured, "s.yaml", "0" * 64)
    for name in marked:
        assert getattr(settings, name) == getattr(configured, name), name


def test_the_docs_table_is_current() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    start, end = text.index(DOCS_BEGIN), text.index(DOCS_END) + len(DOCS_END)
    assert text[start:end] == docs_block(), "run `python -m generator.config docs/workflow.md`"
    for entry in SETTINGS:
        assert f"| `{entry.name}` |" in docs_block()


@pytest.mark.parametrize("doc", [ROOT / "README.md", WORKFLOW], ids=lambda p: p.name)
def test_the_docs_toml_examples_are_valid_configurations(doc: Path) -> None:
    blocks = re.findall(r"```toml\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
    assert blocks
    for block in blocks:
        table = tomllib.loads(block)["tool"]["oagen"]
        from_mapping(table, doc.name)


def cli_help(command: str) -> str:
    sub = next(a for a in cli._parser()._actions if isinstance(a, argparse._SubParsersAction))
    parser: argparse.ArgumentParser = sub.choices[command]
    return parser.format_help()


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)
