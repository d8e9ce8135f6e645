"""Modules: which generated module each model and enum lives in, and which classes it imports.

A small API keeps every model in `models.py`. A large one (more than `CHUNK` classes) spreads
them over `_models_<n>.py` modules and `models.py` re-exports them all, for four reasons:
a program imports only the modules of the classes it uses (defining a dataclass costs about
0.2 ms, so a part stays small: a first call that decodes a few classes of GitHub's 6,629
imports a few dozen), black formats the modules on both cores instead of one huge file on
one core, its memory peak is one module's tree rather than the whole file's, and an edit of
one schema reformats one module. A class's module is a hash of its name (of its inheritance
root, so that a base class and its subclasses share a module and only ever import each other
at type-check time) modulo a power of two, so adding or removing a schema moves no other
class, except when the number of modules doubles or halves.

Models refer to classes of other modules only in annotations, which the runtime resolves by
name (`_runtime._TYPES`), so those imports sit under `TYPE_CHECKING` and cycles are harmless.
`models.py` imports no part at run time: its `__getattr__` imports a part when one of its
classes is first used (`from <package>.models import X`, `models.X`, or a response decoded).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from generator import layout
from generator.model import (
    Api,
    Enum,
    EnumRef,
    ListOf,
    MapOf,
    Model,
    ModelRef,
    Nullable,
    TypeRef,
    UnionOf,
)

CHUNK = 32  # classes per module, about (hashing spreads them unevenly; at most 2x fewer)


@dataclass
class ModelModule:
    name: str  # "models", or "_models_<n>" when models.py only re-exports
    enums: list[Enum] = field(default_factory=list)
    models: list[Model] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # __all__, in ruff's order
    deferred: list[str] = field(default_factory=list)  # under `if TYPE_CHECKING:`

    @property
    def part(self) -> str:
        """The number of a `_models_<n>` module ("" for `models`)."""
        return self.name.removeprefix("_models_") if self.name != "models" else ""


@functools.cache  # the same names are sorted several times a run (plan, index, imports)
def natural(text: str) -> list[str | int]:
    """`text` as a natural sort key (shared between calls: do not mutate it)."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


def _kind(name: str) -> int:
    return 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2


def isort_key(name: str) -> tuple[int, list[str | int]]:
    """How ruff orders `__all__` (RUF022): CONSTANTS, Classes, others; natural order."""
    return _kind(name), natural(name)


def import_key(name: str) -> tuple[int, list[str | int], list[str | int]]:
    """How ruff's isort orders the names of a `from` import: by type, then case-insensitively."""
    return _kind(name), natural(name.lower()), natural(name)


def ordered_models(models: Sequence[Model]) -> list[Model]:
    """Models in spec order, except that a base class always comes before its subclasses."""
    by_name = {m.name: m for m in models}
    out: list[Model] = []
    done: set[str] = set()
    for model in models:
        chain: list[Model] = []
        current: Model | None = model
        while current is not None and current.name not in done and current not in chain:
            chain.append(current)
            current = by_name.get(current.base) if current.base else None
        for m in reversed(chain):
            done.add(m.name)
            out.append(m)
    return out


def walk(t: TypeRef) -> Iterator[TypeRef]:
    """`t` and every type inside it."""
    yield t
    match t:
        case ListOf(item=inner) | MapOf(value=inner) | Nullable(inner=inner):
            yield from walk(inner)
        case UnionOf(items=items):
            for item in items:
                yield from walk(item)


def _bucket(name: str, count: int) -> int:
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % count


def plan(api: Api) -> list[ModelModule]:
    """The model modules, each with its classes (in dependency order) and the imports of the
    classes it refers to in other modules (the rest of its imports come from what renders)."""
    ordered = ordered_models(api.models)
    needed = -(-(len(api.enums) + len(api.models)) // CHUNK)
    count = 1 << (needed - 1).bit_length() if needed > 1 else 1  # a power of two: stable
    if count <= 1:
        return [_finish(ModelModule("models", list(api.enums), ordered), {})]
    by_name = {m.name: m for m in api.models}

    def root(model: Model) -> str:
        seen = {model.name}
        while model.base in by_name and model.base not in seen:
            model = by_name[model.base]
            seen.add(model.name)
        return model.name

    modules = [ModelModule(f"_models_{i}") for i in range(count)]
    home: dict[str, str] = {}
    for e in api.enums:
        module = modules[_bucket(e.name, count)]
        module.enums.append(e)
        home[e.name] = module.name
    for m in ordered:
        module = modules[_bucket(root(m), count)]
        module.models.append(m)
        home[m.name] = module.name
    return [_finish(m, home) for m in modules if m.enums or m.models]


def _finish(module: ModelModule, home: dict[str, str]) -> ModelModule:
    types = [t for m in module.models for f in m.fields for t in walk(f.type)]
    module.names = sorted(
        [e.name for e in module.enums] + [m.name for m in module.models], key=isort_key
    )
    elsewhere: dict[str, set[str]] = {}
    for t in types:
        if isinstance(t, ModelRef | EnumRef) and home.get(t.name, module.name) != module.name:
            elsewhere.setdefault(home[t.name], set()).add(t.name)
    module.deferred = [
        layout.import_from(f".{other}", sorted(elsewhere[other], key=import_key), depth=1)
        for other in sorted(elsewhere, key=natural)
    ]
    return module


def index(modules: list[ModelModule]) -> dict[str, list[str]]:
    """The parts of a `models.py` that re-exports split modules lazily: the imports type
    checkers see, `__all__`, and the module of each class (imported when first used)."""
    names = sorted((n for m in modules for n in m.names), key=isort_key)
    home = {n: m.name for m in modules for n in m.names}
    return {
        "imports": [
            layout.import_from(f".{m.name}", sorted(m.names, key=import_key), depth=1)
            for m in modules
        ],
        "names": names,
        "home": [f'    "{n}": ".{home[n]}",' for n in names],
        "enums": sorted((e.name for m in modules for e in m.enums), key=isort_key),
    }
