"""The IR built from tiny inline specs; generated packages exercised with MockTransport."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from conftest import generate_package

from generator import pipeline
from generator.build import build_api
from generator.config import Config
from generator.diagnostics import Diagnostic, Severity
from generator.load import SourceMap
from generator.model import (
    AnyType,
    Api,
    Const,
    EnumRef,
    ListOf,
    MapOf,
    ModelRef,
    Nullable,
    Primitive,
    UnionOf,
)


def build(spec: str | dict[str, Any]) -> tuple[Api, list[Diagnostic]]:
    data = yaml.safe_load(textwrap.dedent(spec)) if isinstance(spec, str) else spec
    return build_api(data, SourceMap("x.yaml", ""))


def spec_with(
    schemas: dict[str, Any], paths: dict[str, Any] | None = None, version: str = "3.1.0"
) -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "T", "version": "1"},
        "servers": [{"url": "https://api.test"}],
        "paths": paths or {},
        "components": {"schemas": schemas},
    }


def model(api: Api, name: str) -> Any:
    return next(m for m in api.models if m.name == name)


def fields(api: Api, name: str) -> dict[str, Any]:
    return {f.wire: f for f in model(api, name).fields}


def op(api: Api, name: str) -> Any:
    return next(o for o in api.operations if o.name == name)


def client(pkg: Any, handler: Any, **kwargs: Any) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return pkg.Client(api_key="KEY", base_url="http://api.test", http_client=http, **kwargs)


# -- IR ---------------------------------------------------------------------------------------


def test_types_of_fields() -> None:
    api, diags = build(
        spec_with(
            {
                "Thing": {
                    "type": "object",
                    "required": ["id", "id", "missing"],  # duplicate and undefined entries
                    "properties": {
                        "id": {"type": "integer", "format": "int64"},
                        "name": {"type": ["string", "null"]},
                        "old": {"type": "string", "nullable": True},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "labels": {"type": "object", "additionalProperties": {"type": "integer"}},
                        "kind": {"const": "thing"},
                        "either": {"type": ["string", "integer"]},
                        "blob": {"type": "string", "format": "binary"},
                        "anything": {},
                        "status": {"type": "string", "enum": ["on", "off", None]},
                        "in": {"type": "number", "readOnly": True, "deprecated": True},
                        "$ref": {"type": "string"},
                    },
                }
            }
        )
    )
    f = fields(api, "Thing")
    assert f["id"].type == Primitive("int", "int64") and f["id"].required
    assert f["name"].type == Nullable(Primitive("str"))
    assert f["old"].type == Nullable(Primitive("str"))
    assert f["tags"].type == ListOf(Primitive("str"))
    assert f["labels"].type == MapOf(Primitive("int"))
    assert f["kind"].type == Const("thing")
    assert f["either"].type == UnionOf((Primitive("str"), Primitive("int")))
    assert f["blob"].type == Primitive("bytes", "binary")
    assert f["anything"].type == AnyType()
    assert f["status"].type == Nullable(EnumRef("ThingStatus"))
    assert f["in"].name == "in_" and f["in"].read_only and f["in"].deprecated
    assert f["$ref"].name == "ref"
    enum = next(e for e in api.enums if e.name == "ThingStatus")
    assert [(m.name, m.value) for m in enum.members] == [("ON", "on"), ("OFF", "off")]
    messages = [d.message for d in diags]
    assert any("'missing' is not defined" in m for m in messages)
    assert all(d.severity is Severity.WARNING for d in diags)


def test_field_names_never_collide() -> None:
    api, _ = build(
        spec_with(
            {
                "M": {
                    "type": "object",
                    "properties": {
                        "fooBar": {},
                        "foo_bar": {},
                        "foo-bar": {},
                        "class": {},
                        "Class": {},
                    },
                }
            }
        )
    )
    names = [f.name for f in model(api, "M").fields]
    assert names == ["foo_bar", "foo_bar_2", "foo_bar_3", "class_", "class__2"]
    assert [f.wire for f in model(api, "M").fields] == [
        "fooBar",
        "foo_bar",
        "foo-bar",
        "class",
        "Class",
    ]


def test_class_names_never_collide_with_the_package() -> None:
    api, _ = build(
        spec_with(
            {"Client": {"type": "object", "properties": {"a": {}}}, "client": {"type": "string"}}
        )
    )
    assert [m.name for m in api.models] == ["Client2"]


def test_all_of_with_one_parent_is_a_subclass_and_otherwise_merged() -> None:
    api, _ = build(
        spec_with(
            {
                "Base": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {"id": {"type": "string"}},
                },
                "Child": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Base"},
                        {"properties": {"extra": {"type": "integer"}}},
                    ]
                },
                "Mixin": {"type": "object", "properties": {"m": {"type": "boolean"}}},
                "Both": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Base"},
                        {"$ref": "#/components/schemas/Mixin"},
                    ],
                    "required": ["m"],
                },
            }
        )
    )
    assert model(api, "Child").base == "Base"
    assert list(fields(api, "Child")) == ["extra"]
    both = fields(api, "Both")
    assert model(api, "Both").base is None
    assert set(both) == {"id", "m"} and both["id"].required and both["m"].required


def test_unions_with_and_without_discriminator() -> None:
    api, _ = build(
        spec_with(
            {
                "Cat": {
                    "type": "object",
                    "properties": {"kind": {"type": "string"}, "meow": {"type": "boolean"}},
                },
                "Dog": {
                    "type": "object",
                    "properties": {"kind": {"type": "string"}, "bark": {"type": "boolean"}},
                },
                "Pet": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/Cat"},
                        {"$ref": "#/components/schemas/Dog"},
                    ],
                    "discriminator": {
                        "propertyName": "kind",
                        "mapping": {"cat": "#/components/schemas/Cat"},
                    },
                },
                "Loose": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/Cat"},
                        {"type": "string"},
                        {"type": "null"},
                    ]
                },
            },
            {
                "/pets": {
                    "get": {
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {
                                    "application/json": {
                                        "schema": {"$ref": "#/components/schemas/Pet"}
                                    }
                                },
                            }
                        }
                    }
                }
            },
        )
    )
    response = api.operations[0].responses[0]
    assert response.type == UnionOf((ModelRef("Cat"), ModelRef("Dog")), "kind", (("cat", "Cat"),))
    assert response.status == "200"


def test_recursive_and_mutually_recursive_models() -> None:
    api, diags = build(
        spec_with(
            {
                "Node": {
                    "type": "object",
                    "properties": {
                        "children": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Node"},
                        }
                    },
                },
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
                "Tree": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
            }
        )
    )
    assert fields(api, "Node")["children"].type == ListOf(ModelRef("Node"))
    assert fields(api, "A")["b"].type == ModelRef("B")
    assert fields(api, "B")["a"].type == ModelRef("A")
    assert [d.severity for d in diags] == [Severity.WARNING]  # Tree: no object in between


def test_parameters_bodies_and_responses() -> None:
    api, diags = build("""
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths:
          /items/{item-id}:
            parameters:
              - {name: item-id, in: path, required: true, schema: {type: string}}
            post:
              operationId: updateItem
              parameters:
                - name: tags
                  in: query
                  style: form
                  explode: false
                  schema: {type: array, items: {type: string}}
                - {name: X-Trace, in: header, schema: {type: string}}
                - {name: session, in: cookie, schema: {type: string}}
                - {name: filter, in: query, content: {application/json: {schema: {type: object}}}}
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      required: [in]
                      properties:
                        in: {type: string}
                        id: {type: integer, readOnly: true}
              responses:
                200:
                  description: ok
                  content: {text/plain: {schema: {type: string}}}
                404:
                  description: missing
          /files:
            put:
              requestBody:
                content: {application/octet-stream: {schema: {type: string, format: binary}}}
              responses:
                "2XX":
                  description: ok
                  content: {application/pdf: {}}
        """)
    assert not [d for d in diags if d.severity is Severity.ERROR]
    update = op(api, "update_item")
    by_wire = {p.wire: p for p in update.params}
    assert by_wire["item-id"].name == "item_id" and by_wire["item-id"].location == "path"
    assert (by_wire["tags"].style, by_wire["tags"].explode) == ("form", False)
    assert by_wire["X-Trace"].location == "header" and by_wire["session"].location == "cookie"
    assert by_wire["filter"].type == MapOf(AnyType())
    assert (
        by_wire["in"].name == "in_" and by_wire["in"].location == "body" and by_wire["in"].required
    )
    assert "id" not in by_wire  # readOnly fields are not sent
    assert update.body is not None and update.body.kind == "form" and update.body.flattened
    assert [(r.status, r.kind) for r in update.responses] == [("200", "text"), ("404", "empty")]
    upload = op(api, "put_files")
    assert upload.body is not None and upload.body.kind == "binary"
    assert upload.responses[0].kind == "binary"


def test_servers_security_and_deprecation() -> None:
    api, diags = build("""
        openapi: 3.1.0
        info: {title: T, version: "1"}
        servers: [{url: "https://{region}.api.test/v1", variables: {region: {default: eu}}}]
        security: [{key: []}]
        paths:
          /a:
            servers: [{url: "https://upload.api.test"}]
            get: {deprecated: true, security: [], summary: Get the a}
        components:
          securitySchemes:
            key: {type: apiKey, in: query, name: api_key}
            basic: {type: http, scheme: basic}
            bearer: {type: http, scheme: bearer}
            oauth: {type: oauth2, flows: {}}
            oidc: {type: openIdConnect, openIdConnectUrl: "https://x"}
            cookie: {type: apiKey, in: cookie, name: sid}
            odd: {type: mutualTLS}
        """)
    assert api.servers == ("https://eu.api.test/v1",)
    (a,) = api.operations
    assert a.servers == ("https://upload.api.test",) and a.deprecated and a.security == ()
    assert a.name == "get_the_a" and a.cli_words == ("get", "the", "a")
    kinds = {s.key: (s.kind, s.location, s.wire) for s in api.security_schemes}
    assert kinds["key"] == ("api_key", "query", "api_key")
    assert (
        kinds["basic"][0] == "basic"
        and kinds["bearer"][0] == "bearer"
        and kinds["oauth"][0] == "bearer"
    )
    assert kinds["cookie"] == ("api_key", "cookie", "sid")
    assert "odd" not in kinds and any("mutualTLS" in d.message for d in diags)


def test_cli_words_precedence_and_uniqueness() -> None:
    def operation(**extra: Any) -> dict[str, Any]:
        return {"responses": {"204": {"description": "done"}}, **extra}

    api, _ = build(
        spec_with(
            {},
            {
                "/a": {
                    "get": operation(**{"x-cli-name": "list things", "operationId": "ignored"}),
                    "post": operation(
                        description="CLI Usage: `tool make thing <id>`", operationId="ignored2"
                    ),
                    "put": operation(operationId="replaceThing"),
                    "patch": operation(summary="Patch the thing"),
                    "delete": operation(),
                },
                "/b/{id}": {"get": operation(description="CLI Usage: `tool make thing`")},
            },
        )
    )
    assert [o.cli_words for o in api.operations] == [
        ("list", "things"),
        ("replace", "thing"),
        ("make", "thing"),
        ("delete", "a"),
        ("patch", "the", "thing"),
        ("make", "thing-2"),
    ]
    # methods are named after the operationId, else the CLI words as given (issue 12): the
    # CLI's `thing-2` leaves the method alone
    assert [o.name for o in api.operations] == [
        "ignored",
        "replace_thing",
        "ignored2",
        "delete_a",
        "patch_the_thing",
        "make_thing",
    ]


def test_external_files_are_bundled(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "pet.yaml").write_text(textwrap.dedent("""
            type: object
            properties:
              name: {type: string}
              owner: {$ref: 'owner.yaml'}
              links: {$ref: '#/page_links'}
            page_links:
              type: object
              properties: {next: {type: string}}
            """))
    (tmp_path / "models" / "owner.yaml").write_text(
        "type: object\nproperties:\n  pets: {type: array, items: {$ref: 'pet.yaml'}}\n"
    )
    (tmp_path / "openapi.yaml").write_text(textwrap.dedent("""
            openapi: 3.0.3
            info: {title: T, version: "1"}
            paths:
              /pets:
                get:
                  x-codeSamples: [{lang: C, source: {$ref: 'missing/file.c'}}]
                  responses:
                    "200":
                      description: ok
                      content:
                        application/json: {schema: {$ref: 'models/pet.yaml'}}
            components:
              schemas:
                Pet: {$ref: 'models/pet.yaml'}
            """))
    result = pipeline.generate(tmp_path / "openapi.yaml", Config(package="bundled"))
    api = result.api
    assert {m.name for m in api.models} == {"Pet", "Owner", "PageLinks"}
    assert api.operations[0].responses[0].type == ModelRef("Pet")
    pet = {f.wire: f.type for f in model(api, "Pet").fields}
    assert pet == {
        "name": Primitive("str"),
        "owner": ModelRef("Owner"),
        "links": ModelRef("PageLinks"),
    }
    assert {f.wire: f.type for f in model(api, "Owner").fields} == {"pets": ListOf(ModelRef("Pet"))}


# -- behaviour --------------------------------------------------------------------------------

BEHAVIOUR_SPEC = """
openapi: 3.1.0
info: {title: Behaviour, version: "1.0"}
servers: [{url: "https://api.test"}]
paths:
  /items/{name}:
    get:
      operationId: getItem
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
        - {name: ids, in: query, explode: false, schema: {type: array, items: {type: integer}}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Node"}
  /search:
    post:
      description: "CLI Usage: `tool search things [options]`"
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [in]
              properties:
                in: {type: string}
                limit: {type: integer, default: 10}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                oneOf:
                  - {$ref: "#/components/schemas/Node"}
                  - {type: string}
  /report:
    get:
      responses:
        "200":
          description: ok
          content: {text/csv: {schema: {type: string}}}
components:
  schemas:
    Node:
      type: object
      required: [label]
      properties:
        label: {type: string}
        kind: {type: string, enum: [leaf, branch]}
        children: {type: array, items: {$ref: "#/components/schemas/Node"}}
        note: {type: ["string", "null"]}
"""


@pytest.fixture(scope="module")
def behaviour(tmp_path_factory: pytest.TempPathFactory) -> Any:
    pkg, _ = generate_package(tmp_path_factory.mktemp("behaviour"), BEHAVIOUR_SPEC)
    return pkg


def test_query_arrays_path_encoding_and_headers(behaviour: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"label": "root"})

    with client(behaviour, handler) as c:
        c.get_item(name="a b/c?d", tags=["x", "y"], ids=[1, 2], x_trace="t-1")
    (request,) = seen
    assert request.url.raw_path.decode().startswith("/items/a%20b%2Fc%3Fd?")
    assert request.url.params.get_list("tags") == ["x", "y"]
    assert request.url.params.get_list("ids") == ["1,2"]
    assert request.headers["X-Trace"] == "t-1"


def test_recursive_model_round_trip(behaviour: Any) -> None:
    data = {
        "label": "root",
        "kind": "branch",
        "note": None,
        "children": [
            {"label": "leaf", "kind": "leaf", "children": []},
            {"label": "x", "kind": "mystery"},
        ],
        "extra": 1,
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=data)

    with client(behaviour, handler) as c:
        node = c.get_item(name="root")
    assert isinstance(node, behaviour.Node) and isinstance(node.children[0], behaviour.Node)
    assert node.kind is behaviour.NodeKind.BRANCH
    assert node.children[1].kind.value == "mystery"  # open enum: unknown values tolerated
    assert node.note is None and node.children[0].note is behaviour.UNSET
    assert node.additional_properties == {"extra": 1}
    assert node.to_dict() == data
    assert behaviour.Node.from_dict(data) == node


def test_field_named_in_is_sent_as_in(behaviour: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json="plain")

    with client(behaviour, handler) as c:
        result = c.search_things(in_="gpu")
    assert json.loads(seen[0].content) == {"in": "gpu"}
    assert result == "plain"


def test_one_of_union_decodes_by_shape(behaviour: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"label": "n"})

    with client(behaviour, handler) as c:
        result = c.search_things(in_="x", limit=3)
    assert result == behaviour.Node(label="n")


def test_text_response(behaviour: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="a,b\n1,2\n", headers={"content-type": "text/csv"})

    with client(behaviour, handler) as c:
        assert c.get_report() == "a,b\n1,2\n"


def test_cli_uses_the_usage_words(behaviour: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from importlib import import_module

    cli = import_module(behaviour.__name__ + "._cli")
    assert cli.main(["search", "things", "--help"]) == 0
    assert "--in" in capsys.readouterr().out
