"""The CLI's text for people: a result as text, JSON or a table; a dry run's curl line; the
help of an argument and the client's defaults shown in the global options' help."""

from __future__ import annotations

import argparse
import json
import shlex
from typing import Any, TextIO

from ._cli_values import _plain
from ._runtime import UNSET, Arg, SyncPage, encode, redact_headers, redact_url
from ._streaming import Stream


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


def show(raw: Any, ns: argparse.Namespace, prog: str, out: TextIO, err: TextIO) -> int:
    """Print a raw response as asked: `--output FILE`, binary bytes (not on a terminal),
    `--raw` (the body exactly as received), else `--format` json, table or text (default:
    text on a terminal, JSON when piped)."""
    form = getattr(ns, "format", None) or ("text" if _terminal(out) else "json")
    # --all: every item of every page, as received: one JSON line each as its page arrives,
    # or (`--format table`/`text`) one table of them all
    if isinstance(raw, SyncPage):
        items: list[Any] = []
        for page in raw.iter_pages():
            for item in page.raw_items:
                if form == "json":
                    print(json.dumps(item, ensure_ascii=False), file=out, flush=True)
                else:
                    items.append(item)
        if items:
            print(table(items) or _human(items), file=out)
        return 0
    # server-sent events: one JSON line each, as they arrive
    if isinstance(raw, Stream):
        for event in raw:
            print(json.dumps(encode(event), ensure_ascii=False), file=out, flush=True)
        return 0
    response = raw.http_response
    content: bytes = response.content
    target = getattr(ns, "output", None)
    if target:
        with open(target, "wb") as handle:
            handle.write(content)
        print(f"{prog}: wrote {len(content)} bytes to {target}", file=err)
        return 0
    if content and _binary(
        raw._op.result_kind, response.headers.get("content-type", "")
    ):
        if _terminal(out):
            kind = response.headers.get("content-type", "binary")
            print(
                f"{prog}: error: the response is {len(content)} bytes of {kind}; "
                "write it with --output FILE (or pipe it)",
                file=err,
            )
            return 1
        out.flush()
        buffer = getattr(out, "buffer", None)
        if buffer is None:
            print(f"{prog}: error: cannot write bytes to this output", file=err)
            return 1
        buffer.write(content)
        buffer.flush()
        return 0
    if getattr(ns, "raw", False):
        if content:
            print(response.text, file=out)
        return 0
    # JSON as received (every field, in the server's order), else the parsed result
    json_body = raw._op.result_kind == "json" and content
    try:
        data = response.json() if json_body else encode(raw.parse())
    except ValueError:  # not the JSON it says it is: shown as received
        print(response.text, file=out)
        return 0
    if data is None:
        return 0
    if form == "json":
        print(json.dumps(data, indent=2, ensure_ascii=False), file=out)
    else:
        print(table(data) or _human(data), file=out)
    return 0


def _terminal(out: TextIO) -> bool:
    try:
        return bool(out.isatty())
    except (AttributeError, ValueError):
        return False


def _binary(kind: str, media: str) -> bool:
    media = media.split(";")[0].strip().lower()
    if kind == "binary":
        return True
    if kind == "json" or not media:
        return False
    textual = media.startswith("text/") or "json" in media or "xml" in media
    return not (textual or media in ("application/x-www-form-urlencoded",))


def _rows(data: Any) -> list[dict[str, Any]] | None:
    """The objects of a list, or of an object's single array field (`{"data": [...]}`)."""
    if isinstance(data, dict):
        arrays = [v for v in data.values() if isinstance(v, list)]
        data = arrays[0] if len(arrays) == 1 else None
    if isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
        return data
    return None


def table(data: Any, width: int = 48) -> str:
    """A list of objects as an aligned table of their scalar columns ("" if it is not one)."""
    rows = _rows(data)
    if rows is None:
        return ""
    columns: list[str] = []
    for row in rows:
        for key, value in row.items():
            if key not in columns and not isinstance(value, (dict, list)):
                columns.append(key)
    if not columns:
        return ""

    def cell(value: Any) -> str:
        text = "" if value is None else _scalar_text(value).replace("\n", " ")
        return text if len(text) <= width else text[: width - 1] + "…"

    grid = [columns] + [[cell(row.get(c)) for c in columns] for row in rows]
    sizes = [max(len(line[i]) for line in grid) for i in range(len(columns))]
    return "\n".join(
        "  ".join(v.ljust(n) for v, n in zip(line, sizes, strict=True)).rstrip()
        for line in grid
    )


def _print_request(client: Any, request: Any, out: TextIO) -> None:
    secret_headers, secret_params = client._credentials.secret_names()
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


def _help_for(arg: Arg, flag: Any, documented: str) -> str:
    """An argument's help: its text, then required, the server default, example, bounds."""
    help_text = (flag.help if flag else "") or documented
    extras = []
    if flag is not None and flag.default is not UNSET:
        extras.append(f"server default: {json.dumps(encode(flag.default))}")
    if flag is not None and flag.example is not UNSET:
        extras.append(f"example: {json.dumps(encode(flag.example))}")
    if arg.minimum is not None:
        extras.append(f">= {arg.minimum:g}")
    if arg.maximum is not None:
        extras.append(f"<= {arg.maximum:g}")
    if arg.required:
        extras.insert(0, "required")
    if extras:
        help_text = (
            f"{help_text} ({'; '.join(extras)})" if help_text else "; ".join(extras)
        )
    return _plain(help_text).replace("%", "%%")


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
