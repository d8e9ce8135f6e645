"""The client renderer: `client.py`, one `_client_<tag>.py` per tag, and `_ops.py`.

`_ops.py` holds one `Op` descriptor per operation (and the argument descriptors several
operations share); each `_client_<tag>.py` holds a class with the typed methods of one tag's
operations, each a single call of the runtime; `client.py` composes `Client` and `AsyncClient`
from those classes. Every module's imports are collected from the code rendered into it.
Neither `_ops.py` nor `client.py` shows an operation's summary or description: with a memo and
`Keys.blind` they are recalled whole while the rest of the API and the settings are unchanged.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace
from typing import NamedTuple

from generator import layout, naming
from generator.cache import Memo, key_of
from generator.model import Api
from generator.render import constructor, lazy, namespaces, ops
from generator.render.common import Keys, Settings, memo_file, template
from generator.render.operations import OpView
from generator.render.text import docstring, one_line, pyrepr
from generator.render.types import RT, Imports


@dataclass(frozen=True)
class Method:
    """One method of a client class, laid out."""

    name: str
    params: tuple[str, ...]  # each parameter's line(s)
    returns_line: str  # `) -> <type>:`
    docstring: str
    body_line: str
    overloads: tuple[str, ...] = ()  # `@overload` stubs before the method, laid out


@dataclass(frozen=True)
class GroupContext:
    """`_client_<tag>.py`: the operations of one tag, a module of their own."""

    module: str
    cls: str
    docstring: str  # the module's first line
    class_docstring: str
    imports: str
    methods: tuple[Method, ...]
    cli_help: tuple[str, ...]  # the entries of the class's `_cli_help` table
    typed_models: bool = False  # `models` imported for type checkers only


@dataclass(frozen=True)
class ClientContext:
    """`client.py`: `Client`, `AsyncClient` and their raw-response companions."""

    docstring: str
    imports: str
    group_imports: tuple[str, ...]  # the group classes, imported for type checkers only
    operations_head: (
        str  # the typed `class _Operations(<every group class>, rt.SyncClient):`
    )
    group_table: tuple[str, ...]  # `rt.Groups` entries: "module:Class": (method, ...)
    async_finder: (
        str  # `rt.Wrapped(...)` of `AsyncClient`'s methods (paged ones their own way)
    )
    client_docstring: str
    async_docstring: str
    settings: tuple[str, ...]  # the class attributes both clients carry
    raw_aliases: tuple[str, ...]
    async_aliases: tuple[str, ...]
    async_raw_aliases: tuple[str, ...]
    streaming_aliases: tuple[str, ...]
    async_streaming_aliases: tuple[str, ...]
    args_doc: tuple[str, ...]  # the `Args:` lines of `Client`'s docstring
    init_sync: str  # `Client.__init__`: typed keyword arguments (`constructor.py`)
    init_async: str
    # `group_by = "tag"`: each namespace's cached property on `Client` and on `AsyncClient`
    namespaces: tuple[str, ...] = ()
    async_namespaces: tuple[str, ...] = ()


def render(
    api: Api,
    settings: Settings,
    views: list[OpView],
    header: str,
    memo: Memo | None = None,
    keys: Keys | None = None,
) -> dict[str, str]:
    """`client.py`, the `_client_*` modules and `_ops.py`, keyed by path. With a `memo`, a
    group module whose inputs (its operations' views, its names, the title) are unchanged is
    not laid out again."""
    pkg = settings.package
    plan = namespaces.plan([v.op for v in views], settings.group_by)
    flat = [v for v in views if not plan.grouped(v.op.name)]
    groups = _groups(flat)
    out = {}
    for g in groups:
        key = ""
        if memo is not None and keys is not None:
            members = [keys.view(v) for v in g.members]
            key = key_of("group", header, api.title, g.tag, g.module, g.cls, members)
        text = memo.get(key) if memo is not None else None
        if text is None:
            text = header + template("package/client_group.py.jinja").render(
                c=_group(api.title, g)
            )
            if memo is not None:
                memo.put(key, text)
        out[f"{pkg}/{g.module}.py"] = text
    # with namespaces an `Op` is named by its method's path, as messages name it: `pets.create()`
    named = [replace(v, op=replace(v.op, name=plan.path(v.op.name))) for v in views]
    blind = keys.blind if keys is not None else None  # neither file shows operations' texts
    out[f"{pkg}/_ops.py"] = memo_file(
        memo,
        blind and key_of("_ops.py", blind, header),
        lambda: header
        + template("package/_ops.py.jinja").render(
            c=ops.context(api, settings, named if plan.namespaces else views, memo, keys)
        ),
    )
    out[f"{pkg}/client.py"] = memo_file(
        memo,
        blind and key_of("client.py", blind, header),
        lambda: header
        + template("package/client.py.jinja").render(
            c=_client(api, settings, views, groups, plan)
        ),
    )
    return out


# -- methods ---------------------------------------------------------------------------------


def method_docstring(view: OpView) -> str:
    """A method's docstring: summary, description, `METHOD /path`, `Args:` and `Raises:`."""
    op = view.op
    lines = [op.summary or op.name.replace("_", " ")]
    if op.description and op.description.strip() != op.summary.strip():
        lines += ["", op.description]
    lines += ["", f"`{op.method} {op.path}`"]
    documented = [p.param for p in view.params if p.param.description]
    if documented:
        lines += ["", "Args:"]
        for p in documented:  # Google style: continuation lines indented once more
            lines += textwrap.wrap(
                f"{p.name}: {one_line(p.description, 300)}",
                80,
                initial_indent="    ",
                subsequent_indent="        ",
                break_long_words=False,
                break_on_hyphens=False,
            )
    if view.errors:
        lines += ["", "Raises:"]
        for e in view.errors:
            lines.append(
                f"    {e.exception}: {e.status} {one_line(e.description, 100)}"
            )
    return docstring("\n".join(lines), 2)


def _method(view: OpView, name: str | None = None) -> Method:
    """The method of `view`'s operation, named `name` (a namespace's) or as the operation."""
    name = name or view.op.name
    call = f"self._call(ops.{view.const}, locals())"
    return Method(
        name=name,
        params=tuple(p.code for p in view.params),
        returns_line=layout.statement(
            ") -> ", view.returns, ":", 1, optional_parens=True, returns=True
        ),
        docstring=method_docstring(view),
        body_line=layout.statement("return ", call, "", 2, optional_parens=True),
        overloads=_overloads(view, name),
    )


_OPTIONS = (
    "extra_headers: Mapping[str, str] | None = None",
    "extra_query: Mapping[str, object] | None = None",
    "timeout: Timeout | Unset = UNSET",
    "max_retries: int | None = None",
)


def _overloads(view: OpView, name: str) -> tuple[str, ...]:
    """`@overload` stubs where a boolean `stream` body property picks the answer's type, as
    OpenAI's `stream: true` does: `Stream[T]` for `stream=True`, the model for `False` or
    none given, either for a `bool`. Empty for every other operation."""
    flag = next(
        (
            p
            for p in view.params
            if p.param.location == "body"
            and p.param.wire == "stream"
            and p.annotation.startswith("bool")
        ),
        None,
    )
    if view.either is None or flag is None:
        return ()
    plain, stream = view.either
    cases = [
        (layout.annotated("stream", "Literal[True]", "", 2, ","), stream),
        (flag.code.replace("bool", "Literal[False]", 1), plain),
        (layout.annotated("stream", "bool", "", 2, ","), f"{plain} | {stream}"),
    ]
    out = []
    for line, returns in cases:
        params = [line if p is flag else p.code for p in view.params]
        head = [
            "    @overload",
            f"    def {name}(",
            "        self,",
            "        *,",
        ]
        options = [f"        {o}," for o in _OPTIONS]
        tail = layout.statement(
            ") -> ", returns, ": ...", 1, optional_parens=True, returns=True
        )
        out.append("\n".join([*head, *params, *options, tail]))
    return tuple(out)


def _cli_help(views: list[OpView]) -> tuple[str, ...]:
    """The entries of a client class's `_cli_help` table: method -> argument -> help text.

    The CLI shows them in each flag's `--help`. They sit beside the methods whose docstrings
    say the same, so an edit of a parameter's description in the spec changes this module
    alone (the command table in `_cli.py` does not repeat them).
    """
    lines: list[str] = []
    for view in views:
        documented = [p.param for p in view.params if p.param.description]
        if not documented:
            continue
        lines.append(f"        {pyrepr(view.op.name)}: {{")
        for p in documented:
            text = pyrepr(one_line(p.description, 300))
            lines.append(layout.statement(f"{pyrepr(p.name)}: ", text, ",", 3))
        lines.append("        },")
    return tuple(lines)


class Group(NamedTuple):
    """The operations of one tag, and the module and class that hold their methods."""

    tag: str
    module: str
    cls: str
    members: tuple[OpView, ...]


def _groups(views: list[OpView]) -> list[Group]:
    """Operations grouped by their first tag, in the spec's order."""
    by_tag: dict[str, list[OpView]] = {}
    for view in views:
        by_tag.setdefault(view.op.tags[0] if view.op.tags else "", []).append(view)
    module_names, class_names = naming.Namer(), naming.Namer(sep="")
    return [
        Group(
            tag,
            module_names.claim(
                "_client_" + (naming.snake(tag, fallback="default") if tag else "default")
            ),
            class_names.claim(
                naming.pascal(tag, fallback="Default") + "Operations" if tag else "Operations"
            ),
            tuple(members),
        )
        for tag, members in by_tag.items()
    ]


def _group(title: str, group: Group) -> GroupContext:
    """The context of one group module."""
    tag, members = group.tag, group.members
    imports = Imports().add("collections.abc", "Mapping").add(".", "_ops as ops", RT)
    imports.add("._runtime", "UNSET", "Timeout", "Unset")
    imports.update(v.returns_imports for v in members)
    imports.update(p.imports for v in members for p in v.params)
    methods = tuple(_method(v) for v in members)
    if any(m.overloads for m in methods):
        imports.add("typing", "Literal", "overload")
    cli_help = _cli_help(list(members))
    if cli_help:
        imports.add("typing", "ClassVar")
    tagged = f"tagged {tag}" if tag else "without a tag"
    typed = lazy.typed_models(imports)
    return GroupContext(
        module=group.module,
        cls=group.cls,
        docstring=docstring(f"Operations {tagged} of {title}: part of `Client`."),
        class_docstring=docstring(f"The operations {tagged}.", 1),
        imports=imports.block(),
        methods=methods,
        cli_help=cli_help,
        typed_models=typed,
    )


# -- client.py -------------------------------------------------------------------------------


def _client(
    api: Api,
    settings: Settings,
    views: list[OpView],
    groups: list[Group],
    plan: namespaces.Plan,
) -> ClientContext:
    s = settings
    imports = (
        Imports()
        .add("collections.abc", "Mapping")
        .add("typing", "TYPE_CHECKING", "ClassVar")
    )
    imports.add("httpx").add(".", RT).add("._runtime", "Scheme")
    typed = Imports()
    for g in groups:
        typed.add("." + g.module, g.cls)
    for ns in plan.namespaces:  # each imported when its property is first used
        imports.add("functools", "cached_property")
        typed.add("." + ns.module, ns.cls, ns.async_cls)
    server = api.servers[0] if api.servers else "none"
    names = [v.op.name for v in views if not plan.grouped(v.op.name)]
    paged = {v.op.name for v in views if v.paging is not None} & set(names)
    params = constructor.params(api, s.api_key_env, imports)
    return ClientContext(
        docstring=docstring(
            f"Clients for {api.title}: `Client` (blocking) and `AsyncClient` (asyncio)."
        ),
        imports=imports.block(),
        group_imports=tuple(typed.block().splitlines()),
        operations_head=layout.statement(  # at depth 1 (under `if TYPE_CHECKING:`)
            "class ",
            f"_Operations({', '.join([*(g.cls for g in groups), 'rt.SyncClient'])})",
            ":",
            1,
        ).removeprefix(layout.INDENT),
        group_table=lazy.group_table(
            [(g.module, g.cls, [v.op.name for v in g.members]) for g in groups]
        ),
        client_docstring=docstring(f"Blocking client for {api.title}.", 1),
        async_docstring=docstring(
            f"asyncio client for {api.title}; the same methods as `Client`, awaitable.",
            1,
        ),
        settings=_class_settings(api, s),
        **lazy.aliases(names, paged),
        args_doc=constructor.args_doc(
            params,
            {
                "base_url": f"default: `{s.base_url_env}`, else {server}.",  # escaped by args_doc
                "timeout": "seconds or an `httpx.Timeout` (default: connect "
                f"{pyrepr(s.connect_timeout)} s, read {pyrepr(s.timeout)} s).",
                "max_retries": "retries on connection errors, 408, 429, 502-504 "
                f"(default {s.max_retries}).",
                "retry_after_cap": "longest `Retry-After` wait honoured, in seconds "
                f"(default {pyrepr(s.retry_after_cap)}).",
                "default_headers": "headers sent with every request.",
                "default_query": "query parameters sent with every request.",
            },
        )
        + (
            "http_client: an `httpx.Client` to send requests with (not closed by `close()`).",
        ),
        init_sync=constructor.init(api, params, "httpx.Client"),
        init_async=constructor.init(api, params, "httpx.AsyncClient"),
        namespaces=tuple(_namespace(ns, ns.cls) for ns in plan.namespaces),
        async_namespaces=tuple(_namespace(ns, ns.async_cls) for ns in plan.namespaces),
    )


def _class_settings(api: Api, s: Settings) -> tuple[str, ...]:
    """The class attributes `Client` and `AsyncClient` both carry: the configured defaults."""
    idempotency = s.idempotency_header or None
    schemes = ", ".join(f"{pyrepr(x.key)}: {ops.scheme_code(x)}" for x in api.security_schemes)
    return (
        f"_package: ClassVar[str] = {pyrepr(s.package)}",
        f"_version: ClassVar[str] = {pyrepr(api.version)}",
        f"_api_key_env: ClassVar[str | None] = {pyrepr(s.api_key_env)}",
        f"_base_url_env: ClassVar[str | None] = {pyrepr(s.base_url_env)}",
        f"_servers: ClassVar[tuple[str, ...]] = {pyrepr(api.servers)}",
        constructor.server_entries(api),
        layout.statement(
            "_schemes: ClassVar[Mapping[str, Scheme]] = ", f"{{{schemes}}}", "", 1
        ).removeprefix(layout.INDENT),
        "_default_timeout: ClassVar[httpx.Timeout] = httpx.Timeout("
        f"{pyrepr(s.timeout)}, connect={pyrepr(s.connect_timeout)})",
        f"_default_max_retries: ClassVar[int] = {pyrepr(s.max_retries)}",
        f"_default_retry_after_cap: ClassVar[float] = {pyrepr(s.retry_after_cap)}",
        f"_idempotency_header: ClassVar[str | None] = {pyrepr(idempotency)}",
    )


def _namespace(ns: namespaces.Namespace, cls: str) -> str:
    """A namespace's cached property on a client: built on first use, then kept."""
    return "\n".join(
        [
            "    @cached_property",
            layout.def_head(ns.attr, "self", cls, 1),
            f'        """{docstring(f"The operations tagged {ns.tag}.", 2)}"""',
            f"        from .{ns.module} import {cls}",
            "",
            f"        return {cls}(self)",
        ]
    )
