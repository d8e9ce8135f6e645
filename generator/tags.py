"""Tags and overrides (part of the build stage): properties that admit one value, unions they tag,
discriminators on a base, and which field types a subclass may redefine.

- `single_values`: wire name -> the one string each property of an object schema admits (a
  `const`, a one-value `enum`), read from the schema itself (through `$ref`s and `allOf` parts),
  so a union can be read as tagged even while one of its members is still being built;
- `union_tag`: the property every model member of a union fixes to a value of its own (how
  pydantic writes a discriminated union, often without a `discriminator`), and the mapping;
- `only_value`: the one value a `TypeRef` admits (a `Const`, a one-member enum), else None;
- `fits`: whether a subclass may redefine a field typed `base` as `sub` (mypy's rules for a
  dataclass field: a narrower type, lists and dicts invariant);
- `complete_mappings`: a base's discriminator mapping with every subclass (by the value it fixes
  the property to, then by its schema name).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from generator import pointer as jsonpointer
from generator.keywords import ref_siblings
from generator.model import (
    AnyType,
    Const,
    Enum,
    EnumRef,
    Field,
    JsonScalar,
    Model,
    ModelRef,
    Nullable,
    Primitive,
    TypeRef,
    UnionOf,
)

Lookup = Callable[[str], Any]  # an internal reference -> the node it names, else None
Mapping_ = tuple[tuple[str, str], ...]  # (wire value, model name)

_COMPONENT_PREFIX = "#/components/schemas/"
_DEPTH = 20


# -- union tags, read from the schemas -------------------------------------------------------
def single_values(schema: Any, lookup: Lookup) -> dict[str, str | None]:
    """wire name -> the one string a property of object `schema` admits (None: others too);
    through references and `allOf` parts, silently (the walk reports what is broken)."""
    out: dict[str, str | None] = {}
    for part in _object_parts(schema, lookup, 0):
        props = part.get("properties")
        if isinstance(props, dict):
            for key, prop in props.items():
                out[str(key)] = _single_value(prop, lookup, 0)
    return out


def union_tag(
    members: Sequence[tuple[dict[str, str | None], str]], prop: str | None, mapping: Mapping_
) -> tuple[str | None, Mapping_, bool]:
    """(discriminator, mapping, tagged) of a union from its model members' `single_values` and
    names.

    The tag is `prop` (the `discriminator`'s property) when every member fixes it to a value of
    its own, whose values the explicit `mapping` gains where it leaves them out; with no `prop`,
    the first property (in the first member's order) that tags every member. Otherwise the union
    stays as it was (`tagged` False)."""
    if len(members) < 2:
        return prop, mapping, False
    candidates = [prop] if prop is not None else list(members[0][0])
    for key in candidates:
        tags = [values.get(key) for values, _ in members]
        if any(t is None for t in tags) or len(set(tags)) < len(tags):
            continue
        known = {value for value, _ in mapping}
        added = tuple(
            (str(t), name) for t, (_, name) in zip(tags, members, strict=True) if t not in known
        )
        return key, mapping + added, True
    return prop, mapping, False


def _object_parts(schema: Any, lookup: Lookup, depth: int) -> list[dict[str, Any]]:
    node = _follow(schema, lookup)
    if depth > _DEPTH or not isinstance(node, dict):
        return []
    out: list[dict[str, Any]] = []
    if isinstance(node.get("allOf"), list):
        for part in node["allOf"]:
            out.extend(_object_parts(part, lookup, depth + 1))
    return [*out, node]


def _single_value(prop: Any, lookup: Lookup, depth: int) -> str | None:
    node = _follow(prop, lookup)
    if depth > _DEPTH or not isinstance(node, dict):
        return None
    if "const" in node:
        return node["const"] if isinstance(node["const"], str) else None
    values = node.get("enum")
    if isinstance(values, list):
        return values[0] if len(values) == 1 and isinstance(values[0], str) else None
    parts = node.get("allOf")
    if isinstance(parts, list) and len(parts) == 1:
        return _single_value(parts[0], lookup, depth + 1)
    return None


def _follow(node: Any, lookup: Lookup) -> Any:
    """What a chain of plain `$ref`s ends at (None for a loop); a `$ref` with constraining
    keywords beside it (`nullable: true`, ...) is returned as it is: not one value."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen:
            return None
        if ref_siblings(node):
            return node
        seen.add(ref)
        node = lookup(ref)
    return node


# -- one value, and what a subclass may redefine -----------------------------------------------
def only_value(t: TypeRef, enums: Mapping[str, Enum]) -> JsonScalar:
    """The one value of a `const` (a string, number or boolean) or a one-member enum."""
    if isinstance(t, Const) and isinstance(t.value, str | int | bool):
        return t.value
    if isinstance(t, EnumRef) and t.name in enums:
        members = enums[t.name].members
        return members[0].value if len(members) == 1 else None
    return None


def fix_tags(
    fields: Sequence[Field], tags: set[str], enums: Mapping[str, Enum]
) -> tuple[Field, ...]:
    """`fields`, those named in `tags` (wire names) fixed to their one value if they have one."""
    out = []
    for f in fields:
        value = only_value(f.type, enums) if f.wire in tags and not f.fixed else None
        out.append(replace(f, fixed=True, default=value) if value is not None else f)
    return tuple(out)


def override(
    t: TypeRef,
    required: bool,
    base: Field | None,
    enums: Mapping[str, Enum],
    bases: Mapping[str, str | None],
) -> tuple[TypeRef, bool, object]:
    """(type, fixed, default) of a model field of type `t` that redefines `base` (if any).

    It is fixed when it admits one value: a `const`, or a one-value enum that is `required`.
    A subclass cannot redefine a field with a type outside the base's (mypy): it keeps the
    base's then, nor drop a base's fixed value (its default)."""
    value, const = only_value(t, enums), isinstance(t, Const)
    if base is not None and not fits(t, base.type, enums, bases):
        t = base.type
        value = value if value_fits(value, t, enums, bases) else None
    fixed = value is not None and (const or required)
    if base is not None and base.fixed and not fixed:
        return t, value_fits(base.default, t, enums, bases), base.default
    return t, fixed, value


def fits(
    sub: TypeRef, base: TypeRef, enums: Mapping[str, Enum], bases: Mapping[str, str | None]
) -> bool:
    """Can an attribute typed `base` be redefined as `sub` in a subclass (mypy's rules:
    lists and dicts are invariant, `int` goes where `float` does)? `bases`: model -> base."""
    if sub == base or isinstance(base, AnyType):
        return True
    if isinstance(sub, Nullable):
        return isinstance(base, Nullable) and fits(sub.inner, base.inner, enums, bases)
    if isinstance(sub, UnionOf):
        return all(fits(item, base, enums, bases) for item in sub.items)
    if isinstance(base, Nullable):
        return fits(sub, base.inner, enums, bases)
    if isinstance(base, UnionOf):
        return any(fits(sub, item, enums, bases) for item in base.items)
    if isinstance(base, Primitive):
        kinds = {"float": {"float", "int"}, "int": {"int", "bool"}}.get(base.kind, {base.kind})
        if isinstance(sub, Primitive):
            return sub.kind in kinds
        if isinstance(sub, Const):
            return type(sub.value).__name__ in kinds
        if isinstance(sub, EnumRef) and sub.name in enums:
            return enums[sub.name].kind in kinds
    if isinstance(sub, ModelRef) and isinstance(base, ModelRef):
        return base.name in _ancestors(sub.name, bases)
    return False


def value_fits(
    value: object, t: TypeRef, enums: Mapping[str, Enum], bases: Mapping[str, str | None]
) -> bool:
    """Is `value` (a JSON scalar) a value of type `t`, written as its default?"""
    if not isinstance(value, str | int | float | bool):
        return False
    if isinstance(t, EnumRef) and t.name in enums:
        return any(m.value == value for m in enums[t.name].members)
    return fits(Const(value), t, enums, bases) and not isinstance(t, Nullable | UnionOf)


def _ancestors(name: str, bases: Mapping[str, str | None]) -> list[str]:
    chain: list[str] = []
    current: str | None = name
    while current and current not in chain and current in bases:
        chain.append(current)
        current = bases[current]
    return chain


# -- discriminators ----------------------------------------------------------------------------
def mapping_refs(disc: Any) -> list[tuple[str, str]]:
    """(value, reference) of each entry of a `discriminator`'s `mapping`; a bare schema name
    (allowed by the spec) is read as a reference to that component schema."""
    mapping = disc.get("mapping") if isinstance(disc, dict) else None
    out: list[tuple[str, str]] = []
    for value, target in mapping.items() if isinstance(mapping, dict) else ():
        if isinstance(target, str):
            if "#" not in target and "/" not in target:  # a bare name, not a reference
                target = jsonpointer.append(_COMPONENT_PREFIX.rstrip("/"), target)
            out.append((str(value), target))
    return out


def complete_mappings(
    models: Sequence[Model], all_fields: Callable[[str], dict[str, Field]]
) -> tuple[Model, ...]:
    """`models`, each base's discriminator `mapping` completed with its subclasses: by the value
    they fix the property to, then by schema name (an explicit entry wins)."""
    children: dict[str, list[Model]] = {}
    for model in models:
        if model.base:
            children.setdefault(model.base, []).append(model)
    out = []
    for model in models:
        if model.discriminator is not None:
            mapping = dict(model.mapping)
            for sub in _descendants(model.name, children):
                value = all_fields(sub.name).get(model.discriminator)
                if value is not None and value.fixed and isinstance(value.default, str):
                    mapping.setdefault(value.default, sub.name)
                if sub.pointer.startswith(_COMPONENT_PREFIX):
                    key = jsonpointer.unescape(sub.pointer[len(_COMPONENT_PREFIX) :])
                    mapping.setdefault(key, sub.name)
            model = replace(model, mapping=tuple(mapping.items()))
        out.append(model)
    return tuple(out)


def _descendants(name: str, children: dict[str, list[Model]]) -> list[Model]:
    out: list[Model] = []
    todo = list(children.get(name, []))
    while todo:
        model = todo.pop(0)
        if model not in out and model.name != name:
            out.append(model)
            todo.extend(children.get(model.name, []))
    return out
