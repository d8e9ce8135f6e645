"""oagen's memoized validator finds what openapi-spec-validator's stock class finds.

`validate_memo` runs each check once per distinct value and replays its errors elsewhere; these
tests hold its findings (messages, order, paths, the exception it stops with) to the stock
class's on documents with errors of every kind, placed by hand and at random, in 3.0 and 3.1,
and on documents whose broken parts repeat (where findings are replayed); and the memoizing
jsonschema class to jsonschema's own where resolution depends on the way in (embedded `$id`s,
relative references, dynamic anchors). The corpus and the large specs are compared in
tests/e2e/test_validator_twins.py.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from validator_twin import twin_findings

from generator import validate
from generator.validate_memo import Memo, Shapes

VERSIONS = ("3.0", "3.1")


def base(version: str) -> dict[str, Any]:
    """A small valid document whose parts repeat (shared `$ref` targets, equal inline schemas)."""
    integer = {"type": "integer"}
    item_ref = {"$ref": "#/components/schemas/Item"}
    json_item = {"application/json": {"schema": dict(item_ref)}}
    return {
        "openapi": "3.1.0" if version == "3.1" else "3.0.3",
        "info": {"title": "t", "version": "1"},
        "tags": [{"name": "items"}, {"name": "users"}],
        "paths": {
            "/items/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": dict(integer)}
                ],
                "get": {
                    "operationId": "getItem",
                    "tags": ["items"],
                    "responses": {
                        "200": {"description": "ok", "content": copy.deepcopy(json_item)},
                        "default": {"$ref": "#/components/responses/Error"},
                    },
                },
                "put": {
                    "operationId": "putItem",
                    "requestBody": {"content": copy.deepcopy(json_item)},
                    "responses": {"204": {"description": "done"}},
                },
            },
            "/items": {
                "get": {
                    "operationId": "listItems",
                    "parameters": [
                        {"$ref": "#/components/parameters/Limit"},
                        {"name": "q", "in": "query", "schema": {"type": "string", "default": "x"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": dict(item_ref)}
                                }
                            },
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Item": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": dict(integer),
                        "name": {"type": "string", "maxLength": 10},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "owner": {"$ref": "#/components/schemas/User"},
                    },
                },
                "User": {
                    "type": "object",
                    "properties": {"id": dict(integer), "name": {"type": "string"}},
                },
                "Both": {
                    "allOf": [
                        dict(item_ref),
                        {
                            "type": "object",
                            "required": ["extra"],
                            "properties": {"extra": {"type": "string", "default": "e"}},
                        },
                    ]
                },
                "Either": {
                    "oneOf": [dict(item_ref), {"$ref": "#/components/schemas/User"}],
                    "discriminator": {"propertyName": "kind"},
                },
            },
            "parameters": {
                "Limit": {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "default": 10},
                }
            },
            "responses": {
                "Error": {
                    "description": "error",
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"message": {"type": "string"}}}
                        }
                    },
                }
            },
        },
    }


def at(doc: dict[str, Any], *path: Any) -> Any:
    for key in path:
        doc = doc[key]
    return doc


SCHEMAS = ("components", "schemas")
ITEM = (*SCHEMAS, "Item")
GET = ("paths", "/items/{id}", "get")
LIST = ("paths", "/items", "get")
Edit = Callable[[dict[str, Any]], None]

# One edit per kind of error: the validator (the JSON Schema check, its own walkers, or both)
# must report each, and oagen's class exactly as the stock class.
EDITS: dict[str, Edit] = {
    "info is a number": lambda d: d.__setitem__("info", 5),
    "no info": lambda d: d.pop("info"),
    "no responses": lambda d: at(d, *GET).pop("responses"),
    "response without description": lambda d: at(d, *GET, "responses", "200").pop("description"),
    "responses is a list": lambda d: at(d, *GET).__setitem__("responses", []),
    "dangling schema $ref": lambda d: at(d, *ITEM, "properties", "owner").__setitem__(
        "$ref", "#/components/schemas/Nope"
    ),
    "dangling parameter $ref": lambda d: at(d, *LIST, "parameters", 0).__setitem__(
        "$ref", "#/components/parameters/Nope"
    ),
    "$ref is a number": lambda d: at(d, *ITEM, "properties", "owner").__setitem__("$ref", 5),
    "$ref to a non-schema": lambda d: at(d, *ITEM, "properties", "owner").__setitem__(
        "$ref", "#/tags"
    ),
    "duplicate operationId": lambda d: at(d, *LIST).__setitem__("operationId", "getItem"),
    "parameter in nowhere": lambda d: at(d, "paths", "/items/{id}", "parameters", 0).__setitem__(
        "in", "nowhere"
    ),
    "parameter without name": lambda d: at(d, *LIST, "parameters", 1).pop("name"),
    "duplicate parameter": lambda d: at(d, *LIST, "parameters").append(
        copy.deepcopy(at(d, *LIST, "parameters", 1))
    ),
    "path parameter not in the path": lambda d: at(d, *LIST, "parameters").append(
        {"name": "gone", "in": "path", "required": True, "schema": {"type": "string"}}
    ),
    "path parameter undeclared": lambda d: at(d, "paths").__setitem__(
        "/users/{uid}", {"get": {"responses": {"200": {"description": "ok"}}}}
    ),
    "duplicate tag": lambda d: at(d, "tags").append({"name": "items"}),
    "unknown type": lambda d: at(d, *ITEM, "properties", "id").__setitem__("type", "integr"),
    "required is a string": lambda d: at(d, *ITEM).__setitem__("required", "id"),
    "required names no property": lambda d: at(d, *SCHEMAS, "Both").__setitem__(
        "required", ["extra", "ghost"]
    ),
    "properties is a list": lambda d: at(d, *SCHEMAS, "User").__setitem__("properties", []),
    "minimum is a string": lambda d: at(d, *ITEM, "properties", "id").__setitem__("minimum", "a"),
    "maxLength is negative": lambda d: at(d, *ITEM, "properties", "name").__setitem__(
        "maxLength", -1
    ),
    "additionalProperties is a number": lambda d: at(d, *ITEM).__setitem__(
        "additionalProperties", 3
    ),
    "items is a number": lambda d: at(d, *ITEM, "properties", "tags").__setitem__("items", 5),
    "default of the wrong type": lambda d: at(d, *LIST, "parameters", 1, "schema").__setitem__(
        "default", 7
    ),
    "default outside its bounds": lambda d: at(
        d, "components", "parameters", "Limit", "schema"
    ).__setitem__("default", 0),
    "enum is empty": lambda d: at(d, *ITEM, "properties", "name").__setitem__("enum", []),
    "pattern does not compile": lambda d: at(d, *ITEM, "properties", "name").__setitem__(
        "pattern", "(["
    ),
    "nullable is a string": lambda d: at(d, *ITEM).__setitem__("nullable", "yes"),
    "exclusiveMinimum is a boolean": lambda d: at(d, *ITEM, "properties", "id").__setitem__(
        "exclusiveMinimum", True
    ),
    "unknown $schema dialect": lambda d: at(d, *SCHEMAS, "User").__setitem__("$schema", "urn:x"),
    "schema is a number": lambda d: at(d, *SCHEMAS).__setitem__("Bad", 5),
    "a 2020-12 $schema and a bad type": lambda d: at(d, *SCHEMAS).__setitem__(
        "Other", {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "integr"}
    ),
    "the OAS dialect's $schema and a bad type": lambda d: at(d, *SCHEMAS).__setitem__(
        "Oas",
        {"$schema": "https://spec.openapis.org/oas/3.1/dialect/base", "type": "integr"},
    ),
    "the same broken schema in many places": lambda d: [
        at(d, *SCHEMAS).__setitem__(
            f"Copy{i}", {"type": "object", "properties": {"n": {"type": "integr", "default": "x"}}}
        )
        for i in range(4)
    ],
}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("kind", sorted(EDITS))
def test_each_kind_of_error_is_found_as_the_stock_class_finds_it(kind: str, version: str) -> None:
    doc = base(version)
    EDITS[kind](doc)
    ours, stock = twin_findings(doc, version)
    assert ours == stock
    assert stock[0] or stock[1] or kind in _NOT_AN_ERROR[version], "the edit must be an error"


# edits the validator accepts in one of the versions (their findings are still compared)
_NOT_AN_ERROR = {
    "3.0": {"exclusiveMinimum is a boolean", "unknown $schema dialect"},  # $schema: ignored
    "3.1": {"nullable is a string", "enum is empty", "no responses"},
}


def test_a_valid_document_is_valid_for_both() -> None:
    for version in VERSIONS:
        assert twin_findings(base(version), version)[1] == ([], None)


def test_findings_in_repeated_parts_are_replayed_at_each_place() -> None:
    """Equal broken subtrees are checked once and their findings reported at every place."""
    doc = base("3.0")
    broken = {"description": "ok", "content": {"application/json": {"schema": {"type": 5}}}}
    for op in ("get", "put"):
        at(doc, "paths", "/items/{id}", op, "responses")["400"] = copy.deepcopy(broken)
    at(doc, *LIST, "responses")["400"] = copy.deepcopy(broken)
    ours, stock = twin_findings(doc, "3.0")
    assert ours == stock
    places = {path[:4] for _, path in stock[0] if path[:1] == ("paths",)}
    assert len(places) == 3  # one per operation, although the check ran once


def _containers(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every mapping and list in `node`."""
    found = [path]
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        if isinstance(value, (dict, list)):
            found.extend(_containers(value, (*path, key)))
    return found


BAD_VALUES = (5, -1, "x", "integr", "#/nowhere", "([", [], {}, None, True, 1.5, ["a", "a"])
BAD_REFS = ("#/components/schemas/Nope", "#/info", "#/paths", "#/components/schemas/Item/x", 7)
SCHEMA_KEYWORDS = (
    "type",
    "required",
    "properties",
    "items",
    "minimum",
    "maxLength",
    "enum",
    "default",
    "format",
    "pattern",
    "nullable",
    "additionalProperties",
    "allOf",
    "oneOf",
    "exclusiveMaximum",
    "discriminator",
)


@st.composite
def broken(draw: st.DrawFn, version: str) -> dict[str, Any]:
    """`base(version)` with one to four edits at random places: a value replaced, a member
    removed, a `$ref` retargeted, a schema keyword given a bad value, a subtree copied over
    another (so that broken parts repeat)."""
    doc = base(version)
    for _ in range(draw(st.integers(1, 4))):
        places = _containers(doc)
        path = draw(st.sampled_from(places))
        node = at(doc, *path)
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        kind = draw(st.sampled_from(("replace", "remove", "ref", "keyword", "copy")))
        if not keys or kind == "keyword":
            if isinstance(node, dict):
                node[draw(st.sampled_from(SCHEMA_KEYWORDS))] = draw(st.sampled_from(BAD_VALUES))
            continue
        key = draw(st.sampled_from(keys))
        if kind == "replace":
            node[key] = copy.deepcopy(draw(st.sampled_from(BAD_VALUES)))
        elif kind == "remove":
            del node[key]
        elif kind == "ref":
            node[key] = {"$ref": draw(st.sampled_from(BAD_REFS))}
        else:
            node[key] = copy.deepcopy(at(doc, *draw(st.sampled_from(places))))
    return doc


@pytest.mark.parametrize("version", VERSIONS)
@settings(max_examples=40, database=None)
@given(data=st.data())
def test_random_errors_are_found_as_the_stock_class_finds_them(
    version: str, data: st.DataObject
) -> None:
    doc = data.draw(broken(version))
    ours, stock = twin_findings(doc, version)
    assert ours == stock


def test_shapes_tell_apart_what_json_schema_tells_apart() -> None:
    shapes = Shapes()
    same = [{"a": 1, "b": [1, "x"]}, {"a": 1, "b": [1, "x"]}]
    assert shapes.of(same[0]) == shapes.of(same[1])
    different = [
        {"a": 1},
        {"a": 1.0},
        {"a": True},
        {"a": "1"},
        {"a": None},
        {1: "a"},
        {True: "a"},
        {"b": 1, "a": 2},
        {"a": 2, "b": 1},
        [1],
        {"0": 1},
        [[1]],
        [1, 1],
    ]
    assert len({shapes.of(value) for value in different}) == len(different)
    assert shapes.of({"a": {1, 2}}) is None  # a set (YAML !!set) is never memoized
    assert shapes.of("x") != shapes.of(["x"])


def test_each_run_memoizes_and_the_document_check_is_memoized() -> None:
    """The fast path is in use: the document check's class memoizes `$ref`s, and a document
    with repeated parts is checked with fewer `$ref` runs than it has `$ref` uses."""
    doc = base("3.0")
    validator = validate.spec_validator("3.0")(doc)
    memo = validator.keyword_validators_registry.oagen_memo
    assert isinstance(memo, Memo)
    assert list(validator.iter_errors()) == []
    assert 0 < len(memo._found) and len(memo.shapes._ids) > 0
    again = validate.spec_validator("3.0")(copy.deepcopy(doc))
    assert again.keyword_validators_registry.oagen_memo is not memo  # one memo per run


def _nested(depth: int, version: str, leaf: dict[str, Any]) -> dict[str, Any]:
    schema = leaf
    for _ in range(depth):
        schema = {"type": "object", "properties": {"p": schema}}
    doc = base(version)
    at(doc, *SCHEMAS)["Deep"] = schema
    return doc


@pytest.mark.parametrize("version", VERSIONS)
def test_deep_documents_stop_where_the_stock_class_stops(version: str) -> None:
    """The memo adds a frame per `$ref`, so the memoized class runs out of stack on documents
    the stock class still validates; there the class without the memo decides. At each depth,
    oagen reports what the stock class reports: its findings, or that it stopped."""
    from validator_twin import run, stock_class

    verdicts = set()
    for depth in range(30, 131, 10):
        doc = _nested(depth, version, {"type": "integr"})
        stock_errors, stopped = run(stock_class(version), copy.deepcopy(doc))
        found = validate.findings(copy.deepcopy(doc), version)
        stuck = stopped is not None and stopped.startswith("RecursionError")
        verdicts.add(stuck)
        expected = [validate._shorten(m) for m, _ in stock_errors]
        if stuck:
            expected.append("validator stopped: the document nests too deeply or a $ref loops")
        assert [m for m, _, _ in found] == expected, depth
    assert verdicts == {True, False}  # the depths cross the stock class's limit


# The memoizing class against jsonschema's own, on schemas where a subschema's resolver, a
# `$ref`'s lookup or a `$dynamicRef`'s target depends on where it is reached from: embedded
# `$id`s (a base URI per subresource), relative references, dynamic anchors (the dynamic scope).
_SHARED = {"properties": {"c": {"$id": "v", "$ref": "w"}}}  # one object, two places
ID_SCHEMAS: dict[str, dict[str, Any]] = {
    "embedded ids": {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.com/root",
        "type": "object",
        "properties": {
            "a": {"$ref": "item"},
            "b": {"$id": "https://example.com/other/", "properties": {"c": {"$ref": "item"}}},
            "d": {"items": {"$ref": "#/$defs/pair"}},
        },
        "$defs": {
            "item": {"$id": "item", "type": "integer", "maximum": 3},
            "other-item": {"$id": "other/item", "type": "string", "maxLength": 2},
            "pair": {"type": "array", "prefixItems": [{"$ref": "item"}, {"$ref": "other/item"}]},
        },
    },
    "one subschema under two base URIs": {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.com/root",
        "properties": {
            "a": {"$id": "https://example.com/one/", "allOf": [_SHARED]},
            "b": {"$id": "https://example.com/two/", "allOf": [_SHARED]},
        },
        "$defs": {
            "one": {"$id": "https://example.com/one/w", "type": "integer"},
            "two": {"$id": "https://example.com/two/w", "type": "string"},
        },
    },
    "one tree strict and loose": {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.com/both",
        "properties": {
            "strict": {"$ref": "strict-tree"},
            "loose": {"$ref": "tree"},
        },
        "$defs": {"strict": {"$ref": "strict-tree"}},  # placeholder, replaced below
    },
    "dynamic anchors": {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.com/strict-tree",
        "$dynamicAnchor": "node",
        "$ref": "tree",
        "unevaluatedProperties": False,
        "$defs": {
            "tree": {
                "$id": "tree",
                "$dynamicAnchor": "node",
                "type": "object",
                "properties": {
                    "data": {"type": "integer"},
                    "children": {"type": "array", "items": {"$dynamicRef": "#node"}},
                },
            }
        },
    },
}

# the strict tree beside a reference to its loose base: one `$dynamicRef`, two dynamic scopes
ID_SCHEMAS["one tree strict and loose"]["$defs"] = {"strict": ID_SCHEMAS["dynamic anchors"]}

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-2, 6), st.sampled_from(["x", "xyz", ""])),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["a", "b", "c", "d", "data", "children", "z", "strict", "loose"]), inner, max_size=4
        ),
    ),
    max_leaves=12,
)


def _errors(validator: Any, instance: Any) -> list[Any]:
    return sorted(
        (e.message, list(e.path), list(e.schema_path), [c.message for c in e.context])
        for e in validator.iter_errors(instance)
    )


@pytest.mark.parametrize("name", sorted(ID_SCHEMAS))
@settings(max_examples=60, database=None, deadline=None)
@given(instance=json_values, repeat=st.booleans())
@example(instance={"a": {"c": "x"}, "b": {"c": 1}, "d": [[1, "abc"], [9, "x"], 2]}, repeat=False)
@example(instance={"a": {"c": 1}, "b": {"c": "x"}, "d": [[9, 1]]}, repeat=True)
@example(
    instance={"data": 1, "children": [{"data": "x", "z": 1, "children": [{"z": 2}]}], "z": 3},
    repeat=True,
)
@example(
    instance={"loose": {"children": [{"z": 1}]}, "strict": {"children": [{"z": 1}]}},
    repeat=False,
)
def test_the_memoizing_class_finds_what_jsonschema_finds_through_ids_and_dynamic_refs(
    name: str, instance: Any, repeat: bool
) -> None:
    """The memoizing class (its `$ref` memo, its lookups, subresource resolvers and evolved
    validators each made once) reports jsonschema's errors, also when the same parts repeat."""
    from jsonschema import Draft202012Validator

    instance = [instance, copy.deepcopy(instance)] if repeat else instance
    schema = ID_SCHEMAS[name]
    schema = {"type": "array", "items": schema} if repeat else schema
    theirs = Draft202012Validator(schema)
    mine = Memo().validator(theirs)  # as the document check makes it: over a crawled registry
    assert type(mine) is not Draft202012Validator
    assert _errors(mine, instance) == _errors(theirs, instance)
    assert _errors(mine, instance) == _errors(theirs, instance)  # with everything made once


def test_a_finished_run_lets_go_of_what_it_made() -> None:
    """openapi-spec-validator's `iter_errors` cache keeps every validator alive: what its
    classes and paths made once (lookups, resolvers, evolved validators, resolved addresses)
    is emptied with the memo when the run is over (`validate._run` clears it)."""
    doc = base("3.0")
    EDITS["default of the wrong type"](doc)
    validator = validate.spec_validator("3.0")(doc)
    memo = validator.keyword_validators_registry.oagen_memo
    assert list(validator.iter_errors())
    assert len(memo.caches) >= 6 and sum(map(len, memo.caches)) > 100
    memo.clear()
    assert sum(map(len, memo.caches)) == 0
