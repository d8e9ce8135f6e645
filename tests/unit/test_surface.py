"""The API surface (`generator.diff.surface`) grows linearly with the spec, and `diff_surfaces`
reports each change once, on its model, with the operations that reach it (issue 17, item 1)."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import diff, pipeline
from generator.config import Config
from generator.model import (
    Api,
    Body,
    Field,
    ListOf,
    Model,
    ModelRef,
    Operation,
    Primitive,
    Response,
    TypeRef,
)

# -- the chained-model spec of the issue ------------------------------------------------------


def chained_spec(operations: int, leaf_type: str = "string") -> dict[str, Any]:
    """M0..M4, each with fields f0..f19 typed as the next model (M4's are `leaf_type`);
    `operations` GET operations return M0."""
    schemas = {
        f"M{i}": {
            "type": "object",
            "properties": {
                f"f{j}": (
                    {"$ref": f"#/components/schemas/M{i + 1}"} if i < 4 else {"type": leaf_type}
                )
                for j in range(20)
            },
        }
        for i in range(5)
    }
    ok = {
        "description": "ok",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/M0"}}},
    }
    paths = {
        f"/r{k}": {"get": {"operationId": f"get{k}", "responses": {"200": ok}}}
        for k in range(operations)
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Chain", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def surface_of(tmp_path: Path, spec: dict[str, Any], name: str = "spec.json") -> dict[str, Any]:
    path = tmp_path / name
    path.write_text(json.dumps(spec), encoding="utf-8")
    return diff.surface(pipeline.analyse(path, Config())[0])


def test_chained_models_give_a_small_surface(tmp_path: Path) -> None:
    # the first format expanded M0 four levels deep into each operation: 188 MB for 20 operations
    text = diff.surface_text(surface_of(tmp_path, chained_spec(20)))
    assert len(text.encode()) < 1_000_000
    assert len(text.encode()) < 50_000  # each model listed once: about 12 KB
    data = json.loads(text)
    assert diff.is_surface(data)
    assert sorted(data["models"]) == ["M0", "M1", "M2", "M3", "M4"]
    assert data["models"]["M0"]["fields"]["f7"]["refs"] == [["", "M1"]]


def test_the_surface_grows_linearly_with_operations(tmp_path: Path) -> None:
    sizes = [len(diff.surface_text(surface_of(tmp_path, chained_spec(n)))) for n in (10, 20, 40)]
    assert sizes[2] - sizes[1] == 2 * (sizes[1] - sizes[0])  # the same cost per operation
    assert sizes[1] - sizes[0] < 10 * 400  # and a small one


def test_a_deep_change_is_reported_once_on_its_model_with_every_operation(tmp_path: Path) -> None:
    old = surface_of(tmp_path, chained_spec(20), "old.json")
    new = surface_of(tmp_path, chained_spec(20, leaf_type="integer"), "new.json")
    found = diff.diff_surfaces(old, new)
    assert len(found) == 20  # one per field of M4, not one per field per path per operation
    assert {(c.where, c.name, c.breaking) for c in found} == {("model", "M4", True)}
    assert found[0].item == "f0" and found[0].message == "response field 'f0': type str -> int"
    assert found[0].operations == tuple(sorted(f"GET /r{k}" for k in range(20)))
    assert found[0].format() == (
        "BREAKING model M4: response field 'f0': type str -> int "
        "(in GET /r0, GET /r1, GET /r10 and 17 more)"
    )


RENAME = """
openapi: 3.1.0
info: {title: Shop, version: '1'}
paths:
  /pets:
    get:
      operationId: getPet
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
    post:
      operationId: putPet
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
      responses: {'204': {description: ok}}
components:
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        owner: {$ref: '#/components/schemas/Owner'}
    Owner:
      type: object
      properties:
        name: {type: string}
"""


def spec_surface(tmp_path: Path, text: str, name: str) -> dict[str, Any]:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return diff.surface(pipeline.analyse(path, Config())[0])


def test_a_renamed_schema_is_no_change_and_its_fields_are_still_compared(tmp_path: Path) -> None:
    old = spec_surface(tmp_path, RENAME, "old.yaml")
    renamed = RENAME.replace("Owner", "Person")
    assert diff.diff_surfaces(old, spec_surface(tmp_path, renamed, "same.yaml")) == []
    changed = renamed.replace(
        "name: {type: string}", "name: {type: string}\n        age: {type: integer}"
    )
    changed = changed.replace("required: [id]", "required: [id, owner]")
    found = diff.diff_surfaces(old, spec_surface(tmp_path, changed, "new.yaml"))
    # POST flattens Pet into keyword parameters; Person is sent (POST) and received (GET)
    assert [(c.name, c.item, c.breaking, c.message, c.operations) for c in found] == [
        ("put_pet", "owner", True, "body field 'owner': now required", ()),
        ("Person", "age", False, "field 'age' added", ("GET /pets", "POST /pets")),
        ("Pet", "owner", False, "response field 'owner': now required", ("GET /pets",)),
    ]


def test_an_old_format_surface_is_not_read() -> None:
    old_format = {"oagen_surface": 1, "title": "x", "version": "1", "operations": {}}
    assert not diff.is_surface(old_format)  # the CLI treats the stored file as absent


# -- random model graphs ------------------------------------------------------------------------

Kind = tuple[str, int]  # ("str"|"int", 0) or ("ref"|"list", target model)


@dataclass
class Graph:
    """Models (field wire -> (kind, required)) and operations (name -> (root model, role))."""

    models: list[dict[str, tuple[Kind, bool]]]
    operations: dict[str, tuple[int, str]] = field(default_factory=dict)

    def copy(self) -> Graph:
        return Graph([dict(m) for m in self.models], dict(self.operations))


def type_of(kind: Kind) -> TypeRef:
    name, target = kind
    if name == "ref":
        return ModelRef(f"M{target}")
    if name == "list":
        return ListOf(ModelRef(f"M{target}"))
    return Primitive("str" if name == "str" else "int")


def api_of(graph: Graph) -> Api:
    models = tuple(
        Model(f"M{i}", tuple(Field(w, w, type_of(k), r) for w, (k, r) in fields.items()))
        for i, fields in enumerate(graph.models)
    )
    operations = []
    for name, (root, role) in sorted(graph.operations.items()):
        ref = ModelRef(f"M{root}")
        body = Body("application/json", "json", True, False, ref) if role == "input" else None
        response = Response("200", "ok", "json", ref if role == "output" else None)
        operations.append(
            Operation(name, (name,), "POST", f"/{name}", "", "", (), body, (response,), ())
        )
    return Api("Random", "1", "", (), tuple(operations), models, ())


@st.composite
def graphs(draw: st.DrawFn) -> Graph:
    count = draw(st.integers(1, 7))
    kinds = st.one_of(
        st.tuples(st.sampled_from(["str", "int"]), st.just(0)),
        st.tuples(st.sampled_from(["ref", "list"]), st.integers(0, count - 1)),  # cycles too
    )
    models = [
        {f"f{j}": (draw(kinds), draw(st.booleans())) for j in range(draw(st.integers(0, 5)))}
        for _ in range(count)
    ]
    roots = st.tuples(st.integers(0, count - 1), st.sampled_from(["input", "output"]))
    operations = {f"op{k}": draw(roots) for k in range(draw(st.integers(1, 6)))}
    return Graph(models, operations)


Edit = tuple[str, int, str]  # (what, model, field)


@st.composite
def edits(draw: st.DrawFn, graph: Graph) -> tuple[Graph, list[Edit], set[str], set[str]]:
    """A changed copy of `graph`: field edits (one per field at most) and operations added and
    removed; returns (new graph, field edits, removed operations, added operations)."""
    new = graph.copy()
    done: list[Edit] = []
    for i, fields in enumerate(new.models):
        for wire in list(fields):
            what = draw(st.sampled_from(["keep", "keep", "remove", "type", "required"]))
            (name, target), required = fields[wire]
            if what == "remove":
                del fields[wire]
            elif what == "type":  # str <-> int; a model becomes a string
                fields[wire] = (("int", 0) if name == "str" else ("str", 0), required)
            elif what == "required":
                fields[wire] = ((name, target), not required)
            if what != "keep":
                done.append((what, i, wire))
        if draw(st.booleans()):
            fields["added"] = (("str", 0), draw(st.booleans()))
            done.append(("add", i, "added"))
    removed = {k for k in graph.operations if draw(st.booleans())}
    for k in removed:
        del new.operations[k]
    added = {f"new{k}" for k in range(draw(st.integers(0, 2)))}
    for k in added:
        new.operations[k] = (0, "output")
    return new, done, removed, added


def reach(old: Graph, new: Graph) -> dict[int, tuple[set[str], set[str]]]:
    """Model -> (operations, roles) through what both graphs share: the operations kept and
    the model fields that refer to the same model in both."""
    found: dict[int, tuple[set[str], set[str]]] = {}
    for op, (root, role) in old.operations.items():
        if op not in new.operations:
            continue
        stack, seen = [root], {root}
        while stack:
            i = stack.pop()
            ops, roles = found.setdefault(i, (set(), set()))
            ops.add(op)
            roles.add(role)
            for wire, ((name, target), _) in old.models[i].items():
                kept = new.models[i].get(wire)
                if name in ("ref", "list") and kept and kept[0] == (name, target):
                    if target not in seen:
                        seen.add(target)
                        stack.append(target)
    return found


def expected_breaking(what: str, old: Any, new: Any, roles: set[str]) -> bool:
    if what in ("remove", "type"):
        return True
    if what == "add":
        return bool(new[1]) and "input" in roles
    return ("output" in roles and old[1]) or ("input" in roles and new[1])


@st.composite
def cases(draw: st.DrawFn) -> tuple[Graph, Graph, list[Edit], set[str], set[str]]:
    graph = draw(graphs())
    return (graph, *draw(edits(graph)))


@settings(max_examples=150, deadline=None)
@given(cases())
def test_random_graphs_give_linear_surfaces_and_every_change_is_reported(
    case: tuple[Graph, Graph, list[Edit], set[str], set[str]],
) -> None:
    old, new, done, removed, added = case
    old_surface, new_surface = diff.surface(api_of(old)), diff.surface(api_of(new))
    for graph, data in ((old, old_surface), (new, new_surface)):
        fields = sum(len(m) for m in graph.models)
        size = len(diff.surface_text(data).encode())
        assert size <= 400 * (len(graph.models) + len(graph.operations) + fields)
    # the stored text round-trips
    assert diff.diff_surfaces(json.loads(diff.surface_text(old_surface)), old_surface) == []
    found = diff.diff_surfaces(old_surface, new_surface)
    operations = {(c.kind, c.operation) for c in found if c.where == "operation"}
    assert operations == {("removed", f"POST /{k}") for k in removed} | {
        ("added", f"POST /{k}") for k in added
    }
    reached = reach(old, new)
    expected = {}
    for what, i, wire in done:
        if i not in reached:
            continue  # no operation kept reaches the model: nothing to report
        ops, roles = reached[i]
        kind = {"add": "added", "remove": "removed"}.get(what, "changed")
        breaking = expected_breaking(what, old.models[i].get(wire), new.models[i].get(wire), roles)
        expected[(f"M{i}", wire)] = (kind, breaking, tuple(sorted(f"POST /{k}" for k in ops)))
    models = {
        (c.name, c.item): (c.kind, c.breaking, c.operations) for c in found if c.where == "model"
    }
    assert models == expected
    assert len(found) == len(operations) + len(expected)  # each change once


def test_the_surface_text_from_kept_sections_is_the_same(tmp_path: Path) -> None:
    """`surface_text(api, known)` with the enums' and models' text kept from `section_texts`
    (the pipeline memoizes them) is `surface_text(api)`, byte for byte; an empty section too."""
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(chained_spec(4)))
    api = pipeline.analyse(spec, Config())[0]
    whole = diff.surface_text(api)
    for sections in [("enums", "models"), ("models",), ("operations",), ()]:
        assert diff.surface_text(api, diff.section_texts(api, sections)) == whole
    assert diff.surface_text(api) == diff.surface_text(diff.surface(api))
    assert '"enums": {}' in whole  # the spec has no enum: an empty section kept alike
