"""The clients: `SyncClient` and `AsyncClient` send an `Op`, retry, and raise typed errors.

Part of the runtime copied verbatim into each generated package (import it through
`_runtime`). The generated `Client` inherits `SyncClient` through its operation groups; a
generated method is only `return self._call(ops.<OP>, locals())`. `BaseClient` holds what
both clients share: configuration, credentials, request building and logging.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import os
import platform
import time
import uuid
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

import httpx

from ._auth import Credentials
from ._descriptors import UNSET, Unset
from ._errors import ApiConnectionError, ApiError, ApiTimeoutError
from ._operation import (
    Op,
    RawResponse,
    Scheme,
    _parse_success,
    forget_cached,
    make_status_error,
)
from ._pagination import AsyncPage, SyncPage, page_of
from ._request import (
    DEFAULT_TIMEOUT,
    Timeout,
    _scalar,
    _to_timeout,
    _token,
    body_content,
    place_args,
    redact_headers,
    redact_url,
)
from ._retry import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_RETRY_AFTER_CAP,
    checked_retries,
    idempotent,
    parse_retry_after,
    retry_delay,
    transport_retry_delay,
)
from ._servers import Server, server_url
from ._streaming import AsyncStream, Stream, keeps_open, streams
from ._validation import CALL_OPTIONS

# only for the type checker: at run time annotations stay strings (3.10+)
if TYPE_CHECKING:
    from typing_extensions import Self  # noqa: UP035 (typing.Self is 3.11+)

T = TypeVar("T")

# A generated method calls `self._call(ops.<OP>, locals())`: these names in that mapping are
# the method's own `self` and the per-call options, not arguments of the operation.
_SCOPE_NAMES = frozenset({"self", *CALL_OPTIONS})


class BaseClient:
    """State and request building shared by the sync and async clients."""

    _package: ClassVar[str] = "api"
    _version: ClassVar[str] = "0"
    _api_key_env: ClassVar[str | None] = None
    _base_url_env: ClassVar[str | None] = None
    _servers: ClassVar[tuple[str, ...]] = ()  # their URLs, variables at their defaults
    _server_entries: ClassVar[tuple[Server, ...]] = ()  # with their variables
    _schemes: ClassVar[Mapping[str, Scheme]] = {}
    # defaults a generated client may override (from the generator's configuration)
    _default_timeout: ClassVar[httpx.Timeout] = DEFAULT_TIMEOUT
    _default_max_retries: ClassVar[int] = DEFAULT_MAX_RETRIES
    _default_retry_after_cap: ClassVar[float] = DEFAULT_RETRY_AFTER_CAP
    # sent with a fresh UUID on every call of a non-idempotent method (None: not sent)
    _idempotency_header: ClassVar[str | None] = "Idempotency-Key"
    _owns_http = True  # close() closes the pool (not one passed in, nor a copy's)

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | None = None,
        retry_after_cap: float | None = None,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        username: str | None = None,
        password: str | None = None,
        credentials: Mapping[str, str | None] | None = None,
        environment: str | None = None,
        server_variables: Mapping[str, str | None] | None = None,
    ) -> None:
        if api_key is None and self._api_key_env:
            api_key = os.environ.get(self._api_key_env) or None
        env_url = os.environ.get(self._base_url_env) if self._base_url_env else None
        self._explicit_base_url = bool(base_url or env_url)
        url = (
            base_url
            or env_url
            or server_url(
                self._server_entries or self._servers, environment, server_variables
            )
        )
        if not url:
            raise ApiError("no base URL: pass base_url= (the spec declares no servers)")
        self.base_url = url.rstrip("/")
        given = {"api_key": api_key, "username": username, "password": password}
        given.update({k: v for k, v in (credentials or {}).items() if v is not None})
        self._credentials = Credentials(self._schemes, given)
        self.timeout = (
            self._default_timeout if timeout is UNSET else _to_timeout(timeout)
        )
        if max_retries is None:
            max_retries = self._default_max_retries
        if retry_after_cap is None:
            retry_after_cap = self._default_retry_after_cap
        self.max_retries = checked_retries(max_retries)
        self.retry_after_cap = retry_after_cap
        self._default_headers = dict(default_headers or {})
        self._default_query = dict(default_query or {})
        self._log = logging.getLogger(self._package)

    def __repr__(self) -> str:
        key = "set" if self._credentials.any else "unset"
        return f"<{type(self).__name__} base_url={self.base_url!r} api_key={key}>"

    def with_options(
        self,
        *,
        base_url: str | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | None = None,
        retry_after_cap: float | None = None,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
    ) -> Self:
        """A copy of this client with the options given changed; the rest is shared.

        The copy sends through the same connection pool and credentials (an OAuth2 token
        fetched by one serves both); `default_headers` and `default_query` are added to the
        client's own. Closing the copy leaves the pool open: close the original.
        """
        getattr(self, "_http", None)  # the pool, made now: the copy shares it
        clone = forget_cached(copy.copy(self))  # namespaces: rebuilt on first use
        clone._owns_http = False
        if base_url is not None:
            clone.base_url = base_url.rstrip("/")
            clone._explicit_base_url = True
        if timeout is not UNSET:
            clone.timeout = _to_timeout(timeout)
        if max_retries is not None:
            clone.max_retries = checked_retries(max_retries)
        if retry_after_cap is not None:
            clone.retry_after_cap = retry_after_cap
        clone._default_headers = {**self._default_headers, **(default_headers or {})}
        clone._default_query = {**self._default_query, **(default_query or {})}
        return clone

    @property
    def user_agent(self) -> str:
        """`<package>/<version> httpx/<v> python/<v>` (characters a header cannot hold: `_`)."""
        python = platform.python_version()
        product = f"{_token(self._package)}/{_token(self._version)}"
        return f"{product} httpx/{httpx.__version__} python/{python}"

    def _credentials_note(self, op: Op[Any]) -> str | None:
        """Why a 401/403 may have happened (`Credentials.note`)."""
        return self._credentials.note(op, type(self).__name__, self._api_key_env)

    def _token_rejected(
        self, op: Op[Any], request: httpx.Request, response: httpx.Response
    ) -> bool:
        """A 401 to an OAuth2 token: the token is dropped, and the caller fetches a new one,
        sets it on `request` (`_reauth`) and sends it again (once)."""
        return response.status_code == 401 and self._credentials.drop_token(op, request)

    def _reauth(self, op: Op[Any], request: httpx.Request) -> None:
        headers: dict[str, str] = {}
        self._credentials.apply(op, headers, [], {})
        request.headers.update(headers)

    def build_request(
        self,
        op: Op[Any],
        args: Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        require_auth: bool = True,
        _stacklevel: int = 2,
    ) -> httpx.Request:
        """Validate `args` against `op` and build the HTTP request (nothing is sent)."""
        if op.deprecated:
            warnings.warn(
                f"{op.name}() is deprecated by the API",
                DeprecationWarning,
                stacklevel=_stacklevel,
            )
        headers = {
            "User-Agent": self.user_agent,
            "Accept": op.accept or "application/json",
        }
        parts = place_args(op, args, headers)
        # `require_auth` is kept for callers of the old signature: a client without
        # credentials sends none either way (the server decides), see `_auth.Credentials`.
        self._credentials.apply(op, headers, parts.query, parts.cookies)
        if parts.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in parts.cookies.items())
        for key, value in {**self._default_query, **(extra_query or {})}.items():
            parts.query.append((key, _scalar(value)))
        base = (
            op.servers[0].rstrip("/")
            if op.servers and not self._explicit_base_url
            else self.base_url
        )
        kwargs = body_content(op, parts)
        headers.update(self._default_headers)
        headers.update(extra_headers or {})
        return httpx.Request(
            op.method,
            base + parts.path,
            params=tuple(parts.query),
            headers=headers,
            **kwargs,
        )

    def describe(self, request: httpx.Request) -> str:
        """The request as text (for logs and --dry-run), credentials redacted."""
        secret_headers, secret_params = self._credentials.secret_names()
        headers = redact_headers(request.headers, secret_headers)
        url = redact_url(str(request.url), secret_params)
        return f"{request.method} {url} headers={headers}"

    def _prepare(
        self,
        op: Op[Any],
        args: Mapping[str, Any],
        extra_headers: Mapping[str, str] | None,
        extra_query: Mapping[str, Any] | None,
        timeout: Timeout | Unset,
        max_retries: int | None,
    ) -> tuple[httpx.Request, int]:
        """The request to send (validated, timeout attached) and how many retries it gets."""
        if "self" in args:  # a generated method's `locals()`: parameters, options
            scope = args
            args = {k: v for k, v in scope.items() if k not in _SCOPE_NAMES}
            extra_headers = scope.get("extra_headers", extra_headers)
            extra_query = scope.get("extra_query", extra_query)
            timeout = scope.get("timeout", timeout)
            max_retries = scope.get("max_retries", max_retries)
        retries = (
            self.max_retries if max_retries is None else checked_retries(max_retries)
        )
        # build_request <- _prepare <- _send <- _call <- the generated method <- the caller
        request = self.build_request(
            op,
            args,
            extra_headers=extra_headers,
            extra_query=extra_query,
            _stacklevel=6,
        )
        chosen = self.timeout if timeout is UNSET or timeout is None else timeout
        request.extensions["timeout"] = _to_timeout(chosen).as_dict()
        header = self._idempotency_header
        if header and not idempotent(op.method) and header not in request.headers:
            # one key per call, the same on each of its retries: the server can tell a
            # retry from a new request (a key given in the headers is kept)
            request.headers[header] = str(uuid.uuid4())
        return request, retries

    def _transport_retry(
        self, op: Op[Any], exc: httpx.TransportError, attempt: int, retries: int
    ) -> float | None:
        """Seconds to wait before retrying after `exc` (logged), or None to give up."""
        delay = transport_retry_delay(op.method, exc, attempt, retries)
        if delay is not None:
            self._log_retry(op, type(exc).__name__, delay, attempt, retries)
        return delay

    @staticmethod
    def _transport_error(op: Op[Any], exc: httpx.TransportError) -> ApiConnectionError:
        if isinstance(exc, httpx.TimeoutException):
            return ApiTimeoutError(
                f"{op.name}(): request timed out ({type(exc).__name__})"
            )
        return ApiConnectionError(f"{op.name}(): connection failed: {exc}")

    def _check(self, op: Op[Any], response: httpx.Response) -> None:
        if response.is_success:
            return
        retry_after = parse_retry_after(response.headers)
        note = (
            self._credentials_note(op) if response.status_code in (401, 403) else None
        )
        raise make_status_error(op, response, retry_after, note=note)

    def _log_request(self, request: httpx.Request, attempt: int) -> None:
        if self._log.isEnabledFor(logging.DEBUG):
            self._log.debug(
                "request %s (attempt %d)", self.describe(request), attempt + 1
            )

    def _log_retry(
        self, op: Op[Any], why: str, delay: float, attempt: int, retries: int
    ) -> None:
        self._log.debug(
            "%s: %s; retrying in %.2fs (retry %d of %d)",
            op.name,
            why,
            delay,
            attempt + 1,
            retries,
        )


class SyncClient(BaseClient):
    """The blocking client: a thin loop of send, check, retry over `httpx.Client`."""

    def __init__(
        self, *, http_client: httpx.Client | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self._owns_http, self._http_client = http_client is None, http_client

    @property
    def _http(self) -> httpx.Client:  # made at the first request (slow: TLS)
        self._http_client = self._http_client or httpx.Client(timeout=self.timeout)
        return self._http_client

    def close(self) -> None:
        """Close the HTTP connection pool (unless it was passed in)."""
        if self._owns_http:
            self._http.close()

    def _fetch_tokens(self, op: Op[Any]) -> bool:
        """Fetch the OAuth2 tokens `op` needs and the client does not hold (valid) yet."""
        pending = self._credentials.pending(op)
        for source in pending:
            source.fetch(self._http, self.base_url)
        return bool(pending)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(
        self,
        op: Op[T],
        args: Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | None = None,
    ) -> T:
        response = self._send(
            op, args, extra_headers, extra_query, timeout, max_retries
        )
        page = page_of(self, op, args, locals(), SyncPage)
        if page is not None:  # a list: the page, whose iteration fetches the next ones
            return cast(T, page(response))
        if streams(op.events, response):  # server-sent events: read as they arrive
            return cast(T, Stream(response, op.events or "any", op.name))
        return _parse_success(op, response)

    def _call_raw(
        self,
        op: Op[T],
        args: Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | None = None,
    ) -> RawResponse[T]:
        response = self._send(
            op, args, extra_headers, extra_query, timeout, max_retries, False
        )
        return RawResponse(response, op, page_of(self, op, args, locals(), SyncPage))

    def _send_open(
        self,
        op: Op[Any],
        args: Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | None = None,
    ) -> httpx.Response:
        """Send, leaving a success body unread (`client.with_streaming_response`)."""
        return self._send(
            op, args, extra_headers, extra_query, timeout, max_retries, True
        )

    def _send(
        self,
        op: Op[Any],
        args: Mapping[str, Any],
        extra_headers: Mapping[str, str] | None,
        extra_query: Mapping[str, Any] | None,
        timeout: Timeout | Unset,
        max_retries: int | None,
        keep_open: bool | None = None,
    ) -> httpx.Response:
        """Send with retries; a success body is left unread when `keep_open` (None: when it
        is an event stream the operation declares), any other body is read."""
        request, retries = self._prepare(
            op, args, extra_headers, extra_query, timeout, max_retries
        )
        if self._fetch_tokens(op):  # arguments valid: now the OAuth2 token, if missing
            self._reauth(op, request)
        attempt, refreshed = 0, False
        while True:
            self._log_request(request, attempt)
            try:
                response = self._http.send(request, stream=True)
                if not keeps_open(op.events, response, keep_open):
                    response.read()
            except httpx.TransportError as exc:
                delay = self._transport_retry(op, exc, attempt, retries)
                if delay is None:
                    raise self._transport_error(op, exc) from exc
                time.sleep(delay)
                attempt += 1
                continue
            delay_ = retry_delay(
                op.method, response, attempt, retries, self.retry_after_cap
            )
            if delay_ is None:
                if not refreshed and self._token_rejected(op, request, response):
                    refreshed = True  # once: a new token, the same request again
                    response.close()
                    self._fetch_tokens(op)
                    self._reauth(op, request)
                    continue
                self._check(op, response)
                return response
            response.close()
            self._log_retry(
                op, f"status {response.status_code}", delay_, attempt, retries
            )
            time.sleep(delay_)
            attempt += 1


class AsyncClient(BaseClient):
    """The asyncio client: same behaviour as `SyncClient`; waits never block the event loop."""

    def __init__(
        self, *, http_client: httpx.AsyncClient | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self._owns_http, self._http_client = http_client is None, http_client

    @property
    def _http(self) -> httpx.AsyncClient:  # made at the first request (slow: TLS)
        self._http_client = self._http_client or httpx.AsyncClient(timeout=self.timeout)
        return self._http_client

    async def close(self) -> None:
        """Close the HTTP connection pool (unless it was passed in)."""
        if self._owns_http:
            await self._http.aclose()

    async def _fetch_tokens(self, op: Op[Any]) -> bool:
        """Fetch the OAuth2 tokens `op` needs and the client does not hold (valid) yet."""
        pending = self._credentials.pending(op)
        for source in pending:
            await source.afetch(self._http, self.base_url)
        return bool(pending)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _call(
        self,
        op: Op[T],
        args: Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | None = None,
    ) -> T:
        response = await self._send(
            op, args, extra_headers, extra_query, timeout, max_retries
        )
        page = page_of(self, op, args, locals(), AsyncPage)
        if page is not None:  # a list: the page, whose iteration fetches the next ones
            return cast(T, page(response))
        if streams(op.events, response):  # server-sent events: read as they arrive
            return cast(T, AsyncStream(response, op.events or "any", op.name))
        return _parse_success(op, response)

    async def _call_raw(
        self,
        op: Op[T],
        args: Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | None = None,
    ) -> RawResponse[T]:
        response = await self._send(
            op, args, extra_headers, extra_query, timeout, max_retries, False
        )
        return RawResponse(response, op, page_of(self, op, args, locals(), AsyncPage))

    async def _send_open(
        self,
        op: Op[Any],
        args: Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | None = None,
    ) -> httpx.Response:
        """Send, leaving a success body unread (`client.with_streaming_response`)."""
        return await self._send(
            op, args, extra_headers, extra_query, timeout, max_retries, True
        )

    async def _send(
        self,
        op: Op[Any],
        args: Mapping[str, Any],
        extra_headers: Mapping[str, str] | None,
        extra_query: Mapping[str, Any] | None,
        timeout: Timeout | Unset,
        max_retries: int | None,
        keep_open: bool | None = None,
    ) -> httpx.Response:
        request, retries = self._prepare(
            op, args, extra_headers, extra_query, timeout, max_retries
        )
        if await self._fetch_tokens(op):
            self._reauth(op, request)
        attempt, refreshed = 0, False
        while True:
            self._log_request(request, attempt)
            try:
                response = await self._http.send(request, stream=True)
                if not keeps_open(op.events, response, keep_open):
                    await response.aread()
            except httpx.TransportError as exc:
                delay = self._transport_retry(op, exc, attempt, retries)
                if delay is None:
                    raise self._transport_error(op, exc) from exc
                await asyncio.sleep(delay)
                attempt += 1
                continue
            delay_ = retry_delay(
                op.method, response, attempt, retries, self.retry_after_cap
            )
            if delay_ is None:
                if not refreshed and self._token_rejected(op, request, response):
                    refreshed = True  # once: a new token, the same request again
                    await response.aclose()
                    await self._fetch_tokens(op)
                    self._reauth(op, request)
                    continue
                self._check(op, response)
                return response
            await response.aclose()
            self._log_retry(
                op, f"status {response.status_code}", delay_, attempt, retries
            )
            await asyncio.sleep(delay_)
            attempt += 1
