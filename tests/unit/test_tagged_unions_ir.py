"""The build side of tagged unions (issue 12): what the schema walker decides, on tiny schemas.

* a union's tag: the property every model member fixes to a value of its own;
* fixed fields: a `const`, a required one-value enum, a one-value enum that tags a union (also
  when the union is met while the member is still being built, or after it was);
* a base's discriminator mapping, completed with its subclasses;
* a subclass field keeps a type the base's field can hold (mypy's override rules).
"""

from __future__ import annotations

from typing import Any

from generator import naming
from generator.document import Document
from generator.load import SourceMap
from generator.model import (
    Const,
    EnumRef,
    Field,
    ListOf,
    ModelRef,
    Nullable,
    Primitive,
    UnionOf,
)
from generator.schema import SchemaWalker


def walker(schemas: dict[str, Any]) -> SchemaWalker:
    data = {"openapi": "3.1.0", "components": {"schemas": schemas}}
    w = SchemaWalker(Document(data, SourceMap("x.yaml", "")), naming.Namer(sep=""))
    w.build_components()
    return w


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def field(w: SchemaWalker, model: str, wire: str) -> Field:
    return next(f for f in w.models[model].fields if f.wire == wire)


def obj(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


def test_const_tags_make_a_discriminated_union() -> None:
    w = walker(
        {
            "Action": {"anyOf": [ref("A"), ref("B"), {"type": "null"}]},
            "A": obj(type={"type": "string", "const": "a", "default": "a"}),
            "B": obj(type={"const": "b"}, n={"type": "integer"}),
        }
    )
    assert w.component_type("Action") == Nullable(
        UnionOf((ModelRef("A"), ModelRef("B")), "type", (("a", "A"), ("b", "B")))
    )
    assert field(w, "A", "type").fixed and field(w, "A", "type").default == "a"
    assert not field(w, "B", "n").fixed


def test_no_tag_when_values_repeat_or_a_member_has_none() -> None:
    w = walker(
        {
            "Same": {"oneOf": [ref("A"), ref("A2")]},
            "Some": {"oneOf": [ref("A"), ref("C")]},
            "A": obj(type={"const": "a"}),
            "A2": obj(type={"const": "a"}, x={"type": "string"}),
            "C": obj(type={"type": "string"}),
        }
    )
    assert w.component_type("Same") == UnionOf((ModelRef("A"), ModelRef("A2")))
    assert w.component_type("Some") == UnionOf((ModelRef("A"), ModelRef("C")))


def test_explicit_discriminator_gains_the_tags_its_mapping_leaves_out() -> None:
    w = walker(
        {
            "U": {
                "oneOf": [ref("A"), ref("B")],
                "discriminator": {"propertyName": "kind", "mapping": {"x": ref("A")["$ref"]}},
            },
            "A": obj(kind={"const": "a"}),
            "B": obj(kind={"enum": ["b"]}),
        }
    )
    assert w.component_type("U") == UnionOf(
        (ModelRef("A"), ModelRef("B")), "kind", (("x", "A"), ("a", "A"), ("b", "B"))
    )


def test_one_value_enums_are_fixed_when_required_or_a_tag() -> None:
    w = walker(
        {
            "Loose": obj(kind={"enum": ["only"]}),
            "Needed": {**obj(kind={"enum": ["only"]}), "required": ["kind"]},
            # the union is walked while `Node` is being built (through its `children`)
            "Node": obj(
                kind={"type": "string", "enum": ["node"]},
                children={"type": "array", "items": ref("Tree")},
            ),
            "Tree": {"oneOf": [ref("Node"), ref("Leaf")]},
            "Leaf": obj(kind={"enum": ["leaf"]}),
        }
    )
    assert not field(w, "Loose", "kind").fixed
    assert field(w, "Needed", "kind").fixed and field(w, "Needed", "kind").default == "only"
    assert field(w, "Node", "kind").fixed and field(w, "Node", "kind").default == "node"
    assert field(w, "Leaf", "kind").fixed  # built before the union: marked afterwards
    assert field(w, "Node", "children").type == ListOf(
        UnionOf((ModelRef("Node"), ModelRef("Leaf")), "kind", (("node", "Node"), ("leaf", "Leaf")))
    )


def test_base_discriminator_mapping_lists_every_subclass() -> None:
    w = walker(
        {
            "Pet": {
                **obj(petType={"type": "string"}),
                "required": ["petType"],
                "discriminator": {"propertyName": "petType", "mapping": {"kitty": ref("Cat")["$ref"]}},
            },
            "Cat": {"allOf": [ref("Pet"), obj(meow={"type": "boolean"})]},
            "Lizard": {"allOf": [ref("Pet"), obj(petType={"const": "lizard"})]},
            "Gecko": {"allOf": [ref("Lizard"), obj(sticky={"type": "boolean"})]},
        }
    )
    pet = next(m for m in w.finish() if m.name == "Pet")
    assert pet.discriminator == "petType"
    assert dict(pet.mapping) == {
        "kitty": "Cat",
        "Cat": "Cat",
        "lizard": "Lizard",
        "Lizard": "Lizard",
        "Gecko": "Gecko",  # Gecko inherits Lizard's const: only its schema name is its own
    }
    assert field(w, "Cat", "meow").type == Primitive("bool")
    # the inherited required `petType: str` narrowed to a const: kept (a Literal is a str)
    assert field(w, "Lizard", "petType").type == Const("lizard")


def test_a_subclass_field_keeps_a_type_the_base_can_hold() -> None:
    w = walker(
        {
            "Base": obj(
                status={"$ref": "#/components/schemas/Status"},
                age={"type": "integer"},
                ratio={"type": "number"},
                items={"type": "array", "items": ref("Base")},
                parent=ref("Base"),
                kind={"type": "string", "enum": ["a", "b"]},
            ),
            "Status": {"type": "string", "enum": ["on", "off"]},
            "Sub": {
                "allOf": [
                    ref("Base"),
                    obj(
                        status={"type": "string", "enum": ["on"]},  # another enum
                        age={"type": ["integer", "null"]},  # widened to null
                        ratio={"type": "integer"},  # int goes where float does
                        items={"type": "array", "items": ref("Sub")},  # lists are invariant
                        parent=ref("Sub"),  # a subclass goes where its base does
                        kind={"const": "a"},  # a Literal is not the enum: the enum, fixed to a
                    ),
                ]
            },
        }
    )
    assert field(w, "Sub", "status").type == EnumRef("Status")
    assert field(w, "Sub", "age").type == Primitive("int")
    assert field(w, "Sub", "ratio").type == Primitive("int")
    assert field(w, "Sub", "items").type == ListOf(ModelRef("Base"))
    assert field(w, "Sub", "parent").type == ModelRef("Sub")
    kind = field(w, "Sub", "kind")
    assert kind.type == EnumRef("BaseKind") and kind.fixed and kind.default == "a"


def test_a_subclass_keeps_the_fixed_value_of_its_base() -> None:
    w = walker(
        {
            "U": {"oneOf": [ref("Base"), ref("Other")]},
            "Base": obj(kind={"enum": ["base"]}, tag={"const": "t"}),
            "Other": obj(kind={"enum": ["other"]}),
            "Sub": {
                "allOf": [
                    ref("Base"),
                    obj(kind={"$ref": "#/components/schemas/BaseKind"}, tag={"type": "string"}),
                ]
            },
            "BaseKind": {"enum": ["base"]},
        }
    )
    assert field(w, "Base", "kind").fixed  # a tag of U
    kind, tag = field(w, "Sub", "kind"), field(w, "Sub", "tag")
    assert kind.fixed and kind.default == "base"  # its own enum is not the base's: the base's
    assert kind.type == field(w, "Base", "kind").type != EnumRef("BaseKind")
    assert tag.type == Const("t") and tag.fixed and tag.default == "t"
