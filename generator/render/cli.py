"""The CLI renderer: `_cli.py` (the command table and `main`) and `__main__.py`.

The command table holds one `Command` per operation: its words, its method and its `Op`
descriptor, plus a `Flag` for each argument with a server default or an example to show in
`--help`. `_cli_runtime` builds the argparse parser from it at run time; the arguments' help
texts come from the client classes' `_cli_help` tables (see `client`), and the global options'
defaults from the client's configured values.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import cli_usage, layout
from generator.cache import Memo, key_of
from generator.model import MISSING, Api, Operation, Parameter
from generator.render import namespaces
from generator.render.common import Keys, Settings, memo_code, template
from generator.render.operations import OpView
from generator.render.text import pyrepr
from generator.render.types import Imports


@dataclass(frozen=True)
class CliContext:
    """`_cli.py`: the command table and `main()`."""

    docstring: str
    imports: str
    commands: tuple[str, ...]  # each `Command(...)` entry, laid out
    run_args: tuple[str, ...]  # the keyword arguments of `run(...)` after `argv`
    commands_class: str = ""  # `group_by = "tag"`: `Client` with every method by its flat name


def flag_code(p: Parameter, imports: Imports) -> str:
    """The CLI `Flag(...)` expression of a parameter, "" if it has nothing to add."""
    parts = [pyrepr(p.name)]  # the help text is in the client class's `_cli_help`
    if p.default is not MISSING:
        parts.append(f"default={pyrepr(p.default)}")
    if p.example is not MISSING:
        parts.append(f"example={pyrepr(p.example)}")
    if len(parts) == 1:
        return ""
    imports.add("._cli_runtime", "Flag")
    return "Flag(" + ", ".join(parts) + ")"


_MARK = {"required": "", "optional": "?", "rest": "..."}


def cli_parts(op: Operation) -> list[str]:
    """The `positional=`, `aliases=`, `defaults=` and `usage=` arguments of a `Command`: the
    usage line only where the description does not carry it (the help shows the docstring)."""
    cli = op.cli
    parts = []
    if cli.positional:
        parts.append(f"positional={pyrepr(tuple(n + _MARK[k] for n, k in cli.positional))}")
    if cli.aliases:
        parts.append(f"aliases={pyrepr(cli.aliases)}")
    if cli.defaults:
        parts.append(f"defaults={pyrepr(cli.defaults)}")
    if cli.usage and cli.usage not in " ".join(op.description.split()):
        parts.append(f"usage={pyrepr(cli.usage)}")
    return parts


def overflows(ops: list[Operation]) -> dict[str, tuple[str, ...]]:
    """Two operations documented with the same command words (`show ssh-keys` and `show
    ssh-keys <instance_id>`): the one with positionals was renamed (`show ssh-keys-2`); the
    other, when given positional arguments, runs it (method name -> the renamed words)."""
    words = {op.cli_words for op in ops}
    out: dict[str, tuple[str, ...]] = {}
    for op in ops:
        documented = cli_usage.command_words(op.cli.usage) if op.cli.usage else None
        if not op.cli.positional or documented is None or documented == op.cli_words:
            continue
        for plain in ops:
            parent = any(w[: len(plain.cli_words)] == plain.cli_words != w for w in words)
            if plain.cli_words == documented and not plain.cli.positional and not parent:
                out.setdefault(plain.name, op.cli_words)
    return out


def command_code(
    view: OpView, imports: Imports, overflow: tuple[str, ...] | None = None
) -> str:
    """The `Command(...)` entry of an operation, laid out as a line of the table."""
    parts = [pyrepr(view.op.cli_words), pyrepr(view.op.name), f"ops.{view.const}"]
    flags = [code for p in view.params if (code := flag_code(p.param, imports))]
    if flags:
        parts.append("flags=(" + ", ".join(flags) + ("," if len(flags) == 1 else "") + ")")
    parts += cli_parts(view.op)
    if overflow:
        parts.append(f"overflow={pyrepr(overflow)}")
    imports.add(".", "_ops as ops")
    return layout.statement("", "Command(" + ", ".join(parts) + ")", ",", 1)


def _command(
    view: OpView,
    imports: Imports,
    overflow: tuple[str, ...] | None,
    memo: Memo | None,
    keys: Keys | None,
) -> str:
    key = key_of("command", keys.view(view), overflow) if keys is not None else ""
    return memo_code(
        memo if keys is not None else None,
        key,
        imports,
        lambda own: command_code(view, own, overflow),
    )


def render(
    api: Api,
    settings: Settings,
    views: list[OpView],
    header: str,
    memo: Memo | None = None,
    keys: Keys | None = None,
) -> dict[str, str]:
    """`_cli.py` and `__main__.py`, keyed by path (with a `memo`, each command's entry is
    reused when its view and overflow are unchanged)."""
    s = settings
    imports = Imports().add("collections.abc", "Sequence")
    imports.add("._cli_runtime", "Command", "run").add(".client", "Client")
    ordered = sorted(views, key=lambda v: v.op.cli_words)
    shared = overflows([v.op for v in views])
    commands = tuple(_command(v, imports, shared.get(v.op.name), memo, keys) for v in ordered)
    commands_class = _commands_class(views, namespaces.plan([v.op for v in views], s.group_by))
    if commands_class:
        imports.update([commands_class[1]])
    server = api.servers[0] if api.servers else "none"
    context = CliContext(
        docstring=(
            "The command-line interface: one command per operation "
            f"(`python -m {s.package} --help`)."
        ),
        imports=imports.block(),
        commands=commands,
        run_args=(
            f"prog={pyrepr(s.cli_name)},",
            f"package={pyrepr(s.package)},",
            f"description={pyrepr(api.title + ' ' + api.version)},",
            f"client_factory={'_Commands' if commands_class else 'Client'},",
            "env={",
            f"    {pyrepr('key_env')}: {pyrepr(s.api_key_env)},",
            f"    {pyrepr('url_env')}: {pyrepr(s.base_url_env)},",
            f"    {pyrepr('server')}: {pyrepr(server)},",
            "},",
        ),
        commands_class=commands_class[0] if commands_class else "",
    )
    pkg = s.package
    return {
        f"{pkg}/_cli.py": header + template("package/_cli.py.jinja").render(c=context),
        f"{pkg}/__main__.py": header
        + template("package/__main__.py.jinja").render(package=s.package),
    }


def _commands_class(views: list[OpView], plan: namespaces.Plan) -> tuple[str, Imports] | None:
    """With namespaces, the class the CLI runs commands on: `Client` plus each namespaced
    method under the operation's flat name (a command's `method`), and their argument help
    (the namespaces' `_cli_help` tables, keyed by those names). None without namespaces.
    """
    if not plan.namespaces:
        return None
    imports = Imports()
    by_name = {v.op.name: v for v in views}
    lines = [
        "class _Commands(Client):",
        '    """`Client` with every method of its namespaces under its command\'s name."""',
        "",
    ]
    helped = []
    for ns in plan.namespaces:
        imports.add("." + ns.module, ns.cls)
        lines += [
            layout.statement(f"{name} = ", f"{ns.cls}.{plan.method(name)}", "", 1, True)
            for name in ns.ops
        ]
        if any(p.param.description for name in ns.ops for p in by_name[name].params):
            helped.append(ns.cls)
    if helped:
        imports.add("typing", "ClassVar")
        lines += ["", "    _cli_help: ClassVar[dict[str, dict[str, str]]] = {"]
        lines += [f"        **{cls}._cli_help," for cls in helped]
        lines.append("    }")
    return "\n".join(lines), imports
