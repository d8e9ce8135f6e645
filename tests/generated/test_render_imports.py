"""Imports are a by-product of rendering types: each module imports what its code uses, no more.

Two defects of the text-searching import logic this replaced: a free-form object response
wrote `Op[dict[str, Any]]` into `_ops.py` without importing `Any` (only `Op[Any]` was looked
for), and a class named `AnyThing` or `LiteralValue` made modules import `Any`/`Literal`
unused (`"Any" in annotation`). The package-level tests run ruff (pyflakes) and mypy
--strict on a generated package; the unit tests check the projections' records directly.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import generate_package

from generator.model import AnyType, Const, EnumRef, ListOf, MapOf, ModelRef, Nullable, Primitive
from generator.render.types import RT, Imports, annotation, descriptor

SPEC = """
openapi: 3.1.0
info: {title: Imports, version: "1"}
paths:
  /free:
    get:
      operationId: getFree
      responses:
        "200":
          description: a free-form object
          content:
            application/json:
              schema: {type: object, additionalProperties: true}
  /things:
    get:
      operationId: getThings
      tags: [things]
      parameters:
        - {name: kind, in: query, required: true, schema: {$ref: "#/components/schemas/LiteralValue"}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/AnyThing"}
components:
  schemas:
    LiteralValue: {type: integer, enum: [1, 2]}
    AnyThing:
      type: object
      properties:
        size: {type: integer}
        nothing: {const: null}
      additionalProperties: {type: integer}
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    module, out = generate_package(tmp_path_factory.mktemp("imports"), SPEC)
    return module.__name__, out / module.__name__


def import_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.startswith(("from ", "import "))]


def test_free_form_response_imports_any_in_ops(package: tuple[str, Path]) -> None:
    _, folder = package
    ops = (folder / "_ops.py").read_text(encoding="utf-8")
    assert "GET_FREE: Op[dict[str, Any]]" in ops
    assert "from typing import Any" in import_lines(folder / "_ops.py")


def test_class_names_do_not_import_typing_names(package: tuple[str, Path]) -> None:
    _, folder = package
    group = import_lines(folder / "_client_things.py")
    assert "from typing import Literal" in group  # the loose enum: `LiteralValue | Literal[1, 2]`
    assert not any("Any" in line for line in group), group
    models = import_lines(folder / "models.py")
    assert not any("typing" in line for line in models), models  # no Any, no Literal, no ClassVar


def test_generated_package_is_clean_for_ruff_and_mypy(package: tuple[str, Path]) -> None:
    name, folder = package
    bin_dir = Path(sys.executable).parent
    linted = subprocess.run(
        [str(bin_dir / "ruff"), "check", "--isolated", "--select", "F,I", name],
        capture_output=True,
        text=True,
        cwd=folder.parent,
    )
    assert linted.returncode == 0, linted.stdout
    checked = subprocess.run(
        [str(bin_dir / "mypy"), "--strict", "--python-version", "3.10", name],
        capture_output=True,
        text=True,
        cwd=folder.parent,
        timeout=600,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_annotation_records_only_what_it_writes() -> None:
    imports = Imports()
    text = annotation(ListOf(ModelRef("AnyThing")), imports, "models.")
    assert text == "list[models.AnyThing]"
    assert imports.block() == "from . import models"
    imports = Imports()
    assert annotation(MapOf(AnyType()), imports) == "dict[str, Any]"
    assert annotation(Nullable(Const("x")), imports) == "Literal['x'] | None".replace("'", '"')
    assert imports.block() == "from typing import Any, Literal"
    imports = Imports()
    assert annotation(Const(None), imports) == "None"
    assert imports.block() == ""


def test_descriptor_records_the_runtime_only_when_it_calls_it() -> None:
    imports = Imports()
    assert descriptor(Primitive("int"), imports) == '"int"'
    assert descriptor(AnyType(), imports) == '"any"'
    assert not imports.has(".", RT)
    assert descriptor(ListOf(EnumRef("LiteralValue")), imports) == 'rt.list_of(rt.enum_of("LiteralValue"))'
    assert imports.block() == "from . import _runtime as rt"


def test_import_block_is_in_isort_order() -> None:
    imports = Imports().add("httpx").add(".", "models", RT, "_ops as ops").add("typing", "Any")
    imports.add("._runtime", "Unset", "UNSET", "Timeout").add("dataclasses").add("collections.abc", "Mapping")
    assert imports.block() == (
        "import dataclasses\n"
        "from collections.abc import Mapping\n"
        "from typing import Any\n"
        "\n"
        "import httpx\n"
        "\n"
        "from . import _ops as ops\n"
        "from . import _runtime as rt\n"
        "from . import models\n"
        "from ._runtime import UNSET, Timeout, Unset"
    )
