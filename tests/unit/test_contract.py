"""The runtime contract (`generator/contract.py`) agrees with the runtime it is read from.

The contract reads `templates/runtime/` without importing it; these tests import that runtime
(a fresh copy of the templates, not the committed generated/ package) and check each fact
against the live objects, and that the generator's consumers (errors, reserved names, the
generated methods) follow the contract.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import ROOT, generate_package, import_from

from generator import contract
from generator.build import RESERVED_CLASSES, RESERVED_METHODS
from generator.errors import error_class_name
from generator.model import Constraints

RUNTIME_DIR = ROOT / "templates" / "runtime"


@pytest.fixture(scope="module")
def rt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """`templates/runtime/` as it is now, imported as a package of its own (`_runtime`)."""
    folder = tmp_path_factory.mktemp("contract")
    (folder / "contract_rt").mkdir()
    for name in contract.RUNTIME_FILES:
        shutil.copy(RUNTIME_DIR / name, folder / "contract_rt" / name)
    (folder / "contract_rt" / "__init__.py").write_text("", encoding="utf-8")
    import_from(folder, "contract_rt")
    yield importlib.import_module("contract_rt._runtime")


def _module(rt: ModuleType, name: str) -> ModuleType:
    return sys.modules[rt.__name__.rsplit(".", 1)[0] + "." + name]


def test_runtime_files_are_every_module_of_templates_runtime() -> None:
    on_disk = sorted(p.name for p in RUNTIME_DIR.glob("*.py") if p.name != "__init__.py")
    assert list(contract.RUNTIME_FILES) == on_disk
    assert {"_runtime.py", "_cli_runtime.py", "_errors.py", "_http.py"} <= set(on_disk)
    for name in contract.RUNTIME_FILES:
        assert contract.runtime_text(name) == (RUNTIME_DIR / name).read_text(encoding="utf-8")
    with pytest.raises(KeyError):
        contract.runtime_text("__init__.py")


def test_contract_does_not_import_the_runtime_or_httpx() -> None:
    code = "import sys, generator.contract; print('httpx' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_every_exported_name_exists_in_the_runtime(rt: ModuleType) -> None:
    assert list(rt.__all__) == list(contract.RUNTIME_NAMES)
    assert contract.RUNTIME_NAMES[: len(contract.RUNTIME_EXPORTS)] == contract.RUNTIME_EXPORTS
    for name in contract.RUNTIME_NAMES:
        assert hasattr(rt, name), name
    # what generated code and the CLI runtime import from `_runtime` is among them
    for name in ("Arg", "Op", "Scheme", "Timeout", "Model", "OpenEnum", "SyncClient", "Descriptor"):
        assert name in contract.RUNTIME_NAMES, name
    assert {"UNSET", "ApiError", "RawResponse"} <= set(contract.RUNTIME_EXPORTS)


def test_every_status_maps_to_an_api_status_error_of_the_errors_module(rt: ModuleType) -> None:
    errors = _module(rt, "_errors")
    assert contract.STATUS_ERRORS[429] == "RateLimitError"
    assert contract.STATUS_ERRORS[500] == "InternalServerError"
    for status, name in contract.STATUS_ERRORS.items():
        cls = getattr(errors, name)
        assert issubclass(cls, errors.ApiStatusError) and cls.status == status, name
    for name in contract.ERROR_CLASSES:
        assert issubclass(getattr(errors, name), errors.ApiError), name
    assert set(contract.RUNTIME_NAMES) >= set(contract.ERROR_CLASSES)


def test_error_class_name_is_the_runtime_error_class(rt: ModuleType) -> None:
    for status in range(100, 600):
        assert error_class_name(status) == rt.error_class(status).__name__, status


def _keyword_only(function: Any) -> list[str]:
    params = inspect.signature(function).parameters.values()
    return [p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY]


def test_every_call_option_is_a_parameter_of_the_call_path(rt: ModuleType) -> None:
    assert contract.CALL_OPTIONS == ("extra_headers", "extra_query", "timeout", "max_retries")
    for client in (rt.SyncClient, rt.AsyncClient):
        for method in (client._call, client._call_raw):
            assert _keyword_only(method) == list(contract.CALL_OPTIONS), method
    prepare = list(inspect.signature(rt.BaseClient._prepare).parameters)
    assert set(contract.CALL_OPTIONS) <= set(prepare)
    assert _module(rt, "_http")._SCOPE_NAMES == {"self", *contract.CALL_OPTIONS}


def test_generated_methods_take_every_call_option(vastai_api: ModuleType) -> None:
    method = vastai_api.Client.create_endpoint
    assert _keyword_only(method)[-len(contract.CALL_OPTIONS) :] == list(contract.CALL_OPTIONS)


def test_constraints_are_the_keywords_arg_accepts(rt: ModuleType) -> None:
    fields = [f.name for f in dataclasses.fields(rt.Arg)]
    assert tuple(fields[fields.index("explode") + 1 :]) == contract.CONSTRAINTS
    assert tuple(f.name for f in dataclasses.fields(Constraints)) == contract.CONSTRAINTS
    rt.Arg("x", "x", "query", **dict.fromkeys(contract.CONSTRAINTS))


def test_retry_policy_is_the_runtime_policy(rt: ModuleType) -> None:
    assert contract.RETRY_STATUSES == rt.RETRY_STATUSES == {408, 429, 502, 503, 504}
    assert contract.IDEMPOTENT_METHODS == rt.IDEMPOTENT
    assert "POST" not in contract.IDEMPOTENT_METHODS
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        for status in range(400, 600):
            expected = status in contract.RETRY_STATUSES or (
                status >= 500 and method in contract.IDEMPOTENT_METHODS
            )
            assert rt.should_retry_status(method, status) is expected, (method, status)


def _public(obj: object) -> set[str]:
    return {name for name in dir(obj) if not name.startswith("_")}


def test_reserved_methods_cover_every_public_client_attribute(rt: ModuleType) -> None:
    for client_class in (rt.SyncClient, rt.AsyncClient):
        client = client_class(base_url="http://example.test")
        assert _public(client) <= contract.RESERVED_METHODS, client_class
        assert _public(client) == set(contract.CLIENT_ATTRIBUTES), client_class
        if client_class is rt.SyncClient:
            client.close()
    assert RESERVED_METHODS == contract.RESERVED_METHODS


def test_reserved_methods_cover_the_generated_clients(vastai_api: ModuleType) -> None:
    ops = vars(vastai_api._ops).values()
    operations = {op.name for op in ops if isinstance(op, vastai_api._runtime.Op)}
    assert operations == {"create_endpoint"}
    client = vastai_api.Client(base_url="http://example.test", api_key="k")
    assert _public(client) - operations <= RESERVED_METHODS
    assert _public(vastai_api.AsyncClient) - operations <= RESERVED_METHODS


def test_reserved_classes_cover_what_the_package_binds_beside_models(
    vastai_api: ModuleType,
) -> None:
    models = set(vastai_api.models.__all__)
    assert set(vastai_api.__all__) - models - {"models"} <= RESERVED_CLASSES
    # class names start with a capital (naming.pascal); `annotations`, `dataclasses` cannot clash
    bound = {name for name in vars(vastai_api.models) if name[:1].isupper()}
    assert {"Model", "Unset", "UNSET"} <= bound
    assert bound - models <= RESERVED_CLASSES
    assert RESERVED_CLASSES == contract.RESERVED_CLASSES


RENAMES = """
openapi: 3.0.3
info: {title: Names, version: "1"}
servers: [{url: "http://example.test"}]
paths:
  /close:
    get:
      operationId: close
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/RateLimitError"}
  /scheme:
    get:
      operationId: schemes
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Scheme"}
components:
  schemas:
    RateLimitError:
      type: object
      properties: {n: {type: integer}}
    Scheme:
      type: object
      properties: {n: {type: integer}}
"""


def test_reserved_names_rename_only_what_would_clash(tmp_path: Path) -> None:
    """A model named like a runtime export and a method named like a client attribute get a
    suffix; names the package does not bind at those places (`Scheme`, `schemes`) are kept."""
    pkg, _ = generate_package(tmp_path, RENAMES)
    assert hasattr(pkg.models, "RateLimitError2") and not hasattr(pkg.models, "RateLimitError")
    assert pkg.RateLimitError is pkg._runtime.RateLimitError
    assert hasattr(pkg.models, "Scheme")
    assert callable(pkg.Client.close_2) and callable(pkg.Client.schemes)


def test_client_parameters_are_the_runtime_constructor_keywords(rt: ModuleType) -> None:
    assert _keyword_only(rt.BaseClient.__init__) == list(contract.CLIENT_PARAMETERS)
    assert {"api_key", "base_url", "default_headers", "default_query"} <= set(
        contract.CLIENT_PARAMETERS
    )
    assert {"credentials", "server_variables", "environment"} <= set(contract.CLIENT_PARAMETERS)
