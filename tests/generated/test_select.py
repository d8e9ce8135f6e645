"""Subsets: include_tags / exclude_tags / operations select operations, and unused models go."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import ROOT, SHARED_SPECS, generate_package, import_from, requires_shared

from generator import pipeline, write
from generator.config import Config
from generator.diagnostics import SpecError
from generator.model import Api
from generator.select import select, used_types

SPEC = """
openapi: 3.1.0
info: {title: Shop, version: '1'}
servers: [{url: 'https://shop.example'}]
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      description: "CLI Usage: `shop list pets`"
      parameters:
        - {name: kind, in: query, schema: {$ref: '#/components/schemas/Kind'}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Dog'}}
    post:
      tags: [pets, admin]
      description: "CLI Usage: `shop create pet`"
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewPet'}
      responses:
        '201': {description: created}
  /orders/{id}:
    get:
      operationId: getOrder
      tags: [store]
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
  /health:
    get:
      responses:
        '200': {description: ok}
components:
  schemas:
    Kind: {type: string, enum: [dog, cat]}
    Animal:
      type: object
      properties:
        name: {type: string}
        owner: {$ref: '#/components/schemas/Owner'}
    Owner:
      type: object
      properties:
        level: {$ref: '#/components/schemas/Level'}
    Level: {type: string, enum: [gold, silver]}
    Dog:
      allOf:
        - $ref: '#/components/schemas/Animal'
        - type: object
          properties:
            barks: {type: boolean}
    NewPet:
      type: object
      properties:
        name: {type: string}
    Order:
      type: object
      properties:
        id: {type: integer}
        lines: {type: array, items: {$ref: '#/components/schemas/Line'}}
    Line:
      type: object
      properties:
        sku: {type: string}
    Unused:
      type: object
      properties:
        x: {type: string}
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Api:
    path = tmp_path_factory.mktemp("select") / "openapi.yaml"
    path.write_text(SPEC.lstrip(), encoding="utf-8")
    return pipeline.analyse(path, Config())[0]


def names(api: Api) -> tuple[list[str], set[str], set[str]]:
    return (
        [op.name for op in api.operations],
        {m.name for m in api.models},
        {e.name for e in api.enums},
    )


def test_no_selection_is_the_identity(api: Api) -> None:
    assert select(api) is api


def test_include_tag_keeps_transitive_models_bases_and_enums(api: Api) -> None:
    ops, models, enums = names(select(api, include_tags=["pets"]))
    assert ops == ["list_pets", "create_pet"]
    # Dog -> base Animal -> field Owner -> field enum Level; Kind from a parameter; NewPet's
    # properties became keyword parameters (a flattened body), so the model itself is unused
    assert models == {"Dog", "Animal", "Owner"}
    assert enums == {"Kind", "Level"}


def test_exclude_tag(api: Api) -> None:
    ops, models, _ = names(select(api, exclude_tags=["pets"]))
    assert ops == ["get_order", "get_health"]
    assert {"Order", "Line"} <= models and "Dog" not in models and "NewPet" not in models


def test_include_and_exclude_combine(api: Api) -> None:
    ops, _, _ = names(select(api, include_tags=["pets"], exclude_tags=["admin"]))
    assert ops == ["list_pets"]


@pytest.mark.parametrize(
    "selector", ["shop list pets", "list pets", "listPets", "list_pets", "GET /pets", "get  /PETS"]
)
def test_operations_by_words_id_name_or_method_and_path(api: Api, selector: str) -> None:
    assert names(select(api, operations=[selector]))[0] == ["list_pets"]


def test_operations_and_tags_are_a_union(api: Api) -> None:
    ops, models, _ = names(select(api, include_tags=["store"], operations=["GET /health"]))
    assert ops == ["get_order", "get_health"]
    assert models == {"Order", "Line"}


def test_an_operation_without_models_keeps_none(api: Api) -> None:
    assert names(select(api, operations=["GET /health"])) == (["get_health"], set(), set())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"include_tags": ["pet"]}, "no operation has the tag 'pet' (tags: admin, pets, store)"),
        ({"exclude_tags": ["nope"]}, "no operation has the tag 'nope'"),
        ({"operations": ["show pets"]}, "'show pets' matches no operation"),
        ({"include_tags": ["admin"], "exclude_tags": ["pets"]}, "leaves no operation"),
    ],
)
def test_bad_selections_are_errors_naming_the_selector(
    api: Api, kwargs: dict[str, list[str]], message: str
) -> None:
    with pytest.raises(SpecError) as exc:
        select(api, **kwargs)
    assert message in str(exc.value)


def test_used_types_follow_unions_and_maps(api: Api) -> None:
    from generator.model import MapOf, ModelRef, Response, UnionOf

    op = dataclasses.replace(
        api.operations[-1],
        responses=(
            Response(
                "200",
                "ok",
                "json",
                MapOf(UnionOf((ModelRef("Line"), ModelRef("NewPet")))),
            ),
        ),
    )
    assert used_types(api, [op]) == ({"Line", "NewPet"}, set())


def test_generated_subset_package_has_only_the_selected_methods_and_models(
    tmp_path: Path,
) -> None:
    pkg, _ = generate_package(tmp_path, SPEC, include_tags=("store",))
    methods = _operations(pkg.Client, pkg)
    assert "get_order" in methods and "list_pets" not in methods and "create_pet" not in methods
    assert set(pkg.models.__all__) == {"Order", "Line"}
    assert not hasattr(pkg, "Dog") and hasattr(pkg, "Order")


def test_cli_flags_select(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_text(SPEC.lstrip(), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--package", "shop",
         "--operation", "list pets", "--operation", "getOrder"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "2 operation(s)" in proc.stderr
    client = "".join(p.read_text() for p in (tmp_path / "generated" / "shop").glob("*client*.py"))
    assert "def list_pets(" in client and "def get_order(" in client
    assert "def create_pet(" not in client and "def get_health(" not in client
    bad = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--include-tag", "nope"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert bad.returncode == 2 and "'nope'" in bad.stderr and "Traceback" not in bad.stderr


# -- the full Vast.ai spec ---------------------------------------------------------------------

FULL = SHARED_SPECS / "vastai" / "vastai-full.yaml"
SERVERLESS = {
    "show_workergroups", "create_workergroup", "show_endpoints", "create_endpoint",
    "update_workergroup", "delete_workergroup", "update_endpoint", "delete_endpoint",
    "get_workergroup_logs", "get_workergroup_workers", "get_endpoint_logs",
    "get_endpoint_workers", "route", "show_deployment", "show_deployments",
    "start_deployment", "stop_deployment",
}  # fmt: skip
ENDPOINTS_AND_WORKERGROUPS = [
    "show endpoints", "create endpoint", "update endpoint", "delete endpoint",
    "show workergroups", "create workergroup", "update workergroup", "delete workergroup",
]  # fmt: skip


@pytest.fixture(scope="module")
def full_api() -> Api:
    if not FULL.is_file():
        pytest.skip(f"{FULL} is absent")
    return pipeline.analyse(FULL, Config())[0]


@requires_shared()
def test_vastai_full_by_cli_words(full_api: Api) -> None:
    sub = select(full_api, operations=ENDPOINTS_AND_WORKERGROUPS)
    assert sorted(" ".join(op.cli_words) for op in sub.operations) == sorted(
        ENDPOINTS_AND_WORKERGROUPS
    )
    assert len(sub.models) < len(full_api.models) // 4
    models, enums = used_types(full_api, sub.operations)
    assert {m.name for m in sub.models} == models and {e.name for e in sub.enums} == enums


@requires_shared()
@pytest.mark.slow
def test_vastai_full_serverless_package(tmp_path: Path, full_api: Api) -> None:
    shutil.copy(FULL, tmp_path / "openapi.yaml")
    config = Config(
        spec=str(tmp_path / "openapi.yaml"), package="vast_serverless", include_tags=("Serverless",)
    )
    result = pipeline.generate(tmp_path / "openapi.yaml", config, display="openapi.yaml")
    out = tmp_path / "out"
    write.apply(out, result.files, write.plan(out, result.files), {"oagen": "test"})
    pkg: ModuleType = import_from(out, "vast_serverless")
    methods = _operations(pkg.Client, pkg)
    assert methods == SERVERLESS
    wrappers = {"with_raw_response", "with_streaming_response"}
    # methods are found on first use (not in `vars()` before): `dir()` lists them all
    assert _operations(pkg.AsyncClient, pkg) - wrappers == SERVERLESS
    models, enums = used_types(
        full_api, [op for op in full_api.operations if "Serverless" in op.tags]
    )
    assert set(pkg.models.__all__) == models | enums
    docs = {p.stem for p in (out / "vast_serverless" / "docs").glob("*.md")} - {"index"}
    assert docs == SERVERLESS
    # the models module imports nothing it does not use (ruff F401 over the output)
    ruff_exe = str(Path(sys.executable).parent / "ruff")
    ruff = subprocess.run(
        [ruff_exe, "check", "--no-cache", "--select", "F", str(out)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert ruff.returncode == 0, ruff.stdout[-3000:]


def _operations(cls: type, pkg: Any) -> set[str]:
    """The operation methods of a generated client class (inherited from its tag groups too)."""
    base = set(dir(pkg._runtime.SyncClient)) | set(dir(pkg._runtime.AsyncClient))
    wrappers = {"with_raw_response", "with_streaming_response"}
    return {n for n in dir(cls) if not n.startswith("_") and n not in base} - wrappers
