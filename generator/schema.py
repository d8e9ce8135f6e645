"""Schema walker (part of the build stage): JSON Schemas in, `TypeRef`s, `Model`s and `Enum`s out.

`SchemaWalker.type_of(schema, ptr, context)` maps one schema to a `TypeRef`, registering the
models and enums it meets. Component schemas become models named after the component
(`#/components/schemas/Error` -> `Error`); inline objects and enums are named after where they
stand (`CreateEndpointResponse`, `CreateEndpointBadRequestError`). References to components stay
references (`ModelRef`), so recursive and mutually recursive schemas need no special case.
`allOf` with one named parent becomes a subclass of it (keywords beside a `$ref` are such a
part); any other `allOf` is merged into one model; `oneOf`/`anyOf` become unions.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from generator import naming
from generator.diagnostics import Diagnostic, error, warning
from generator.load import SourceMap
from generator.model import (
    MISSING,
    AnyType,
    Const,
    Constraints,
    Enum,
    EnumMember,
    EnumRef,
    Field,
    ListOf,
    MapOf,
    Model,
    ModelRef,
    Nullable,
    Primitive,
    TypeRef,
    UnionOf,
)

_COMPONENT_PREFIX = "#/components/schemas/"
# Keywords that only annotate: a `$ref` beside only these is still a plain reference.
_ANNOTATIONS = frozenset(
    {
        "description",
        "summary",
        "title",
        "example",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "xml",
        "$comment",
    }
)
_MAX_DEPTH = 200


def jsonable(value: Any) -> Any:
    """Spec values as plain JSON data (YAML dates become ISO strings; NaN/inf become strings)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def escape_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class SchemaWalker:
    def __init__(self, data: dict[str, Any], source: SourceMap, class_names: naming.Namer) -> None:
        self.data = data
        self.source = source
        self.diagnostics: list[Diagnostic] = []
        self.models: dict[str, Model] = {}
        self.enums: dict[str, Enum] = {}
        self.class_names = class_names
        components = data.get("components") if isinstance(data.get("components"), dict) else {}
        schemas = components.get("schemas") if isinstance(components, dict) else None
        self.components: dict[str, Any] = schemas if isinstance(schemas, dict) else {}
        self.component_names = {
            key: class_names.claim(naming.pascal(str(key))) for key in self.components
        }
        self._component_types: dict[str, TypeRef] = {}
        self._ref_types: dict[str, TypeRef] = {}  # other internal refs, walked once
        self._in_progress: set[str] = set()
        self._depth = 0

    # -- diagnostics -------------------------------------------------------------------------
    def warn(self, message: str, ptr: str) -> None:
        self.diagnostics.append(warning(message, ptr, self.source.file, self.source.line_of(ptr)))

    def fail(self, message: str, ptr: str) -> None:
        self.diagnostics.append(error(message, ptr, self.source.file, self.source.line_of(ptr)))

    # -- references --------------------------------------------------------------------------
    def deref(self, node: Any, ptr: str) -> tuple[Any, str]:
        """Follow `$ref`s (any internal pointer) to their node; loops and dangling refs fail."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                self.fail(f"reference loop through {ref!r}", ptr)
                return {}, ptr
            seen.add(ref)
            target = self.lookup(ref)
            if target is None:
                self.fail(f"reference {ref!r} points nowhere", ptr + "/$ref")
                return {}, ptr
            node, ptr = target, ref
        return node, ptr

    def lookup(self, ref: str) -> Any | None:
        if not ref.startswith("#"):
            return None
        node: Any = self.data
        for raw in ref[1:].split("/")[1:]:
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
        return node

    def _pure_ref_loop(self, schema: Any) -> list[str]:
        """The refs of a chain `{$ref: B}` -> `{$ref: A}` -> ... that comes back, else []."""
        chain: list[str] = []
        node = schema
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            if any(k != "$ref" and k not in _ANNOTATIONS for k in node):
                return []
            ref = node["$ref"]
            if ref in chain:
                return [*chain, ref]
            chain.append(ref)
            node = self.lookup(ref)
        return []

    # -- components --------------------------------------------------------------------------
    def build_components(self) -> None:
        for key in self.components:
            self.component_type(str(key))

    def component_type(self, key: str) -> TypeRef:
        if key in self._component_types:
            return self._component_types[key]
        name = self.component_names[key]
        schema = self.components[key]
        ptr = _COMPONENT_PREFIX + escape_token(key)
        if self._is_objectish(schema):
            ref = ModelRef(name)
            self._component_types[key] = ref
            self._build_model(schema, ptr, name)
            return self._wrap_nullable(schema, ref)
        if key in self._in_progress:
            loop = self._pure_ref_loop(schema)
            if loop:  # A -> B -> A and nothing else: no type can be made of it
                self.fail("$ref loop with no schema in it: " + " -> ".join(loop), ptr)
            else:  # e.g. an array of itself: valid JSON Schema, but no Python class to name it
                self.warn(
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
                self.fail("schema nested too deeply", ptr)
                return AnyType()
            return self._type_of(schema, ptr, context, own_name)
        finally:
            self._depth -= 1

    def _type_of(self, schema: Any, ptr: str, context: str, own_name: str | None) -> TypeRef:
        if schema is True or schema == {}:
            return AnyType()
        if not isinstance(schema, dict):
            self.warn("schema is not an object; treated as any value", ptr)
            return AnyType()
        ref = schema.get("$ref")
        if isinstance(ref, str):
            siblings = {k: v for k, v in schema.items() if k != "$ref" and k not in _ANNOTATIONS}
            if siblings:  # 3.1: keywords beside a $ref apply too -> allOf [ref, siblings]
                merged = {"allOf": [{"$ref": ref}, siblings]}
                return self.type_of(merged, ptr, context, own_name=own_name)
            return self._ref_type(ref, ptr, schema)
        if "const" in schema:
            return self._wrap_nullable(schema, Const(jsonable(schema["const"])))
        if isinstance(schema.get("enum"), list):
            return self._enum_type(schema, ptr, context, own_name)
        if isinstance(schema.get("allOf"), list):
            if self._is_objectish(schema):
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
        if kind == "string":
            return Primitive("bytes", fmt) if fmt == "binary" else Primitive("str", fmt)
        if kind == "integer":
            return Primitive("int", fmt)
        if kind == "number":
            return Primitive("float", fmt)
        if kind == "boolean":
            return Primitive("bool")
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
        self.warn(f"unknown type {kind!r}; treated as any value", ptr + "/type")
        return AnyType()

    def _ref_type(self, ref: str, ptr: str, schema: dict[str, Any]) -> TypeRef:
        if ref.startswith(_COMPONENT_PREFIX):
            key = ref[len(_COMPONENT_PREFIX) :].replace("~1", "/").replace("~0", "~")
            if key in self.components and "/" not in ref[len(_COMPONENT_PREFIX) :]:
                return self.component_type(key)
        if ref in self._ref_types:
            return self._ref_types[ref]
        target = self.lookup(ref)
        if target is None:
            self.fail(f"reference {ref!r} points nowhere", ptr + "/$ref")
            return AnyType()
        context = _ref_context(ref)
        if self._is_objectish(target) and not isinstance(
            target.get("$ref"), str
        ):  # a model named after where it stands; built once
            name = self.class_names.claim(naming.pascal(context))
            self._ref_types[ref] = ModelRef(name)
            self._build_model(target, ref, name)
            result = self._wrap_nullable(target, ModelRef(name))
            self._ref_types[ref] = result
            return result
        if ref in self._in_progress:
            self.warn(
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
        kind = _enum_kind(values)
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
        for index, option in enumerate(options):
            if isinstance(option, dict) and option.get("type") == "null":
                nullable = True
                continue
            item = self.type_of(option, f"{ptr}/{keyword}/{index}", f"{context}Option{index + 1}")
            if isinstance(item, Nullable):
                nullable, item = True, item.inner
            if item not in items:
                items.append(item)
        result: TypeRef
        if not items:
            result = AnyType()
        elif len(items) == 1:
            result = items[0]
        else:
            disc = schema.get("discriminator")
            prop = disc.get("propertyName") if isinstance(disc, dict) else None
            mapping: list[tuple[str, str]] = []
            if isinstance(disc, dict) and isinstance(disc.get("mapping"), dict):
                for value, target in disc["mapping"].items():
                    if isinstance(target, str) and "#" not in target and "/" not in target:
                        # a bare schema name (allowed by the spec) rather than a reference
                        target = "#/components/schemas/" + target.replace("~", "~0")
                    resolved = (
                        self._ref_type(str(target), ptr, {}) if isinstance(target, str) else None
                    )
                    if isinstance(resolved, ModelRef):
                        mapping.append((str(value), resolved.name))
            result = UnionOf(tuple(items), prop if isinstance(prop, str) else None, tuple(mapping))
        return Nullable(result) if nullable else result

    # -- objects -----------------------------------------------------------------------------
    def _is_objectish(self, schema: Any, depth: int = 0) -> bool:
        if depth > 20 or not isinstance(schema, dict):
            return False
        if isinstance(schema.get("$ref"), str):
            target = self.lookup(schema["$ref"])
            return self._is_objectish(target, depth + 1)
        if "enum" in schema or "oneOf" in schema or "anyOf" in schema:
            return False
        if isinstance(schema.get("properties"), dict) and schema["properties"]:
            return True
        if isinstance(schema.get("allOf"), list):
            return any(self._is_objectish(part, depth + 1) for part in schema["allOf"])
        return False

    def _build_model(self, schema: dict[str, Any], ptr: str, name: str) -> None:
        if name in self.models:
            return
        # Register a placeholder first so recursion through this model terminates.
        self.models[name] = Model(name=name, fields=(), pointer=ptr)
        base: str | None = None
        parts: list[tuple[dict[str, Any], str]] = []
        if isinstance(schema.get("allOf"), list):
            refs = [
                (i, p)
                for i, p in enumerate(schema["allOf"])
                if isinstance(p, dict)
                and isinstance(p.get("$ref"), str)
                and p["$ref"].startswith(_COMPONENT_PREFIX)
            ]
            for index, part in enumerate(schema["allOf"]):
                part_ptr = f"{ptr}/allOf/{index}"
                if len(refs) == 1 and refs[0][0] == index:
                    target = self._ref_type(part["$ref"], part_ptr, part)
                    if isinstance(target, ModelRef) and target.name != name:
                        base = target.name
                        extra = {
                            k: v for k, v in part.items() if k != "$ref" and k not in _ANNOTATIONS
                        }
                        if extra:
                            parts.append((extra, part_ptr))
                        continue
                parts.extend(self._flatten_all_of(part, part_ptr, 0))
            own = {k: v for k, v in schema.items() if k != "allOf"}
            parts.append((own, ptr))
        else:
            parts.append((schema, ptr))
        properties: dict[str, tuple[Any, str]] = {}
        required: list[str] = []
        additional: Any = None
        for part, part_ptr in parts:
            props = part.get("properties")
            if isinstance(props, dict):
                for key, prop in props.items():
                    properties[str(key)] = (prop, f"{part_ptr}/properties/{escape_token(str(key))}")
            req = part.get("required")
            if isinstance(req, list):
                required.extend(str(r) for r in req if str(r) not in required)
            if "additionalProperties" in part:
                additional = part["additionalProperties"]
        inherited = self._all_fields(base) if base else {}
        for key in required:
            if key not in properties and key not in inherited:
                self.warn(f"required property {key!r} is not defined; ignored", ptr + "/required")
        fields: list[Field] = []
        names = naming.Namer({f.name for f in inherited.values()})
        for key, (prop, prop_ptr) in properties.items():
            prop_schema, _ = (
                self.deref(prop, prop_ptr)
                if isinstance(prop, dict) and "$ref" in prop
                else (prop, prop_ptr)
            )
            if key in inherited:
                field_name = inherited[key].name
            else:
                field_name = names.claim(naming.snake(key, fallback="field"))
            ftype = self.type_of(prop, prop_ptr, f"{name}{naming.pascal(key, fallback='Field')}")
            fields.append(
                _field(
                    field_name,
                    key,
                    ftype,
                    key in required or (key in inherited and inherited[key].required),
                    prop,
                    prop_schema,
                )
            )
        additional_type: TypeRef | None = None
        if isinstance(additional, dict) and additional:
            additional_type = self.type_of(
                additional, ptr + "/additionalProperties", name + "Value"
            )
        self.models[name] = Model(
            name=name,
            fields=tuple(fields),
            description=str(schema.get("description") or ""),
            base=base,
            additional=additional_type,
            pointer=ptr,
        )

    def _flatten_all_of(self, part: Any, ptr: str, depth: int) -> list[tuple[dict[str, Any], str]]:
        if depth > 20:
            self.fail("allOf nested too deeply", ptr)
            return []
        target, target_ptr = self.deref(part, ptr)
        if not isinstance(target, dict):
            return []
        out: list[tuple[dict[str, Any], str]] = []
        if isinstance(target.get("allOf"), list):
            for index, sub in enumerate(target["allOf"]):
                out.extend(self._flatten_all_of(sub, f"{target_ptr}/allOf/{index}", depth + 1))
        out.append(({k: v for k, v in target.items() if k != "allOf"}, target_ptr))
        if isinstance(part, dict) and "$ref" in part:
            extra = {k: v for k, v in part.items() if k != "$ref" and k not in _ANNOTATIONS}
            if extra:
                out.append((extra, ptr))
        return out

    def _all_fields(self, model_name: str) -> dict[str, Field]:
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


_GENERIC_TOKENS = frozenset(
    {"schema", "items", "properties", "content", "allof", "oneof", "anyof", "additionalproperties"}
)


def _ref_context(ref: str) -> str:
    """A name for what a non-component `$ref` points at: its last meaningful pointer token."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in ref.lstrip("#").split("/") if t]
    for token in reversed(tokens):
        if not token.isdigit() and token.lower() not in _GENERIC_TOKENS and "/" not in token:
            return token
    return "Schema"


def constraints_of(schema: Any) -> Constraints:
    if not isinstance(schema, dict):
        return Constraints()

    def num(key: str) -> float | None:
        value = schema.get(key)
        return (
            float(value)
            if isinstance(value, (int, float)) and not isinstance(value, bool)
            else None
        )

    def count(key: str) -> int | None:
        value = schema.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    minimum, maximum = num("minimum"), num("maximum")
    ex_min, ex_max = num("exclusiveMinimum"), num("exclusiveMaximum")
    if schema.get("exclusiveMinimum") is True:  # 3.0 style
        ex_min, minimum = minimum, None
    if schema.get("exclusiveMaximum") is True:
        ex_max, maximum = maximum, None
    pattern = schema.get("pattern")
    return Constraints(
        minimum=minimum,
        maximum=maximum,
        exclusive_minimum=ex_min,
        exclusive_maximum=ex_max,
        min_length=count("minLength"),
        max_length=count("maxLength"),
        pattern=pattern if isinstance(pattern, str) else None,
        min_items=count("minItems"),
        max_items=count("maxItems"),
    )


def _field(name: str, wire: str, ftype: TypeRef, required: bool, prop: Any, resolved: Any) -> Field:
    schema = resolved if isinstance(resolved, dict) else {}
    annotated = prop if isinstance(prop, dict) else {}
    description = annotated.get("description") or schema.get("description") or ""
    default = annotated.get("default", schema.get("default", MISSING))
    example = annotated.get("example", schema.get("example", MISSING))
    return Field(
        name=name,
        wire=wire,
        type=ftype,
        required=required,
        description=str(description),
        default=MISSING if default is MISSING else jsonable(default),
        example=MISSING if example is MISSING else jsonable(example),
        constraints=constraints_of(schema),
        read_only=bool(schema.get("readOnly")),
        write_only=bool(schema.get("writeOnly")),
        deprecated=bool(annotated.get("deprecated") or schema.get("deprecated")),
    )


def _enum_kind(values: list[Any]) -> str | None:
    """ "str" or "int" when every enum value is one (an enum class is generated), else None."""
    if values and all(isinstance(v, str) for v in values):
        return "str"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int"
    return None
