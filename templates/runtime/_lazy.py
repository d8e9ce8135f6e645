"""Loading on first use: the client's methods and the models, so that `import <package>` and
`Client()` stay fast whatever the API's size.

Part of the runtime copied verbatim into each generated package (import it through
`_runtime`). Type checkers never see this machinery: the generated modules declare the real
classes and imports under `if TYPE_CHECKING:` and use these helpers only in the `else:`
branch, so that mypy and editors see every method and model exactly as declared.

- `Lazy` (metaclass `LazyMethods`): a client class whose methods live in their group modules
  (`Groups`: `_client_<tag>.py`, imported when one of its methods is first looked up, on the
  class or on an instance), or wrap another client's methods (`Wrapped`: the raw-response,
  streaming and asyncio classes). A method found is kept on the class: the second lookup is
  an ordinary attribute lookup.
- `module_attribute`, `package_attribute`: a module's `__getattr__` (PEP 562) that imports
  the module holding a name (`models.py` re-exporting its `_models_<n>` parts; the package
  root its `models` and their classes).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any


class _Finder:
    """Where a class's methods come from (see `Groups` and `Wrapped`)."""

    def names(self) -> Collection[str]:
        raise NotImplementedError

    def find(self, owner: type, name: str) -> Any:
        raise NotImplementedError


class Groups(_Finder):
    """The methods of a generated client, by group: `{"module:Class": (method, ...)}`.

    Looking up one method imports its group's module and keeps every method of that group
    (and the group's `_cli_help` table) on the class that holds this table.
    """

    def __init__(self, package: str, groups: Mapping[str, Iterable[str]]) -> None:
        self._package = package
        self._where = {name: spec for spec, names in groups.items() for name in names}

    def names(self) -> Collection[str]:
        return self._where.keys()

    def find(self, owner: type, name: str) -> Any:
        spec = self._where.get(name)
        if spec is None:
            raise AttributeError(name)
        module, _, cls_name = spec.partition(":")
        group = getattr(importlib.import_module(module, self._package), cls_name)
        for key, value in vars(group).items():
            if key == "_cli_help":
                if "_cli_help" not in owner.__dict__:
                    type.__setattr__(owner, "_cli_help", {})
                owner.__dict__["_cli_help"].update(value)
            elif not key.startswith("__") and key not in owner.__dict__:
                type.__setattr__(owner, key, value)
        return owner.__dict__[name]


class Wrapped(_Finder):
    """The methods of `source`'s lazy table, each wrapped once by `wrapper`
    (`rt.raw_method(Client.<op>)`, ...), or by its own in `special`."""

    def __init__(
        self,
        wrapper: Callable[[Any], Any],
        source: type,
        special: Mapping[str, Callable[[Any], Any]] | None = None,
    ) -> None:
        self._wrapper = wrapper
        self._source = source
        self._special = dict(special or {})  # methods wrapped otherwise (paged ones)

    def names(self) -> Collection[str]:
        return _finder(self._source).names()

    def find(self, owner: type, name: str) -> Any:
        if name not in self.names():
            raise AttributeError(name)
        wrapper = self._special.get(name, self._wrapper)
        value = wrapper(getattr(self._source, name))
        type.__setattr__(owner, name, value)
        return value


def _holder(cls: type) -> type:
    """The class of `cls`'s MRO that declares the lazy table (found methods are kept there)."""
    for klass in cls.__mro__:
        if isinstance(klass.__dict__.get("_lazy"), _Finder):
            return klass
    raise AttributeError("_lazy")


def _finder(cls: type) -> _Finder:
    finder: _Finder = _holder(cls).__dict__["_lazy"]
    return finder


class LazyMethods(type):
    """Metaclass of `Lazy`: a public class attribute not found the ordinary way is looked up
    in the class's lazy table."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(
                f"type object {cls.__name__!r} has no attribute {name!r}"
            )
        try:
            holder = _holder(cls)
            return _finder(holder).find(holder, name)
        except AttributeError:
            raise AttributeError(
                f"type object {cls.__name__!r} has no attribute {name!r}"
            ) from None

    def __dir__(cls) -> Iterable[str]:
        names = set(super().__dir__())
        try:
            names.update(_finder(cls).names())
        except AttributeError:
            pass
        return sorted(names)


class Lazy(metaclass=LazyMethods):
    """Base of a generated client class whose methods load on first use (`_lazy`)."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {name!r}"
            )
        try:
            getattr(type(self), name)  # found and kept on the class, or AttributeError
        except AttributeError:
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {name!r}"
            ) from None
        return object.__getattribute__(self, name)

    def __dir__(self) -> Iterable[str]:
        return sorted(set(super().__dir__()) | set(dir(type(self))))


def module_attribute(module: str, table: Mapping[str, str], name: str) -> Any:
    """A module's `__getattr__`: `name` from the module `table` says (relative to the
    package), kept in `module` so that it is found the ordinary way next time."""
    where = table.get(name)
    if where is None:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where, module.rpartition(".")[0]), name)
    setattr(sys.modules[module], name, value)
    return value


def package_attribute(package: str, exported: Collection[str], name: str) -> Any:
    """The package root's `__getattr__`: `models`, one of its classes (`exported`), or a
    private module (`_ops`, `_client_<tag>`: attributes of the package once imported, as
    they were when `import <package>` imported them all)."""
    value: Any
    if name.startswith("_") and not name.startswith("__") and name.isidentifier():
        try:
            value = importlib.import_module(f".{name}", package)
        except ModuleNotFoundError as exc:
            if exc.name != f"{package}.{name}":
                raise
            raise AttributeError(
                f"module {package!r} has no attribute {name!r}"
            ) from None
        return value
    if name.startswith("__") or name not in exported:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    models = importlib.import_module(".models", package)
    value = models if name == "models" else getattr(models, name)
    setattr(sys.modules[package], name, value)
    return value
