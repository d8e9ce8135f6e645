"""The schema walker (`generator.schema.SchemaWalker`) on tiny inline schemas, through its
public API: `type_of` -> `TypeRef`, the `models` and `enums` it registers, `is_objectish`,
`model_of`, `all_fields`, and the diagnostics it reports through its `Document`."""

from __future__ import annotations

from typing import Any

import pytest

from generator import naming
from generator.diagnostics import Severity
from generator.document import Document
from generator.load import SourceMap
from generator.model import (
    AnyType,
    Const,
    EnumRef,
    ListOf,
    MapOf,
    Model,
    ModelRef,
    Nullable,
    Primitive,
    TypeRef,
    UnionOf,
)
from generator.schema import SchemaWalker

Schema = dict[str, Any]


def walker(schemas: dict[str, Any] | None = None, **top: Any) -> SchemaWalker:
    data = {"openapi": "3.1.0", "components": {"schemas": schemas or {}}, **top}
    return SchemaWalker(Document(data, SourceMap("x.yaml", "")), naming.Namer(sep=""))


def walk(schema: Any, schemas: dict[str, Any] | None = None) -> tuple[TypeRef, SchemaWalker]:
    w = walker(schemas)
    return w.type_of(schema, "#/s", "Thing"), w


def messages(w: SchemaWalker) -> list[tuple[Severity, str, str]]:
    return [(d.severity, d.pointer, d.message) for d in w.doc.diagnostics]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


# -- scalars, arrays, maps ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string"}, Primitive("str")),
        ({"type": "string", "format": "date-time"}, Primitive("datetime", "date-time")),
        ({"type": "string", "format": "binary"}, Primitive("bytes", "binary")),
        ({"type": "integer", "format": "int64"}, Primitive("int", "int64")),
        ({"type": "number"}, Primitive("float")),
        ({"type": "boolean", "format": "ignored"}, Primitive("bool")),
        ({"type": "array", "items": {"type": "integer"}}, ListOf(Primitive("int"))),
        ({"type": "array"}, ListOf(AnyType())),
        ({"type": "object"}, MapOf(AnyType())),
        ({"additionalProperties": {"type": "number"}}, MapOf(Primitive("float"))),
        ({}, AnyType()),
        (True, AnyType()),
        ({"description": "no type at all"}, AnyType()),
        ({"type": "null"}, Nullable(AnyType())),
    ],
)
def test_types_without_classes(schema: Any, expected: TypeRef) -> None:
    result, w = walk(schema)
    assert result == expected
    assert (w.models, w.enums, w.doc.diagnostics) == ({}, {}, [])


def test_unknown_type_and_non_schema_are_any_with_a_warning() -> None:
    result, w = walk({"type": "file"})
    assert result == AnyType()
    assert messages(w) == [
        (Severity.WARNING, "#/s/type", "unknown type 'file'; treated as any value")
    ]
    result, w = walk(42)
    assert result == AnyType()
    assert messages(w) == [
        (Severity.WARNING, "#/s", "schema is not an object; treated as any value")
    ]


# -- nullable and const -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string", "nullable": True}, Nullable(Primitive("str"))),  # 3.0
        ({"type": ["string", "null"]}, Nullable(Primitive("str"))),  # 3.1
        ({"type": ["null"]}, Nullable(AnyType())),
        ({"type": ["string", "integer"]}, UnionOf((Primitive("str"), Primitive("int")))),
        (
            {"type": ["string", "integer", "null"]},
            Nullable(UnionOf((Primitive("str"), Primitive("int")))),
        ),
        ({"oneOf": [{"type": "string"}, {"type": "null"}]}, Nullable(Primitive("str"))),
        ({"const": "fixed"}, Const("fixed")),
        ({"const": 3, "nullable": True}, Nullable(Const(3))),
        ({"enum": [1, "a", True]}, UnionOf((Const(1), Const("a"), Const(True)))),
        ({"enum": [None]}, Nullable(AnyType())),
    ],
)
def test_nullable_const_and_mixed_enums(schema: Schema, expected: TypeRef) -> None:
    assert walk(schema)[0] == expected


# -- enums --------------------------------------------------------------------------------------


def test_string_enum_is_registered_under_its_context_name() -> None:
    result, w = walk({"enum": ["on", "off", "on", None], "description": "Power."})
    assert result == Nullable(EnumRef("Thing"))
    enum = w.enums["Thing"]
    assert enum.kind == "str"
    assert [(m.name, m.value) for m in enum.members] == [("ON", "on"), ("OFF", "off")]
    assert (enum.description, enum.pointer) == ("Power.", "#/s")


def test_int_enum_members_are_prefixed() -> None:
    result, w = walk({"type": "integer", "enum": [1, 2]})
    assert result == EnumRef("Thing")
    assert [(m.name, m.value) for m in w.enums["Thing"].members] == [("V1", 1), ("V2", 2)]


# -- objects and components ---------------------------------------------------------------------


def test_inline_object_becomes_a_model_named_after_its_context() -> None:
    schema = {
        "type": "object",
        "description": "A thing.",
        "required": ["id"],
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "class": {"type": "string", "default": "x"},
            "tags": {"type": "array", "items": {"type": "object", "properties": {"k": {}}}},
        },
    }
    result, w = walk(schema)
    assert result == ModelRef("Thing")
    model = w.models["Thing"]
    assert (model.description, model.pointer, model.base) == ("A thing.", "#/s", None)
    by_wire = {f.wire: f for f in model.fields}
    assert by_wire["id"].required and by_wire["id"].constraints.minimum == 1.0
    assert (by_wire["class"].name, by_wire["class"].default) == ("class_", "x")
    assert by_wire["tags"].type == ListOf(ModelRef("ThingTagsItem"))
    assert list(w.models) == ["Thing", "ThingTagsItem"]
    assert w.models["ThingTagsItem"].pointer == "#/s/properties/tags/items"


def test_component_ref_keeps_the_component_name_and_an_escaped_pointer() -> None:
    w = walker({"a/b~c": {"properties": {"x": {"type": "string"}}}})
    assert w.type_of({"$ref": "#/components/schemas/a~1b~0c"}, "#/s", "Ctx") == ModelRef("ABC")
    assert w.models["ABC"].pointer == "#/components/schemas/a~1b~0c"


def test_build_components_walks_every_component_in_order() -> None:
    w = walker(
        {
            "Zeta": {"properties": {"a": ref("Alpha")}},
            "Alpha": {"properties": {"b": {"type": "string"}}},
            "Color": {"enum": ["red"]},
        }
    )
    w.build_components()
    assert list(w.models) == ["Zeta", "Alpha"]
    assert list(w.enums) == ["Color"]
    assert w.doc.diagnostics == []


def test_recursive_and_mutually_recursive_models() -> None:
    w = walker(
        {
            "Node": {"properties": {"children": {"type": "array", "items": ref("Node")}}},
            "A": {"properties": {"b": ref("B")}},
            "B": {"properties": {"a": ref("A")}},
        }
    )
    w.build_components()
    assert w.models["Node"].fields[0].type == ListOf(ModelRef("Node"))
    assert w.models["A"].fields[0].type == ModelRef("B")
    assert w.models["B"].fields[0].type == ModelRef("A")
    assert w.doc.diagnostics == []


def test_a_pure_ref_loop_is_an_error_and_a_self_containing_array_a_warning() -> None:
    w = walker({"A": ref("B"), "B": ref("A"), "List": {"type": "array", "items": ref("List")}})
    assert w.type_of(ref("A"), "#/s", "Ctx") == AnyType()
    assert w.type_of(ref("List"), "#/t", "Ctx") == ListOf(AnyType())
    assert messages(w) == [
        (
            Severity.ERROR,
            "#/components/schemas/A",
            "$ref loop with no schema in it: "
            "#/components/schemas/B -> #/components/schemas/A -> #/components/schemas/B",
        ),
        (
            Severity.WARNING,
            "#/components/schemas/List",
            "schema 'List' contains itself with no object in between; typed as any",
        ),
    ]


def test_dangling_ref_is_an_error_at_its_ref() -> None:
    result, w = walk(ref("Nope"))
    assert result == AnyType()
    assert messages(w) == [
        (Severity.ERROR, "#/s/$ref", "reference '#/components/schemas/Nope' points nowhere")
    ]


def test_non_component_ref_is_named_after_where_it_points_and_walked_once() -> None:
    w = walker({}, **{"$defs": {"Owner": {"properties": {"id": {"type": "integer"}}}}})
    first = w.type_of({"$ref": "#/$defs/Owner"}, "#/s", "Ctx")
    again = w.type_of({"$ref": "#/$defs/Owner"}, "#/t", "Other")
    assert first == again == ModelRef("Owner")
    assert list(w.models) == ["Owner"]
    assert w.models["Owner"].pointer == "#/$defs/Owner"


def test_required_property_that_is_not_defined_is_reported() -> None:
    _, w = walk({"required": ["ghost"], "properties": {"x": {}}})
    assert messages(w) == [
        (Severity.WARNING, "#/s/required", "required property 'ghost' is not defined; ignored")
    ]


def test_schema_nested_too_deeply_is_an_error() -> None:
    schema: Schema = {"type": "string"}
    for _ in range(250):
        schema = {"type": "array", "items": schema}
    result, w = walk(schema)  # reported, not a RecursionError
    assert isinstance(result, ListOf)
    assert [(s, m) for s, _, m in messages(w)] == [(Severity.ERROR, "schema nested too deeply")]


# -- allOf, oneOf, anyOf, discriminators --------------------------------------------------------

PET = {"properties": {"name": {"type": "string"}}, "required": ["name"]}


def test_all_of_with_one_parent_is_a_subclass() -> None:
    schema = {"allOf": [ref("Pet"), {"properties": {"lives": {"type": "integer"}}}]}
    result, w = walk(schema, {"Pet": PET})
    assert result == ModelRef("Thing")
    assert w.models["Thing"].base == "Pet"
    assert [f.wire for f in w.models["Thing"].fields] == ["lives"]
    assert list(w.all_fields("Thing")) == ["name", "lives"]
    assert w.all_fields("Thing")["name"].required


def test_ref_with_constraining_siblings_is_a_subclass_too() -> None:
    schema = {**ref("Pet"), "description": "only annotates", "properties": {"x": {}}}
    result, w = walk(schema, {"Pet": PET})
    assert result == ModelRef("Thing")
    assert w.models["Thing"].base == "Pet"
    assert walk({**ref("Pet"), "description": "annotation only"}, {"Pet": PET})[0] == ModelRef(
        "Pet"
    )


def test_all_of_with_two_parents_is_merged() -> None:
    other = {"properties": {"age": {"type": "integer"}}, "required": ["age"]}
    result, w = walk({"allOf": [ref("Pet"), ref("Other")]}, {"Pet": PET, "Other": other})
    model = w.models["Thing"]
    assert (result, model.base) == (ModelRef("Thing"), None)
    assert [(f.wire, f.required) for f in model.fields] == [("name", True), ("age", True)]


def test_all_of_with_one_non_object_part_is_that_part() -> None:
    assert walk({"allOf": [{"type": "string"}], "nullable": True})[0] == Nullable(Primitive("str"))


@pytest.mark.parametrize("keyword", ["oneOf", "anyOf"])
def test_unions_drop_duplicates_and_collapse_to_one_item(keyword: str) -> None:
    options = [{"type": "string"}, {"type": "integer"}, {"type": "string"}]
    assert walk({keyword: options})[0] == UnionOf((Primitive("str"), Primitive("int")))
    assert walk({keyword: [{"type": "string"}]})[0] == Primitive("str")
    assert walk({keyword: []})[0] == AnyType()


def test_inline_union_options_are_named_by_position() -> None:
    result, w = walk({"anyOf": [{"properties": {"a": {}}}, {"properties": {"b": {}}}]})
    assert result == UnionOf((ModelRef("ThingOption1"), ModelRef("ThingOption2")))
    assert w.models["ThingOption2"].pointer == "#/s/anyOf/1"


def test_discriminator_mapping_by_reference_and_by_bare_name() -> None:
    schemas = {"Cat": PET, "Dog": PET}
    schema = {
        "oneOf": [ref("Cat"), ref("Dog")],
        "discriminator": {
            "propertyName": "pet_type",
            "mapping": {"cat": "Cat", "dog": "#/components/schemas/Dog", "x": "#/nowhere"},
        },
    }
    result, w = walk(schema, schemas)
    assert result == UnionOf(
        (ModelRef("Cat"), ModelRef("Dog")), "pet_type", (("cat", "Cat"), ("dog", "Dog"))
    )
    assert messages(w) == [(Severity.ERROR, "#/s/$ref", "reference '#/nowhere' points nowhere")]


# -- the builder's questions --------------------------------------------------------------------


def test_is_objectish() -> None:
    w = walker({"Pet": PET, "Name": {"type": "string"}})
    assert w.is_objectish({"properties": {"a": {}}})
    assert w.is_objectish(ref("Pet"))
    assert w.is_objectish({"allOf": [ref("Name"), ref("Pet")]})
    assert not w.is_objectish(ref("Name"))
    assert not w.is_objectish({"properties": {}})
    assert not w.is_objectish({"enum": ["a"], "properties": {"a": {}}})
    assert not w.is_objectish({"oneOf": [ref("Pet")]})
    assert not w.is_objectish(ref("Missing"))
    assert not w.is_objectish(None)


def test_model_of() -> None:
    w = walker({"Pet": PET})
    pet = w.type_of(ref("Pet"), "#/s", "Ctx")
    found = w.model_of(pet)
    assert isinstance(found, Model) and found.name == "Pet"
    assert w.model_of(ModelRef("NotWalked")) is None
    assert w.model_of(Nullable(pet)) is None
    assert w.model_of(EnumRef("Pet")) is None


def test_all_fields_stops_at_a_base_loop() -> None:
    w = walker()
    w.models["A"] = Model("A", (), base="B")
    w.models["B"] = Model("B", (), base="A")
    assert w.all_fields("A") == {}
    assert w.all_fields("Unknown") == {}
