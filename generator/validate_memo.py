"""Validate, memoized: openapi-spec-validator's checks, each run once per distinct value.

In: a document, and the validators openapi-spec-validator would run on it. Out: validators that
report the same findings (the same messages at the same paths, in the same order) doing less.

A large spec repeats itself: github.json's 90,570 objects and arrays have 26,199 distinct
contents (the same parameter, the same `{"type": "string"}`, the same `$ref` object), and the
OAS 3.0 JSON Schema checks each occurrence again. `Shapes` gives every value of the document
an identity by content (type-exact and order-exact: `1`, `1.0` and `True` differ, and so do
`{"a", "b"}` keys in another order); a check whose outcome is a function of the value's content
alone is then run once per shape and replayed for the other occurrences:

- the check of the document against the OAS JSON Schema, and each Schema Object's check against
  its dialect's meta-schema, at each `$ref` and `$dynamicRef` of those schemas (a reference's
  outcome depends on the reference, the resolver's base URI and dynamic scope, the format
  checker and the instance, nothing else: `memoizing`);
- each Schema Object's meta-check (`check_schema`) as a whole, by one validator per dialect
  built over a registry crawled once (the stock check builds a new one per schema, whose
  uncrawled registry is crawled again at every `$dynamicRef`).

And what jsonschema recomputes at each step of a check, whatever the instance, is made once by
the memoizing class: a reference's lookup per resolver state, a subschema's resolver (its
`in_subresource`) per parent resolver, an evolved validator per schema and resolver state.

Replayed errors are copies (fresh paths: callers prepend to them), so a finding's message and
path are what the check itself would have produced. The run's walkers read the document through
paths that resolve each address once (`Memo.paths`, `validate_paths`).
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Hashable, Iterator
from typing import Any

Shape = Hashable


class Shapes:
    """The identity by content of the document's values, computed once per object.

    A container's shape is an int (equal ints: equal contents, same key order, same types);
    a string is its own shape, another scalar's is `(type, value)`. `of` returns None for what
    it cannot compare (a YAML set, a dict subclass): such values are never memoized. Each
    container is held while its shape is known, so no id can be reused meanwhile."""

    def __init__(self) -> None:
        self._ids: dict[int, tuple[Any, Shape | None]] = {}
        self._interned: dict[tuple[Any, ...], int] = {}

    def of(self, value: Any) -> Shape | None:
        kind = type(value)
        if kind is str:
            text: str = value
            return text  # no other shape is a str
        if kind is dict or kind is list:
            known = self._ids.get(id(value))
            if known is None:
                known = (value, self._container(value))
                self._ids[id(value)] = known
            return known[1]
        try:
            hash(value)
        except TypeError:  # a set, or a container of another type
            return None
        return (kind, value)

    def _container(self, value: dict[Any, Any] | list[Any]) -> Shape | None:
        parts: list[Any]
        of = self.of
        if type(value) is dict:
            parts = ["d"]
            append = parts.append
            for key, item in value.items():
                shape = item if type(item) is str else of(item)  # `of`'s first case, inline
                if shape is None:
                    return None
                # keys 1, 1.0 and True are equal: typed unless they are strings
                append(key if type(key) is str else (type(key), key))
                append(shape)
        else:
            parts = ["l"]
            append = parts.append
            for item in value:
                shape = item if type(item) is str else of(item)
                if shape is None:
                    return None
                append(shape)
        try:
            return self._interned.setdefault(tuple(parts), len(self._interned))
        except TypeError:  # an unhashable key
            return None


def clone(error: Any) -> Any:
    """A copy of a jsonschema error with its own path deques (its callers prepend to them).

    Not `create_from`: that would re-parent the error's context to the copy."""
    cls: Any = type(error)
    copy = cls.__new__(cls)
    copy.__dict__.update(error.__dict__)
    copy.args = error.args
    copy.path = copy.relative_path = deque(error.path)
    copy.schema_path = copy.relative_schema_path = deque(error.schema_path)
    copy.context = list(error.context)
    copy.__cause__ = error.__cause__
    return copy


class Memo:
    """One validation run's memory: the shapes of its document's values, what each check found."""

    def __init__(self) -> None:
        self.shapes = Shapes()
        self._found: dict[Hashable, tuple[Any, ...]] = {}
        self._first: dict[Hashable, Any] = {}
        self._meta: dict[tuple[Any, Any], Any] = {}
        self.caches: list[dict[Any, Any]] = []  # what the run's classes and paths made once

    def clear(self) -> None:
        """Forget everything (the run is over)."""
        self.shapes = Shapes()
        self._found.clear()
        self._first.clear()
        self._meta.clear()
        for cache in self.caches:
            cache.clear()

    def replaying(self, key: Hashable, check: Callable[[], Iterator[Any]]) -> Iterator[Any]:
        """The errors of `check()`, replayed when `key` was checked to the end before."""
        known = self._found.get(key)
        if known is not None:
            for error in known:
                yield clone(error)
            return
        seen = []
        for error in check():
            seen.append(clone(error))
            yield error
        self._found[key] = tuple(seen)  # only when the caller read them all

    def validator(self, stock: Any) -> Any:
        """A jsonschema validator finding what `stock` (an instance) finds: over `stock`'s
        registry crawled once, and with its `$ref`s memoized where that is sound."""
        stock = getattr(stock, "__wrapped__", stock)  # openapi-spec-validator's lazy proxies
        registry = _crawled(stock)
        cls = memoizing(type(stock), self) or type(stock)
        return cls(
            stock.schema,
            format_checker=stock.format_checker,
            registry=registry,
            _resolver=registry.resolver(base_uri=stock._resolver._base_uri),
        )

    def paths(self, root: Any) -> Any:
        """The walkers' root path `root` (a jsonschema-path `SchemaPath`), resolving each
        address once (`validate_paths.fast`)."""
        from generator.validate_paths import fast

        path = fast(root)
        self.caches += getattr(path.accessor, "caches", [])
        return path

    def schema_check(self, check: Callable[..., None]) -> Callable[[Any], None]:
        """openapi-schema-validator's `check_schema` (`check`, as openapi-spec-validator's
        schema checker holds it), run once per shape by one validator; any other check as is.
        """
        found = _openapi_check(check)
        if found is None:
            return check
        cls, format_checker = found
        validator = self._meta.get((cls, format_checker))
        if validator is None:
            validator = self.validator(_stock_meta_validator(cls, format_checker))
            self._meta[(cls, format_checker)] = validator

        def run(schema: Any) -> None:
            from jsonschema.exceptions import SchemaError  # type: ignore[import-untyped]

            shape = self.shapes.of(schema)
            key = ("check_schema", id(validator), shape)
            if shape is None or key not in self._first:
                first = next(iter(validator.iter_errors(schema)), None)
                if shape is not None:
                    self._first[key] = first
            else:
                first = self._first[key]
            if first is not None:
                raise SchemaError.create_from(first)

        return run


_CRAWLED: dict[int, tuple[Any, Any]] = {}


def _crawled(stock: Any) -> Any:
    """`stock`'s registry (with its root schema), crawled: once per stock validator.

    The stock registry is never marked crawled, so every `$dynamicRef` or anchor lookup that
    misses crawls it all again (491 times on vastai-full). Crawling adds only the anchors and
    subresources those lookups would find; every reference resolves as before."""
    known = _CRAWLED.get(id(stock))
    if known is None:
        known = (stock, stock._resolver._registry.crawl())
        _CRAWLED[id(stock)] = known
    return known[1]


def _openapi_check(check: Any) -> tuple[Any, Any] | None:
    """(validator class, format checker) if `check` is openapi-schema-validator's
    `check_openapi_schema` bound to a class, perhaps with a format checker; else None.
    """
    from openapi_schema_validator import validators

    keywords: dict[str, Any] = {}
    if isinstance(check, functools.partial):
        if check.args or set(check.keywords) - {"format_checker"}:
            return None
        keywords, check = check.keywords, check.func
    if getattr(check, "__func__", None) is not validators.check_openapi_schema:
        return None
    cls = check.__self__
    return cls, keywords.get("format_checker", cls.FORMAT_CHECKER)


@functools.cache
def _stock_meta_validator(cls: Any, format_checker: Any) -> Any:
    """The validator `check_openapi_schema(cls, schema, format_checker)` builds for each schema."""
    from jsonschema.validators import validator_for  # type: ignore[import-untyped]
    from openapi_schema_validator import validators

    return validator_for(cls.META_SCHEMA, default=cls)(
        cls.META_SCHEMA,
        format_checker=format_checker,
        registry=validators.OPENAPI_SPECIFICATIONS,  # type: ignore[attr-defined]
    )


def memoizing(base: type[Any], memo: Memo) -> type[Any] | None:
    """`base` (a jsonschema validator class) with each `$ref` and `$dynamicRef` run once per
    (reference, resolver state, format checker, instance shape) in `memo`; None if `base`'s
    references are not jsonschema's own.

    The outcome of validating an instance against a referenced schema depends on nothing else:
    the registry is fixed, the resolver state is its base URI and, where `$dynamicRef` is a
    keyword, its dynamic scope (the URIs it went through); annotations do not flow out of a
    reference (jsonschema's `unevaluated*` recompute them from the schemas). Evolving into a
    schema whose `$schema` names `base`'s own dialect keeps the memoizing class."""
    import referencing.exceptions
    from jsonschema import _keywords, exceptions  # type: ignore[import-untyped]
    from jsonschema.validators import extend

    stock = {"$ref": _keywords.ref, "$dynamicRef": _keywords.dynamicRef}
    used = {k: f for k, f in stock.items() if k in base.VALIDATORS}
    if "$ref" not in used or "$recursiveRef" in base.VALIDATORS:
        return None
    if any(base.VALIDATORS[k] is not f for k, f in used.items()):
        return None
    scoped = "$dynamicRef" in used
    lookups: dict[tuple[Any, ...], tuple[Any, Any]] = {}
    memo.caches.append(lookups)

    def reference(validator: Any, ref: str, instance: Any) -> Iterator[Any]:
        """jsonschema's `_validate_reference` (without a legacy `RefResolver`), each lookup
        made once per resolver state: its result is a function of the reference and that."""
        resolver = validator._resolver
        key = (ref, resolver._base_uri, resolver._previous, id(resolver._registry))
        known = lookups.get(key)
        if known is None:
            try:
                known = (resolver, resolver.lookup(ref))  # the resolver holds the registry
            except referencing.exceptions.Unresolvable as err:
                raise exceptions._WrappedReferencingError(err) from err
            lookups[key] = known
        resolved = known[1]
        return validator.descend(instance, resolved.contents, resolver=resolved.resolver)  # type: ignore[no-any-return]

    def memoized(keyword: str, check: Any) -> Any:
        def run(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[Any]:
            shape = memo.shapes.of(instance) if isinstance(value, str) else None
            if shape is None or validator._ref_resolver is not None:
                yield from check(validator, value, instance, schema)
                return
            resolver = validator._resolver
            scope = tuple(resolver._previous) if scoped else ()
            fc = id(validator.format_checker)
            key = (
                type(validator),
                keyword,
                value,
                resolver._base_uri,
                scope,
                fc,
                shape,
            )
            yield from memo.replaying(key, lambda: reference(validator, value, instance))

        return run

    ours: type[Any] = extend(base, {k: memoized(k, f) for k, f in used.items()})
    ours.evolve = _evolve(ours, base, scoped, memo.caches)
    ours.descend = _descend(ours, memo.caches)
    return ours


def _descend(ours: type[Any], caches: list[dict[Any, Any]]) -> Callable[..., Any]:
    """jsonschema's `descend` for `ours`, given the resolver it would make for a subschema
    (`in_subresource` of the subschema as a resource): made once per (resolver, subschema)."""
    import referencing
    import referencing.jsonschema

    stock = ours.descend
    specification = referencing.jsonschema.specification_with(  # as `jsonschema.create` makes it
        dialect_id=ours.ID_OF(ours.META_SCHEMA) or "urn:unknown-dialect",
        default=referencing.Specification.OPAQUE,
    )
    made: dict[tuple[int, int], tuple[Any, Any, Any]] = {}
    caches.append(made)

    def descend(
        self: Any,
        instance: Any,
        schema: Any,
        path: Any = None,
        schema_path: Any = None,
        resolver: Any = None,
    ) -> Iterator[Any]:
        if resolver is None and self._ref_resolver is None and type(schema) is dict:
            key = (id(self._resolver), id(schema))
            known = made.get(key)
            if known is None:
                subresource = specification.create_resource(schema)
                known = (self._resolver, schema, self._resolver.in_subresource(subresource))
                made[key] = known
            resolver = known[2]
        return stock(self, instance, schema, path, schema_path, resolver)  # type: ignore[no-any-return]

    return descend


def _evolve(
    ours: type[Any], base: type[Any], scoped: bool, caches: list[dict[Any, Any]]
) -> Callable[..., Any]:
    """jsonschema's `evolve` for `ours`, except that a schema whose `$schema` names `base`'s
    dialect keeps `ours`, and that each evolved validator of `ours` (immutable, a function of
    its schema, resolver state, registry and format checker) is made once. `descend`'s calls
    (a schema and a resolver) find a validator already made under the key they would be made
    with before any of the work that makes a new one, and directly when the same validator
    evolves with the same schema and resolver objects again."""
    from attrs import fields
    from jsonschema.validators import validator_for

    init = [(f.name, f.alias) for f in fields(ours) if f.init]
    made: dict[tuple[Any, ...], tuple[Any, Any]] = {}
    again: dict[tuple[int, int, int], tuple[Any, ...]] = {}
    caches += [made, again]

    def key(schema: Any, resolver: Any, format_checker: Any, registry: Any) -> tuple[Any, ...]:
        previous = tuple(resolver._previous) if scoped else ()
        where = (resolver._base_uri, previous, id(resolver._registry))
        return (id(schema), *where, id(format_checker), id(registry))

    def evolve(self: Any, **changes: Any) -> Any:
        if len(changes) == 2 and self._ref_resolver is None:  # `descend`'s: a made one?
            resolver, schema = changes.get("_resolver"), changes.get("schema")
            if resolver is not None and schema is not None:
                same = (id(self), id(schema), id(resolver))  # the same objects: the same key
                hit = again.get(same)
                if hit is not None:
                    return hit[-1]
                known = made.get(key(schema, resolver, self.format_checker, self._registry))
                if known is not None:
                    again[same] = (self, schema, resolver, known[1])  # held: ids stay theirs
                    return known[1]
        schema = changes.setdefault("schema", self.schema)
        cls = validator_for(schema, default=ours)
        for name, alias in init:
            if alias not in changes:
                changes[alias] = getattr(self, name)
        if cls is not base and cls is not ours:
            return cls(**changes)
        resolver = changes.get("_resolver")
        if resolver is None or changes.get("resolver") is not None:
            return ours(**changes)
        made_as = key(schema, resolver, changes.get("format_checker"), changes.get("registry"))
        known = made.get(made_as)
        if known is None:
            known = (changes, ours(**changes))  # `changes` holds what the ids are of
            made[made_as] = known
        return known[1]

    return evolve
