"""The runtime contract: what the generator may rely on in `templates/runtime/`, read from it.

The runtime modules are real Python files copied verbatim into each generated package; the
generator must agree with them on a handful of facts, and each fact is read here from the
runtime's source (its AST: literals and definitions only, nothing is imported, so httpx is not
loaded into the generator and start-up stays cheap), never written a second time:

- `RUNTIME_FILES` / `runtime_text`: the modules copied into every package;
- `RUNTIME_EXPORTS`: what the package root re-exports from `_runtime` (the first part of its
  `__all__`), `RUNTIME_NAMES`: everything `_runtime` offers generated code;
- `CLIENT_ATTRIBUTES`: the public attributes of the runtime's clients, which a generated
  method may not take as its name (with the generated clients' own, `GENERATED_CLIENT_ATTRIBUTES`);
- `CALL_OPTIONS`: the per-call keyword options every generated method takes;
- `CLIENT_PARAMETERS`: the keyword arguments of the runtime client's constructor;
- `STATUS_ERRORS`: the exception class for each HTTP status that has one of its own
  (`generator.errors.error_class_name` reads it);
- `CONSTRAINTS`: the schema constraint keywords `Arg(...)` accepts;
- `RETRY_STATUSES` / `IDEMPOTENT_METHODS`: the retry policy;
- `CLI_GLOBAL_FLAGS`: the CLI's global option strings (the docs name an argument's flag);
- `RESERVED_CLASSES` / `RESERVED_METHODS`: the names models and methods may not take.
- `MODEL_ATTRIBUTES`: the runtime `Model`'s public attributes, which no field may take.

`tests/unit/test_contract.py` checks every fact against the imported runtime.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from typing import Any

from generator.templates import templates_dir

# The classes the generated `client.py` defines around the runtime's clients (the package root
# re-exports them beside the runtime's names).
CLIENT_CLASSES = (
    "AsyncClient",
    "AsyncClientWithRawResponse",
    "AsyncClientWithStreamingResponse",
    "Client",
    "ClientWithRawResponse",
    "ClientWithStreamingResponse",
)
# Attributes the generated clients add to the runtime's (`client.with_raw_response`).
GENERATED_CLIENT_ATTRIBUTES = ("with_raw_response", "with_streaming_response")
# Names a generated models module binds besides its models: typing names and the runtime's
# bases and markers (`from ._runtime import UNSET, Model, OpenEnum, Unset`).
MODEL_MODULE_NAMES = ("Any", "ClassVar", "Literal", "Model", "OpenEnum", "UNSET", "Unset")
# The runtime's client classes, in `_http.py`.
_CLIENT_BASES = ("BaseClient", "SyncClient", "AsyncClient")


def _runtime_dir_names() -> tuple[str, ...]:
    folder = templates_dir() / "runtime"
    return tuple(sorted(p.name for p in folder.glob("*.py") if p.name != "__init__.py"))


# Every module of templates/runtime/ but its __init__ is copied verbatim into each package.
RUNTIME_FILES = _runtime_dir_names()


@cache
def runtime_text(name: str) -> str:
    """A runtime module's source, as copied into every package (read once per process)."""
    if name not in RUNTIME_FILES:
        raise KeyError(f"not a runtime module: {name!r}")
    return (templates_dir() / "runtime" / name).read_text(encoding="utf-8")


@cache
def _tree(name: str) -> ast.Module:
    return ast.parse(runtime_text(name), filename=name)


def _assigned(name: str, target: str) -> ast.expr:
    """The value of the module-level assignment `target = ...` in runtime module `name`."""
    for node in _tree(name).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == target for t in node.targets
        ):
            return node.value
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == target
            and node.value is not None
        ):
            return node.value
    raise LookupError(f"{name} assigns no {target}")


def _literal(name: str, target: str) -> Any:
    """A literal assigned at module level; `frozenset({...})` reads as its set."""
    value = _assigned(name, target)
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "frozenset"
        and len(value.args) == 1
    ):
        return frozenset(ast.literal_eval(value.args[0]))
    return ast.literal_eval(value)


def _all_parts(name: str) -> list[list[str]]:
    """Each part of a module's `__all__`: the `__all__ = [...]`, then every `__all__ += [...]`."""
    parts: list[list[str]] = []
    for node in _tree(name).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            parts.append([str(n) for n in ast.literal_eval(node.value)])
        elif (
            isinstance(node, ast.AugAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "__all__"
        ):
            parts.append([str(n) for n in ast.literal_eval(node.value)])
    return parts


def _classes(name: str) -> dict[str, ast.ClassDef]:
    return {n.name: n for n in _tree(name).body if isinstance(n, ast.ClassDef)}


def _public_attributes(cls: ast.ClassDef) -> Iterator[str]:
    """Methods, properties, class attributes and `self.x = ...` attributes of a class."""
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node.name
            for sub in ast.walk(node):
                targets = sub.targets if isinstance(sub, ast.Assign) else []
                if isinstance(sub, ast.AnnAssign):
                    targets = [sub.target]
                for t in targets:
                    if (
                        isinstance(t, ast.Attribute)
                        and isinstance(t.value, ast.Name)
                        and t.value.id == "self"
                    ):
                        yield t.attr
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            yield node.target.id
        elif isinstance(node, ast.Assign):
            yield from (t.id for t in node.targets if isinstance(t, ast.Name))


def _client_attributes() -> tuple[str, ...]:
    classes = _classes("_http.py")
    names = {n for c in _CLIENT_BASES for n in _public_attributes(classes[c])}
    return tuple(sorted(n for n in names if not n.startswith("_")))


def _client_parameters() -> tuple[str, ...]:
    """The keyword-only parameters of `BaseClient.__init__` (the constructor's common options)."""
    for node in _classes("_http.py")["BaseClient"].body:
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            return tuple(a.arg for a in node.args.kwonlyargs)
    raise LookupError("BaseClient has no __init__")


def _status_errors() -> dict[int, str]:
    """Status -> exception class name: every class of `_errors.py` that sets `status = N`."""
    out: dict[int, str] = {}
    for cls in _classes("_errors.py").values():
        for node in cls.body:
            if (
                isinstance(node, ast.Assign)
                and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["status"]
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, int)
            ):
                out[node.value.value] = cls.name
    return dict(sorted(out.items()))


def _cli_global_flags() -> tuple[str, ...]:
    """The option strings of the CLI's global options: the first item of each `_GLOBALS` entry."""
    value = _assigned("_cli_runtime.py", "_GLOBALS")
    assert isinstance(value, ast.Tuple)
    flags: list[str] = ["-h", "--help"]
    for entry in value.elts:
        assert isinstance(entry, ast.Tuple)
        flags.extend(str(name) for name in ast.literal_eval(entry.elts[0]))
    return tuple(flags)


_exports = _all_parts("_runtime.py")
RUNTIME_EXPORTS: tuple[str, ...] = tuple(_exports[0])
RUNTIME_NAMES: tuple[str, ...] = tuple(n for part in _exports for n in part)
CLIENT_ATTRIBUTES = _client_attributes()
CALL_OPTIONS: tuple[str, ...] = tuple(_literal("_validation.py", "CALL_OPTIONS"))
# What `BaseClient(...)` takes: `base_url`, `timeout`, ..., `credentials`, `server_variables`.
CLIENT_PARAMETERS: tuple[str, ...] = _client_parameters()
STATUS_ERRORS = _status_errors()
ERROR_CLASSES: tuple[str, ...] = tuple(_classes("_errors.py"))
CONSTRAINTS: tuple[str, ...] = tuple(_literal("_validation.py", "CONSTRAINTS"))
RETRY_STATUSES: frozenset[int] = _literal("_retry.py", "RETRY_STATUSES")
IDEMPOTENT_METHODS: frozenset[str] = _literal("_retry.py", "IDEMPOTENT")
# Option strings every command of the CLI has (`--url`, `--api-key`, `-h`, ...): a flag of an
# operation's own takes another spelling.
CLI_GLOBAL_FLAGS: tuple[str, ...] = _cli_global_flags()

# Class names the generated package binds itself: a model must not take them.
RESERVED_CLASSES = frozenset((*RUNTIME_EXPORTS, *CLIENT_CLASSES, *MODEL_MODULE_NAMES))
# Attributes of the generated clients: an operation's method must not take them.
RESERVED_METHODS = frozenset((*CLIENT_ATTRIBUTES, *GENERATED_CLIENT_ATTRIBUTES))
# Public attributes and methods of the runtime's `Model` base: a model's field must not take them.
MODEL_ATTRIBUTES: tuple[str, ...] = tuple(
    sorted(n for n in set(_public_attributes(_classes("_descriptors.py")["Model"])) if n[:1] != "_")
)
