"""The namespace modules of `group_by = "tag"`: one `_client_<tag>.py` per tag, and `_resource.py`.

Each module holds the tag's operations as the methods of `<Tag>Resource` (`client.<tag>`), with
`Async<Tag>Resource` (`AsyncClient.<tag>`) and the raw-response and streaming companions of
both, as `client.py` has them for the client: every signature and docstring is written once, in
`<Tag>Resource`; the others are one `rt.<wrapper>(...)` line per method. `_resource.py` holds
their base, `Resource`, which hands each call to the client. `namespaces.plan` names everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import layout
from generator.model import Api
from generator.render import lazy, namespaces
from generator.render.client import Method, _cli_help, _method
from generator.render.common import Settings, template
from generator.render.namespaces import Namespace, Plan
from generator.render.operations import OpView
from generator.render.text import docstring
from generator.render.types import RT, Imports


@dataclass(frozen=True)
class ResourceContext:
    """`_client_<tag>.py` with `group_by = "tag"`: one tag's namespace classes."""

    docstring: str
    imports: str
    cls: str
    async_cls: str
    class_docstring: str
    async_docstring: str
    methods: tuple[Method, ...]
    cli_help: tuple[str, ...]  # keyed by each operation's flat name, the CLI command's method
    raw_aliases: tuple[str, ...]
    streaming_aliases: tuple[str, ...]
    async_aliases: tuple[str, ...]
    async_raw_aliases: tuple[str, ...]
    async_streaming_aliases: tuple[str, ...]
    heads: dict[str, str]  # the `def` lines of the properties and `__init__`s, laid out
    typed_models: bool = False  # `models` imported for type checkers only


def render(api: Api, settings: Settings, views: list[OpView], header: str) -> dict[str, str]:
    """`_resource.py` and one module per namespace, keyed by path (none by default)."""
    plan = namespaces.plan([v.op for v in views], settings.group_by)
    if not plan.namespaces:
        return {}
    pkg = settings.package
    by_name = {v.op.name: v for v in views}
    page = template("package/resource.py.jinja")
    out = {f"{pkg}/_resource.py": header + template("package/_resource.py.jinja").render()}
    for ns in plan.namespaces:
        context = _context(api, ns, [by_name[name] for name in ns.ops], plan)
        out[f"{pkg}/{ns.module}.py"] = header + page.render(c=context)
    return out


def _context(api: Api, ns: Namespace, views: list[OpView], plan: Plan) -> ResourceContext:
    imports = Imports().add("collections.abc", "Mapping").add(".", "_ops as ops", RT)
    imports.add("._runtime", "UNSET", "Timeout", "Unset").add("._resource", "Resource")
    imports.update(v.returns_imports for v in views)
    imports.update(p.imports for v in views for p in v.params)
    methods = [_method(view, plan.method(view.op.name)) for view in views]
    if any(m.overloads for m in methods):
        imports.add("typing", "Literal", "overload")
    cli_help = _cli_help(views)
    if cli_help:
        imports.add("typing", "ClassVar")
    typed = lazy.typed_models(imports)
    names = [m.name for m in methods]
    paged = {plan.method(v.op.name) for v in views if v.paging is not None}
    cls, async_cls = ns.cls, ns.async_cls
    return ResourceContext(
        docstring=docstring(f"The operations tagged {ns.tag} of {api.title}: `client.{ns.attr}`."),
        imports=imports.block(),
        typed_models=typed,
        cls=cls,
        async_cls=async_cls,
        class_docstring=docstring(f"The operations tagged {ns.tag}: `client.{ns.attr}`.", 1),
        async_docstring=docstring(
            f"The operations tagged {ns.tag}, awaitable: `async_client.{ns.attr}`.", 1
        ),
        methods=tuple(methods),
        cli_help=cli_help,
        **lazy.alias_lines(names, paged, cls, async_cls, 1),
        heads=_heads(cls, async_cls),
    )


def _heads(cls: str, async_cls: str) -> dict[str, str]:
    """Each class's `with_raw_response`/`with_streaming_response` property and each companion's
    `__init__`, as `def` lines (a long class name splits them)."""
    out = {}
    for owner in (cls, async_cls):
        for kind in ("raw", "streaming"):
            companion = f"{owner}With{kind.capitalize()}Response"
            out[f"{owner}.{kind}"] = layout.def_head(f"with_{kind}_response", "self", companion, 1)
            params = f"self, resource: {owner}"
            out[f"{companion}.init"] = layout.def_head("__init__", params, "None", 1)
    return out
