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

from generator import keywords, naming, tags
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
    ListOf,
    MapOf,
    Model,
    ModelRef,
    Nullable,
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
        """(discriminator, mapping) of a union whose model members carry a tag (`tags`); a
        one-value enum that tags it is fixed in each member (now, and when it is built)."""
        values = [(tags.single_values(option, self.doc.lookup), name) for option, name in members]
        prop, mapping, tagged = tags.union_tag(values, prop, mapping)
        for _, name in members if tagged and prop is not None else ():
            self._tags.setdefault(name, set()).add(str(prop))
            model = self.models[name]
            self.models[name] = replace(model, fields=self._fix_tags(model))
        return prop, mapping

    def _fix_tags(self, model: Model) -> tuple[Field, ...]:
        return tags.fix_tags(model.fields, self._tags.get(model.name, set()), self.enums)

    def _discriminator_mapping(self, disc: Any, ptr: str) -> tuple[tuple[str, str], ...]:
        """(value, model name) of a discriminator's `mapping` entries that name models."""
        resolved = [(v, self._ref_type(ref, ptr, {})) for v, ref in tags.mapping_refs(disc)]
        return tuple((v, t.name) for v, t in resolved if isinstance(t, ModelRef))

    # -- objects -----------------------------------------------------------------------------
    def _build_model(self, schema: dict[str, Any], ptr: str, name: str) -> None:
        if name in self.models:
            return
        # Register a placeholder first so recursion through this model terminates.
        self.models[name] = Model(name=name, fields=(), pointer=ptr)
        base, parts = self._model_parts(schema, ptr, name)
        self._base_of[name] = base
        properties, required, additional = keywords.merge_parts(parts)
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
        return tags.complete_mappings(list(self.models.values()), self.all_fields)

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
            ftype, fixed, default = tags.override(
                ftype, is_required, inherited.get(key), self.enums, self._base_of
            )
            f = field_of(field_name, key, ftype, is_required, prop, prop_schema)
            fields.append(replace(f, fixed=True, default=default) if fixed else f)
        inherited_names = {wire: f.name for wire, f in inherited.items()}
        named = naming.field_names([(f.wire, f.type) for f in fields], inherited_names)
        pointers = {wire: ptr for wire, (_, ptr) in properties.items()}
        for f, (field_name, why) in zip(fields, named, strict=True):
            if why is not None:
                self.doc.warn(why.message(f.wire, field_name, pointers), pointers[f.wire])
        return [replace(f, name=n) for f, (n, _) in zip(fields, named, strict=True)]

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
