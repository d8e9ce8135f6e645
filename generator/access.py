"""How a client reaches and authenticates to the API: servers and security schemes, as IR.

`servers` reads a `servers` list (its URLs with each variable's default filled in: the base URL
of every operation-level server too); `server_entries` keeps the top-level servers with their
variables, which become constructor arguments of the generated client (`Client(region="eu")`).
`security_schemes` reads `components.securitySchemes` and names the argument each scheme's
credential is given in: `api_key` when the API declares one scheme; with more, `api_key`,
`bearer_token`, `access_token` (an OAuth2 token) by kind, or the scheme's own name where two
schemes share a kind. Basic auth always takes `username`/`password`, an OAuth2 client-credentials
flow `client_id`/`client_secret` besides its token.
"""

from __future__ import annotations

import dataclasses
import keyword
from typing import Any

from generator import contract, naming
from generator import pointer as jsonpointer
from generator.document import Document
from generator.model import SecurityScheme, Server, ServerVariable

# A credential's argument, by scheme kind, when one scheme of that kind is declared.
_CANONICAL = {"api_key": "api_key", "bearer": "bearer_token", "oauth2": "access_token"}
# Constructor arguments a credential or a server variable may not take (the runtime's own,
# the generated constructor's, and its body's names).
RESERVED_ARGS = frozenset(
    {*contract.CLIENT_PARAMETERS, "http_client", "client_id", "client_secret", "self"}
    | set(keyword.kwlist)
)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _arg_name(text: str, fallback: str) -> str:
    """A constructor argument's name from spec text: snake_case, a keyword with a `_`."""
    name = naming.snake(text, fallback=fallback).rstrip("_") or fallback
    return name + "_" if keyword.iskeyword(name) else name


def servers(raw: Any) -> tuple[str, ...]:
    """The URLs of a `servers` list, each variable replaced by its default."""
    return tuple(_default_url(s) for s in _declared(raw))


def _declared(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        return []
    return [s for s in raw if isinstance(s, dict) and isinstance(s.get("url"), str)]


def _variables(server: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = server.get("variables")
    if not isinstance(found, dict):
        return {}
    return {str(k): v for k, v in found.items() if isinstance(v, dict)}


def _default_url(server: dict[str, Any]) -> str:
    url = str(server["url"])
    for var, spec in _variables(server).items():
        if "default" in spec:
            url = url.replace("{" + var + "}", _text(spec["default"]))
    return url


def server_entries(doc: Document, taken: set[str]) -> tuple[Server, ...]:
    """The top-level servers with their variables; a variable's argument avoids `taken` (the
    credentials' arguments) and is the same for the same `{name}` in several servers."""
    raw = doc.data.get("servers")
    namer = naming.Namer(set(RESERVED_ARGS) | taken)
    args: dict[str, str] = {}
    out = []
    for i, server in enumerate(_declared(raw)):
        variables = []
        for var, spec in _variables(server).items():
            if var not in args:
                args[var] = namer.claim(_arg_name(var, "variable"))
            if "default" not in spec:
                ptr = jsonpointer.join("servers", str(i), "variables", var)
                doc.warn(f"server variable {var!r} has no default; it defaults to ''", ptr)
            enum = spec.get("enum")
            values = tuple(_text(v) for v in enum) if isinstance(enum, list) else ()
            variables.append(
                ServerVariable(
                    args[var],
                    var,
                    _text(spec.get("default")),
                    values,
                    _text(spec.get("description")),
                )
            )
        out.append(Server(str(server["url"]), _text(server.get("description")), tuple(variables)))
    return tuple(out)


def security_schemes(doc: Document) -> tuple[SecurityScheme, ...]:
    """The security schemes the client can send, each with its credential's argument."""
    out: list[SecurityScheme] = []
    for key, entry in doc.components("securitySchemes").items():
        ptr = jsonpointer.join("components", "securitySchemes", key)
        scheme, ptr = doc.deref(entry, ptr)
        if not isinstance(scheme, dict):
            continue
        kind = scheme.get("type")
        desc = _text(scheme.get("description"))
        if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            out.append(SecurityScheme(str(key), "basic", description=desc))
        elif kind == "oauth2" and (token_url := _token_url(scheme)):
            out.append(SecurityScheme(str(key), "oauth2", description=desc, token_url=token_url))
        elif kind in ("http", "oauth2", "openIdConnect"):
            out.append(SecurityScheme(str(key), "bearer", description=desc))
        elif kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
            out.append(
                SecurityScheme(str(key), "api_key", scheme["in"], _text(scheme.get("name")), desc)
            )
        else:
            doc.warn(f"security scheme type {kind!r} is not supported; ignored", ptr)
    return _named(out)


def _token_url(scheme: dict[str, Any]) -> str:
    """The `tokenUrl` of an OAuth2 scheme's client-credentials flow, or ""."""
    flows = scheme.get("flows")
    flow = flows.get("clientCredentials") if isinstance(flows, dict) else None
    url = flow.get("tokenUrl") if isinstance(flow, dict) else None
    return url if isinstance(url, str) else ""


def _named(schemes: list[SecurityScheme]) -> tuple[SecurityScheme, ...]:
    """Each scheme with the argument that holds its credential (see the module docstring)."""
    if len(schemes) <= 1:
        return tuple(schemes)  # `api_key` (the default) is the one credential
    kinds: dict[str, int] = {}
    for s in schemes:
        kinds[s.kind] = kinds.get(s.kind, 0) + 1
    namer = naming.Namer(set(RESERVED_ARGS) - {"api_key"})
    out = []
    for s in schemes:
        if s.kind == "basic":
            out.append(s)
            continue
        canonical = _CANONICAL[s.kind]
        if kinds[s.kind] > 1 or canonical in namer:
            canonical = _arg_name(s.key, "credential")
        out.append(dataclasses.replace(s, arg=namer.claim(canonical)))
    return tuple(out)


def credential_args(schemes: tuple[SecurityScheme, ...]) -> tuple[str, ...]:
    """The constructor's credential arguments, in order (`api_key` always first)."""
    out = ["api_key"]
    out += [s.arg for s in schemes if s.kind != "basic"]
    if any(s.kind == "basic" for s in schemes):
        out += ["username", "password"]
    if any(s.token_url for s in schemes):
        out += ["client_id", "client_secret"]
    return tuple(dict.fromkeys(out))
