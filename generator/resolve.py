"""Resolve: a parsed document in, one tree with every external file reference bundled in, out.

Internal `#/...` references of the entry document stay references, so component names survive
into the IR, and keywords beside a `$ref` (OpenAPI 3.1) are kept. External file references
(`models/pet.yaml`, `common.yaml#/Error`) are bundled:

- a reference that stands where a schema goes is moved to `#/components/schemas/<name>` (named
  after the pointer's last token, else the file's stem) and becomes an internal reference, so
  external schemas get class names and recursive schemas across files need no special case;
- any other reference (a parameter, a response, a path item, an operation, a description) is
  inlined where it stands; later references to the same target point at that first copy;
- references *inside* an external file (`#/page_links` in `resources/x.yml`) mean that file,
  and are rewritten accordingly.

Before a file is opened its reference is checked: remote references (any URL scheme) are refused
without opening a connection, and files must stay inside the entry document's folder. `$ref`s
inside `x-` extensions and example values are data and are never followed (Redocly's
`x-codeSamples` point at code files). External files are parsed with the same loader as the
entry document (`load.parse`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator import naming
from generator import pointer as jsonpointer
from generator.diagnostics import Diagnostic, SpecError, error
from generator.load import SourceMap, parse

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DATA_KEYS = frozenset({"example", "examples", "default", "const", "enum"})
# Keys whose value is a schema (inside a schema), and keys whose value maps names to schemas.
_SCHEMA_ONE = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "additionalItems",
        "contentSchema",
    }
)
_SCHEMA_MAP = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
_SCHEMA_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_MAX_FILES = 20_000


def iter_refs(node: Any, path: tuple[object, ...] = ()) -> Iterator[tuple[tuple[object, ...], str]]:
    """Every `$ref` string in the tree with its location, skipping `x-` extensions and examples."""
    stack: list[tuple[Any, tuple[object, ...]]] = [(node, path)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield where, ref
            for key, value in current.items():
                if isinstance(key, str) and (
                    key.startswith("x-") or key in ("example", "examples")
                ):
                    continue
                if key == "$ref" and not isinstance(value, (dict, list)):
                    continue
                if isinstance(value, (dict, list)):
                    stack.append((value, (*where, key)))
        elif isinstance(current, list):
            for index, value in enumerate(current):
                if isinstance(value, (dict, list)):
                    stack.append((value, (*where, index)))


def _is_remote(ref: str) -> bool:
    return bool(_SCHEME.match(ref)) and not re.match(r"^[A-Za-z]:[\\/]", ref)


class _Bundler:
    def __init__(self, data: dict[str, Any], spec_path: Path, source: SourceMap) -> None:
        self.root_file = spec_path.resolve()
        self.root_dir = self.root_file.parent
        self.source = source
        self.files: dict[Path, Any] = {self.root_file: data}
        self.problems: list[Diagnostic] = []
        self.placed: dict[tuple[Path, str], str] = {}  # (file, fragment) -> internal pointer
        self.active: set[tuple[Path, str]] = set()
        components = data.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        self.component_names = naming.Namer(
            {str(k) for k in schemas} if isinstance(schemas, dict) else set()
        )
        self.hoisted: dict[str, Any] = {}

    # -- problems ------------------------------------------------------------------------------
    def fail(self, message: str, where: tuple[object, ...], file: Path) -> None:
        ptr = jsonpointer.join(*where, "$ref")
        if file == self.root_file:
            self.problems.append(error(message, ptr, self.source.file, self.source.line_of(ptr)))
        else:
            self.problems.append(
                error(f"{message} (in {self._display(file)})", ptr, self.source.file)
            )

    def _display(self, file: Path) -> str:
        try:
            return str(file.relative_to(self.root_dir))
        except ValueError:  # pragma: no cover - files outside the folder are refused earlier
            return str(file)

    # -- files ---------------------------------------------------------------------------------
    def target(self, ref: str, base: Path, where: tuple[object, ...]) -> tuple[Path, str] | None:
        """(file, fragment) named by `ref` written in `base`, or None after reporting why."""
        if _is_remote(ref):
            self.fail(f"remote reference {ref!r} refused: oagen never fetches URLs", where, base)
            return None
        file_part, _, fragment = ref.partition("#")
        if not file_part:
            return base, fragment
        file_part = file_part.replace("%7B", "{").replace("%7D", "}").replace("%20", " ")
        raw = Path(file_part)
        path = (raw if raw.is_absolute() else base.parent / raw).resolve()
        if not path.is_relative_to(self.root_dir):
            self.fail(
                f"file reference {ref!r} leaves the spec's folder ({self.root_dir}): refused",
                where,
                base,
            )
            return None
        if path not in self.files:
            if not path.is_file():
                self.fail(f"file reference {ref!r}: no such file", where, base)
                return None
            if len(self.files) > _MAX_FILES:
                self.fail(f"more than {_MAX_FILES} referenced files: refused", where, base)
                return None
            try:
                self.files[path] = parse(path.read_bytes(), self._display(path))
            except SpecError as exc:
                self.problems.extend(exc.diagnostics)
                return None
            except OSError as exc:
                self.fail(f"cannot read {ref!r}: {exc.strerror or exc}", where, base)
                return None
        return path, fragment

    # -- the walk ------------------------------------------------------------------------------
    def bundle(self) -> dict[str, Any]:
        root = self.files[self.root_file]
        out: dict[str, Any] = {}
        # components first, so that the first copy of a shared target lands under components
        keys = sorted(root, key=lambda k: 0 if k == "components" else 1)
        for key in keys:
            out[key] = self.walk(
                root[key], self.root_file, (key,), (key,), key == "components" and "components"
            )
        if self.hoisted:
            components = out.setdefault("components", {})
            if not isinstance(components, dict):  # pragma: no cover - an invalid document
                components = out["components"] = {}
            schemas = components.setdefault("schemas", {})
            if isinstance(schemas, dict):
                schemas.update(self.hoisted)
        order = [*root, *(k for k in out if k not in root)]  # keep the entry file's key order
        return {k: out[k] for k in order}

    def walk(
        self, node: Any, file: Path, where: tuple[object, ...], out_at: tuple[object, ...], ctx: Any
    ) -> Any:
        """A copy of `node` (from `file`, at `where`) to be placed at `out_at`, refs bundled.

        `ctx` is "schema" where a schema stands, "schemas" for a name -> schema mapping,
        "components" for the components object, else a falsy value.
        """
        if isinstance(node, list):
            item_ctx = "schema" if ctx == "schema_list" else None
            return [
                self.walk(v, file, (*where, i), (*out_at, i), item_ctx) for i, v in enumerate(node)
            ]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and not (file == self.root_file and ref.startswith("#")):
            return self.reference(node, ref, file, where, out_at, ctx)
        out: dict[Any, Any] = {}
        for key, value in node.items():
            if not isinstance(value, (dict, list)) or (
                isinstance(key, str)
                and (
                    key.startswith("x-")
                    or (key in _DATA_KEYS and (ctx == "schema" or key.startswith("ex")))
                )
            ):
                out[key] = value
                continue
            if key == "discriminator" and ctx == "schema" and isinstance(value, dict):
                out[key] = self.discriminator(value, file, (*where, key))
                continue
            out[key] = self.walk(
                value, file, (*where, key), (*out_at, key), self.child_ctx(ctx, key)
            )
        return out

    def discriminator(
        self, node: dict[str, Any], file: Path, where: tuple[object, ...]
    ) -> dict[str, Any]:
        """A discriminator whose `mapping` values that name other files point into the bundle."""
        mapping = node.get("mapping")
        if not isinstance(mapping, dict):
            return node
        out = dict(node)
        out["mapping"] = {}
        for value, target in mapping.items():
            if (
                isinstance(target, str)
                and (file != self.root_file or not target.startswith("#"))
                and ("/" in target or "#" in target or target.endswith((".yaml", ".yml", ".json")))
            ):
                done = self.reference(
                    {"$ref": target},
                    target,
                    file,
                    (*where, "mapping", value),
                    ("mapping",),
                    "schema",
                )
                target = done.get("$ref", target) if isinstance(done, dict) else target
            out["mapping"][value] = target
        return out

    @staticmethod
    def child_ctx(ctx: Any, key: Any) -> Any:
        if ctx == "components":
            return "schemas" if key == "schemas" else "component_group"
        if ctx == "schemas":
            return "schema"
        if ctx == "schema":
            if key in _SCHEMA_ONE:
                return "schema"
            if key in _SCHEMA_MAP:
                return "schemas"
            if key in _SCHEMA_LIST:
                return "schema_list"
            return None
        return "schema" if key == "schema" else None

    def reference(
        self,
        node: dict[str, Any],
        ref: str,
        file: Path,
        where: tuple[object, ...],
        out_at: tuple[object, ...],
        ctx: Any,
    ) -> Any:
        found = self.target(ref, file, where)
        if found is None:
            return node
        target_file, fragment = found
        siblings = {
            k: self.walk(v, file, (*where, k), (*out_at, k), self.child_ctx(ctx, k))
            for k, v in node.items()
            if k != "$ref"
        }
        key = (target_file, fragment)
        if target_file == self.root_file:
            internal = "#" + fragment
        elif key in self.placed:
            internal = self.placed[key]
        else:
            ok, value = jsonpointer.follow(self.files[target_file], _fragment_tokens(fragment))
            if not ok:
                self.fail(f"reference {ref!r} points nowhere", where, file)
                return node
            in_place = len(out_at) == 3 and out_at[:2] == ("components", "schemas")
            hoist = ctx == "schema" and not in_place
            if hoist or key in self.active:
                # a schema: give it a component name; a loop elsewhere: refer to the first copy
                if not hoist:
                    self.fail(f"reference loop through {ref!r}", where, file)
                    return node
                name = self.component_names.claim(self._name_for(target_file, fragment))
                internal = jsonpointer.join("components", "schemas", name)
                self.placed[key] = internal
                self.active.add(key)
                try:
                    self.hoisted[name] = self.walk(
                        value,
                        target_file,
                        _fragment_tokens(fragment),
                        ("components", "schemas", name),
                        "schema",
                    )
                finally:
                    self.active.discard(key)
            else:
                self.placed[key] = jsonpointer.join(*out_at)
                self.active.add(key)
                try:
                    inlined = self.walk(value, target_file, _fragment_tokens(fragment), out_at, ctx)
                finally:
                    self.active.discard(key)
                if siblings and isinstance(inlined, dict):
                    return {**inlined, **siblings}
                return inlined
        return {"$ref": internal, **siblings}

    @staticmethod
    def _name_for(file: Path, fragment: str) -> str:
        tokens = [t for t in _fragment_tokens(fragment) if not t.isdigit()]
        stem = file.name.split(".", 1)[0]
        return tokens[-1] if tokens else stem or "Schema"


def _fragment_tokens(fragment: str) -> tuple[str, ...]:
    """The tokens of a file reference's fragment; its leading `/` is optional, and "" or "/" is
    the whole file."""
    body = fragment[1:] if fragment.startswith("/") else fragment
    return jsonpointer.split("/" + body) if body else ()


def check_refs(
    data: dict[str, Any], spec_path: Path, source: SourceMap
) -> list[tuple[tuple[object, ...], str]]:
    """Refuse remote refs and refs that leave the spec's folder; return the external file refs."""
    root = spec_path.resolve().parent
    problems: list[Diagnostic] = []
    external: list[tuple[tuple[object, ...], str]] = []
    for where, ref in iter_refs(data):
        if ref.startswith("#"):
            continue
        ptr = jsonpointer.join(*where, "$ref")
        if _is_remote(ref):
            problems.append(
                error(
                    f"remote reference {ref!r} refused: oagen never fetches URLs",
                    ptr,
                    source.file,
                    source.line_of(ptr),
                )
            )
            continue
        file_part = ref.split("#", 1)[0]
        target = (
            (root / file_part).resolve()
            if not os.path.isabs(file_part)
            else Path(file_part).resolve()
        )
        if not target.is_relative_to(root):
            problems.append(
                error(
                    f"file reference {ref!r} leaves the spec's folder ({root}): refused",
                    ptr,
                    source.file,
                    source.line_of(ptr),
                )
            )
            continue
        if not target.is_file():
            problems.append(
                error(
                    f"file reference {ref!r}: no such file", ptr, source.file, source.line_of(ptr)
                )
            )
            continue
        external.append((where, ref))
    if problems:
        raise SpecError(problems)
    return external


def resolve(data: dict[str, Any], spec_path: Path, source: SourceMap) -> dict[str, Any]:
    """Bundle external file references into one tree; internal refs are left in place."""
    external = check_refs(data, spec_path, source)
    if not external:
        return data  # nothing to bundle: the tree is used as parsed
    bundler = _Bundler(data, spec_path, source)
    bundled = bundler.bundle()
    if bundler.problems:
        raise SpecError(bundler.problems)
    return bundled
