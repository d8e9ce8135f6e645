"""oagen's walker paths read what jsonschema-path's stock `SchemaPath` reads.

`validate_paths.fast` gives openapi-spec-validator's keyword walkers a path that resolves each
address once. These tests read every address of a document (and addresses that do not exist,
that go through a dangling or looping `$ref`, into a scalar) through the stock path and through
oagen's, with every operation the walkers use, and require the same answers: the same object,
the same resolver state, the same exception. The documents: the memo tests' base document, its
random breakages (hypothesis), and documents whose `$ref`s change the resolver's registry (an
anchor, a schema with its own `$id`), where oagen's accessor must turn back into the stock one.
The findings of whole runs are compared in test_validate_memo.py and the twins tests.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema_path import SchemaPath
from test_validate_memo import VERSIONS, base, broken
from validator_twin import twin_findings

from generator import validate, validate_paths

MISSING = ("nope", 99, -1, "", ".", "a#b", "$ref")


def stock_path(doc: dict[str, Any]) -> Any:
    """The root path openapi-spec-validator builds for `doc` (its own settings and handlers)."""
    return validate.spec_validator("3.0", memo=False)(doc).schema_path


def addresses(doc: dict[str, Any], limit: int = 1500, depth: int = 9) -> list[tuple[Any, ...]]:
    """Addresses of `doc` as the walkers see it (`$ref`s followed), breadth first, with keys
    that are missing at each one, up to `limit` addresses and `depth` parts."""
    root = stock_path(doc)
    found: list[tuple[Any, ...]] = [()]
    queue: list[tuple[Any, ...]] = [()]
    while queue and len(found) < limit:
        parts = queue.pop(0)
        try:
            keys = list(root._clone_with_parts(parts).keys())
        except (Exception, RecursionError):  # noqa: BLE001 - not an address with members
            continue
        for key in [*keys, *MISSING]:
            child = (*parts, key)
            found.append(child)
            if key in keys and len(child) < depth:
                queue.append(child)
    return found[:limit]


def _value(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return ("object", id(value))
    if isinstance(value, SchemaPath):
        return ("path", value.parts)
    return ("value", type(value), value)


def _resolved(path: Any) -> Any:
    with path.resolve() as resolved:
        resolver = resolved.resolver
        return id(resolved.contents), resolver._base_uri, tuple(resolver._previous)


READS: dict[str, Callable[[Any], Any]] = {
    "read_value": lambda p: _value(p.read_value()),
    "keys": lambda p: list(p.keys()),
    "items": lambda p: [(k, v.parts) for k, v in p.items()],
    "iter": lambda p: [c.parts for c in p],
    "len": len,
    "resolve": _resolved,
    **{f"in {key!r}": (lambda p, key=key: key in p) for key in ("type", "$ref", 0, 99)},
    **{f"/ {key!r}": (lambda p, key=key: (p / key).parts) for key in ("type", "", ".", "a#b", 0)},
    **{f"[{key!r}]": (lambda p, key=key: _value(p[key])) for key in ("name", "in", 0)},
    "read_str": lambda p: p.read_str("default"),
}


def observe(path: Any, read: Callable[[Any], Any]) -> Any:
    try:
        return read(path)
    except RecursionError:
        return "RecursionError"
    except Exception as exc:  # noqa: BLE001 - compared, not handled
        return type(exc), str(exc)


def same_reads(doc: dict[str, Any]) -> Any:
    """Every read of every address, by the stock path and oagen's (twice: cold, then cached):
    asserts they agree; returns oagen's root path."""
    stock, ours = stock_path(doc), validate_paths.fast(stock_path(doc))
    assert type(ours) is validate_paths._Path
    places = addresses(doc)
    for _ in range(2):
        for parts in places:
            theirs, mine = stock._clone_with_parts(parts), ours._clone_with_parts(parts)
            for name, read in READS.items():
                assert observe(mine, read) == observe(theirs, read), (parts, name)
    return ours


@pytest.mark.parametrize("version", VERSIONS)
def test_every_address_reads_as_the_stock_path_reads_it(version: str) -> None:
    ours = same_reads(base(version))
    assert not ours.accessor.stock and len(ours.accessor._known) > 100


@pytest.mark.parametrize("version", VERSIONS)
@settings(max_examples=25, database=None, deadline=None)
@given(data=st.data())
def test_broken_documents_read_as_the_stock_path_reads_them(
    version: str, data: st.DataObject
) -> None:
    same_reads(data.draw(broken(version)))


def _loop(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    schemas["A"] = {"$ref": "#/components/schemas/B"}
    schemas["B"] = {"$ref": "#/components/schemas/A"}
    schemas["Item"]["properties"]["loop"] = {"$ref": "#/components/schemas/A"}


def _anchor(doc: dict[str, Any]) -> None:
    """A `$ref` to a plain-name anchor, which the registry finds only once crawled (in a root
    `$defs`, a JSON Schema subresource: see `_own_id`)."""
    doc["$defs"] = {"Named": {"$anchor": "named", "type": "object", "properties": {"n": {}}}}
    doc["components"]["schemas"]["Item"]["properties"]["named"] = {"$ref": "#named"}


def _own_id(doc: dict[str, Any]) -> None:
    """A `$ref` into a schema with its own `$id`: the `$ref` inside it resolves against that
    `$id`, which the registry finds only once crawled. (The schema sits in a root `$defs`, which
    3.1 does not allow, so that the pointer to it enters it as a JSON Schema subresource.)"""
    doc["$defs"] = {
        "Own": {
            "$id": "https://example.com/own",
            "$defs": {"Leaf": {"type": "integer", "default": "x"}},
            "properties": {"leaf": {"$ref": "#/$defs/Leaf"}},
        }
    }
    leaf = {"$ref": "#/$defs/Own/properties/leaf"}
    doc["components"]["schemas"]["Item"]["properties"]["own"] = leaf


@pytest.mark.parametrize("edit", [_loop, _anchor, _own_id], ids=lambda e: e.__name__)
def test_loops_and_registry_changes_read_as_the_stock_path_reads_them(
    edit: Callable[[dict[str, Any]], None],
) -> None:
    doc = base("3.1")
    edit(doc)
    same_reads(doc)


@pytest.mark.parametrize("edit", [_anchor, _own_id], ids=lambda e: e.__name__)
def test_a_registry_change_hands_the_rest_of_the_run_to_the_stock_resolution(
    edit: Callable[[dict[str, Any]], None],
) -> None:
    """Looking up an anchor, or a `$ref` against a schema's own `$id`, crawls the registry: the
    accessor turns stock, and the findings stay the stock class's."""
    doc = base("3.1")
    edit(doc)
    validator = validate.spec_validator("3.1")(copy.deepcopy(doc))
    list(validator.iter_errors())
    assert validator.schema_path.accessor.stock
    ours, stock = twin_findings(doc, "3.1")
    assert ours == stock and stock[1] is None


def test_the_walkers_read_through_oagen_s_paths() -> None:
    """The memoized class's walkers use `fast` paths; each address is resolved once, and each
    `$ref` is looked up once per resolver state however many places use it."""
    doc = base("3.0")
    validator = validate.spec_validator("3.0")(doc)
    assert type(validator.schema_path) is validate_paths._Path
    assert list(validator.iter_errors()) == []
    accessor = validator.schema_path.accessor
    assert not accessor.stock
    refs = {ref for ref, _, _ in accessor._lookups}
    assert "#/components/schemas/Item" in refs and len(refs) == len(accessor._lookups)
    assert type(validate.spec_validator("3.0", memo=False)(doc).schema_path) is SchemaPath
