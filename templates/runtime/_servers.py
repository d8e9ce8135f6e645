"""Servers: the base URL from the declared servers, their variables and the environment chosen.

Part of the runtime copied verbatim into each generated package (import it through
`_runtime`). A generated client lists the spec's `servers` as `Server` entries; each server
variable is a constructor argument (`Client(region="eu")`), and `environment=` picks a server
by its description or its URL (default: the first). `base_url=` overrides all of it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence


@dataclasses.dataclass(frozen=True)
class ServerVariable:
    """One `{name}` of a server URL: the constructor argument that sets it, its default and
    the values it may take (empty: any)."""

    arg: str
    name: str
    default: str
    enum: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Server:
    """A declared server: its URL (with `{variables}`), description and variables."""

    url: str
    description: str = ""
    variables: tuple[ServerVariable, ...] = ()

    def names(self) -> tuple[str, ...]:
        """What `environment=` may say to choose it: its description, its URL."""
        return tuple(n for n in (self.description, self.url) if n)

    def resolve(self, values: Mapping[str, str | None]) -> str:
        """The URL with each variable replaced by its argument's value, else its default."""
        url = self.url
        for var in self.variables:
            value = values.get(var.arg)
            if value is None:
                value = var.default
            elif var.enum and value not in var.enum:
                allowed = ", ".join(repr(v) for v in var.enum)
                raise ValueError(f"{var.arg} must be one of {allowed}, got {value!r}")
            url = url.replace("{" + var.name + "}", str(value))
        return url


def server_url(
    servers: Sequence[Server | str],
    environment: str | None = None,
    values: Mapping[str, str | None] | None = None,
) -> str:
    """The base URL of the server `environment` names (default: the first), variables filled
    in from `values`; "" when no server is declared. An unknown environment is a ValueError.
    """
    entries = [Server(s) if isinstance(s, str) else s for s in servers]
    if environment is None:
        chosen = entries[0] if entries else None
    else:
        chosen = next((s for s in entries if environment in s.names()), None)
        if chosen is None:
            known = ", ".join(repr(n) for s in entries for n in s.names()[:1])
            raise ValueError(
                f"environment must be one of {known or 'nothing'}, got {environment!r}"
            )
    return chosen.resolve(values or {}) if chosen is not None else ""
