"""Schema walker (part of the build stage): JSON Schemas in, `TypeRef`s, `Model`s and `Enum`s out.

`SchemaWalker.type_of(schema, ptr, context)` maps one schema to a `TypeRef`, registering the
models and enums it meets. Component schemas become models named after the component
(`#/components/schemas/Error` -> `Error`); inline objects and enums are named after where they
stand (`CreateEndpointResponse`, `CreateEndpointBadRequestError`). References to components stay
references (`ModelRef`), so recursive and mutually recursive schemas need no special case.
`allOf` with one named parent becomes a subclass of it (keywords beside a `$ref` are such a
part); any other `allOf` is merged into one model; `oneOf`/`anyOf` become unions.

The walker reads the tree, follows references and reports findings through its `Document`.
What the builder may use: `build_components`, `type_of`, `is_objectish`, `model_of`,
`all_fields`, and the registries `models` and `enums` (in registration order).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from generator import naming
from generator import pointer as jsonpointer
from generator.document import Document
from generator.keywords import enum_kind, field_of, jsonable, ref_context, ref_siblings, scalar
from generator.model import (
    AnyType,
    Const,
    Enum,
    EnumMember,
    EnumRef,
    Field,
    JsonScalar,
    ListOf,
    MapOf,
    Model,
    ModelRef,
    Nullable,
    Primitive,
    TypeRef,
    UnionOf,
)

_SCHEMAS = "#/components/schemas"
_COMPONENT_PREFIX = _SCHEMAS + "/"
_MAX_DEPTH = 200


class SchemaWalker:
    """Maps the schemas of one `Document` to `TypeRef`s; class names come from `class_names`.

    Every component schema's class name is claimed up front (so inline schemas never take a
    component's name); `models` and `enums` fill up as schemas are walked.
    """

    def __init__(self, doc: Document, class_names: naming.Namer) -> None:
        self.doc = doc
        self.models: dict[str, Model] = {}
        self.enums: dict[str, Enum] = {}
        self.class_names = class_names
        self.components = doc.components("schemas")
        self.component_names = {
            key: class_names.claim(naming.pascal(str(key))) for key in self.components
        }
        self._component_types: dict[str, TypeRef] = {}
        self._ref_types: dict[str, TypeRef] = {}  # other internal refs, walked once
        self._in_progress: set[str] = set()
        self._depth = 0
        self._building: set[str] = set()  # models whose fields are being walked
        self._tags: dict[str, set[str]] = {}  # model -> wire names of its union tags
        self._base_of: dict[str, str | None] = {}  # known before the model's fields are

    # -- what the builder reads --------------------------------------------------------------
    def is_objectish(self, schema: Any) -> bool:
        """Whether `schema` (through refs and `allOf` parts) is an object with properties: the
        schemas that become models. Enums and unions are not, even with properties beside."""
        return self._objectish(schema, 0)

    def _objectish(self, schema: Any, depth: int) -> bool:
        if depth > 20 or not isinstance(schema, dict):
            return False
        if isinstance(schema.get("$ref"), str):
            return self._objectish(self.doc.lookup(schema["$ref"]), depth + 1)
        if "enum" in schema or "oneOf" in schema or "anyOf" in schema:
            return False
        if isinstance(schema.get("properties"), dict) and schema["properties"]:
            return True
        if isinstance(schema.get("allOf"), list):
            return any(self._objectish(part, depth + 1) for part in schema["allOf"])
        return False

    def model_of(self, ref: TypeRef) -> Model | None:
        """The model a `ModelRef` names (registered by the walk so far), else None."""
        return self.models.get(ref.name) if isinstance(ref, ModelRef) else None

    def all_fields(self, model_name: str) -> dict[str, Field]:
        """wire name -> field of a model and its bases (a base's field first, overridden by a
        subclass's field of the same wire name); a loop in the base chain stops the climb."""
        out: dict[str, Field] = {}
        seen: set[str] = set()
        name: str | None = model_name
        chain: list[Model] = []
        while name and name not in seen and name in self.models:
            seen.add(name)
            chain.append(self.models[name])
            name = self.models[name].base
        for model in reversed(chain):
            for f in model.fields:
                out[f.wire] = f
        return out

    # -- references --------------------------------------------------------------------------
    def _pure_ref_loop(self, schema: Any) -> list[str]:
        """The refs of a chain `{$ref: B}` -> `{$ref: A}` -> ... that comes back, else []."""
        chain: list[str] = []
        node = schema
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            if ref_siblings(node):
                return []
            ref = node["$ref"]
            if ref in chain:
                return [*chain, ref]
            chain.append(ref)
            node = self.doc.lookup(ref)
        return []

    # -- components --------------------------------------------------------------------------
    def build_components(self) -> None:
        """Walk every component schema, in document order (their models come first)."""
        for key in self.components:
            self.component_type(str(key))

    def component_type(self, key: str) -> TypeRef:
        """The `TypeRef` of `#/components/schemas/<key>`, walked once."""
        if key in self._component_types:
            return self._component_types[key]
        name = self.component_names[key]
        schema = self.components[key]
        ptr = jsonpointer.append(_SCHEMAS, key)
        if self.is_objectish(schema):
            ref = ModelRef(name)
            self._component_types[key] = ref
            self._build_model(schema, ptr, name)
            return self._wrap_nullable(schema, ref)
        if key in self._in_progress:
            loop = self._pure_ref_loop(schema)
            if loop:  # A -> B -> A and nothing else: no type can be made of it
                self.doc.fail("$ref loop with no schema in it: " + " -> ".join(loop), ptr)
            else:  # e.g. an array of itself: valid JSON Schema, but no Python class to name it
                self.doc.warn(
                    f"schema {key!r} contains itself with no object in between; typed as any",
                    ptr,
                )
            return AnyType()
        self._in_progress.add(key)
        try:
            result = self.type_of(schema, ptr, name, own_name=name)
        finally:
            self._in_progress.discard(key)
        self._component_types[key] = result
        return result

    # -- the walk ----------------------------------------------------------------------------
    def type_of(
        self, schema: Any, ptr: str, context: str, *, own_name: str | None = None
    ) -> TypeRef:
        """The `TypeRef` for `schema`; inline objects/enums get class names from `context`."""
        self._depth += 1
        try:
            if self._depth > _MAX_DEPTH:
                self.doc.fail("schema nested too deeply", ptr)
                return AnyType()
            return self._type_of(schema, ptr, context, own_name)
        finally:
            self._depth -= 1

    def _type_of(self, schema: Any, ptr: str, context: str, own_name: str | None) -> TypeRef:
        if schema is True or schema == {}:
            return AnyType()
        if not isinstance(schema, dict):
            self.doc.warn("schema is not an object; treated as any value", ptr)
            return AnyType()
        ref = schema.get("$ref")
        if isinstance(ref, str):
            siblings = ref_siblings(schema)
            if siblings:  # 3.1: keywords beside a $ref apply too -> allOf [ref, siblings]
                merged = {"allOf": [{"$ref": ref}, siblings]}
                return self.type_of(merged, ptr, context, own_name=own_name)
            return self._ref_type(ref, ptr, schema)
        if "const" in schema:
            return self._wrap_nullable(schema, Const(jsonable(schema["const"])))
        if isinstance(schema.get("enum"), list):
            return self._enum_type(schema, ptr, context, own_name)
        if isinstance(schema.get("allOf"), list):
            if self.is_objectish(schema):
                name = own_name or self.class_names.claim(naming.pascal(context))
                self._build_model(schema, ptr, name)
                return self._wrap_nullable(schema, ModelRef(name))
            parts = [p for p in schema["allOf"] if p != {}]
            if len(parts) == 1:
                return self._wrap_nullable(
                    schema, self.type_of(parts[0], ptr + "/allOf/0", context)
                )
        for keyword in ("oneOf", "anyOf"):
            if isinstance(schema.get(keyword), list):
                return self._union(schema, keyword, ptr, context)
        kinds = schema.get("type")
        if isinstance(kinds, list):
            real = [k for k in kinds if k != "null"]
            if len(real) > 1:
                items = tuple(self._typed(schema, k, ptr, context, own_name) for k in real)
                result: TypeRef = UnionOf(items)
            elif real:
                result = self._typed(schema, real[0], ptr, context, own_name)
            else:
                return Nullable(AnyType())
            return Nullable(result) if "null" in kinds or schema.get("nullable") is True else result
        return self._wrap_nullable(schema, self._typed(schema, kinds, ptr, context, own_name))

    def _typed(
        self, schema: dict[str, Any], kind: Any, ptr: str, context: str, own_name: str | None
    ) -> TypeRef:
        fmt = schema.get("format") if isinstance(schema.get("format"), str) else None
        if kind in ("string", "integer", "number", "boolean"):
            return scalar(kind, fmt)
        if kind == "array":
            items = schema.get("items", {})
            return ListOf(self.type_of(items, ptr + "/items", context + "Item"))
        if kind == "object" or (
            kind is None and ("properties" in schema or "additionalProperties" in schema)
        ):
            if isinstance(schema.get("properties"), dict) and schema["properties"]:
                name = own_name or self.class_names.claim(naming.pascal(context))
                self._build_model(schema, ptr, name)
                return ModelRef(name)
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                return MapOf(self.type_of(extra, ptr + "/additionalProperties", context + "Value"))
            return MapOf(AnyType())
        if kind is None:
            return AnyType()
        if kind == "null":
            return Nullable(AnyType())
        self.doc.warn(f"unknown type {kind!r}; treated as any value", ptr + "/type")
        return AnyType()

    def _ref_type(self, ref: str, ptr: str, schema: dict[str, Any]) -> TypeRef:
        if ref.startswith(_COMPONENT_PREFIX):
            key = jsonpointer.unescape(ref[len(_COMPONENT_PREFIX) :])
            if key in self.components and "/" not in ref[len(_COMPONENT_PREFIX) :]:
                return self.component_type(key)
        if ref in self._ref_types:
            return self._ref_types[ref]
        target = self.doc.lookup(ref)
        if target is None:
            self.doc.fail(f"reference {ref!r} points nowhere", ptr + "/$ref")
            return AnyType()
        context = ref_context(ref)
        if self.is_objectish(target) and not isinstance(
            target.get("$ref"), str
        ):  # a model named after where it stands; built once
            name = self.class_names.claim(naming.pascal(context))
            self._ref_types[ref] = ModelRef(name)
            self._build_model(target, ref, name)
            result = self._wrap_nullable(target, ModelRef(name))
            self._ref_types[ref] = result
            return result
        if ref in self._in_progress:
            self.doc.warn(
                f"reference loop through {ref!r} with no object schema in it; typed as any",
                ptr + "/$ref",
            )
            return AnyType()
        self._in_progress.add(ref)
        try:
            result = self.type_of(target, ref, naming.pascal(context))
        finally:
            self._in_progress.discard(ref)
        self._ref_types[ref] = result
        return result

    def _wrap_nullable(self, schema: dict[str, Any], result: TypeRef) -> TypeRef:
        if schema.get("nullable") is True and not isinstance(result, Nullable):
            return Nullable(result)
        return result

    def _enum_type(
        self, schema: dict[str, Any], ptr: str, context: str, own_name: str | None
    ) -> TypeRef:
        values = [v for v in schema["enum"] if v is not None]
        nullable = len(values) != len(schema["enum"]) or schema.get("nullable") is True
        result: TypeRef
        kind = enum_kind(values)
        if kind is not None:
            name = own_name or self.class_names.claim(naming.pascal(context))
            result = self._register_enum(name, kind, values, schema, ptr)
        elif values:
            result = UnionOf(tuple(Const(jsonable(v)) for v in values))
        else:
            result = AnyType()
        return Nullable(result) if nullable else result

    def _register_enum(
        self, name: str, kind: str, values: list[Any], schema: dict[str, Any], ptr: str
    ) -> EnumRef:
        members = naming.Namer()
        unique: list[Any] = []
        for value in values:
            if value not in unique:
                unique.append(value)
        self.enums[name] = Enum(
            name=name,
            kind="str" if kind == "str" else "int",
            members=tuple(
                EnumMember(members.claim(naming.constant(str(v) if kind == "str" else f"V{v}")), v)
                for v in unique
            ),
            description=str(schema.get("description") or ""),
            pointer=ptr,
        )
        return EnumRef(name)

    def _union(self, schema: dict[str, Any], keyword: str, ptr: str, context: str) -> TypeRef:
        options = schema[keyword]
        nullable = schema.get("nullable") is True
        items: list[TypeRef] = []
        members: list[tuple[Any, str]] = []  # (option schema, model name) of the model members
        for index, option in enumerate(options):
            if isinstance(option, dict) and option.get("type") == "null":
                nullable = True
                continue
            item = self.type_of(option, f"{ptr}/{keyword}/{index}", f"{context}Option{index + 1}")
            if isinstance(item, Nullable):
                nullable, item = True, item.inner
            if item not in items:
                items.append(item)
                if isinstance(item, ModelRef):
                    members.append((option, item.name))
        result: TypeRef
        if not items:
            result = AnyType()
        elif len(items) == 1:
            result = items[0]
        else:
            disc = schema.get("discriminator")
            prop = disc.get("propertyName") if isinstance(disc, dict) else None
            mapping = self._discriminator_mapping(disc, ptr)
            prop, mapping = self._tagged(members, prop if isinstance(prop, str) else None, mapping)
            result = UnionOf(tuple(items), prop, mapping)
        return Nullable(result) if nullable else result

    def _tagged(
        self, members: list[tuple[Any, str]], prop: str | None, mapping: tuple[tuple[str, str], ...]
    ) -> tuple[str | None, tuple[tuple[str, str], ...]]:
        """(discriminator, mapping) of a union whose model members carry a tag: a property
        that each member fixes to a value of its own (a `const`, a one-value enum), as pydantic
        writes a discriminated union. With a `discriminator` whose `mapping` leaves members out,
        their tags are added; with none, the first property tagging every member is the one."""
        if len(members) < 2:
            return prop, mapping
        values = [self._single_values(option) for option, _ in members]
        candidates = [prop] if prop is not None else list(values[0])
        for key in candidates:
            tags = [v.get(key) for v in values]
            if any(t is None for t in tags) or len(set(tags)) < len(tags):
                continue
            known = {value for value, _ in mapping}
            added = [(str(t), name) for t, (_, name) in zip(tags, members, strict=True)]
            for _, name in members:
                self._mark_tag(name, key)
            return key, mapping + tuple((t, n) for t, n in added if t not in known)
        return prop, mapping

    def _single_values(self, schema: Any) -> dict[str, str | None]:
        """wire name -> the one string a property of object `schema` admits (None: others too);
        through references and `allOf` parts, silently (the walk reports what is broken)."""
        out: dict[str, str | None] = {}
        for part in self._object_parts(schema, 0):
            props = part.get("properties")
            if isinstance(props, dict):
                for key, prop in props.items():
                    out[str(key)] = self._single_value(prop, 0)
        return out

    def _object_parts(self, schema: Any, depth: int) -> list[dict[str, Any]]:
        node = self._follow(schema)
        if depth > 20 or not isinstance(node, dict):
            return []
        out: list[dict[str, Any]] = []
        if isinstance(node.get("allOf"), list):
            for part in node["allOf"]:
                out.extend(self._object_parts(part, depth + 1))
        return [*out, node]

    def _single_value(self, prop: Any, depth: int) -> str | None:
        node = self._follow(prop)
        if depth > 20 or not isinstance(node, dict):
            return None
        if "const" in node:
            return node["const"] if isinstance(node["const"], str) else None
        values = node.get("enum")
        if isinstance(values, list):
            return values[0] if len(values) == 1 and isinstance(values[0], str) else None
        parts = node.get("allOf")
        if isinstance(parts, list) and len(parts) == 1:
            return self._single_value(parts[0], depth + 1)
        return None

    def _follow(self, node: Any) -> Any:
        """What a chain of plain `$ref`s ends at (None for a loop or a dangling reference)."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                return None
            if ref_siblings(node):  # `{$ref, nullable: true}` and the like: not one value
                return node
            seen.add(ref)
            node = self.doc.lookup(ref)
        return node

    def _mark_tag(self, model_name: str, wire: str) -> None:
        """Field `wire` of the model is a union's tag: a one-value enum there is fixed too."""
        self._tags.setdefault(model_name, set()).add(wire)
        model = self.models.get(model_name)
        if model is not None and model_name not in self._building:
            self.models[model_name] = replace(model, fields=self._fix_tags(model))

    def _fix_tags(self, model: Model) -> tuple[Field, ...]:
        tags = self._tags.get(model.name, set())
        return tuple(
            replace(f, fixed=True, default=self._only_value(f.type))
            if f.wire in tags and not f.fixed and self._only_value(f.type) is not None
            else f
            for f in model.fields
        )

    def _only_value(self, t: TypeRef) -> JsonScalar:
        """The one value of a `const` (a string, number or boolean) or a one-value enum."""
        if isinstance(t, Const) and isinstance(t.value, str | int | bool):
            return t.value
        if isinstance(t, EnumRef) and t.name in self.enums:
            members = self.enums[t.name].members
            return members[0].value if len(members) == 1 else None
        return None

    def _discriminator_mapping(self, disc: Any, ptr: str) -> tuple[tuple[str, str], ...]:
        """(value, model name) of a discriminator's `mapping` entries that name models."""
        mapping: list[tuple[str, str]] = []
        if isinstance(disc, dict) and isinstance(disc.get("mapping"), dict):
            for value, target in disc["mapping"].items():
                if isinstance(target, str) and "#" not in target and "/" not in target:
                    # a bare schema name (allowed by the spec) rather than a reference
                    target = jsonpointer.append(_SCHEMAS, target)
                resolved = self._ref_type(str(target), ptr, {}) if isinstance(target, str) else None
                if isinstance(resolved, ModelRef):
                    mapping.append((str(value), resolved.name))
        return tuple(mapping)

    # -- objects -----------------------------------------------------------------------------
    def _build_model(self, schema: dict[str, Any], ptr: str, name: str) -> None:
        if name in self.models:
            return
        # Register a placeholder first so recursion through this model terminates.
        self.models[name] = Model(name=name, fields=(), pointer=ptr)
        self._building.add(name)
        try:
            base, parts = self._model_parts(schema, ptr, name)
            self._base_of[name] = base
            properties, required, additional = _merge_parts(parts)
            inherited = self.all_fields(base) if base else {}
            for key in required:
                if key not in properties and key not in inherited:
                    self.doc.warn(
                        f"required property {key!r} is not defined; ignored", ptr + "/required"
                    )
            fields = self._fields(name, properties, required, inherited)
            additional_type: TypeRef | None = None
            if isinstance(additional, dict) and additional:
                additional_type = self.type_of(
                    additional, ptr + "/additionalProperties", name + "Value"
                )
        finally:
            self._building.discard(name)
        model = Model(
            name=name,
            fields=tuple(fields),
            description=str(schema.get("description") or ""),
            base=base,
            additional=additional_type,
            pointer=ptr,
        )
        self.models[name] = replace(model, fields=self._fix_tags(model))
        disc = schema.get("discriminator")
        prop = disc.get("propertyName") if isinstance(disc, dict) else None
        if isinstance(prop, str):  # after the model is complete: the mapping names subclasses
            mapping = self._discriminator_mapping(disc, ptr + "/discriminator")
            self.models[name] = replace(self.models[name], discriminator=prop, mapping=mapping)

    def finish(self) -> tuple[Model, ...]:
        """The models, once every schema is walked: a base's discriminator `mapping` completed
        with its subclasses (by the value they fix the property to, then by schema name)."""
        children: dict[str, list[Model]] = {}
        for model in self.models.values():
            if model.base:
                children.setdefault(model.base, []).append(model)
        out = []
        for model in self.models.values():
            if model.discriminator is not None:
                mapping = dict(model.mapping)
                for sub in self._descendants(model.name, children):
                    value = self.all_fields(sub.name).get(model.discriminator)
                    if value is not None and value.fixed and isinstance(value.default, str):
                        mapping.setdefault(value.default, sub.name)
                    if sub.pointer.startswith(_COMPONENT_PREFIX):
                        key = jsonpointer.unescape(sub.pointer[len(_COMPONENT_PREFIX) :])
                        mapping.setdefault(key, sub.name)
                model = replace(model, mapping=tuple(mapping.items()))
            out.append(model)
        return tuple(out)

    def _descendants(self, name: str, children: dict[str, list[Model]]) -> list[Model]:
        out: list[Model] = []
        todo = list(children.get(name, []))
        while todo:
            model = todo.pop(0)
            if model not in out and model.name != name:
                out.append(model)
                todo.extend(children.get(model.name, []))
        return out

    def _model_parts(
        self, schema: dict[str, Any], ptr: str, name: str
    ) -> tuple[str | None, list[tuple[dict[str, Any], str]]]:
        """(the base class, the (schema, pointer) parts whose properties the model merges).

        An `allOf` with exactly one component reference whose type is a model names the base;
        every other part (refs followed, nested `allOf`s flattened) is merged.
        """
        if not isinstance(schema.get("allOf"), list):
            return None, [(schema, ptr)]
        base: str | None = None
        parts: list[tuple[dict[str, Any], str]] = []
        refs = [
            i
            for i, p in enumerate(schema["allOf"])
            if isinstance(p, dict)
            and isinstance(p.get("$ref"), str)
            and p["$ref"].startswith(_COMPONENT_PREFIX)
        ]
        for index, part in enumerate(schema["allOf"]):
            part_ptr = f"{ptr}/allOf/{index}"
            if refs == [index]:
                target = self._ref_type(part["$ref"], part_ptr, part)
                if isinstance(target, ModelRef) and target.name != name:
                    base = target.name
                    extra = ref_siblings(part)
                    if extra:
                        parts.append((extra, part_ptr))
                    continue
            parts.extend(self._flatten_all_of(part, part_ptr, 0))
        parts.append(({k: v for k, v in schema.items() if k != "allOf"}, ptr))
        return base, parts

    def _fields(
        self,
        name: str,
        properties: dict[str, tuple[Any, str]],
        required: list[str],
        inherited: dict[str, Field],
    ) -> list[Field]:
        """The fields of model `name`; a property a base has too keeps the base's field name."""
        fields: list[Field] = []
        names = naming.Namer({f.name for f in inherited.values()})
        for key, (prop, prop_ptr) in properties.items():
            prop_schema, _ = (
                self.doc.deref(prop, prop_ptr)
                if isinstance(prop, dict) and "$ref" in prop
                else (prop, prop_ptr)
            )
            if key in inherited:
                field_name = inherited[key].name
            else:
                field_name = names.claim(naming.snake(key, fallback="field"))
            ftype = self.type_of(prop, prop_ptr, f"{name}{naming.pascal(key, fallback='Field')}")
            is_required = key in required or (key in inherited and inherited[key].required)
            value, const = self._only_value(ftype), isinstance(ftype, Const)
            base = inherited.get(key)
            if base is not None and not self._fits(ftype, base.type):
                # a Python subclass cannot redefine a field with a type outside the base's
                ftype = base.type
                value = value if self._value_fits(value, ftype) else None
            fixed = value is not None and (const or is_required)
            default: object = value
            if base is not None and base.fixed and not fixed:  # nor drop the base's default
                default, fixed = base.default, self._value_fits(base.default, ftype)
            f = field_of(field_name, key, ftype, is_required, prop, prop_schema)
            fields.append(replace(f, fixed=True, default=default) if fixed else f)
        inherited_names = {wire: f.name for wire, f in inherited.items()}
        named = naming.field_names([(f.wire, f.type) for f in fields], inherited_names)
        pointers = {wire: ptr for wire, (_, ptr) in properties.items()}
        for f, (field_name, why) in zip(fields, named, strict=True):
            if why is not None:
                self.doc.warn(why.message(f.wire, field_name, pointers), pointers[f.wire])
        return [replace(f, name=n) for f, (n, _) in zip(fields, named, strict=True)]

    def _fits(self, sub: TypeRef, base: TypeRef) -> bool:
        """Can an attribute typed `base` be redefined as `sub` in a subclass (mypy's rules:
        lists and dicts are invariant, `int` goes where `float` does)?"""
        if sub == base or isinstance(base, AnyType):
            return True
        if isinstance(sub, Nullable):
            return isinstance(base, Nullable) and self._fits(sub.inner, base.inner)
        if isinstance(sub, UnionOf):
            return all(self._fits(item, base) for item in sub.items)
        if isinstance(base, Nullable):
            return self._fits(sub, base.inner)
        if isinstance(base, UnionOf):
            return any(self._fits(sub, item) for item in base.items)
        if isinstance(base, Primitive):
            kinds = {"float": {"float", "int"}, "int": {"int", "bool"}}.get(base.kind, {base.kind})
            if isinstance(sub, Primitive):
                return sub.kind in kinds
            if isinstance(sub, Const):
                return type(sub.value).__name__ in kinds
            if isinstance(sub, EnumRef) and sub.name in self.enums:
                return self.enums[sub.name].kind in kinds
        if isinstance(sub, ModelRef) and isinstance(base, ModelRef):
            return base.name in self._ancestors(sub.name)
        return False

    def _value_fits(self, value: object, t: TypeRef) -> bool:
        if not isinstance(value, str | int | float | bool):
            return False
        if isinstance(t, EnumRef) and t.name in self.enums:
            return any(m.value == value for m in self.enums[t.name].members)
        return self._fits(Const(value), t) and not isinstance(t, Nullable | UnionOf)

    def _ancestors(self, name: str) -> list[str]:
        chain: list[str] = []
        current: str | None = name
        while current and current not in chain and current in self._base_of:
            chain.append(current)
            current = self._base_of[current]
        return chain

    def _flatten_all_of(self, part: Any, ptr: str, depth: int) -> list[tuple[dict[str, Any], str]]:
        if depth > 20:
            self.doc.fail("allOf nested too deeply", ptr)
            return []
        target, target_ptr = self.doc.deref(part, ptr)
        if not isinstance(target, dict):
            return []
        out: list[tuple[dict[str, Any], str]] = []
        if isinstance(target.get("allOf"), list):
            for index, sub in enumerate(target["allOf"]):
                out.extend(self._flatten_all_of(sub, f"{target_ptr}/allOf/{index}", depth + 1))
        out.append(({k: v for k, v in target.items() if k != "allOf"}, target_ptr))
        if isinstance(part, dict) and "$ref" in part:
            extra = ref_siblings(part)
            if extra:
                out.append((extra, ptr))
        return out


def _merge_parts(
    parts: list[tuple[dict[str, Any], str]],
) -> tuple[dict[str, tuple[Any, str]], list[str], Any]:
    """(wire name -> (property schema, pointer), required names, `additionalProperties`) of
    the parts of a model; a later part's property or `additionalProperties` wins."""
    properties: dict[str, tuple[Any, str]] = {}
    required: list[str] = []
    additional: Any = None
    for part, part_ptr in parts:
        props = part.get("properties")
        if isinstance(props, dict):
            for key, prop in props.items():
                properties[str(key)] = (prop, jsonpointer.append(part_ptr, "properties", key))
        req = part.get("required")
        if isinstance(req, list):
            required.extend(str(r) for r in req if str(r) not in required)
        if "additionalProperties" in part:
            additional = part["additionalProperties"]
    return properties, required, additional
