"""The CLI's credential options beside `--api-key`: what the client's security schemes need.

Part of the runtime copied verbatim into each generated package. HTTP basic authentication
takes `--username` and `--password`, an OAuth2 client-credentials flow `--client-id` and
`--client-secret`, and a scheme with its own token argument (`bearer_token`, ...) that
argument as a flag. Each also reads an environment variable named like the API key's
(`VAST_API_KEY` -> `VAST_PASSWORD`): a secret given as a flag shows in the process list, one in
the environment does not. Values never appear in `--dry-run` output, logs or errors (the client
redacts what its schemes send).
"""

from __future__ import annotations

import argparse
import inspect
import os
from collections.abc import Mapping
from typing import Any

_HELP = {
    "username": "user name of HTTP basic authentication",
    "password": "password of HTTP basic authentication",
    "client_id": "OAuth2 client id: tokens are fetched with it",
    "client_secret": "OAuth2 client secret",
}


def credential_args(client: Any) -> dict[str, str]:
    """The credential arguments of `client` (a client class) beside `api_key`, in order, each
    with its help text."""
    schemes: Mapping[str, Any] = getattr(client, "_schemes", None) or {}
    found: dict[str, str] = {}
    for key, scheme in schemes.items():
        if scheme.kind == "basic":
            found.update((n, _HELP[n]) for n in ("username", "password"))
            continue
        if scheme.kind == "oauth2" and scheme.token_url:
            found.update((n, _HELP[n]) for n in ("client_id", "client_secret"))
        if scheme.arg != "api_key":
            what = "key" if scheme.kind == "api_key" else "token"
            found.setdefault(scheme.arg, f"{what} of the `{key}` security scheme")
    try:
        accepted = inspect.signature(client).parameters
    except (TypeError, ValueError):
        return {}
    return {name: text for name, text in found.items() if name in accepted}


def env_name(name: str, key_env: str | None) -> str | None:
    """The environment variable of credential `name`: the API key's, its `API_KEY` replaced."""
    if not key_env or not key_env.endswith("API_KEY"):
        return None
    return key_env[: -len("API_KEY")] + name.upper()


def add_flags(group: Any, client: Any, key_env: str | None, suppress: bool) -> None:
    """`--username`, `--client-id`, ... (each also spelled with `_`) for `client`'s schemes."""
    for name, text in credential_args(client).items():
        flags = dict.fromkeys(("--" + name.replace("_", "-"), "--" + name))
        variable = env_name(name, key_env)
        text += f" (else ${variable})" if variable else ""
        group.add_argument(
            *flags,
            dest="cli_credential_" + name,
            metavar=name.upper(),
            help=text.replace("%", "%%"),
            default=argparse.SUPPRESS if suppress else None,
        )


def options(client: Any, ns: argparse.Namespace, key_env: str | None) -> dict[str, str]:
    """The credentials given as flags, else in the environment, by argument name."""
    out: dict[str, str] = {}
    for name in credential_args(client):
        value = getattr(ns, "cli_credential_" + name, None)
        variable = env_name(name, key_env)
        if not value and variable:
            value = os.environ.get(variable)
        if value:
            out[name] = value
    return out
