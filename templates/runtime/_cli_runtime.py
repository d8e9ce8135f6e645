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
import json
import logging
import math
import shlex
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from ._runtime import (
    UNSET,
    ApiConnectionError,
    ApiError,
    ApiStatusError,
    Arg,
    Descriptor,
    MissingCredentialsError,
    Op,
    RequestValidationError,
    SyncClient,
    _resolve,
    encode,
    redact_headers,
    redact_url,
)


@dataclasses.dataclass(frozen=True)
class Flag:
    """Help text for one argument of a command (its wire name and type come from the `Arg`)."""

    arg: str
    help: str = ""
    default: Any = UNSET  # the server-side default, shown in --help, never sent
    example: Any = UNSET


@dataclasses.dataclass(frozen=True)
class Command:
    words: tuple[str, ...]
    method: str
    op: Op[Any]
    summary: str = ""
    description: str = ""
    flags: tuple[Flag, ...] = ()


def _json_value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON: {exc.msg}") from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid number of seconds: {text!r}"
        ) from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid integer: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text!r}")
    return value


def _converter(desc: Descriptor) -> tuple[Callable[[str], Any], list[Any] | None, str]:
    """(type function, choices, metavar) for a flag of type `desc`."""
    if isinstance(desc, tuple) and desc[0] == "null":
        return _converter(desc[1])
    if desc == "int":
        return int, None, "INT"
    if desc == "float":
        return float, None, "NUMBER"
    if desc in ("str", "bytes"):
        return str, None, "TEXT"
    if isinstance(desc, tuple) and desc[0] == "enum":
        values = [m.value for m in _resolve(desc[1])]
        kind = int if values and all(isinstance(v, int) for v in values) else str
        return kind, values, "{" + ",".join(str(v) for v in values) + "}"
    return _json_value, None, "JSON"


def _add_flag(
    parser: argparse.ArgumentParser, arg: Arg, flag: Flag | None, documented: str = ""
) -> None:
    help_text = (flag.help if flag else "") or documented
    desc = (
        arg.type[1]
        if isinstance(arg.type, tuple) and arg.type[0] == "null"
        else arg.type
    )
    extras = []
    if flag is not None and flag.default is not UNSET:
        extras.append(f"server default: {json.dumps(encode(flag.default))}")
    if flag is not None and flag.example is not UNSET:
        extras.append(f"example: {json.dumps(encode(flag.example))}")
    if arg.minimum is not None:
        extras.append(f">= {arg.minimum:g}")
    if arg.maximum is not None:
        extras.append(f"<= {arg.maximum:g}")
    if extras:
        help_text = (
            f"{help_text} ({'; '.join(extras)})" if help_text else "; ".join(extras)
        )
    help_text = help_text.replace("%", "%%")
    if arg.location == "path" and arg.required:
        conv, choices, metavar = _converter(desc)
        parser.add_argument(
            arg.name,
            type=conv,
            choices=choices,
            metavar=arg.wire.upper(),
            help=help_text,
        )
        return
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
    common: dict[str, Any] = {
        "dest": arg.name,
        "default": UNSET,
        "help": help_text,
        "required": arg.required,
    }
    if desc == "bool":
        parser.add_argument(*names, action=argparse.BooleanOptionalAction, **common)
    elif (
        isinstance(desc, tuple)
        and desc[0] == "list"
        and isinstance(desc[1], str)
        and desc[1] != "any"
    ):
        conv, choices, metavar = _converter(desc[1])
        parser.add_argument(
            *names, type=conv, choices=choices, nargs="*", metavar=metavar, **common
        )
    else:
        conv, choices, metavar = _converter(desc)
        parser.add_argument(
            *names, type=conv, choices=choices, metavar=metavar, **common
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
            "help": "print the response body as JSON",
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
    parser: argparse.ArgumentParser, values: dict[str, str], suppress: bool
) -> None:
    """The global options; `values` fills their help's `{key_env}`, `{timeout}`, ... fields."""
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


def _help_texts(command: Command, client: Any) -> tuple[str, str]:
    """(summary, description) of a command: from the table, else from the method's docstring.

    Generated tables leave them out so that editing an operation's text in the spec does not
    change the CLI module: the docstring (summary, description, then the `METHOD /path` line
    and the argument list) already carries them.
    """
    if command.summary:
        return command.summary, command.description or command.summary
    doc = inspect.getdoc(getattr(client, command.method, None)) or command.method
    text = doc.split(f"\n\n`{command.op.method} ", 1)[0]
    summary = text.split("\n", 1)[0].strip()
    return summary, text


def _flag_help(client: Any) -> dict[str, dict[str, str]]:
    """Each method's argument help texts: the `_cli_help` tables of the client's classes.

    The generated client classes carry them as data (method -> argument -> text), beside the
    methods whose docstrings say the same.
    """
    cls = client if isinstance(client, type) else type(client)
    table: dict[str, dict[str, str]] = {}
    for klass in reversed(cls.__mro__):
        table.update(vars(klass).get("_cli_help", {}))
    return table


def _defaults(client: Any) -> dict[str, str]:
    """The client's configured timeout and retry count, as shown in the global options' help."""
    read = getattr(getattr(client, "_default_timeout", None), "read", None)
    retries = getattr(client, "_default_max_retries", None)
    return {
        "timeout": f"{read:g}" if isinstance(read, (int, float)) else "none",
        "max_retries": str(retries) if isinstance(retries, int) else "the client's",
    }


def build_parser(
    commands: Sequence[Command],
    prog: str,
    description: str,
    env: dict[str, str],
    client: Any = None,
) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    values = {**env, **_defaults(client)}
    _add_globals(parser, values, suppress=False)
    tree: dict[tuple[str, ...], argparse._SubParsersAction[argparse.ArgumentParser]] = (
        {}
    )
    parsers: dict[tuple[str, ...], argparse.ArgumentParser] = {(): parser}
    help_table = _flag_help(client)
    for command in commands:
        for depth in range(len(command.words)):
            prefix = command.words[:depth]
            key = command.words[: depth + 1]
            if key in parsers:
                continue
            if prefix not in tree:
                tree[prefix] = parsers[prefix].add_subparsers(
                    dest=f"_cmd{depth}", metavar="COMMAND", title="commands"
                )
            leaf = depth == len(command.words) - 1
            summary, details = _help_texts(command, client) if leaf else ("", "")
            sub = tree[prefix].add_parser(
                key[-1],
                help=(summary if leaf else f"{' '.join(key)} ...").replace("%", "%%"),
                description=(details if leaf else None),
                formatter_class=argparse.RawDescriptionHelpFormatter,
            )
            parsers[key] = sub
            if leaf:
                _add_globals(sub, values, suppress=True)
                flags = {f.arg: f for f in command.flags}
                documented = help_table.get(command.method, {})
                for arg in command.op.args:
                    _add_flag(
                        sub, arg, flags.get(arg.name), documented.get(arg.name, "")
                    )
                sub.set_defaults(_command=command)
    return parser


def _human(data: Any) -> str:
    if isinstance(data, dict) and all(
        not isinstance(v, (dict, list)) for v in data.values()
    ):
        width = max((len(str(k)) for k in data), default=0)
        return "\n".join(
            f"{str(k) + ':':<{width + 1}} {_scalar_text(v)}" for k, v in data.items()
        )
    if isinstance(data, (dict, list)):
        return json.dumps(data, indent=2, ensure_ascii=False)
    return _scalar_text(data)


def _scalar_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _curl(method: str, url: str, headers: dict[str, str], body: bytes) -> str:
    parts = ["curl", "-X", method, url]
    for key, value in headers.items():
        if key.lower() in (
            "host",
            "content-length",
            "accept-encoding",
            "connection",
            "user-agent",
        ):
            continue
        parts += ["-H", f"{key}: {value}"]
    if body:
        parts += ["--data", body.decode("utf-8", "replace")]
    return " ".join(shlex.quote(p) for p in parts)


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
        ns = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    command: Command | None = getattr(ns, "_command", None)
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
        return _execute(command, ns, prog, client_factory, out, err)
    finally:
        if handler is not None:  # main() may run again in this process: leave no trace
            logger.removeHandler(handler)
            logger.setLevel(level)


def _execute(
    command: Command,
    ns: argparse.Namespace,
    prog: str,
    client_factory: Callable[..., SyncClient],
    out: TextIO,
    err: TextIO,
) -> int:
    kwargs = {
        a.name: getattr(ns, a.name)
        for a in command.op.args
        if getattr(ns, a.name, UNSET) is not UNSET
    }
    options: dict[str, Any] = {
        "api_key": getattr(ns, "api_key", None),
        "base_url": getattr(ns, "url", None),
    }
    if getattr(ns, "timeout", None) is not None:
        options["timeout"] = ns.timeout
    if getattr(ns, "max_retries", None) is not None:
        options["max_retries"] = ns.max_retries
    try:
        with client_factory(**options) as client:
            if getattr(ns, "dry_run", False):
                request = client.build_request(command.op, kwargs, require_auth=False)
                secret_headers, secret_params = client._secret_names()
                headers = redact_headers(request.headers, secret_headers)
                url = redact_url(str(request.url), secret_params)
                body = request.read()
                print(f"{request.method} {url}", file=out)
                for key, value in headers.items():
                    print(f"{key}: {value}", file=out)
                if body:
                    print(file=out)
                    print(body.decode("utf-8", "replace"), file=out)
                print(file=out)
                print(_curl(request.method, url, headers, body), file=out)
                return 0
            result = getattr(client, command.method)(**kwargs)
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
    data = encode(result)
    if getattr(ns, "raw", False):
        print(json.dumps(data, ensure_ascii=False), file=out)
    elif data is not None:
        print(_human(data), file=out)
    return 0
