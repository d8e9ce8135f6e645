"""Validate, the walkers' paths: jsonschema-path's `SchemaPath`, each path resolved once.

In: the `SchemaPath` openapi-spec-validator builds for a document (`SpecValidator.schema_path`),
which its keyword walkers (paths, operations, parameters, every Schema Object) read through.
Out: `fast(path)`, a path over the same document and resolver whose every read gives what the
stock path gives: the same values, through the same `$ref`s, with the same resolver, raising the
same exceptions where a key is missing or a reference dangles.

The stock path resolves its whole address at each read (`"allOf" in schema`, `schema / "items"`,
`read_value()`): a 128-entry LRU of full addresses, else a walk from the longest cached prefix
that checks each node against a runtime `Protocol` (`isinstance(node, Subscriptable)`: slow on
Python 3.11). github.json's walk made 477,403 such resolutions and 128,417 Protocol checks.
Here each address is resolved once, from its parent's resolution (`_Accessor.get_resolved`), a
node is a dict or list checked by its exact type, each `$ref` is looked up once per resolver
state, and a path remembers its own resolution. That is sound because a resolution is a function
of the address alone while the resolver's registry does not change: internal references never
change it. A lookup that does (a registry grown by retrieving a resource, or by crawling for an
anchor) turns the accessor back into the stock one for the rest of the run. A `$ref` chain that
comes back to a node is followed by the stock function (it stops as the stock one stops). On
github.json the walkers' CPU (their meta-checks included) went from about 2.7 to 1.2 s
(`bench/validator.py --phases`); the resolutions kept are emptied when the run is over
(`Memo.clear`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from typing import Any

from jsonschema_path.accessors import SchemaAccessor
from jsonschema_path.nodes import SchemaNode
from jsonschema_path.paths import SchemaPath
from referencing._core import Resolved, Resolver

Parts = tuple[Hashable, ...]


def fast(path: SchemaPath) -> SchemaPath:
    """`path` (openapi-spec-validator's root path of a document), resolving each address once;
    `path` itself when it is not the accessor this module knows."""
    stock = path.accessor
    if type(stock) is not SchemaAccessor or type(path) is not SchemaPath:
        return path
    accessor = _Accessor(stock)
    return _Path._from_parsed_parts(path.parts, separator=path.separator, accessor=accessor)


class _Accessor(SchemaAccessor):
    """A `SchemaAccessor` whose resolutions are kept: each address once, from its parent's."""

    def __init__(self, stock: SchemaAccessor) -> None:
        resolver: Resolver[Any] = stock._path_resolver.resolver
        node: Any = stock.node
        super().__init__(node, resolver, resolved_cache_maxsize=stock._resolved_cache_maxsize)
        self._registry = resolver._registry
        self._known: dict[Parts, Resolved[Any]] = {}
        self._lookups: dict[tuple[Any, ...], Resolved[Any]] = {}
        self.stock = False  # True once the registry changed: the stock resolution from then on
        self.caches = [self._known, self._lookups]  # emptied when the run is over (`Memo.clear`)

    @classmethod
    def _get_subnode(cls, node: Any, part: Any) -> Any:
        kind = type(node)
        if kind is dict or kind is list:  # `Subscriptable` without the Protocol check
            try:
                return node[part]
            except (KeyError, IndexError, TypeError) as exc:
                raise KeyError(part) from exc
        return super()._get_subnode(node, part)

    @classmethod
    def _is_traversable_node(cls, node: Any) -> bool:
        kind = type(node)
        return kind is dict or kind is list or super()._is_traversable_node(node)

    def get_resolved(self, parts: Sequence[Any]) -> Resolved[Any]:
        if self.stock:
            return super().get_resolved(parts)
        key = parts if type(parts) is tuple else tuple(parts)
        known = self._known
        resolved = known.get(key)
        if resolved is not None:
            return resolved
        start = len(key) - 1
        while start >= 0 and key[:start] not in known:
            start -= 1
        if start < 0:
            resolved = self._resolve(self.node, self._path_resolver.resolver)
            if self.stock:
                return super().get_resolved(parts)
            known[()] = resolved
            start = 0
        else:
            resolved = known[key[:start]]
        for index in range(start, len(key)):
            node = self._get_subnode(resolved.contents, key[index])
            resolved = self._resolve(node, resolved.resolver)
            if self.stock:  # the registry changed on the way
                return super().get_resolved(parts)
            known[key[: index + 1]] = resolved
        return resolved

    def _resolve(self, node: Any, resolver: Resolver[Any]) -> Resolved[Any]:
        """`SchemaNode._resolve_node`: `node`, or what its chain of `$ref`s leads to. A chain
        that comes back to a node it went through is the stock function's to follow (a loop:
        it stops as the stock one stops)."""
        first, seen = (node, resolver), set()
        while isinstance(node, dict) and "$ref" in node and isinstance(node["$ref"], str):
            if id(node) in seen:
                return SchemaNode._resolve_node(*first)
            seen.add(id(node))
            ref: str = node["$ref"]
            lookup = (ref, resolver._base_uri, resolver._previous)
            found = self._lookups.get(lookup) if resolver._registry is self._registry else None
            if found is None:
                found = resolver.lookup(ref)
                if found.resolver._registry is not self._registry:
                    self.stock = True  # the caller starts again, the stock way
                    return found
                self._lookups[lookup] = found
            node, resolver = found.contents, found.resolver
        return Resolved(contents=node, resolver=resolver)  # type: ignore[call-arg]


class _Path(SchemaPath):
    """A `SchemaPath` over an `_Accessor`: children made without re-parsing the address."""

    accessor: _Accessor

    def _clone_with_parts(self, parts: tuple[Hashable, ...]) -> _Path:
        new = object.__new__(_Path)
        new.__dict__.update(parts=parts, separator=self.separator, accessor=self.accessor)
        return new

    def __truediv__(self, key: Any) -> _Path:
        if type(key) is str and key and key != "." and self.separator not in key:
            return self._clone_with_parts((*self.parts, key))
        return super().__truediv__(key)

    def _contents(self) -> Any:
        """What the path names (its `$ref`s followed), remembered while the registry holds."""
        known = self.__dict__
        if "_node" in known:
            return known["_node"]
        node = self.accessor.get_resolved(self.parts).contents
        if not self.accessor.stock:
            known["_node"] = node
        return node

    def __contains__(self, key: Any) -> bool:
        """`SchemaAccessor.contains`."""
        try:
            node = self._contents()
        except (KeyError, IndexError, TypeError):
            return False
        if isinstance(node, dict):
            return key in node
        if isinstance(node, list):
            return isinstance(key, int) and 0 <= key < len(node)
        return False

    def read_value(self) -> Any:
        return self._contents()

    def keys(self) -> Any:
        """`SchemaAccessor.keys`."""
        node = self._contents()
        if isinstance(node, dict):
            return node.keys()
        if isinstance(node, list):
            return range(len(node))
        if self.parts:
            raise KeyError(self.parts[-1])
        raise KeyError

    def items(self) -> Iterator[tuple[Any, _Path]]:
        for key in self.keys():
            yield key, self._clone_with_parts((*self.parts, key))

    def __iter__(self) -> Iterator[_Path]:
        for key in self.keys():
            yield self._clone_with_parts((*self.parts, key))
