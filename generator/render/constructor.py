"""The generated clients' constructors: typed keyword arguments, servers, credentials.

`Client(...)` and `AsyncClient(...)` take explicit keyword arguments (a misspelt one is a type
error and a `TypeError`): the credentials the API's security schemes need (`access.py` names
them), one argument per server variable (`Literal` of its `enum` where it has one),
`environment=` when several servers are declared, and the runtime client's common options.
The body hands them to the runtime's `BaseClient.__init__`.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from generator import access, layout
from generator.model import Api, Server
from generator.render.text import docstring, one_line, pyrepr
from generator.render.types import Imports

# The runtime's options after the API's own arguments: (name, annotation, default). The
# `http_client` annotation is the sync or the async one.
_OPTIONS = (
    ("base_url", "str | None", "None"),
    ("timeout", "Timeout | Unset", "UNSET"),
    ("max_retries", "int | None", "None"),
    ("retry_after_cap", "float | None", "None"),
    ("default_headers", "Mapping[str, str] | None", "None"),
    ("default_query", "Mapping[str, object] | None", "None"),
)
# credentials BaseClient takes as parameters of its own (the rest go in `credentials=`)
_OWN = ("api_key", "username", "password")


@dataclass(frozen=True)
class Param:
    name: str
    annotation: str
    default: str
    doc: str


def server_entries(api: Api) -> str:
    """The `_server_entries` class attribute: one `rt.Server(...)` per declared server."""
    items = [_server(s) for s in api.server_entries]
    value = "(" + ", ".join(items) + ",)" if items else "()"
    # a class attribute (depth 1) as black lays it out; the template indents the first line
    text = layout.statement("_server_entries: ClassVar[tuple[rt.Server, ...]] = ", value, "", 1)
    return text.removeprefix(layout.INDENT)


def _server(server: Server) -> str:
    variables = [
        f"rt.ServerVariable({pyrepr(v.name)}, {pyrepr(v.wire)}, {pyrepr(v.default)}"
        + (f", {pyrepr(v.enum)})" if v.enum else ")")
        for v in server.variables
    ]
    parts = [pyrepr(server.url), pyrepr(server.description)]
    if variables:
        parts.append("(" + ", ".join(variables) + ",)")
    return "rt.Server(" + ", ".join(parts) + ")"


def _literal(values: list[str], imports: Imports) -> str:
    imports.add("typing", "Literal")
    return "Literal[" + ", ".join(pyrepr(v) for v in dict.fromkeys(values)) + "]"


def _server_params(api: Api, imports: Imports) -> list[Param]:
    """One argument per server variable (the same `{name}` in several servers: one), and
    `environment` when several servers are declared."""
    found: dict[str, list[tuple[Server, int]]] = {}
    for server in api.server_entries:
        for i, var in enumerate(server.variables):
            found.setdefault(var.name, []).append((server, i))
    out = []
    for name, uses in found.items():
        decls = [server.variables[i] for server, i in uses]
        defaults = {d.default for d in decls}
        annotation = "str"
        if all(d.enum for d in decls):
            annotation = _literal([v for d in decls for v in (*d.enum, d.default)], imports)
        default = pyrepr(decls[0].default) if len(defaults) == 1 else "None"
        if default == "None":
            annotation += " | None"
        text = one_line(decls[0].description, 120) or f"`{{{decls[0].wire}}}` of the server URL"
        shown = "default: the server's" if default == "None" else f"default {default}"
        out.append(Param(name, annotation, default, f"{text} ({shown})."))
    if len(api.server_entries) > 1:
        names = [n for s in api.server_entries for n in (s.description, s.url) if n]
        first = api.server_entries[0]
        out.append(
            Param(
                "environment",
                _literal(names, imports) + " | None",
                "None",
                "the server to use, by its description or URL (default: "
                f"{pyrepr(first.description or first.url)}).",
            )
        )
    return out


def _credential_params(api: Api, key_env: str) -> list[Param]:
    docs = {
        "api_key": f"the API key; default: the `{key_env}` environment variable.",
        "username": "the user name of HTTP basic authentication.",
        "password": "the password of HTTP basic authentication.",
        "client_id": "the OAuth2 client id: tokens are fetched with it (client credentials).",
        "client_secret": "the OAuth2 client secret (never logged).",
    }
    for scheme in api.security_schemes:
        if scheme.kind != "basic" and scheme.arg != "api_key":
            what = "token" if scheme.kind != "api_key" else "key"
            docs[scheme.arg] = f"the {what} of the `{scheme.key}` security scheme (else api_key)."
    return [
        Param(name, "str | None", "None", docs[name])
        for name in access.credential_args(api.security_schemes)
    ]


def params(api: Api, key_env: str, imports: Imports) -> list[Param]:
    """Every argument of the constructor but `http_client`, in order."""
    imports.add("._runtime", "UNSET", "Timeout", "Unset")
    out = _credential_params(api, key_env) + _server_params(api, imports)
    return out + [Param(n, a, d, "") for n, a, d in _OPTIONS]


def init(api: Api, all_params: list[Param], http_client: str) -> str:
    """The `__init__` method, laid out (`http_client` is `httpx.Client` or `httpx.AsyncClient`)."""
    lines = ["    def __init__(", "        self,", "        *,"]
    for p in [*all_params, Param("http_client", f"{http_client} | None", "None", "")]:
        lines.append(layout.annotated(p.name, p.annotation, p.default, 2, ","))
    lines.append("    ) -> None:")
    own = [p.name for p in all_params if p.name in _OWN]
    args = access.credential_args(api.security_schemes)
    credentials = [p.name for p in all_params if p.name in args and p.name not in _OWN]
    variables = [v.name for s in api.server_entries for v in s.variables]
    call = [f"{n}={n}" for n in own]
    if credentials:
        call.append("credentials={" + ", ".join(f"{pyrepr(n)}: {n}" for n in credentials) + "}")
    if variables:
        names = list(dict.fromkeys(variables))
        call.append("server_variables={" + ", ".join(f"{pyrepr(n)}: {n}" for n in names) + "}")
    if len(api.server_entries) > 1:
        call.append("environment=environment")
    call += [f"{n}={n}" for n, _, _ in _OPTIONS] + ["http_client=http_client"]
    lines.append(layout.statement("", "super().__init__(" + ", ".join(call) + ")", "", 2))
    return "\n".join(lines)


def args_doc(all_params: list[Param], defaults: dict[str, str]) -> tuple[str, ...]:
    """The `Args:` lines of `Client`'s docstring (continuation lines indented once more)."""
    out: list[str] = []
    for p in all_params:
        text = defaults.get(p.name) or p.doc
        if text:
            wrapped = textwrap.wrap(
                f"{p.name}: {text}", 80, break_long_words=False, break_on_hyphens=False
            )
            out += [("    " if i else "") + docstring(w) for i, w in enumerate(wrapped)]
    return tuple(out)
