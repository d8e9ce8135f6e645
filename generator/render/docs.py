"""The docs renderer: the package's `README.md`, `docs/index.md` and one page per operation.

Each page shows the operation's parameters and responses as Markdown tables (spec text in
cells goes through `md`), and runnable examples: a Python call (sync and async), a CLI command
and a curl line, each given a value the client's own validation accepts (`examples.py`: the
parameter's example or default when it fits, else a minimal valid value built from its schema).
"""

from __future__ import annotations

import json
import shlex
import urllib.parse
from dataclasses import dataclass, replace
from typing import Any

from generator import __version__, contract
from generator.cache import Memo, key_of
from generator.model import (
    MISSING,
    AnyType,
    Api,
    EnumRef,
    ListOf,
    Nullable,
    Operation,
    Parameter,
    Primitive,
    TypeRef,
    UnionOf,
)
from generator.render import namespaces
from generator.render.common import Keys, Settings, template
from generator.render.examples import ExampleValues
from generator.render.operations import OpView
from generator.render.text import md
from generator.render.types import Imports, type_label


@dataclass(frozen=True)
class Examples:
    """One operation called from Python (sync and async), the CLI and curl."""

    python: str
    async_python: str
    cli: str
    curl: str


@dataclass(frozen=True)
class PageContext:
    """`docs/<operation>.md`."""

    title: str
    endpoint: str  # `METHOD /path`, escaped for Markdown
    deprecated: bool
    description: str
    security: tuple[str, ...]  # one bullet per requirement; empty: none
    api_key_env: str
    params: tuple[str, ...]  # table rows
    examples: Examples
    returns: str
    responses: tuple[str, ...]  # table rows


@dataclass(frozen=True)
class IndexContext:
    """`docs/index.md`: every operation."""

    title: str
    package: str
    version: str
    rows: tuple[str, ...]
    api_key_env: str
    base_url_env: str
    server: str


@dataclass(frozen=True)
class ReadmeContext:
    """The package's `README.md`."""

    title: str  # escaped for Markdown
    api: str  # title and version, escaped
    package: str
    spec_name: str  # escaped
    version: str
    operations: int
    docs: bool
    python_example: str
    help_words: str  # the first command's words, "" without operations
    cli_example: str  # the first command, "" without operations
    api_key_env: str
    base_url_env: str
    server: str  # escaped, "" without servers
    paginated: int = 0  # operations that answer with pages
    namespaces: str = ""  # `group_by = "tag"`: a paragraph naming them


def _cli_text(value: Any, t: TypeRef | None = None) -> str:
    """`value` as typed after a flag of type `t`: text as it is where the CLI reads text (a
    scalar, an enum, a union with a string member), else JSON."""
    bare = t.inner if isinstance(t, Nullable) else t
    if isinstance(value, str) and (t is None or _reads_text(bare)):
        return value
    return json.dumps(value, ensure_ascii=False)


def _reads_text(t: TypeRef | None) -> bool:
    """Does the CLI take the text after a flag of type `t` as it is (a string, an enum, any
    value, a union with a string member), not as JSON?"""
    if isinstance(t, UnionOf):
        return any(_string_member(i) for i in t.items)
    return isinstance(t, (Primitive, EnumRef, AnyType))


def _string_member(t: TypeRef) -> bool:
    match t:
        case Nullable(inner=inner):
            return _string_member(inner)
        case UnionOf(items=items):
            return any(_string_member(i) for i in items)
        case Primitive(kind="str") | AnyType():
            return True
    return False


def _query_text(value: Any) -> str:
    """A scalar as the runtime writes it in a query string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _cli_text(value)


def _scalar_list(p: Parameter) -> bool:
    """Does the CLI take this parameter as a list of words (`--ids a b`), not as JSON?"""
    t = p.type.inner if isinstance(p.type, Nullable) else p.type
    return isinstance(t, ListOf) and isinstance(t.item, Primitive)


def cli_flags(op: Operation) -> dict[str, str]:
    """Each flag argument's option string, as the CLI runtime settles them: its wire name, else
    dashed, else its Python name, else `--<location>-<name>`, skipping those the global options
    and earlier arguments took (a body field `url` beside the global `--url`)."""
    taken = set(contract.CLI_GLOBAL_FLAGS)
    out: dict[str, str] = {}
    for p in op.params:
        spellings = dict.fromkeys([f"--{p.wire}", "--" + p.wire.replace("_", "-"), f"--{p.name}"])
        names = [n for n in spellings if n[2:] and not n[2:].startswith("-") and n not in taken]
        fallback, n = f"--{p.location}-{p.name}", 2
        while not names:
            if fallback not in taken:
                names = [fallback]
            fallback, n = f"--{p.location}-{p.name}-{n}", n + 1
        taken.update(names)
        taken.update("--no-" + name[2:] for name in names)  # a boolean's negative spellings
        out[p.name] = names[0]
    return out


def _python(
    settings: Settings, op_name: str, call_args: str, imports: Imports, paged: bool = False
) -> tuple[str, str]:
    """(sync, async) Python examples of one call (`paged`: a loop over every item)."""
    stdlib = "".join(f"import {m}\n" for m in ("datetime", "decimal", "uuid") if imports.has(m))
    names = "Client, models" if imports.has(".", "models") else "Client"
    async_names = "AsyncClient, models" if imports.has(".", "models") else "AsyncClient"
    call = f"client.{op_name}({call_args})"
    if paged:  # every item of every page
        body = f"    for item in {call}:\n        print(item)\n"
        async_body = f"        async for item in {call}:\n            print(item)\n"
    else:
        body = f"    result = {call}\n    print(result)\n"
        async_body = f"        result = await {call}\n        print(result)\n"
    python = (
        (stdlib + "\n" if stdlib else "") + f"from {settings.package} import {names}\n\n"
        f"with Client() as client:  # API key from ${settings.api_key_env}\n" + body
    )
    async_python = (
        f"import asyncio\n{stdlib}\nfrom {settings.package} import {async_names}\n\n\n"
        "async def main() -> None:\n    async with AsyncClient() as client:\n"
        + async_body
        + "\n\nasyncio.run(main())\n"
    )
    return python, async_python


def examples(
    api: Api,
    settings: Settings,
    view: OpView,
    values: ExampleValues | None = None,
    call: str | None = None,
) -> Examples:
    """The operation called with its required parameters (else up to two with examples), each
    with a value the client's validation accepts; `call`: the method's path from the client
    (`pets.create` with namespaces), default its name."""
    values = values or ExampleValues(api)
    op = view.op
    required = [p for p in op.params if p.required]
    shown = required or [p for p in op.params if p.example is not MISSING][:2]
    wire = {p.name: values.wire(p) for p in shown}
    imports = Imports()
    call_args = ", ".join(f"{p.name}={values.code(wire[p.name], p.type, imports)}" for p in shown)
    paged = view.paging is not None
    python, async_python = _python(settings, call or op.name, call_args, imports, paged)
    cli_parts = ["python", "-m", settings.package, *op.cli_words]
    flags = cli_flags(op)
    by_name = {p.name: p for p in shown}
    positional: list[str] = []
    for name, _ in op.cli.positional:  # in order, while the example gives each
        if name not in by_name:
            break
        positional.append(name)
        value = wire[name]
        items = value if isinstance(value, list) else [value]
        cli_parts += [_cli_text(v, by_name[name].type) for v in items]
    for p in shown:
        value = wire[p.name]
        if p.name in positional:
            continue
        bare = p.type.inner if isinstance(p.type, Nullable) else p.type
        if isinstance(value, bool) and bare == Primitive("bool"):  # a switch: --x / --no-x
            cli_parts.append(flags[p.name] if value else "--no-" + flags[p.name][2:])
        elif _scalar_list(p) and isinstance(value, list):
            cli_parts += [flags[p.name], *(_cli_text(v) for v in value)]
        else:
            cli_parts += [flags[p.name], _cli_text(value, p.type)]
    server = (op.servers or api.servers or ("https://api.example.com",))[0].rstrip("/")
    path = op.path
    query: list[tuple[str, str]] = []
    headers: list[str] = []
    for p in shown:
        value = wire[p.name]
        if p.location == "path":
            path = path.replace("{" + p.wire + "}", urllib.parse.quote(_query_text(value), safe=""))
        elif p.location == "query":
            items = value if isinstance(value, list) else [value]
            query += [(p.wire, _query_text(v)) for v in items]
        elif p.location == "header":
            headers.append(f"{p.wire}: {_query_text(value)}")
        elif p.location == "cookie":
            headers.append(f"Cookie: {p.wire}={_query_text(value)}")
    url = server + path + (f"?{urllib.parse.urlencode(query)}" if query else "")
    curl = ["curl", "-X", op.method, url]
    if op.security:
        curl += ["-H", f"Authorization: Bearer ${settings.api_key_env}"]
    for header in headers:
        curl += ["-H", header]
    curl += _curl_body(op, shown, wire)
    return Examples(
        python=python,
        async_python=async_python,
        cli=" ".join(shlex.quote(x) for x in cli_parts),
        curl=" ".join(
            shlex.quote(x) if not x.startswith("Authorization") else f'"{x}"' for x in curl
        ),
    )


def _curl_body(op: Operation, shown: list[Parameter], wire: dict[str, Any]) -> list[str]:
    """curl's options for the request body of the call shown."""
    body = [p for p in shown if p.location == "body"]
    if op.body is None or not body:
        return []
    if op.body.flattened:
        payload: Any = {p.wire: wire[p.name] for p in body}
    else:
        payload = wire[body[0].name]
    kind = op.body.kind
    if kind == "json":
        data = json.dumps(payload, ensure_ascii=False)
        return ["-H", f"Content-Type: {op.body.content_type}", "--data", data]
    if kind == "form" and isinstance(payload, dict):
        pairs = [(k, _query_text(v)) for k, v in payload.items()]
        return ["--data", urllib.parse.urlencode(pairs)]
    if kind == "multipart" and isinstance(payload, dict):
        return [x for k, v in payload.items() for x in ("-F", f"{k}={_query_text(v)}")]
    return ["-H", f"Content-Type: {op.body.content_type}", "--data-binary", _cli_text(payload)]


def _json_cell(value: Any) -> str:
    return "" if value is MISSING else f"`{md(json.dumps(value, ensure_ascii=False))}`"


def _page(
    api: Api, settings: Settings, view: OpView, values: ExampleValues, call: str
) -> PageContext:
    op = view.op
    params = []
    for pv in view.params:
        p = pv.param
        name = f"`{p.name}`" + (f" (`{md(p.wire)}`)" if p.wire != p.name else "")
        cells = [
            name,
            p.location,
            md(type_label(p.type)),
            "yes" if p.required else "no",
            _json_cell(p.default),
            _json_cell(p.example),
            md(p.description),
        ]
        params.append("| " + " | ".join(cells) + " |")
    raises = {e.status: f"`{e.exception}`" for e in view.errors}
    responses = [
        f"| {r.status} | {md(r.description)} | "
        f"{type_label(r.type) if r.type is not None else r.kind} | {raises.get(r.status, '')} |"
        for r in op.responses
    ]
    return PageContext(
        title=md(op.summary or op.name),
        endpoint=f"{op.method} {md(op.path)}",
        deprecated=op.deprecated,
        description=op.description,
        security=tuple(
            " + ".join(_scheme_label(api, key) for key in requirement)
            if requirement
            else "none (a credential is still sent if one is configured)"
            for requirement in op.security
        ),
        api_key_env=settings.api_key_env,
        params=tuple(params),
        examples=examples(api, settings, view, values, call),
        returns=view.returns,
        responses=tuple(responses),
    )


def _scheme_label(api: Api, key: str) -> str:
    """A security scheme and the client argument(s) that give its credential."""
    scheme = next((s for s in api.security_schemes if s.key == key), None)
    if scheme is None:
        return md(key)
    if scheme.kind == "basic":
        args = "`username=`, `password=`"
    elif scheme.token_url:
        args = f"`client_id=` and `client_secret=`, or `{scheme.arg}=`"
    else:
        args = f"`{scheme.arg}=`"
    return f"{md(key)} ({args})"


def render(
    api: Api,
    settings: Settings,
    views: list[OpView],
    header: str,
    memo: Memo | None = None,
    keys: Keys | None = None,
) -> dict[str, str]:
    """README.md, and with `settings.docs` the docs folder, keyed by path. With a `memo`, an
    operation's page whose inputs (its view, the settings, everything in the API but the other
    operations: examples read the models) are unchanged is not laid out again."""
    s, pkg = settings, settings.package
    values = ExampleValues(api)
    plan = namespaces.plan([v.op for v in views], s.group_by)
    first = None
    if views:
        first = examples(api, settings, views[0], values, plan.path(views[0].op.name))
    readme = ReadmeContext(
        title=md(api.title),
        api=f"{md(api.title)} {md(api.version)}",
        package=pkg,
        spec_name=md(s.spec_name),
        version=__version__,
        operations=len(views),
        docs=s.docs,
        python_example=first.python if first else "",
        help_words=" ".join(views[0].op.cli_words) if views else "",
        cli_example=first.cli if first else "",
        api_key_env=s.api_key_env,
        base_url_env=s.base_url_env,
        server=md(api.servers[0]) if api.servers else "",
        paginated=sum(1 for v in views if v.paging is not None),
        namespaces=_namespaces_note(plan),
    )
    out = {f"{pkg}/README.md": header + template("docs/README.md.jinja").render(c=readme)}
    if not s.docs:
        return out
    index = IndexContext(
        title=f"{api.title} {api.version}",
        package=pkg,
        version=__version__,
        rows=tuple(
            f"| [{md(v.op.summary or v.op.name)}]({v.doc_file}) | `{v.op.method} {md(v.op.path)}` "
            f"| `client.{plan.path(v.op.name)}()` | `python -m {pkg} {' '.join(v.op.cli_words)}` |"
            for v in views
        ),
        api_key_env=s.api_key_env,
        base_url_env=s.base_url_env,
        server=api.servers[0] if api.servers else "(none)",
    )
    out[f"{pkg}/docs/index.md"] = header + template("docs/index.md.jinja").render(c=index)
    page = template("docs/operation.md.jinja")
    # what every page may read besides its own operation
    shared = ""
    if memo is not None and keys is not None:
        rest = replace(api, operations=(), models=(), enums=())
        shared = key_of(header, settings, rest, keys.models)
    for view in views:
        call = plan.path(view.op.name)
        key = key_of("page", shared, keys.view(view), call) if keys is not None else ""
        text = memo.get(key) if memo is not None and keys is not None else None
        if text is None:
            text = header + page.render(c=_page(api, settings, view, values, call))
            if memo is not None and keys is not None:
                memo.put(key, text)
        out[f"{pkg}/docs/{view.doc_file}"] = text
    return out


def _namespaces_note(plan: namespaces.Plan) -> str:
    """The README's paragraph on the namespaces, "" without them."""
    if not plan.namespaces:
        return ""
    names = [f"`client.{ns.attr}`" for ns in plan.namespaces]
    shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
    return (
        f"Operations are grouped by their first tag: {shown}, each with its own\n"
        "`with_raw_response` and `with_streaming_response` (and the same on `AsyncClient`);\n"
        "operations without a tag are methods of the client. The CLI has one command per operation."
    )
