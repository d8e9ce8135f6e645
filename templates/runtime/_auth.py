"""Credentials: which ones a request carries, and OAuth2 client-credentials tokens.

Part of the runtime copied verbatim into each generated package (import it through
`_runtime`). A client holds one `Credentials`: the values given to its constructor by
argument name (`api_key`, `bearer_token`, `username`/`password`, `client_id`/`client_secret`,
...), and the security schemes of the API (`Scheme`, from `_ops.SCHEMES`). Each scheme names
the argument holding its credential (`Scheme.arg`); `api_key` is the credential of every
token scheme that was given none of its own, so an API with one scheme needs only `api_key=`.

An operation's `security` lists alternatives; the first one the client can satisfy is sent.
None satisfiable (or an empty requirement `{}`, "anonymous allowed"): the request goes out
without credentials, and a 401/403 then says what was missing (`note`).

An OAuth2 scheme with a client-credentials flow (`Scheme.token_url`) fetches its token with
`client_id`/`client_secret` (RFC 6749 section 4.4: a form POST, the client authenticated with
HTTP Basic), keeps it until shortly before it expires, and drops it on a 401 so that the next
request fetches a new one. Tokens never appear in a repr, a log or an error message.
"""

from __future__ import annotations

import asyncio
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from ._errors import ApiConnectionError, ApiError
from ._operation import Op, Scheme

# a token is refreshed this long before it expires (at most half its lifetime earlier)
REFRESH_MARGIN = 30.0
_TOKEN_KINDS = ("bearer", "api_key", "oauth2")


class TokenSource:
    """One OAuth2 client-credentials token: fetched on demand, cached, refreshed.

    `clock` (seconds, monotonic) can be replaced, e.g. by a test that moves time forward.
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token_url = token_url
        self._client = (client_id, client_secret)
        self.clock = clock
        self._token: str | None = None
        self._expires_at: float | None = None
        self.lock = threading.Lock()
        self.async_lock = asyncio.Lock()

    def __repr__(self) -> str:
        state = "cached" if self._token else "none"
        return f"<TokenSource {self.token_url!r} token={state}>"

    @property
    def token(self) -> str | None:
        """The cached token, or None when there is none or it is about to expire."""
        if self._expires_at is not None and self.clock() >= self._expires_at:
            self._token = None
        return self._token

    def invalidate(self, token: str | None = None) -> None:
        """Forget the token (a 401 answered it); with `token`, only if it is still that one."""
        if token is None or token == self._token:
            self._token = None

    def request(self, base_url: str) -> httpx.Request:
        """The token request (RFC 6749 section 4.4.2): `grant_type=client_credentials`."""
        url = urllib.parse.urljoin(base_url + "/", self.token_url)
        client_id, secret = (urllib.parse.quote(v, safe="") for v in self._client)
        return httpx.Request(
            "POST",
            url,
            data={"grant_type": "client_credentials"},
            headers={
                "Accept": "application/json",
                "Authorization": httpx.BasicAuth(client_id, secret)._auth_header,
            },
        )

    def accept(self, response: httpx.Response) -> None:
        """Keep the token of a token endpoint's answer; an error answer raises `ApiError`."""
        try:
            data = response.json()
        except ValueError:
            data = None
        token = data.get("access_token") if isinstance(data, dict) else None
        if not response.is_success or not isinstance(token, str) or not token:
            code = data.get("error") if isinstance(data, dict) else None
            why = f" ({code})" if isinstance(code, str) else ""
            raise ApiError(
                f"OAuth2 token request to {response.request.url} failed: "
                f"status {response.status_code}{why}"
            )
        self._token = token
        lifetime = data.get("expires_in")
        if isinstance(lifetime, (int, float)) and not isinstance(lifetime, bool):
            margin = min(REFRESH_MARGIN, max(float(lifetime), 0.0) / 2)
            self._expires_at = self.clock() + float(lifetime) - margin
        else:
            self._expires_at = None

    def fetch(self, http: httpx.Client, base_url: str) -> None:
        """Fetch a token unless a valid one is cached (one thread at a time)."""
        with self.lock:
            if self.token is None:
                try:
                    response = http.send(self.request(base_url))
                except httpx.TransportError as exc:
                    raise ApiConnectionError(
                        f"OAuth2 token request failed: {exc}"
                    ) from exc
                self.accept(response)

    async def afetch(self, http: httpx.AsyncClient, base_url: str) -> None:
        """`fetch` for the asyncio client: one coroutine fetches, the others wait for it."""
        async with self.async_lock:
            if self.token is None:
                try:
                    response = await http.send(self.request(base_url))
                except httpx.TransportError as exc:
                    raise ApiConnectionError(
                        f"OAuth2 token request failed: {exc}"
                    ) from exc
                self.accept(response)


_NONE_SENT = "No credentials were configured, so none were sent"


class Credentials:
    """The credentials a client was given, and how each security scheme sends them."""

    def __init__(
        self, schemes: Mapping[str, Scheme], values: Mapping[str, str | None]
    ) -> None:
        self.schemes = schemes
        self.values = {k: v for k, v in values.items() if v is not None and v != ""}
        self.tokens: dict[str, TokenSource] = {}
        self.for_cli = False  # set by the generated CLI: a 401's note names its flag
        client_id = self.values.get("client_id")
        secret = self.values.get("client_secret")
        for key, scheme in schemes.items():
            if scheme.kind == "oauth2" and scheme.token_url and client_id and secret:
                self.tokens[key] = TokenSource(scheme.token_url, client_id, secret)

    def __repr__(self) -> str:
        return f"<Credentials {sorted(self.values)}>"

    def secret_names(self) -> tuple[set[str], set[str]]:
        """The header and query parameter names that carry credentials (to redact)."""
        headers, params = set(), set()
        for scheme in self.schemes.values():
            if scheme.location == "query":
                params.add(scheme.wire)
            elif scheme.location == "header":
                headers.add(scheme.wire)
        return headers, params

    @property
    def any(self) -> bool:
        return bool(self.values)

    def _static(self, scheme: Scheme) -> str | None:
        return self.values.get(scheme.arg) or self.values.get("api_key")

    def can_satisfy(self, key: str) -> bool:
        scheme = self.schemes[key]
        if scheme.kind == "basic":
            return "username" in self.values
        return bool(self._static(scheme)) or key in self.tokens

    def chosen(self, op: Op[Any]) -> tuple[str, ...]:
        """The scheme keys of the first requirement of `op` the client can satisfy (an empty
        requirement `{}` is the anonymous fallback: it is used only when no other is).
        """
        for requirement in op.security:
            keys = tuple(k for k in requirement if k in self.schemes)
            if keys and all(self.can_satisfy(k) for k in keys):
                return keys
        return ()

    def pending(self, op: Op[Any]) -> list[TokenSource]:
        """The token sources `op` needs and that hold no valid token (to fetch first)."""
        out = []
        for key in self.chosen(op):
            source = self.tokens.get(key)
            static = self._static(self.schemes[key])
            if source is not None and not static and source.token is None:
                out.append(source)
        return out

    def apply(
        self,
        op: Op[Any],
        headers: dict[str, str],
        query: list[tuple[str, str]],
        cookies: dict[str, str],
    ) -> None:
        """Add the credentials of the requirement `chosen` for `op` to the request parts."""
        for key in self.chosen(op):
            scheme = self.schemes[key]
            if scheme.kind == "basic":
                user, password = self.values["username"], self.values.get("password")
                headers["Authorization"] = httpx.BasicAuth(
                    user, password or ""
                )._auth_header
                continue
            value = self._static(scheme)
            if value is None and key in self.tokens:
                value = self.tokens[key].token
            if value is None:
                continue
            if scheme.kind in ("bearer", "oauth2"):
                headers["Authorization"] = f"Bearer {value}"
            elif scheme.location == "query":
                query.append((scheme.wire, value))
            elif scheme.location == "cookie":
                cookies[scheme.wire] = value
            else:
                headers[scheme.wire] = value

    def drop_token(self, op: Op[Any], request: httpx.Request) -> bool:
        """After a 401: forget the OAuth2 token `request` carried; whether it carried one."""
        sent = request.headers.get("Authorization", "")
        for key in self.chosen(op):
            source = self.tokens.get(key)
            token = source.token if source is not None else None
            if source is not None and token and sent == f"Bearer {token}":
                source.invalidate(token)
                return True
        return False

    def note(self, op: Op[Any], client: str, env: str | None) -> str | None:
        """Why a 401/403 may have happened: `op` declares security and the client had no
        credential for any of its requirements (so the request carried none). `client` names
        the class whose arguments to suggest (the CLI's `--api-key` when `for_cli`)."""
        needed: list[Scheme] = []
        for requirement in op.security:
            keys = [k for k in requirement if k in self.schemes]
            if not keys or all(self.can_satisfy(k) for k in keys):
                return None  # anonymous access, or credentials were sent
            needed += [self.schemes[k] for k in keys]
        if not needed:
            return None
        if self.for_cli:  # the generated CLI: its flag (token kinds), else the variable
            tokens = any(s.kind in _TOKEN_KINDS for s in needed)
            ways = ["pass --api-key"] if tokens else []
            if any(s.kind == "basic" for s in needed):
                ways.append("pass --username and --password")
            if any(s.kind == "oauth2" and s.token_url for s in needed):
                ways.append("pass --client-id and --client-secret")
            ways += [f"set the environment variable {env}"] if env else []
            return f"{_NONE_SENT}: {' or '.join(ways)}" if ways else None
        if all(s.kind == "basic" for s in needed):
            how = f"pass username= and password= to {client}()"
        else:
            names = [f"{s.arg}=" for s in needed if s.kind in _TOKEN_KINDS]
            if any(s.token_url for s in needed):
                names.append("client_id= and client_secret=")
            names = list(dict.fromkeys([*names, "api_key="]))
            how = f"pass {' or '.join(names)} to {client}()"
            if env:
                how += f" or set the environment variable {env}"
        return f"{_NONE_SENT}: {how}"
