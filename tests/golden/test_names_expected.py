"""Names users expect (issue 12, item 5).

- A Python method name comes from the operation (its operationId, else its CLI words) and never
  carries a `_2` that a clash among *CLI* words caused: the CLI disambiguates its own commands.
- Model attributes (and method parameters) keep the wire name when it is a valid identifier and
  not a keyword: `customer.id`, `event.type`, `obj.object`; a name that would clash with the
  runtime `Model`'s own attributes is still renamed, and so is a builtin-named field that would
  hide that builtin from a later annotation of the same class (mypy reads class scope).
- FastAPI's default operationIds (`read_flow_runs_flow_runs_filter_post`) lose their path and
  method tail where the shorter name stays unique.
- Every name that has to change is reported as a warning naming both places.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import generate_package

from generator import contract, naming
from generator.build import build_api
from generator.diagnostics import Diagnostic
from generator.load import SourceMap, load
from generator.model import Api
from generator.resolve import resolve

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "specs" / "corpus"


def build(spec: str | dict[str, Any]) -> tuple[Api, list[Diagnostic]]:
    data = yaml.safe_load(textwrap.dedent(spec)) if isinstance(spec, str) else spec
    return build_api(data, SourceMap("x.yaml", ""))


def ops(api: Api) -> dict[str, Any]:
    return {o.pointer: o for o in api.operations}


def fields(api: Api, model: str) -> dict[str, str]:
    """wire name -> attribute name of one model."""
    return {f.wire: f.name for f in next(m for m in api.models if m.name == model).fields}


def warnings(found: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in found if d.severity == "warning"]


# -- method names ----------------------------------------------------------------------------
COLLECTIONS = """
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /collections/{id}:
    get:
      operationId: getCollection
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
  /collections/{id}/items:
    get:
      operationId: getCollectionItems
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
  /things:
    get:
      operationId: listThings
      x-cli-name: things list
      responses: {"200": {description: ok}}
    post:
      operationId: createThing
      x-cli-name: things list
      responses: {"200": {description: ok}}
"""


def test_a_cli_clash_does_not_suffix_the_method_name() -> None:
    api, found = build(COLLECTIONS)
    by_ptr = ops(api)
    coll = by_ptr["#/paths/~1collections~1{id}/get"]
    items = by_ptr["#/paths/~1collections~1{id}~1items/get"]
    # the command `get collection <id>` is the start of `get collection items`: the CLI has to
    # tell them apart, the Python method does not
    assert coll.name == "get_collection"
    assert coll.cli_words == ("get", "collection-2")
    assert items.name == "get_collection_items"
    assert items.cli_words == ("get", "collection", "items")
    # two operations with the same x-cli-name: two commands, two method names of their own
    listed = by_ptr["#/paths/~1things/get"]
    created = by_ptr["#/paths/~1things/post"]
    assert (listed.name, created.name) == ("list_things", "create_thing")
    assert listed.cli_words == ("things", "list")
    assert created.cli_words == ("things", "list-2")
    # each renamed command is reported, naming both operations
    messages = [d for d in warnings(found) if "command" in d.message]
    assert len(messages) == 2, [d.message for d in found]
    renamed = next(d for d in messages if d.pointer.startswith("#/paths/~1collections~1{id}/get"))
    assert "#/paths/~1collections~1{id}~1items/get" in renamed.message
    assert "collection-2" in renamed.message
    twin = next(d for d in messages if d.pointer.startswith("#/paths/~1things/post"))
    assert "#/paths/~1things/get" in twin.message


def test_without_an_operation_id_the_method_follows_the_cli_words() -> None:
    api, _ = build(
        """
        openapi: 3.1.0
        info: {title: T, version: "1"}
        paths:
          /a/{id}:
            get:
              description: "CLI Usage: `tool show thing ID`"
              parameters: [{name: id, in: path, required: true, schema: {type: string}}]
              responses: {"200": {description: ok}}
          /a/{id}/logs:
            get:
              description: "CLI Usage: `tool show thing logs ID`"
              parameters: [{name: id, in: path, required: true, schema: {type: string}}]
              responses: {"200": {description: ok}}
        """
    )
    names = {o.cli_words: o.name for o in api.operations}
    assert names == {
        ("show", "thing-2"): "show_thing",
        ("show", "thing", "logs"): "show_thing_logs",
    }


def test_a_method_name_that_must_change_is_reported_with_both_places() -> None:
    api, found = build(
        """
        openapi: 3.1.0
        info: {title: T, version: "1"}
        paths:
          /a:
            get:
              operationId: fetch_a
              responses: {"200": {description: ok}}
          /b:
            get:
              operationId: fetchA
              responses: {"200": {description: ok}}
        """
    )
    assert [o.name for o in api.operations] == ["fetch_a", "fetch_a_2"]
    [renamed] = [d for d in warnings(found) if "fetch_a_2" in d.message]
    assert renamed.pointer == "#/paths/~1b/get/operationId"
    assert "#/paths/~1a/get" in renamed.message


def _built(path: Path) -> tuple[Api, list[Diagnostic]]:
    loaded = load(path, max_bytes=10**9)
    return build_api(resolve(loaded.data, path, loaded.source), loaded.source)


@pytest.mark.parametrize(
    "spec", ["openai/openapi.yaml", "stripe/spec3.yaml"], ids=["openai", "stripe"]
)
def test_corpus_methods_carry_no_suffix_from_cli_clashes(spec: str) -> None:
    path = CORPUS / spec
    if not path.exists():
        pytest.skip(f"{path} is not here")
    api, _ = _built(path)
    suffixed = [
        (o.name, o.operation_id)
        for o in api.operations
        if re.search(r"_\d+$", o.name) and not re.search(r"\d$", o.operation_id or "")
    ]
    assert suffixed == []
    for o in api.operations:  # every method is named after its operationId
        assert o.operation_id is not None
        assert o.name == naming.snake(o.operation_id, fallback="call")
    assert len({o.cli_words for o in api.operations}) == len(api.operations)


# -- FastAPI operationIds ----------------------------------------------------------------------
FASTAPI = {
    "openapi": "3.1.0",
    "info": {"title": "Flows", "version": "1"},
    "paths": {
        "/flow_runs/filter": {
            "post": {
                "operationId": "read_flow_runs_flow_runs_filter_post",
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/flow_runs/{id}": {
            "get": {
                "operationId": "read_flow_run_flow_runs__id__get",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "ok"}},
            },
            "delete": {
                "operationId": "delete_flow_run_flow_runs__id__delete",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"204": {"description": "gone"}},
            },
        },
        "/items/{item_id}": {
            "get": {
                "operationId": "read_item_items__item_id__get",
                "parameters": [
                    {
                        "name": "item_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/v2/items/{item_id}": {
            "get": {
                "operationId": "read_item_v2_items__item_id__get",
                "parameters": [
                    {
                        "name": "item_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/": {"get": {"operationId": "root__get", "responses": {"200": {"description": "ok"}}}},
        "/health": {
            "get": {
                "operationId": "health_check_health_get",
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/health_check": {
            "get": {"operationId": "health_check", "responses": {"200": {"description": "ok"}}}
        },
    },
}


def test_fastapi_operation_ids_lose_their_path_and_method_tail() -> None:
    api, _ = build(FASTAPI)
    got = {o.operation_id: (o.name, " ".join(o.cli_words)) for o in api.operations}
    assert got["read_flow_runs_flow_runs_filter_post"] == ("read_flow_runs", "read flow runs")
    assert got["read_flow_run_flow_runs__id__get"] == ("read_flow_run", "read flow run")
    assert got["delete_flow_run_flow_runs__id__delete"] == ("delete_flow_run", "delete flow run")
    assert got["root__get"] == ("root", "root")
    # two functions named `read_item`: the shorter name would not be unique, both keep theirs
    assert got["read_item_items__item_id__get"][0] == "read_item_items_item_id_get"
    assert got["read_item_v2_items__item_id__get"][0] == "read_item_v2_items_item_id_get"
    # `health_check` is another operation's own operationId: the tail stays
    assert got["health_check_health_get"][0] == "health_check_health_get"
    assert got["health_check"][0] == "health_check"


def test_fastapi_stem() -> None:
    assert naming.fastapi_stem(
        "read_flow_runs_flow_runs_filter_post", "post", "/flow_runs/filter"
    ) == ("read_flow_runs")
    assert naming.fastapi_stem("get_user_users__user_id__get", "GET", "/users/{user_id}") == (
        "get_user"
    )
    assert naming.fastapi_stem("getUser", "get", "/users/{user_id}") is None
    assert naming.fastapi_stem("_users_get", "get", "/users") is None  # nothing would be left


# -- model attributes and parameters -------------------------------------------------------------
MODELS = """
openapi: 3.1.0
info: {title: Names, version: "1"}
servers: [{url: "http://127.0.0.1:1"}]
paths:
  /customers/{id}:
    post:
      operationId: updateCustomer
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: type, in: query, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Customer"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Event"}
components:
  schemas:
    Customer:
      type: object
      required: [name]
      properties:
        name: {type: string}
        object: {type: string}
        email: {type: string}
    Event:
      type: object
      required: [id, type]
      properties:
        id: {type: string}
        type: {type: string}
        object: {type: string, const: event}
        class: {type: string}
        to_dict: {type: string}
        additional_properties: {type: integer}
        list: {type: array, items: {type: integer}}
        data: {type: array, items: {type: string}}
        str: {type: string}
        int: {type: integer}
        float: {type: number}
        count: {type: integer}
        dict: {type: object, additionalProperties: {type: integer}}
        bool: {type: boolean}
        format: {type: string}
        print: {type: string}
        "@type": {type: string}
        uuid: {type: string, format: uuid}
        date: {type: string, format: date}
        other_uuid: {type: string, format: uuid}
        created: {type: string, format: date-time}
"""


def test_attributes_keep_their_wire_names() -> None:
    api, found = build(MODELS)
    names = fields(api, "Event")
    assert names["id"] == "id"
    assert names["type"] == "type"
    assert names["object"] == "object"
    assert names["format"] == "format"
    assert names["print"] == "print"
    assert names["bool"] == "bool"  # no annotation after it says `bool`
    assert names["float"] == "float"
    # a standard library type's module is imported under another name where a field hides it
    assert (names["uuid"], names["date"]) == ("uuid", "date")
    assert fields(api, "Customer")["object"] == "object"
    # still renamed: a keyword, the runtime Model's own attributes
    assert names["class"] == "class_"
    assert names["to_dict"] == "to_dict_"
    assert names["additional_properties"] == "additional_properties_"
    # builtins a later annotation of the class uses: `list[str]` after `list`, `int` after
    # `int`, `dict[...]` and `str` in the class's own ClassVars
    assert names["list"] == "list_"
    assert names["int"] == "int_"
    assert names["str"] == "str_"
    assert names["dict"] == "dict_"
    # a clash between two wire names: the second is renamed, both are named in the warning
    assert names["@type"] == "type_2"
    msgs = [d.message for d in warnings(found)]
    for wire in ("class", "to_dict", "additional_properties", "list", "int", "str", "dict"):
        [d] = [d for d in warnings(found) if d.pointer.endswith(f"/Event/properties/{wire}")]
        assert f"{wire}_" in d.message
    [clash] = [d for d in warnings(found) if d.pointer.endswith("/properties/@type")]
    assert "#/components/schemas/Event/properties/type" in clash.message, msgs


def test_parameters_keep_their_wire_names() -> None:
    api, _ = build(MODELS)
    [update] = api.operations
    assert [p.name for p in update.params] == ["id", "type", "name", "object", "email"]


def test_reserved_names_come_from_the_runtime_model() -> None:
    assert {"to_dict", "from_dict", "additional_properties"} <= set(contract.MODEL_ATTRIBUTES)
    for name in contract.MODEL_ATTRIBUTES:
        assert naming.attribute(name) == name + "_"
    for name in ("id", "type", "object", "list", "str", "match", "print"):
        assert naming.attribute(name) == name
        assert naming.parameter(name) == name
    for name in ("class", "from", "self", "timeout", "extra_headers", "locals", "ops"):
        assert naming.parameter(name) == name + "_"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    module, out = generate_package(tmp_path_factory.mktemp("names"), MODELS)
    return module, out / module.__name__


def test_generated_models_pass_mypy_strict_and_ruff(package: tuple[Any, Path]) -> None:
    module, folder = package
    bin_dir = Path(sys.executable).parent
    # the modules rendered from the spec (the runtime's are copied verbatim, and checked as such)
    rendered = sorted(
        f"{module.__name__}/{p.name}"
        for p in folder.glob("*.py")
        if p.name not in contract.RUNTIME_FILES
    )
    linted = subprocess.run(
        [str(bin_dir / "ruff"), "check", "--isolated", "--select", "F,I,E,W,B,UP", *rendered],
        capture_output=True,
        text=True,
        cwd=folder.parent,
    )
    assert linted.returncode == 0, linted.stdout
    checked = subprocess.run(
        [str(bin_dir / "mypy"), "--strict", "--python-version", "3.10", module.__name__],
        capture_output=True,
        text=True,
        cwd=folder.parent,
        timeout=600,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


class _Echo(BaseHTTPRequestHandler):
    """Answers every POST with an Event built from what it received (parsed as JSON)."""

    received: list[tuple[str, dict[str, Any]]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self.received.append((self.path, body))
        answer = {
            "id": self.path.split("?")[0].rsplit("/", 1)[-1],
            "type": "customer.updated",
            "object": "event",
            "class": "gold",
            "to_dict": "kept",
            "list": [1, 2],
            "str": "s",
            "@type": "at",
        }
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_wire_names_round_trip_against_a_server(package: tuple[Any, Path], server: str) -> None:
    module, _ = package
    _Echo.received.clear()
    with module.Client(base_url=server) as client:
        event = client.update_customer(id="cus_1", type="gold", name="Ada", object="customer")
    [(path, body)] = _Echo.received
    assert path == "/customers/cus_1?type=gold"
    assert body == {"name": "Ada", "object": "customer"}
    assert (event.id, event.type, event.object) == ("cus_1", "customer.updated", "event")
    assert event.class_ == "gold"
    assert event.to_dict_ == "kept"
    assert event.list_ == [1, 2]
    assert event.str_ == "s"
    assert event.type_2 == "at"
    assert event.additional_properties == {}
    assert event.to_dict()["type"] == "customer.updated"
    assert event.to_dict()["@type"] == "at"
    customer = module.models.Customer(name="Ada", object="customer")
    assert customer.to_dict() == {"name": "Ada", "object": "customer"}


def test_the_fastapi_applications_own_spec_gives_short_names() -> None:
    pytest.importorskip("fastapi")
    from fastapi_app import make_app

    app, _ = make_app()
    api, found = build(app.openapi())
    names = {o.operation_id: o.name for o in api.operations}
    assert names["list_tasks_tasks_get"] == "list_tasks"
    assert names["read_task_tasks__task_id__get"] == "read_task"
    assert names["create_task_tasks_post"] == "create_task"
    words = {o.operation_id: " ".join(o.cli_words) for o in api.operations}
    assert words["read_task_tasks__task_id__get"] == "read task"
    assert not [d for d in found if "method name" in d.message or "command" in d.message]
