"""Validate: a resolved document in, diagnostics out.

Checks the `openapi` version field itself (missing, Swagger 2.0, unknown) and then runs
openapi-spec-validator (3.0 or 3.1 rules). Validator findings are warnings: real specs are often
slightly invalid and oagen still generates what is sound (`--strict` makes them errors). The
builder reports, as errors, whatever it cannot map.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator import validate_imports
from generator.cache import cache_dir, read_text, write_text
from generator.diagnostics import Diagnostic, SpecError, error, warning
from generator.load import SourceMap
from generator.pointer import join as pointer
from generator.validate_memo import Memo


def check_version(data: dict[str, Any], source: SourceMap) -> str:
    """Return "3.0" or "3.1", or raise `SpecError` saying why the document is not supported."""
    if "swagger" in data and "openapi" not in data:
        ptr = pointer("swagger")
        raise SpecError(
            [
                error(
                    f"Swagger {data['swagger']} is not supported: oagen reads OpenAPI 3.0 and 3.1 "
                    "(convert it first, e.g. with swagger2openapi)",
                    ptr,
                    source.file,
                    source.line_of(ptr),
                )
            ]
        )
    version = data.get("openapi")
    if version is None:
        raise SpecError(
            [
                error(
                    "missing `openapi` version field (expected 3.0.x or 3.1.x)",
                    "#",
                    source.file,
                    1,
                )
            ]
        )
    text = str(version)
    ptr = pointer("openapi")
    if text.startswith("3.0"):
        return "3.0"
    if text.startswith("3.1"):
        return "3.1"
    raise SpecError(
        [
            error(
                f"unsupported OpenAPI version {text!r} (expected 3.0.x or 3.1.x)",
                ptr,
                source.file,
                source.line_of(ptr),
            )
        ]
    )


_BACKEND_ENV = "OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND"
Finding = tuple[str, str, int | None]  # message, JSON pointer, line if known without the source


def findings(data: dict[str, Any], version: str) -> list[Finding]:
    """Run openapi-spec-validator: (message, pointer, line) for every finding, deduplicated."""
    # The validator switches to its jsonschema-rs backend whenever that package is installed,
    # and that backend words findings differently and reports others (Rust regexes): pin the
    # pure-Python one, so the findings depend on the spec and oagen's pins alone.
    os.environ[_BACKEND_ENV] = "jsonschema"
    found, stopped = _run(spec_validator(version), data)
    if isinstance(stopped, RecursionError):
        # the memoized class nests one frame deeper per `$ref`: where it runs out of stack,
        # the class without the memo decides, as deep as the stock class goes
        found, stopped = _run(spec_validator(version, memo=False), data)
    if isinstance(stopped, RecursionError):
        found.append(("validator stopped: the document nests too deeply or a $ref loops", "#", 1))
    elif stopped is not None and not found:  # the validator can fail on what it has flagged
        text = str(stopped).split(" within {", 1)[0]  # never echo the whole document
        text = _shorten(f"{type(stopped).__name__}: {text}", 200)
        found.append((f"validator stopped: {text}", "#", 1))
    return found


def _run(cls: Any, data: dict[str, Any]) -> tuple[list[Finding], BaseException | None]:
    """The findings of `cls(data)`, located and deduplicated, and what stopped it (if anything)."""
    found: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    nodes: dict[int, tuple[str, ...]] | None = None  # built at the first node-located finding
    validator: Any = None
    try:
        validator = cls(data)
        for err in validator.iter_errors():
            tokens = list(err.path)
            if tokens and isinstance(tokens[0], _At):
                nodes = _node_pointers(data) if nodes is None else nodes
                tokens = [*nodes.get(id(tokens[0].node), ()), *tokens[1:]]
            ptr = pointer(*tokens)
            message = _shorten(str(err.message))
            if (ptr, message) in seen:
                continue
            seen.add((ptr, message))
            found.append((message, ptr, None))
    except Exception as exc:  # noqa: BLE001 - RecursionError too: reported by `findings`
        return found, exc
    finally:
        # openapi-spec-validator's `iter_errors` is an `lru_cache`d method: the validator, and
        # so its memo, outlive the run unless emptied
        registry = getattr(validator, "keyword_validators_registry", None)
        memo = getattr(registry, "oagen_memo", None)
        if isinstance(memo, Memo):
            memo.clear()
    return found, None


@functools.cache
def spec_validator(version: str, memo: bool = True) -> Any:
    """openapi-spec-validator's validator class for `version`, made cheaper, same findings.

    Each instance validates with a `validate_memo.Memo` of its own: the check against the OAS
    JSON Schema and each Schema Object's meta-check run over registries crawled once, each
    distinct value checked once (`validate_memo`). The schemas visited are recorded in sets
    (`_Ids`), and findings are located where they are written (`_locating`); with
    `memo=False`, only these two.
    """
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    base = OpenAPIV31SpecValidator if version == "3.1" else OpenAPIV30SpecValidator
    keywords = {
        name: _visiting(_locating(checker, ("default",) if name == "default" else ()))
        for name, checker in base.keyword_validators.items()
    }
    keywords["schema"] = _acyclic(keywords["schema"])
    if not memo:
        return type(base.__name__, (base,), {"keyword_validators": keywords})
    keywords["schema"] = _meta_memo(keywords["schema"])
    return type(
        base.__name__,
        (base,),
        {"keyword_validators": keywords, "__init__": _memo_init(base)},
    )


def _acyclic(checker: type[Any]) -> type[Any]:
    """The schema keyword validator `checker`, whose collection of the property names a schema
    reaches (through `allOf`, `anyOf`, `oneOf`, `items` and `not`, for the check of `required`
    under `allOf`) visits each schema once. openapi-spec-validator's own recursion has no guard,
    so a schema that reaches itself that way (`items: {$ref: <itself>}`, as Okta's OAuth API
    has) ran it out of stack and stopped the whole validation. The names collected are the same:
    the union over every schema reached."""

    def collect_properties(self: Any, schema: Any) -> set[str]:
        props: set[str] = set()
        seen: set[int] = set()
        stack = [schema]
        while stack:
            node = stack.pop()
            value = node.read_value()
            if id(value) in seen:
                continue
            seen.add(id(value))
            if "properties" in node:
                props.update((node / "properties").keys())
            for keyword in ("allOf", "anyOf", "oneOf"):
                if keyword in node:
                    stack.extend(node / keyword)
            stack.extend(node / keyword for keyword in ("items", "not") if keyword in node)
        return props

    return type(checker.__name__, (checker,), {"_collect_properties": collect_properties})


def _memo_init(base: type[Any]) -> Any:
    """`base.__init__`, then the run's `Memo`: the document check goes through it, the keyword
    validators find it on their registry, and their paths resolve through it (`Memo.paths`)."""

    def init(self: Any, schema: Any, *args: Any, **kwargs: Any) -> None:
        base.__init__(self, schema, *args, **kwargs)
        memo = Memo()
        try:
            self.schema_validator = memo.validator(self.schema_validator)
        except (AttributeError, TypeError):  # pragma: no cover - a jsonschema API change
            pass
        self.keyword_validators_registry.oagen_memo = memo
        self.schema_path = memo.paths(self.schema_path)

    return init


def _meta_memo(checker: type[Any]) -> type[Any]:
    """The schema keyword validator `checker`, its meta-check of each Schema Object run through
    the run's `Memo` (once per distinct schema, by one validator per dialect)."""

    def schema_checker(self: Any, schema: Any, schema_value: Any) -> Any:
        check = checker._get_schema_checker(self, schema, schema_value)
        memo = getattr(self.registry, "oagen_memo", None)
        return check if memo is None else memo.schema_check(check)

    return type(checker.__name__, (checker,), {"_get_schema_checker": schema_checker})


# Where a finding is. The check against the OAS JSON Schema gives each error its path from the
# document's root; the validator's own checks (a `default` that does not fit its schema, a
# `required` name no property declares, a duplicate operationId or parameter, a path parameter
# left unresolved) give none, or one relative to the value they checked, so they printed as
# `FILE:1: #`. Each keyword validator is wrapped so that its findings' path starts with the node
# it checked (`_At`, before its relative path; for `default`, the node's "default" member); the
# node is the document's own object (jsonschema-path reads values without copying them, through
# `$ref`s too), so its pointer is where it is written, not the path the validator walked.


class _At:
    """The first token of a located finding's path: the document node it was found in."""

    __slots__ = ("node",)

    def __init__(self, node: Any) -> None:
        self.node = node


def _locating(checker: type[Any], suffix: tuple[str, ...]) -> type[Any]:
    """A subclass of the keyword validator `checker` whose findings not yet located start their
    path with the node it checks (its first `SchemaPath` argument) and `suffix`."""
    from jsonschema_path import SchemaPath

    def locate(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        node = next((a for a in args if isinstance(a, SchemaPath)), None)
        for err in checker.__call__(self, *args, **kwargs):
            path = err.relative_path
            if node is not None and not (path and isinstance(path[0], _At)):
                path.extendleft(reversed(suffix))
                path.appendleft(_At(node.read_value()))
            yield err

    return type(checker.__name__, (checker,), {"__call__": locate})


class _Ids(list[int]):
    """A list of ids whose `in` is a set lookup.

    openapi-spec-validator's schema checker records the schemas it has visited (and
    meta-checked) in lists and asks `id in list` before each one: quadratic in the number of
    schemas (github.json: 46,660 visits; the validator's CPU 18.9 -> 11.4 s). Same contents,
    same answers; only the lookup is constant-time."""

    def __init__(self) -> None:
        super().__init__()
        self._set: set[int] = set()

    def append(self, item: int) -> None:
        super().append(item)
        self._set.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._set


def _visiting(checker: type[Any]) -> type[Any]:
    """`checker`, with its visit registries (if it keeps them) as `_Ids`."""
    registries = ("visited_schema_ids", "meta_checked_schema_ids")

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        checker.__init__(self, *args, **kwargs)
        for name in registries:
            if isinstance(getattr(self, name, None), list):
                setattr(self, name, _Ids())

    return type(checker.__name__, (checker,), {"__init__": init})


def _node_pointers(data: Any) -> dict[int, tuple[str, ...]]:
    """id() of every mapping and list in `data` -> its path (the first found, if shared)."""
    found: dict[int, tuple[str, ...]] = {}
    stack: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in found:
            continue
        found[id(node)] = path
        items = node.items() if isinstance(node, dict) else enumerate(node)
        stack.extend(
            (value, (*path, str(key)))
            for key, value in reversed(list(items))
            if isinstance(value, (dict, list))
        )
    return found


def validate(data: dict[str, Any], version: str, source: SourceMap) -> list[Diagnostic]:
    """Run openapi-spec-validator now and turn each finding into a located warning."""
    return start(data, version).result(source)


# Validation is the slowest stage after black (4 s on vastai-full.yaml, 7-17 s on large specs)
# and nothing downstream needs its verdict, so for large documents it runs in a forked process
# on the other core while the build, render and format stages run, and its verdict is cached
# by the spec's sha256 (and the validator's version).
_PARALLEL_MIN_PATHS = 40
_JOB: tuple[dict[str, Any], str] | None = None


def _job() -> list[Finding]:
    """The forked validator's work: this process only validates and exits, so the validator is
    imported without pydantic and urllib's network stack (`validate_imports`)."""
    assert _JOB is not None
    validate_imports.lean()
    return findings(*_JOB)


class Pending:
    """Validator findings on their way: `result(source)` waits for them and locates them."""

    def __init__(
        self,
        data: dict[str, Any],
        version: str,
        cache: bool,
        background: bool,
        key: str | None = None,
    ) -> None:
        """`key`: `text_blind_key(data)`, when the caller knows it (`reuse.Known`)."""
        self._data, self._version = data, version
        # the verdict cache's key: made (a blanked copy of the whole document) only if not given
        self.key = (key or text_blind_key(data)) if cache else None
        self._path = _cache_path(self.key)
        self._found: list[Finding] | None = _read_cache(self._path)
        self._future: Any = None
        self._pool: Any = None
        paths = data.get("paths")
        big = isinstance(paths, dict) and len(paths) >= _PARALLEL_MIN_PATHS
        if self._found is None and (big or background) and (os.cpu_count() or 1) > 1:
            self._fork()

    def _fork(self) -> None:
        global _JOB
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        try:
            context = multiprocessing.get_context("fork")
        except ValueError:  # pragma: no cover - platforms without fork
            return
        _JOB = (self._data, self._version)
        # objects moved to the permanent generation are never visited by the child's garbage
        # collector, so it does not copy the pages it shares with this process
        gc.freeze()
        try:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            self._future = self._pool.submit(_job)
        finally:
            _JOB = None
            gc.unfreeze()

    def settle(self) -> None:
        """Wait for a forked validator's verdict, so that its process (and the memory it holds)
        is gone before the caller's next memory-hungry step; nothing to do when the verdict is
        in or the validator runs in this process (`result` runs it)."""
        if self._found is None and self._future is not None:
            self._collect()

    def _collect(self) -> None:
        if self._future is not None:
            try:
                self._found = self._future.result()
            except Exception:  # a worker that died: validate here instead
                self._found = findings(self._data, self._version)
            finally:
                self._pool.shutdown()
                self._future = None
        else:
            self._found = findings(self._data, self._version)
        _write_cache(self._path, self._found)

    def result(self, source: SourceMap) -> list[Diagnostic]:
        if self._found is None:
            self._collect()
        assert self._found is not None
        self._data = {}  # the verdict is in: the document is not needed here any more
        out = []
        for message, ptr, line in self._found:
            if line is None:
                ptr, others = source.absolute(ptr)
                line = source.line_of(ptr)
                if others:
                    message += f" (and at {others} other place{'s' if others > 1 else ''})"
            out.append(warning(message, ptr, source.file, line))
        return out


def start(
    data: dict[str, Any], version: str, cache: bool = True, background: bool = False
) -> Pending:
    """Start validating `data`, or reuse a verdict. It runs in a forked process (on another
    core, while the caller builds and renders) for large documents, and for any document with
    `background` (the command line: even for a small spec, importing the validator alone takes
    longer than the rest of the run)."""
    return Pending(data, version, cache, background)


# The verdict cache is keyed by the document with the text of every `description` and
# `summary` blanked (and by the validator's version): the validator accepts any string there
# and checks nothing else against them, so an edit of that text -- the usual edit -- keeps the
# verdict. Findings are stored without line numbers (they are located again in the new text),
# and a verdict with a finding *at* such a text is never reused, since its message may quote it.
# `default`, `example(s)`, `enum`, `const` and `x-` values are data and are kept as they are.
_FINDINGS_FORMAT = 2  # 2: findings of the validator's own checks located (verdicts of 1 are not)
_TEXT_KEYS = frozenset({"description", "summary"})
_DATA_KEYS = frozenset({"default", "example", "examples", "enum", "const"})


def _blind(node: Any) -> Any:
    if isinstance(node, dict):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            if key in _TEXT_KEYS and isinstance(value, str):
                out[key] = ""
            elif key in _DATA_KEYS or (isinstance(key, str) and key.startswith("x-")):
                out[key] = value
            else:
                out[key] = _blind(value)
        return out
    if isinstance(node, list):
        return [_blind(v) for v in node]
    return node


def text_blind_key(data: dict[str, Any]) -> str | None:
    """sha256 of the document with description/summary text blanked; None if it cannot be made."""
    try:
        text = json.dumps(_blind(data), default=str, ensure_ascii=False)
    except (RecursionError, ValueError, TypeError):
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _cache_path(key: str | None) -> Path | None:
    folder = cache_dir()
    if key is None or folder is None:
        return None
    try:
        import importlib.metadata

        tool = importlib.metadata.version("openapi-spec-validator")
    except Exception:  # noqa: BLE001 - no version, no cache
        return None
    digest = hashlib.sha256(f"{key}\0{tool}\0{_FINDINGS_FORMAT}".encode()).hexdigest()
    return folder / "validate" / f"{digest}.json"


def _read_cache(path: Path | None) -> list[Finding] | None:
    if path is None:
        return None
    try:
        data = json.loads(read_text(path) or "null")
    except ValueError:
        return None
    if not isinstance(data, list):
        return None
    found = [(str(m), str(p), line if isinstance(line, int) else None) for m, p, line in data]
    if any(p.rsplit("/", 1)[-1] in _TEXT_KEYS for _, p, _ in found):
        return None  # a finding about a description's text: its message may quote the old text
    return found


def _write_cache(path: Path | None, found: list[Finding]) -> None:
    if path is None:
        return
    write_text(path, json.dumps(found))


def _shorten(message: str, limit: int = 300) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 3] + "..."
