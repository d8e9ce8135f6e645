"""The generated CLI's help comes from data, not from parsing docstrings at run time.

Each client class carries a `_cli_help` table (method -> argument -> text) beside the
methods; the global options show the client's configured timeout and retry count. An
operation description with an `Args:` section of its own cannot replace a flag's help, and an
edit of one parameter's description changes one generated module.
"""

from __future__ import annotations

import contextlib
import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import generate_package

from generator import pipeline
from generator.config import Config

SPEC = """
openapi: 3.1.0
info: {title: Help, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /things/{thing_id}:
    get:
      operationId: getThing
      tags: [things]
      summary: Get a thing
      description: %s
      parameters:
        - name: thing_id
          in: path
          required: true
          description: The identifier of the thing.
          schema: {type: string}
        - name: depth
          in: query
          description: %s
          schema: {type: integer}
      responses:
        "200": {description: ok}
"""
HIJACK = "Reads a thing.\\n\\nArgs:\\n    depth: HIJACKED text from the description.\\n"


def help_text(package: Any, argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    cli = importlib.import_module(f"{package.__name__}._cli")
    with contextlib.suppress(SystemExit):
        cli.main(argv)
    return " ".join(capsys.readouterr().out.split())


def test_global_options_show_the_configured_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = SPEC % (json.dumps("Reads a thing."), json.dumps("How deep."))
    package, _ = generate_package(tmp_path, spec, timeout=7, max_retries=5)
    for argv in (["--help"], ["get", "thing", "--help"]):
        shown = help_text(package, argv, capsys)
        assert "read timeout (default 7)" in shown
        assert "connection errors (default 5)" in shown
        assert "(default 60)" not in shown and "(default 2)" not in shown


def test_default_settings_show_the_default_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = SPEC % (json.dumps("Reads a thing."), json.dumps("How deep."))
    package, _ = generate_package(tmp_path, spec)
    shown = help_text(package, ["--help"], capsys)
    assert "read timeout (default 60)" in shown and "connection errors (default 2)" in shown


def test_flag_help_is_the_parameter_description_not_the_operation_description(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = SPEC % (json.dumps(HIJACK.replace("\\n", "\n")), json.dumps("How deep to look."))
    package, _ = generate_package(tmp_path, spec)
    shown = help_text(package, ["get", "thing", "--help"], capsys)
    assert "How deep to look." in shown
    assert "The identifier of the thing." in shown
    assert "HIJACKED" not in shown.split("options:", 1)[1]  # the description may show it, no flag
    table = package.client.Client._cli_help
    assert table == {
        "get_thing": {"thing_id": "The identifier of the thing.", "depth": "How deep to look."}
    }


def test_an_undocumented_flag_takes_no_help_from_the_description(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no documented argument, the description's `Args:` would be the docstring's only one."""
    spec = SPEC.replace("description: The identifier of the thing.", "description: ''")
    package, _ = generate_package(tmp_path, spec % (json.dumps(HIJACK.replace("\\n", "\n")), '""'))
    shown = help_text(package, ["get", "thing", "--help"], capsys)
    assert "HIJACKED" in shown.split("options:", 1)[0]  # the command's description
    assert "HIJACKED" not in shown.split("options:", 1)[1]
    assert not hasattr(package.client.Client, "_cli_help")


def test_an_edit_of_a_parameter_description_changes_one_module(tmp_path: Path) -> None:
    def rendered(description: str, folder: str) -> dict[str, str]:
        spec = tmp_path / folder / "openapi.yaml"
        spec.parent.mkdir()
        spec.write_text(SPEC % (json.dumps("Reads."), json.dumps(description)), encoding="utf-8")
        return pipeline.generate(spec, Config(package="p")).files

    before, after = rendered("How deep.", "a"), rendered("How deep, edited.", "b")
    changed = {
        path
        for path in before
        if path.endswith(".py") and before[path].split("\n", 2)[2] != after[path].split("\n", 2)[2]
    }
    assert changed == {"p/_client_things.py"}
    assert "help=" not in before["p/_cli.py"]
