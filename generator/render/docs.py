"""The docs renderer: the package's `README.md`, `docs/index.md` and one page per operation.

Each page shows the operation's parameters and responses as Markdown tables (spec text in
cells goes through `md`), and runnable examples: a Python call (sync and async), a CLI command
and a curl line, built from each parameter's example, default or a value of its type.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from typing import Any

from generator import __version__
from generator.model import MISSING, Api, Parameter, Primitive
from generator.render.common import Settings, template
from generator.render.operations import OpView
from generator.render.text import md, pyrepr
from generator.render.types import type_label


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


def example_value(p: Parameter) -> Any:
    """A value to show for `p`: its example, else its default, else one of its type."""
    if p.example is not MISSING:
        return p.example
    if p.default is not MISSING:
        return p.default
    match p.type:
        case Primitive(kind="int"):
            return 1
        case Primitive(kind="float"):
            return 1.5
        case Primitive(kind="bool"):
            return True
        case Primitive(kind="str"):
            return "string"
    return None


def examples(api: Api, settings: Settings, view: OpView) -> Examples:
    """The operation called with its required parameters (else up to two with examples)."""
    op = view.op
    required = [p for p in op.params if p.required]
    shown = required or [p for p in op.params if p.example is not MISSING][:2]
    call_args = ", ".join(f"{p.name}={pyrepr(example_value(p))}" for p in shown)
    python = (
        f"from {settings.package} import Client\n\n"
        f"with Client() as client:  # API key from ${settings.api_key_env}\n"
        f"    result = client.{op.name}({call_args})\n"
        f"    print(result)\n"
    )
    async_python = (
        f"import asyncio\n\nfrom {settings.package} import AsyncClient\n\n\n"
        f"async def main() -> None:\n"
        f"    async with AsyncClient() as client:\n"
        f"        result = await client.{op.name}({call_args})\n"
        f"        print(result)\n\n\n"
        f"asyncio.run(main())\n"
    )
    cli_parts = ["python", "-m", settings.package, *op.cli_words]
    for p in shown:
        value = example_value(p)
        text = json.dumps(value) if not isinstance(value, str) else value
        if p.location == "path" and p.required:
            cli_parts.append(text)
        elif isinstance(value, bool):
            cli_parts.append(f"--{p.wire}" if value else f"--no-{p.wire}")
        else:
            cli_parts += [f"--{p.wire}", text]
    body = {p.wire: example_value(p) for p in shown if p.location == "body"}
    server = (op.servers or api.servers or ("https://api.example.com",))[0].rstrip("/")
    path = op.path
    for p in shown:
        if p.location == "path":
            path = path.replace("{" + p.wire + "}", str(example_value(p)))
    query = "&".join(f"{p.wire}={example_value(p)}" for p in shown if p.location == "query")
    curl = ["curl", "-X", op.method, server + path + (f"?{query}" if query else "")]
    if op.security:
        curl += ["-H", f"Authorization: Bearer ${settings.api_key_env}"]
    if body:
        curl += ["-H", "Content-Type: application/json", "--data", json.dumps(body)]
    return Examples(
        python=python,
        async_python=async_python,
        cli=" ".join(shlex.quote(x) for x in cli_parts),
        curl=" ".join(
            shlex.quote(x) if not x.startswith("Authorization") else f'"{x}"' for x in curl
        ),
    )


def _json_cell(value: Any) -> str:
    return "" if value is MISSING else f"`{md(json.dumps(value, ensure_ascii=False))}`"


def _page(api: Api, settings: Settings, view: OpView) -> PageContext:
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
            " + ".join(requirement) if requirement else "none (anonymous)"
            for requirement in op.security
        ),
        api_key_env=settings.api_key_env,
        params=tuple(params),
        examples=examples(api, settings, view),
        returns=view.returns,
        responses=tuple(responses),
    )


def render(api: Api, settings: Settings, views: list[OpView], header: str) -> dict[str, str]:
    """README.md, and with `settings.docs` the docs folder, keyed by path."""
    s, pkg = settings, settings.package
    first = examples(api, settings, views[0]) if views else None
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
            f"| `client.{v.op.name}()` | `python -m {pkg} {' '.join(v.op.cli_words)}` |"
            for v in views
        ),
        api_key_env=s.api_key_env,
        base_url_env=s.base_url_env,
        server=api.servers[0] if api.servers else "(none)",
    )
    out[f"{pkg}/docs/index.md"] = header + template("docs/index.md.jinja").render(c=index)
    page = template("docs/operation.md.jinja")
    for view in views:
        out[f"{pkg}/docs/{view.doc_file}"] = header + page.render(c=_page(api, settings, view))
    return out
