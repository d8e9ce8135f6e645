"""Command-line runtime: builds the argparse CLI from the generated command table and runs it.

Copied verbatim into each generated package (stdlib + the package's own `_runtime`). One command
per operation; flags are named after the spec's fields, accepted both as spelled in the spec
(`--min_load`) and dashed (`--min-load`); global options work before or after the command.
Exit codes: 0 success, 1 API or network error, 2 usage error.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

from . import _cli_auth
from ._cli_complete import SHELLS, script
from ._cli_output import _defaults, _flag_help, _help_for, _print_request, show
from ._cli_tree import add_commands, command_tree
from ._cli_values import (
    _bare,
    _boolean,
    _choice,
    _count,
    _data,
    _json_value,
    _plain,
    _seconds,
    _value_type,
    _Values,
    _whole_body,
)
from ._runtime import (
    UNSET,
    ApiConnectionError,
    ApiError,
    ApiStatusError,
    Arg,
    MissingCredentialsError,
    Op,
    RequestValidationError,
    SyncClient,
)
from ._streaming import open_stream


@dataclasses.dataclass(frozen=True)
class Flag:
    """Help text for one argument of a command (its wire name and type come from the `Arg`)."""

    arg: str
    help: str = ""
    default: Any = UNSET  # the server-side default, shown in --help, never sent
    example: Any = UNSET


@dataclasses.dataclass(frozen=True)
class Command:
    """One command. `positional` names the arguments also taken by position, in order:
    `"key"` (required unless given as a flag), `"key?"` (optional), `"command..."` (the rest of
    the argv, joined by spaces); `aliases` are more words for it; `defaults` the values filled
    in when the user leaves an argument out (`x-cli-default`)."""

    words: tuple[str, ...]
    method: str
    op: Op[Any]
    summary: str = ""
    description: str = ""
    flags: tuple[Flag, ...] = ()
    positional: tuple[str, ...] = ()
    aliases: tuple[tuple[str, ...], ...] = ()
    defaults: tuple[tuple[str, Any], ...] = ()
    usage: str = ""
    overflow: tuple[str, ...] = ()  # the command to run when given positional arguments


class _Parser(argparse.ArgumentParser):
    """argparse, where an abbreviation that matches several spellings of one option (`--inst`
    for `--instance_id` / `--instance-id`) means that option instead of being ambiguous.
    """

    def _get_option_tuples(self, option_string: str) -> Any:
        found = super()._get_option_tuples(option_string)
        actions = {id(t[0]) for t in found}
        return found[:1] if len(actions) == 1 else found


def _dest(name: str) -> str:
    """An argument's argparse destination: never a global option's (`api_key`, `url`, ...)."""
    return "arg_" + name


def _flag_names(parser: argparse.ArgumentParser, arg: Arg) -> list[str]:
    names = [f"--{arg.wire}"]
    dashed = "--" + arg.wire.replace("_", "-")
    if dashed not in names:
        names.append(dashed)
    snake = "--" + arg.name
    if snake not in names:
        names.append(snake)
    # Global options (added first) and earlier flags keep their spellings; a field whose names
    # are all taken (a body field `url` beside the global `--url`) gets `--<location>-<name>`.
    taken = parser._option_string_actions
    names = [n for n in names if n[2:] and not n[2:].startswith("-") and n not in taken]
    fallback, n = f"--{arg.location}-{arg.name}", 2
    while not names:
        if fallback not in taken:
            names = [fallback]
        fallback, n = f"--{arg.location}-{arg.name}-{n}", n + 1
    return names


def _add_flag(
    parser: argparse.ArgumentParser, arg: Arg, flag: Flag | None, documented: str = ""
) -> None:
    """The flags of an argument (`--min_load`, `--min-load`); whether it is required is checked
    after parsing (`_missing`), since a positional may give it instead."""
    help_text = _help_for(arg, flag, documented)
    desc = _bare(arg.type)
    names = _flag_names(parser, arg)
    common: dict[str, Any] = {"dest": _dest(arg.name), "default": UNSET}
    if desc == "bool":
        parser.add_argument(
            *names,
            nargs="?",
            const=True,
            type=_boolean,
            metavar="BOOL",
            help=help_text,
            **common,
        )
        taken = parser._option_string_actions
        negated = [f"--no-{n[2:]}" for n in names if f"--no-{n[2:]}" not in taken]
        if negated:
            parser.add_argument(
                *negated,
                action="store_const",
                const=False,
                help=argparse.SUPPRESS,
                **common,
            )
    elif isinstance(desc, tuple) and desc[0] == "list":
        conv, choices, metavar = (
            _value_type(desc[1]) if desc[1] != "any" else (_json_value, None, "JSON")
        )
        if choices is not None:
            metavar = "{" + ",".join(str(c) for c in choices) + "}"
            conv = _choice(conv, choices)
        parser.add_argument(
            *names,
            action=_Values,
            item=conv,
            nargs="*",
            metavar=metavar,
            help=help_text,
            **common,
        )
    else:
        conv, choices, metavar = _value_type(desc)
        parser.add_argument(
            *names,
            type=conv,
            choices=choices,
            metavar=metavar,
            help=help_text,
            **common,
        )


def _add_positional(
    parser: argparse.ArgumentParser, arg: Arg, spec: str, documented: str
) -> None:
    """A positional argument beside the argument's flags (`create env-var KEY VALUE`); read as
    text, converted once `_arguments` knows which argument it is (`--key K V`: V is VALUE).
    """
    parser.add_argument(
        "pos_" + arg.name,
        nargs="*" if spec.endswith("...") else "?",
        default=UNSET,
        metavar=arg.wire.upper(),
        help=(
            documented
            + (" " if documented else "")
            + ("(required; " if arg.required and spec[-1:] not in "?." else "(")
            + ("the rest of the line; " if spec.endswith("...") else "")
            + "or as a flag)"
        ).replace("%", "%%"),
    )


_GLOBALS: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    (
        ("--api-key", "--api_key"),
        {"dest": "api_key", "metavar": "KEY", "help": "API key (else ${key_env})"},
    ),
    (
        ("--url", "--base-url"),
        {
            "dest": "url",
            "metavar": "URL",
            "help": "base URL of the API (else ${url_env}, else {server})",
        },
    ),
    (
        ("--raw",),
        {
            "dest": "raw",
            "action": "store_true",
            "help": "print the response body exactly as received",
        },
    ),
    (
        ("--format",),
        {
            "dest": "format",
            "choices": ("json", "table", "text"),
            "help": "how to print the result (default: text on a terminal, JSON when piped)",
        },
    ),
    (
        ("--output", "-o"),
        {
            "dest": "output",
            "metavar": "FILE",
            "help": "write the response body to FILE (a binary body: else stdout when piped)",
        },
    ),
    (
        ("--timeout",),
        {
            "dest": "timeout",
            "type": _seconds,
            "metavar": "SECONDS",
            "help": "read timeout (default {timeout})",
        },
    ),
    (
        ("--max-retries", "--max_retries"),
        {
            "dest": "max_retries",
            "type": _count,
            "metavar": "N",
            "help": "retries on 408/429/5xx and connection errors (default {max_retries})",
        },
    ),
    (
        ("--dry-run", "--dry_run"),
        {
            "dest": "dry_run",
            "action": "store_true",
            "help": "print the request and a curl line (key redacted); send nothing",
        },
    ),
    (
        ("--verbose", "-v"),
        {
            "dest": "verbose",
            "action": "store_true",
            "help": "log requests and retries to stderr (credentials redacted)",
        },
    ),
)


def _add_globals(
    parser: argparse.ArgumentParser, values: dict[str, str], suppress: bool, client: Any
) -> None:
    """The global options; `values` fills their help's `{key_env}`, `{timeout}`, ... fields;
    `client`'s schemes say which credentials beside the API key they take (`_cli_auth`).
    """
    group = parser.add_argument_group("global options")
    for names, options in _GLOBALS:
        opts = dict(options)
        text = opts["help"]
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        opts["help"] = text.replace("%", "%%")
        opts["default"] = (
            argparse.SUPPRESS
            if suppress
            else (False if opts.get("action") == "store_true" else None)
        )
        group.add_argument(*names, **opts)
    _cli_auth.add_flags(group, client, values.get("key_env"), suppress)


def _help_texts(command: Command, client: Any) -> tuple[str, str]:
    """(summary, description) of a command: from the table, else from the method's docstring.

    Generated tables leave them out so that editing an operation's text in the spec does not
    change the CLI module: the docstring (summary, description, then the `METHOD /path` line
    and the argument list) already carries them.
    """
    if command.summary:
        summary, text = command.summary, command.description or command.summary
    else:
        doc = inspect.getdoc(getattr(client, command.method, None)) or command.method
        text = doc.split(f"\n\n`{command.op.method} ", 1)[0]
        summary = text.split("\n", 1)[0].strip()
    if command.usage and command.usage not in text:
        text = f"{text}\n\nUsage: {command.usage}"
    return _plain(summary), _plain(text)


def build_parser(
    commands: Sequence[Command],
    prog: str,
    description: str,
    env: dict[str, str],
    client: Any = None,
) -> argparse.ArgumentParser:
    """The parser of every command; each command's own parser (flags, help from its method)
    is made when argparse reaches its words (`_cli_tree`), so that `--help` and one command
    load only what they show."""
    parser = _Parser(
        prog=prog,
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    values = {**env, **_defaults(client)}
    _add_globals(parser, values, suppress=False, client=client)
    parser.set_defaults(cli_key_env=env.get("key_env"))
    parser.add_argument(
        "--completion",
        choices=SHELLS,
        help='print a shell completion script (bash: eval "$(%(prog)s --completion bash)")',
    )
    tree = command_tree(commands)

    def texts(key: tuple[str, ...]) -> tuple[str, str]:
        command = tree.leaves.get(key)
        return _help_texts(command, client) if command is not None else ("", "")

    def fill(key: tuple[str, ...], sub: argparse.ArgumentParser) -> None:
        command = tree.leaves.get(key)
        if command is not None:
            _add_globals(sub, values, suppress=True, client=client)
            documented = _flag_help(client).get(command.method, {})
            _add_arguments(sub, command, documented)
        if key in tree.children:
            add_commands(
                sub,
                len(key),
                tree.children[key],
                lambda w: (
                    texts(key + (w,))[0]
                    if key + (w,) in tree.leaves
                    else f"{' '.join(key + (w,))} ..."
                ).replace("%", "%%"),
                lambda w, child: fill(key + (w,), child),
                lambda w: texts(key + (w,))[1] if key + (w,) in tree.leaves else None,
            )

    fill((), parser)
    return parser


def _add_arguments(
    sub: argparse.ArgumentParser, command: Command, documented: dict[str, str]
) -> None:
    """A command's positionals and flags; the command and its parser as defaults."""
    flags = {f.arg: f for f in command.flags}
    args = {a.name: a for a in command.op.args}
    for spec in command.positional:
        name = spec.rstrip("?.")
        if name in args:
            _add_positional(sub, args[name], spec, _plain(documented.get(name, "")))
    for arg in command.op.args:
        _add_flag(sub, arg, flags.get(arg.name), documented.get(arg.name, ""))
    if command.op.body is not None:
        taken = sub._option_string_actions
        sub.add_argument(
            "--data" if "--data" not in taken else "--request-data",
            dest="cli_data",
            metavar="JSON|@FILE|-",
            help="the whole request body: JSON text, @file.json, or - for stdin; "
            "flags given beside it override its fields",
        )
    if command.op.paging is not None:  # a list: --all walks every page
        sub.add_argument(
            "--all" if "--all" not in sub._option_string_actions else "--all-pages",
            dest="cli_all",
            action="store_true",
            help="print every item of every page, one JSON line each",
        )
    if command.overflow:
        sub.add_argument("cli_overflow", nargs="*", default=[], help=argparse.SUPPRESS)
    sub.set_defaults(_command=command, _parser=sub)


def run(
    commands: Sequence[Command],
    argv: Sequence[str] | None,
    *,
    prog: str,
    package: str,
    description: str,
    client_factory: Callable[..., SyncClient],
    env: dict[str, str],
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser(commands, prog, description, env, client_factory)
    try:
        args = list(sys.argv[1:] if argv is None else argv)
        ns = parser.parse_args(args)
        chosen = getattr(ns, "_command", None)
        if chosen is not None and getattr(ns, "cli_overflow", None):
            ns = parser.parse_args(_overflow(args, chosen.words, chosen.overflow))
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    command: Command | None = getattr(ns, "_command", None)
    if getattr(ns, "completion", None):
        print(script(parser, ns.completion), file=out, end="")
        return 0
    if command is None:
        parser.print_help(err)
        return 2
    logger = logging.getLogger(package)
    handler: logging.Handler | None = None
    level = logger.level
    if getattr(ns, "verbose", False):
        handler = logging.StreamHandler(err)
        handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    try:
        kwargs = _arguments(command, ns)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    try:
        return _execute(command, kwargs, ns, prog, client_factory, out, err)
    finally:
        if handler is not None:  # main() may run again in this process: leave no trace
            logger.removeHandler(handler)
            logger.setLevel(level)


def _overflow(
    argv: list[str], words: tuple[str, ...], other: tuple[str, ...]
) -> list[str]:
    """`argv` with the command's words replaced by `other`'s (as many, in the same places)."""
    out, at = list(argv), 0
    for index, token in enumerate(argv):
        if at < len(words) and token == words[at] and len(other) == len(words):
            out[index] = other[at]
            at += 1
    return out


def _arguments(command: Command, ns: argparse.Namespace) -> dict[str, Any]:
    """The method's keyword arguments: from the flags, the positionals filling in order the
    positional arguments no flag gave, else `x-cli-default`; a required one missing is a usage
    error (SystemExit 2)."""
    parser: argparse.ArgumentParser = ns._parser
    args = {a.name: a for a in command.op.args}
    kwargs: dict[str, Any] = {
        a.name: getattr(ns, _dest(a.name))
        for a in command.op.args
        if getattr(ns, _dest(a.name), UNSET) is not UNSET
    }
    words: list[str] = []
    for spec in command.positional:
        given = getattr(ns, "pos_" + spec.rstrip("?."), UNSET)
        words += given if isinstance(given, list) else [] if given is UNSET else [given]
    for spec in command.positional:
        name = spec.rstrip("?.")
        if name in kwargs or name not in args or not words:
            continue
        take = len(words) if spec.endswith("...") else 1
        kwargs[name] = _convert(parser, args[name], " ".join(words[:take]))
        words = words[take:]
    if words:
        parser.error(f"unrecognized arguments: {' '.join(words)}")
    data = _data(parser, getattr(ns, "cli_data", None))
    if data is not UNSET:
        ns.cli_body = _whole_body(command.op, kwargs, data)
        given = data if isinstance(data, dict) else {}
        # the method's own required arguments: sent from --data
        for arg in command.op.args:
            if (
                arg.location == "body"
                and arg.name not in kwargs
                and (arg.wire in given or not command.op.flattened)
            ):
                kwargs[arg.name] = given.get(arg.wire, data)
    body = getattr(ns, "cli_body", UNSET)
    for name, value in command.defaults:
        field = args.get(name)
        if isinstance(body, dict) and field is not None and field.location == "body":
            body.setdefault(field.wire, value)  # --data: a field it leaves out
        kwargs.setdefault(name, value)
    # a required free-form body ("an empty object is expected") may be left out
    for arg in command.op.args:
        if arg.required and arg.location == "body" and arg.type == ("map", "any"):
            kwargs.setdefault(arg.name, {})
    positional = {p.rstrip("?.") for p in command.positional}
    missing = [
        arg.wire.upper() if arg.name in positional else _spelling(parser, arg)
        for arg in command.op.args
        if arg.required and arg.name not in kwargs
    ]
    if missing:
        parser.error("the following arguments are required: " + ", ".join(missing))
    return kwargs


def _convert(parser: argparse.ArgumentParser, arg: Arg, text: str) -> Any:
    conv, choices, _ = _value_type(_bare(arg.type))
    try:
        return (conv if choices is None else _choice(conv, choices))(text)
    except (argparse.ArgumentTypeError, TypeError, ValueError) as exc:
        parser.error(f"argument {arg.wire.upper()}: {exc}")


def _spelling(parser: argparse.ArgumentParser, arg: Arg) -> str:
    for action in parser._actions:
        if action.dest == _dest(arg.name) and action.option_strings:
            return action.option_strings[0]
    return f"--{arg.wire}"


class _Call:
    """Stands in for the client in a generated method's body (`return self._call(op,
    locals())`), so the CLI keeps every default the method fills in: sends and returns the raw
    response, with the whole body from `--data` when given, or builds the request (--dry-run).
    """

    def __init__(self, client: Any, body: Any, dry_run: bool, every: bool) -> None:
        self.client, self.body, self.dry_run, self.every = client, body, dry_run, every

    def _call(self, op: Op[Any], args: Mapping[str, Any], **options: Any) -> Any:
        if self.body is not UNSET:
            keep = tuple(a for a in op.args if a.location != "body")
            whole = Arg("cli_data_body", "body", "body")
            args = {a.name: args[a.name] for a in keep if a.name in args}
            args[whole.name] = self.body
            op = dataclasses.replace(op, args=keep + (whole,), flattened=False)
        if self.dry_run:
            return self.client.build_request(op, args, require_auth=False)
        # an operation that may stream events: `show` prints each as it arrives
        if op.events is not None:
            return open_stream(self.client, op, args, options)
        if self.every:  # --all: the first page, which fetches the next ones
            return self.client._call(op, args, **options)
        return self.client._call_raw(op, args, **options)


def _execute(
    command: Command,
    kwargs: dict[str, Any],
    ns: argparse.Namespace,
    prog: str,
    client_factory: Callable[..., SyncClient],
    out: TextIO,
    err: TextIO,
) -> int:
    options: dict[str, Any] = {
        "api_key": getattr(ns, "api_key", None),
        "base_url": getattr(ns, "url", None),
    }
    options.update(
        _cli_auth.options(client_factory, ns, getattr(ns, "cli_key_env", None))
    )
    if getattr(ns, "timeout", None) is not None:
        options["timeout"] = ns.timeout
    if getattr(ns, "max_retries", None) is not None:
        options["max_retries"] = ns.max_retries
    dry_run = bool(getattr(ns, "dry_run", False))
    try:
        with client_factory(**options) as client:
            client._credentials.for_cli = True  # a 401's note names --api-key
            every = bool(getattr(ns, "cli_all", False))
            view = _Call(client, getattr(ns, "cli_body", UNSET), dry_run, every)
            result = getattr(type(client), command.method)(view, **kwargs)
            if dry_run:
                _print_request(client, result, out)
                return 0
            return show(result, ns, prog, out, err)
    except (RequestValidationError, MissingCredentialsError) as exc:
        print(f"{prog}: error: {exc}", file=err)
        return 2
    except ApiStatusError as exc:
        print(f"{prog}: error: {exc}", file=err)
        if getattr(ns, "raw", False) and exc.response.content:
            print(exc.response.text, file=out)
        return 1
    except (ApiConnectionError, ApiError) as exc:
        print(f"{prog}: error: {exc}", file=err)
        return 1
