"""Behaviour of the generated client runtime (issue 3): retries, Retry-After, errors, raw access,
async parity, plumbing, auth, validation and models.

Everything here runs against `httpx.MockTransport`; `time.sleep` / `asyncio.sleep` are replaced by
recorders so that retry waits are asserted, never waited. Real sockets live in test_loopback.py.
"""

from __future__ import annotations

import asyncio
import copy
import email.utils
import inspect
import json
import logging
import time
import warnings
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

KEY = "sk-test-SECRET-0123456789"
BASE = "http://api.test"
URL = BASE + "/api/v0/endptjobs/"
OK_BODY = {"success": True, "result": 12345}


# --------------------------------------------------------------------------------------------
# Helpers


def respond(
    status: int = 200, body: Any = OK_BODY, **headers: str
) -> Callable[[], httpx.Response]:
    """A factory of fresh responses (a response object cannot be sent twice)."""
    hdrs = {k.replace("_", "-"): v for k, v in headers.items()}

    def make() -> httpx.Response:
        if isinstance(body, (bytes, str)):
            return httpx.Response(status, content=body, headers=hdrs)
        if body is None:
            return httpx.Response(status, headers=hdrs)
        return httpx.Response(status, json=body, headers=hdrs)

    return make


def respond_h(
    status: int, headers: dict[str, str], body: Any = None
) -> Callable[[], httpx.Response]:
    """Like `respond`, for header names that are not identifiers."""

    def make() -> httpx.Response:
        if body is None:
            return httpx.Response(status, headers=headers)
        return httpx.Response(status, json=body, headers=headers)

    return make


class Script:
    """A MockTransport handler answering with a script of responses (the last one repeats).

    An item is a response factory or an exception instance to raise (a transport error).
    """

    def __init__(self, *items: Callable[[], httpx.Response] | Exception) -> None:
        assert items
        self.items = list(items)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        item = self.items.pop(0) if len(self.items) > 1 else self.items[0]
        if isinstance(item, Exception):
            raise item
        return item()

    @property
    def count(self) -> int:
        return len(self.requests)


KINDS = ["sync", "async"]


def invoke(
    pkg: ModuleType,
    kind: str,
    handler: Callable[[httpx.Request], Any],
    action: Callable[[Any], Any],
    **client_kwargs: Any,
) -> Any:
    """Build a Client or AsyncClient over `handler` and return `action(client)` (awaited)."""
    client_kwargs.setdefault("api_key", KEY)
    client_kwargs.setdefault("base_url", BASE)
    transport = httpx.MockTransport(handler)
    if kind == "sync":
        with httpx.Client(transport=transport) as http:
            with pkg.Client(http_client=http, **client_kwargs) as client:
                return action(client)

    async def main() -> Any:
        async with httpx.AsyncClient(transport=transport) as http:
            async with pkg.AsyncClient(http_client=http, **client_kwargs) as client:
                return await action(client)

    return asyncio.run(main())


def create(**kwargs: Any) -> Callable[[Any], Any]:
    return lambda client: client.create_endpoint(**kwargs)


def call_op(op: Any, **kwargs: Any) -> Callable[[Any], Any]:
    return lambda client: client._call(op, {}, **kwargs)


def make_op(pkg: ModuleType, method: str) -> Any:
    """An operation of another HTTP method (the spec has only a POST) sent by the same runtime."""
    rt = pkg._runtime
    return rt.Op(
        name=f"{method.lower()}_thing",
        method=method,
        path="/api/v0/thing/",
        result=None,
        security=(("BearerAuth",),),
    )


class Sleeps:
    """Records the waits of both clients; `who` tells which sleep function was used."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, float]] = []

    @property
    def delays(self) -> list[float]:
        return [d for _, d in self.calls]

    @property
    def who(self) -> set[str]:
        return {w for w, _ in self.calls}


@pytest.fixture
def sleeps(vastai_api: ModuleType, monkeypatch: pytest.MonkeyPatch) -> Sleeps:
    rec = Sleeps()

    def fake_sleep(delay: float) -> None:
        rec.calls.append(("time.sleep", delay))

    async def fake_async_sleep(delay: float, result: Any = None) -> Any:
        rec.calls.append(("asyncio.sleep", delay))
        return result

    monkeypatch.setattr(vastai_api._http.time, "sleep", fake_sleep)
    monkeypatch.setattr(vastai_api._http.asyncio, "sleep", fake_async_sleep)
    return rec


@pytest.fixture
def no_jitter(vastai_api: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vastai_api._retry.random, "random", lambda: 0.0)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VAST_API_KEY", raising=False)
    monkeypatch.delenv("VAST_URL", raising=False)


def expected_sleep(kind: str) -> set[str]:
    return {"time.sleep"} if kind == "sync" else {"asyncio.sleep"}


# --------------------------------------------------------------------------------------------
# Retries


@pytest.mark.parametrize("kind", KINDS)
def test_default_is_two_retries_then_the_error(
    vastai_api: ModuleType, sleeps: Sleeps, kind: str
) -> None:
    script = Script(respond(503, {"msg": "busy"}))
    with pytest.raises(vastai_api.InternalServerError) as info:
        invoke(vastai_api, kind, script, create(min_load=1))
    assert script.count == 3
    assert len(sleeps.delays) == 2
    assert sleeps.who == expected_sleep(kind)
    assert info.value.status_code == 503


@pytest.mark.parametrize("kind", KINDS)
def test_a_retry_that_succeeds_returns_the_result(
    vastai_api: ModuleType, sleeps: Sleeps, kind: str
) -> None:
    script = Script(respond(503), respond(502), respond(200))
    result = invoke(vastai_api, kind, script, create(min_load=1))
    assert result == vastai_api.CreateEndpointResponse(success=True, result=12345)
    assert script.count == 3
    assert len(sleeps.delays) == 2
    # every attempt sends the very same request
    assert {(r.method, str(r.url), r.content) for r in script.requests} == {
        ("POST", URL, b'{"min_load": 1.0}')
    }
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in script.requests)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("client_retries", "call_retries", "attempts"),
    [(0, None, 1), (5, None, 6), (None, 0, 1), (0, 3, 4), (4, 1, 2), (None, None, 3)],
)
def test_max_retries_per_client_and_per_call(
    vastai_api: ModuleType,
    sleeps: Sleeps,
    kind: str,
    client_retries: int | None,
    call_retries: int | None,
    attempts: int,
) -> None:
    script = Script(respond(429))
    client_kwargs = {} if client_retries is None else {"max_retries": client_retries}
    call_kwargs = {} if call_retries is None else {"max_retries": call_retries}
    with pytest.raises(vastai_api.RateLimitError):
        invoke(
            vastai_api, kind, script, create(min_load=1, **call_kwargs), **client_kwargs
        )
    assert script.count == attempts
    assert len(sleeps.delays) == attempts - 1


def test_client_max_retries_attribute_and_validation(vastai_api: ModuleType) -> None:
    with vastai_api.Client(api_key=KEY) as client:
        assert client.max_retries == 2
    with pytest.raises(ValueError):
        vastai_api.Client(api_key=KEY, max_retries=-1)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bad", [-1, 1.5, "2", True])
def test_invalid_per_call_max_retries_is_refused_before_sending(
    vastai_api: ModuleType, kind: str, bad: Any
) -> None:
    script = Script(respond(200))
    with pytest.raises(ValueError, match="max_retries"):
        invoke(vastai_api, kind, script, create(min_load=1, max_retries=bad))
    assert script.count == 0


ALL_METHODS = ["POST", "PATCH", "GET", "HEAD", "PUT", "DELETE", "OPTIONS"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", ALL_METHODS)
@pytest.mark.parametrize("status", [408, 429, 502, 503, 504])
def test_transient_statuses_are_retried_for_every_method(
    vastai_api: ModuleType, sleeps: Sleeps, kind: str, method: str, status: int
) -> None:
    script = Script(respond(status, None), respond(204, None))
    result = invoke(
        vastai_api, kind, script, call_op(make_op(vastai_api, method), max_retries=1)
    )
    assert result is None
    assert script.count == 2
    assert [r.method for r in script.requests] == [method, method]
    assert len(sleeps.delays) == 1


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("status", [500, 501, 505, 599])
@pytest.mark.parametrize(
    ("method", "retried"),
    [
        ("GET", True),
        ("HEAD", True),
        ("PUT", True),
        ("DELETE", True),
        ("OPTIONS", True),
        ("POST", False),
        ("PATCH", False),
    ],
)
def test_other_5xx_are_retried_only_for_idempotent_methods(
    vastai_api: ModuleType,
    sleeps: Sleeps,
    kind: str,
    status: int,
    method: str,
    retried: bool,
) -> None:
    script = Script(respond(status, None))
    with pytest.raises(vastai_api.InternalServerError) as info:
        invoke(
            vastai_api,
            kind,
            script,
            call_op(make_op(vastai_api, method), max_retries=2),
        )
    assert info.value.status_code == status
    assert script.count == (3 if retried else 1)
    assert len(sleeps.delays) == (2 if retried else 0)


def test_a_post_that_got_a_500_is_not_repeated(
    vastai_api: ModuleType, sleeps: Sleeps
) -> None:
    script = Script(respond(500, {"msg": "boom"}), respond(200))
    with pytest.raises(vastai_api.InternalServerError, match="boom"):
        invoke(vastai_api, "sync", script, create(min_load=1, max_retries=5))
    assert script.count == 1
    assert sleeps.delays == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 418])
def test_client_errors_are_never_retried(
    vastai_api: ModuleType, sleeps: Sleeps, kind: str, status: int
) -> None:
    script = Script(respond(status, {"msg": "no"}))
    with pytest.raises(vastai_api.ApiStatusError):
        invoke(
            vastai_api, kind, script, call_op(make_op(vastai_api, "GET"), max_retries=3)
        )
    assert script.count == 1
    assert sleeps.delays == []


@pytest.mark.parametrize("kind", KINDS)
def test_backoff_is_exponential_and_capped(
    vastai_api: ModuleType, sleeps: Sleeps, no_jitter: None, kind: str
) -> None:
    script = Script(respond(503, None))
    with pytest.raises(vastai_api.InternalServerError):
        invoke(vastai_api, kind, script, create(min_load=1, max_retries=7))
    assert sleeps.delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_backoff_jitter_bounds(
    vastai_api: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = vastai_api._runtime
    monkeypatch.setattr(vastai_api._retry.random, "random", lambda: 0.999999)
    assert rt.backoff(0) == pytest.approx(0.375, abs=1e-5)
    assert rt.backoff(2) == pytest.approx(1.5, abs=1e-4)
    assert rt.backoff(30) == pytest.approx(6.0, abs=1e-4)  # the cap, jittered down
    monkeypatch.undo()
    samples = [rt.backoff(1) for _ in range(200)]
    assert all(0.75 <= s <= 1.0 for s in samples)
    assert len(set(samples)) > 1  # jitter: not one fixed value
    assert all(rt.backoff(n) <= 8.0 for n in range(64))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", ["POST", "GET"])
@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.PoolTimeout("pool timed out"),
    ],
    ids=["connect-error", "connect-timeout", "pool-timeout"],
)
def test_failures_before_sending_are_retried_for_every_method(
    vastai_api: ModuleType, sleeps: Sleeps, kind: str, method: str, exc: Exception
) -> None:
    script = Script(exc, exc, respond(204, None))
    assert (
        invoke(vastai_api, kind, script, call_op(make_op(vastai_api, method))) is None
    )
    assert script.count == 3
    assert len(sleeps.delays) == 2
    assert sleeps.who == expected_sleep(kind)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("exc", "error"),
    [
        (httpx.ConnectError("refused"), "ApiConnectionError"),
        (httpx.ConnectTimeout("slow"), "ApiTimeoutError"),
        (httpx.ReadTimeout("slow"), "ApiTimeoutError"),
        (httpx.WriteTimeout("slow"), "ApiTimeoutError"),
        (httpx.RemoteProtocolError("dropped"), "ApiConnectionError"),
        (httpx.ReadError("reset"), "ApiConnectionError"),
    ],
)
def test_transport_errors_become_api_errors(
    vastai_api: ModuleType, sleeps: Sleeps, kind: str, exc: Exception, error: str
) -> None:
    script = Script(exc)
    with pytest.raises(getattr(vastai_api, error)) as info:
        invoke(vastai_api, kind, script, create(min_load=1, max_retries=1))
    assert info.value.__cause__ is exc
    assert isinstance(info.value, vastai_api.ApiConnectionError)
    assert isinstance(info.value, vastai_api.ApiError)
    assert "create_endpoint()" in str(info.value)
    if error == "ApiConnectionError":
        assert not isinstance(info.value, vastai_api.ApiTimeoutError)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("dropped"),
        httpx.ReadError("reset"),
    ],
    ids=["read-timeout", "dropped", "reset"],
)
@pytest.mark.parametrize(
    ("method", "retried"),
    [("POST", False), ("PATCH", False), ("GET", True), ("PUT", True)],
)
def test_failures_after_sending_are_retried_only_for_idempotent_methods(
    vastai_api: ModuleType,
    sleeps: Sleeps,
    kind: str,
    exc: Exception,
    method: str,
    retried: bool,
) -> None:
    script = Script(exc, respond(204, None))
    action = call_op(make_op(vastai_api, method), max_retries=2)
    if retried:
        assert invoke(vastai_api, kind, script, action) is None
        assert script.count == 2
        assert len(sleeps.delays) == 1
    else:
        with pytest.raises(vastai_api.ApiConnectionError):
            invoke(vastai_api, kind, script, action)
        assert script.count == 1
        assert sleeps.delays == []


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_unsupported_protocol_is_not_retried(
    vastai_api: ModuleType, sleeps: Sleeps, method: str
) -> None:
    # a configuration mistake: retrying cannot help
    with pytest.raises(vastai_api.ApiConnectionError):
        with vastai_api.Client(api_key=KEY, base_url="ftp://example.invalid") as client:
            client._call(make_op(vastai_api, method), {})
    assert sleeps.delays == []


# --------------------------------------------------------------------------------------------
# Retry-After


RFC_DATE = "Wed, 21 Oct 2015 07:28:00 GMT"
RFC_TS = 1445412480.0


@pytest.mark.parametrize(
    ("headers", "now", "expected"),
    [
        ({}, None, None),
        ({"retry-after-ms": "1500"}, None, 1.5),
        ({"retry-after-ms": "0"}, None, 0.0),
        ({"retry-after-ms": "12.5"}, None, 0.0125),
        ({"retry-after-ms": "250", "retry-after": "30"}, None, 0.25),  # ms wins
        (
            {"retry-after-ms": "abc", "retry-after": "2"},
            None,
            2.0,
        ),  # unusable ms: fall back
        ({"retry-after-ms": "-5", "retry-after": "2"}, None, 2.0),
        ({"retry-after-ms": "nan", "retry-after": "2"}, None, 2.0),
        ({"retry-after-ms": "inf"}, None, None),
        ({"retry-after": "3"}, None, 3.0),
        ({"retry-after": " 7 "}, None, 7.0),
        ({"retry-after": "1.5"}, None, 1.5),
        ({"retry-after": "0"}, None, 0.0),
        ({"retry-after": "120"}, None, 120.0),
        ({"retry-after": "-1"}, None, None),
        ({"retry-after": "nan"}, None, None),
        ({"retry-after": "inf"}, None, None),
        ({"retry-after": ""}, None, None),
        ({"retry-after": "soon"}, None, None),
        ({"retry-after": "12 34"}, None, None),
        ({"retry-after": RFC_DATE}, RFC_TS - 10, 10.0),  # IMF-fixdate
        ({"retry-after": RFC_DATE}, RFC_TS - 90.5, 90.5),
        ({"retry-after": RFC_DATE}, RFC_TS, 0.0),
        ({"retry-after": RFC_DATE}, RFC_TS + 100, 0.0),  # in the past: no wait
        (
            {"retry-after": "Wednesday, 21-Oct-15 07:28:00 GMT"},
            RFC_TS - 5,
            5.0,
        ),  # RFC 850
        ({"retry-after": "Wed Oct 21 07:28:00 2015"}, RFC_TS - 5, 5.0),  # asctime
        (
            {"retry-after": "Wed, 21 Oct 2015 09:28:00 +0200"},
            RFC_TS - 5,
            5.0,
        ),  # numeric zone
        (
            {"Retry-After": "4"},
            None,
            4.0,
        ),  # names are case-insensitive, also in a plain dict
        ({"RETRY-AFTER-MS": "400"}, None, 0.4),
    ],
)
def test_parse_retry_after_table(
    vastai_api: ModuleType,
    headers: dict[str, str],
    now: float | None,
    expected: float | None,
) -> None:
    parse = vastai_api._runtime.parse_retry_after
    for given_headers in (headers, httpx.Headers(headers)):
        got = parse(given_headers, now=now)
        if expected is None:
            assert got is None
        else:
            assert isinstance(got, float)
            assert got == pytest.approx(expected)


def test_parse_retry_after_date_uses_the_current_time(vastai_api: ModuleType) -> None:
    when = email.utils.formatdate(time.time() + 42, usegmt=True)
    got = vastai_api._runtime.parse_retry_after(httpx.Headers({"retry-after": when}))
    assert got is not None and 38 < got <= 42


RETRY_AFTER_WAITS = [
    pytest.param({"retry-after-ms": "1500"}, [1.5], id="ms"),
    pytest.param({"retry-after-ms": "60000"}, [60.0], id="ms-at-cap"),
    pytest.param({"Retry-After": "2"}, [2.0], id="seconds"),
    pytest.param({"Retry-After": "0.25"}, [0.25], id="fractional-seconds"),
    pytest.param({"Retry-After": "0"}, [0.0], id="zero"),
    pytest.param({"Retry-After": "60"}, [60.0], id="seconds-at-cap"),
    pytest.param(
        {"retry-after-ms": "250", "Retry-After": "30"}, [0.25], id="ms-over-seconds"
    ),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("headers", "delays"), RETRY_AFTER_WAITS)
@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_waited_exactly(
    vastai_api: ModuleType,
    sleeps: Sleeps,
    kind: str,
    headers: dict[str, str],
    delays: list[float],
    status: int,
) -> None:
    script = Script(respond_h(status, headers), respond(200))
    result = invoke(vastai_api, kind, script, create(min_load=1))
    assert result.result == 12345
    assert script.count == 2
    assert sleeps.delays == pytest.approx(delays)
    assert sleeps.who == expected_sleep(kind)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Retry-After": "soon"},
        {"Retry-After": "-3"},
        {"retry-after-ms": "nan"},
        {"Retry-After": ""},
    ],
    ids=["absent", "garbage", "negative", "nan-ms", "empty"],
)
def test_without_a_usable_retry_after_the_backoff_applies(
    vastai_api: ModuleType, sleeps: Sleeps, kind: str, headers: dict[str, str]
) -> None:
    script = Script(respond_h(429, headers), respond(200))
    invoke(vastai_api, kind, script, create(min_load=1))
    (delay,) = sleeps.delays
    assert 0.375 <= delay <= 0.5


BEYOND_CAP = [
    pytest.param({"Retry-After": "61"}, 61.0, id="seconds"),
    pytest.param({"retry-after-ms": "60001"}, 60.001, id="ms"),
    pytest.param({"Retry-After": "3600"}, 3600.0, id="an-hour"),
    pytest.param({"retry-after-ms": "90000", "Retry-After": "1"}, 90.0, id="ms-wins"),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("headers", "retry_after"), BEYOND_CAP)
def test_retry_after_beyond_the_cap_raises_at_once(
    vastai_api: ModuleType,
    sleeps: Sleeps,
    kind: str,
    headers: dict[str, str],
    retry_after: float,
) -> None:
    script = Script(
        respond_h(429, headers, {"detail": "API requests too frequent"}), respond(200)
    )
    with pytest.raises(vastai_api.RateLimitError) as info:
        invoke(vastai_api, kind, script, create(min_load=1, max_retries=5))
    assert script.count == 1  # no fallback to a short retry
    assert sleeps.delays == []  # and no wait
    err = info.value
    assert isinstance(err.retry_after, float)
    assert err.retry_after == pytest.approx(retry_after)
    assert err.status_code == 429
    assert err.body == vastai_api.CreateEndpointTooManyRequests(
        detail="API requests too frequent"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_retry_after_as_http_date(
    vastai_api: ModuleType, sleeps: Sleeps, kind: str
) -> None:
    soon = email.utils.formatdate(time.time() + 30, usegmt=True)
    script = Script(respond_h(429, {"Retry-After": soon}), respond(200))
    invoke(vastai_api, kind, script, create(min_load=1))
    (delay,) = sleeps.delays
    assert 25 < delay <= 30  # the date has whole seconds and a little time has passed


@pytest.mark.parametrize("kind", KINDS)
def test_retry_after_as_http_date_beyond_the_cap(
    vastai_api: ModuleType, sleeps: Sleeps, kind: str
) -> None:
    later = email.utils.formatdate(time.time() + 3600, usegmt=True)
    script = Script(respond_h(429, {"Retry-After": later}))
    with pytest.raises(vastai_api.RateLimitError) as info:
        invoke(vastai_api, kind, script, create(min_load=1))
    assert script.count == 1 and sleeps.delays == []
    assert info.value.retry_after is not None and 3590 < info.value.retry_after <= 3600


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("cap", "header", "waits"),
    [
        (5.0, "5", True),
        (5.0, "6", False),
        (120.0, "90", True),
        (0.0, "1", False),
        (0.0, "0", True),
    ],
)
def test_retry_after_cap_is_configurable(
    vastai_api: ModuleType,
    sleeps: Sleeps,
    kind: str,
    cap: float,
    header: str,
    waits: bool,
) -> None:
    script = Script(respond_h(429, {"Retry-After": header}), respond(200))
    if waits:
        invoke(vastai_api, kind, script, create(min_load=1), retry_after_cap=cap)
        assert sleeps.delays == [float(header)]
        assert script.count == 2
    else:
        with pytest.raises(vastai_api.RateLimitError) as info:
            invoke(vastai_api, kind, script, create(min_load=1), retry_after_cap=cap)
        assert info.value.retry_after == float(header)
        assert sleeps.delays == [] and script.count == 1


def test_retry_after_cap_defaults_to_a_minute(vastai_api: ModuleType) -> None:
    with vastai_api.Client(api_key=KEY) as client:
        assert client.retry_after_cap == 60.0


@pytest.mark.parametrize("kind", KINDS)
def test_rate_limit_error_after_the_last_retry_carries_retry_after(
    vastai_api: ModuleType, sleeps: Sleeps, kind: str
) -> None:
    script = Script(respond_h(429, {"Retry-After": "3"}, {"detail": "slow down"}))
    with pytest.raises(vastai_api.RateLimitError, match="slow down") as info:
        invoke(vastai_api, kind, script, create(min_load=1, max_retries=2))
    assert script.count == 3
    assert sleeps.delays == [3.0, 3.0]
    assert info.value.retry_after == 3.0


@pytest.mark.parametrize("kind", KINDS)
def test_rate_limit_error_without_retry_after(
    vastai_api: ModuleType, sleeps: Sleeps, kind: str
) -> None:
    script = Script(respond(429, {"detail": "x"}))
    with pytest.raises(vastai_api.RateLimitError) as info:
        invoke(vastai_api, kind, script, create(min_load=1, max_retries=0))
    assert info.value.retry_after is None
    assert sleeps.delays == []


def test_retry_after_on_a_post_500_does_not_cause_a_retry(
    vastai_api: ModuleType, sleeps: Sleeps
) -> None:
    script = Script(respond_h(500, {"Retry-After": "1"}), respond(200))
    with pytest.raises(vastai_api.InternalServerError):
        invoke(vastai_api, "sync", script, create(min_load=1))
    assert script.count == 1 and sleeps.delays == []


def test_retry_after_beyond_cap_on_503_raises_at_once(
    vastai_api: ModuleType, sleeps: Sleeps
) -> None:
    script = Script(respond_h(503, {"Retry-After": "600"}), respond(200))
    with pytest.raises(vastai_api.InternalServerError) as info:
        invoke(vastai_api, "sync", script, create(min_load=1))
    assert script.count == 1 and sleeps.delays == []
    assert info.value.retry_after == 600.0


# --------------------------------------------------------------------------------------------
# Errors


ERROR_CLASSES = [
    (400, "BadRequestError"),
    (401, "AuthenticationError"),
    (403, "PermissionDeniedError"),
    (404, "NotFoundError"),
    (409, "ConflictError"),
    (422, "UnprocessableEntityError"),
    (429, "RateLimitError"),
    (500, "InternalServerError"),
    (502, "InternalServerError"),
    (503, "InternalServerError"),
    (504, "InternalServerError"),
    (418, "ApiStatusError"),
    (402, "ApiStatusError"),
    (405, "ApiStatusError"),
    (301, "ApiStatusError"),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("status", "name"), ERROR_CLASSES)
def test_one_error_class_per_status(
    vastai_api: ModuleType, kind: str, status: int, name: str
) -> None:
    script = Script(
        respond_h(
            status,
            {"x-request-id": "req-42", "x-custom": "yes"},
            {"msg": "server says no"},
        )
    )
    with pytest.raises(vastai_api.ApiStatusError) as info:
        invoke(vastai_api, kind, script, create(min_load=1, max_retries=0))
    err = info.value
    assert type(err) is getattr(vastai_api, name)
    assert isinstance(err, vastai_api.ApiError)
    assert err.status_code == status
    assert err.headers["x-custom"] == "yes"
    assert err.request_id == "req-42"
    assert str(status) in str(err)
    assert "server says no" in str(err)
    assert isinstance(err.response, httpx.Response)
    assert script.count == 1


def test_error_class_lookup(vastai_api: ModuleType) -> None:
    rt = vastai_api._runtime
    assert rt.error_class(400) is vastai_api.BadRequestError
    assert rt.error_class(599) is vastai_api.InternalServerError
    assert rt.error_class(451) is vastai_api.ApiStatusError
    assert issubclass(vastai_api.RateLimitError, vastai_api.ApiStatusError)
    assert issubclass(vastai_api.ApiTimeoutError, vastai_api.ApiConnectionError)


@pytest.mark.parametrize("kind", KINDS)
def test_400_body_is_the_declared_error_model(
    vastai_api: ModuleType, kind: str
) -> None:
    body = {
        "success": False,
        "error": "invalid_args",
        "msg": "min_load must be positive",
    }
    script = Script(respond(400, body))
    with pytest.raises(vastai_api.BadRequestError) as info:
        invoke(vastai_api, kind, script, create(min_load=1))
    err = info.value
    assert isinstance(err.body, vastai_api.CreateEndpointBadRequest)
    assert isinstance(err.body, vastai_api.Error)
    assert err.body.error == "invalid_args"
    assert err.body.error is vastai_api.CreateEndpointBadRequestError.INVALID_ARGS
    assert err.body.success is False
    assert err.body.msg == "min_load must be positive"
    assert err.message == "400 Bad Request: min_load must be positive"
    assert err.request_id is None  # the server sent none


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (401, {"success": False, "error": "auth", "msg": "bad key"}, "Error"),
        (403, {"success": False, "msg": "forbidden"}, "Error"),
        (
            429,
            {"detail": "API requests too frequent endpoint threshold=4.0"},
            "CreateEndpointTooManyRequests",
        ),
    ],
)
def test_declared_error_bodies_parse_into_models(
    vastai_api: ModuleType, status: int, body: dict[str, Any], expected: str
) -> None:
    script = Script(respond(status, body))
    with pytest.raises(vastai_api.ApiStatusError) as info:
        invoke(vastai_api, "sync", script, create(min_load=1, max_retries=0))
    assert type(info.value.body) is getattr(vastai_api, expected)
    assert info.value.body.to_dict() == body


@pytest.mark.parametrize(
    ("status", "content", "ctype", "expected"),
    [
        (
            404,
            b'{"detail": "nope"}',
            "application/json",
            {"detail": "nope"},
        ),  # undeclared: JSON
        (
            500,
            b"upstream exploded",
            "text/plain",
            "upstream exploded",
        ),  # not JSON: text
        (
            400,
            b"<html>bad</html>",
            "text/html",
            "<html>bad</html>",
        ),  # declared, but not JSON
        (
            400,
            b'["a", "b"]',
            "application/json",
            ["a", "b"],
        ),  # declared, wrong shape: kept
        (401, b"", "text/plain", ""),
    ],
)
def test_undeclared_or_unparseable_error_bodies(
    vastai_api: ModuleType, status: int, content: bytes, ctype: str, expected: Any
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=content, headers={"content-type": ctype})

    with pytest.raises(vastai_api.ApiStatusError) as info:
        invoke(vastai_api, "sync", handler, create(min_load=1, max_retries=0))
    assert info.value.body == expected
    assert info.value.status_code == status


def test_error_message_uses_the_server_message(vastai_api: ModuleType) -> None:
    script = Script(respond(409, {"message": "endpoint exists"}))
    with pytest.raises(vastai_api.ConflictError) as info:
        invoke(vastai_api, "sync", script, create(min_load=1))
    assert str(info.value) == "409 Conflict: endpoint exists"


# --------------------------------------------------------------------------------------------
# Raw access and per-call options


@pytest.mark.parametrize("kind", KINDS)
def test_with_raw_response(vastai_api: ModuleType, kind: str) -> None:
    script = Script(
        respond_h(
            201, {"x-request-id": "abc"}, {"success": True, "result": 7, "new": 1}
        )
    )

    async def araw(client: Any) -> Any:
        return await client.with_raw_response.create_endpoint(min_load=2)

    action = (
        (lambda c: c.with_raw_response.create_endpoint(min_load=2))
        if kind == "sync"
        else araw
    )
    raw = invoke(vastai_api, kind, script, action)
    assert isinstance(raw, vastai_api.RawResponse)
    assert raw.status_code == 201
    assert raw.headers["x-request-id"] == "abc"
    assert isinstance(raw.http_response, httpx.Response)
    assert raw.http_response.json()["result"] == 7
    parsed = raw.parse()
    assert isinstance(parsed, vastai_api.CreateEndpointResponse)
    assert parsed.result == 7
    assert parsed.additional_properties == {"new": 1}
    assert "create_endpoint" in repr(raw) and "201" in repr(raw)


@pytest.mark.parametrize("kind", KINDS)
def test_with_raw_response_still_raises_on_errors_and_retries(
    vastai_api: ModuleType, sleeps: Sleeps, kind: str
) -> None:
    script = Script(respond(503), respond(400, {"error": "invalid_args"}))

    async def araw(client: Any) -> Any:
        return await client.with_raw_response.create_endpoint(min_load=2, max_retries=1)

    action = (
        (lambda c: c.with_raw_response.create_endpoint(min_load=2, max_retries=1))
        if kind == "sync"
        else araw
    )
    with pytest.raises(vastai_api.BadRequestError):
        invoke(vastai_api, kind, script, action)
    assert script.count == 2 and len(sleeps.delays) == 1


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("raw", [False, True])
def test_extra_headers_and_extra_query(
    vastai_api: ModuleType, kind: str, raw: bool
) -> None:
    script = Script(respond(200))

    def target(client: Any) -> Any:
        return client.with_raw_response if raw else client

    result = invoke(
        vastai_api,
        kind,
        script,
        lambda c: target(c).create_endpoint(
            min_load=1,
            extra_headers={"X-Trace": "t-1", "Idempotency-Key": "k"},
            extra_query={"dry": True, "page": 2, "tag": "a b"},
            timeout=12.5,
            max_retries=0,
        ),
    )
    assert result is not None
    (request,) = script.requests
    assert request.headers["x-trace"] == "t-1"
    assert request.headers["idempotency-key"] == "k"
    assert request.url.params["dry"] == "true"
    assert request.url.params["page"] == "2"
    assert request.url.params["tag"] == "a b"
    assert request.url.path == "/api/v0/endptjobs/"
    assert request.extensions["timeout"]["read"] == 12.5


def test_every_method_takes_the_per_call_options(vastai_api: ModuleType) -> None:
    for cls in (
        vastai_api.Client,
        vastai_api.AsyncClient,
        vastai_api.ClientWithRawResponse,
        vastai_api.AsyncClientWithRawResponse,
    ):
        params = inspect.signature(cls.create_endpoint).parameters
        for name in ("extra_headers", "extra_query", "timeout", "max_retries"):
            assert name in params, (cls.__name__, name)
            assert params[name].kind is inspect.Parameter.KEYWORD_ONLY


# --------------------------------------------------------------------------------------------
# Timeouts (configuration; real expiry is in test_loopback.py)


def test_default_timeout_is_finite(vastai_api: ModuleType, clean_env: None) -> None:
    with vastai_api.Client(api_key=KEY) as client:
        assert client.timeout.connect == 5.0
        assert client.timeout.read == 60.0
        assert None not in (client.timeout.write, client.timeout.pool)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("client_timeout", "call_timeout", "connect", "read"),
    [
        (None, None, 5.0, 60.0),
        (0.5, None, 0.5, 0.5),
        (30, None, 5.0, 30.0),
        (None, 2.0, 2.0, 2.0),
        (10.0, 7.0, 5.0, 7.0),
        (10.0, httpx.Timeout(3.0, connect=1.0), 1.0, 3.0),
        (httpx.Timeout(9.0, connect=2.0), None, 2.0, 9.0),
        (8.0, "none", 5.0, 8.0),  # timeout=None per call: the client's timeout
    ],
)
def test_timeout_per_client_and_per_call_reaches_the_transport(
    vastai_api: ModuleType,
    kind: str,
    client_timeout: Any,
    call_timeout: Any,
    connect: float,
    read: float,
) -> None:
    script = Script(respond(200))
    call_kwargs: dict[str, Any] = {}
    if call_timeout == "none":
        call_kwargs["timeout"] = None
    elif call_timeout is not None:
        call_kwargs["timeout"] = call_timeout
    client_kwargs = {} if client_timeout is None else {"timeout": client_timeout}
    invoke(vastai_api, kind, script, create(min_load=1, **call_kwargs), **client_kwargs)
    timeout = script.requests[0].extensions["timeout"]
    assert timeout["connect"] == connect
    assert timeout["read"] == read


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (0, ValueError),
        (-1, ValueError),
        (float("nan"), ValueError),
        (float("inf"), ValueError),
        ("5", TypeError),
        (True, TypeError),
    ],
)
def test_invalid_timeouts_are_refused(
    vastai_api: ModuleType, bad: Any, error: type
) -> None:
    with pytest.raises(error, match="timeout"):
        vastai_api.Client(api_key=KEY, timeout=bad)
    script = Script(respond(200))
    with pytest.raises(error, match="timeout"):
        invoke(vastai_api, "sync", script, create(min_load=1, timeout=bad))
    assert script.count == 0


# --------------------------------------------------------------------------------------------
# Async


def test_async_client_has_the_same_surface(vastai_api: ModuleType) -> None:
    for name in ("create_endpoint", "with_raw_response", "close", "build_request"):
        assert hasattr(vastai_api.AsyncClient, name)
    assert inspect.iscoroutinefunction(vastai_api.AsyncClient.create_endpoint)
    assert inspect.iscoroutinefunction(
        vastai_api.AsyncClientWithRawResponse.create_endpoint
    )
    assert inspect.iscoroutinefunction(vastai_api.AsyncClient.close)
    sync_params = inspect.signature(vastai_api.Client.create_endpoint).parameters
    async_params = inspect.signature(vastai_api.AsyncClient.create_endpoint).parameters
    assert list(sync_params) == list(async_params)


def test_async_retry_waits_do_not_block_the_event_loop(
    vastai_api: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    def forbidden(delay: float) -> None:
        raise AssertionError("the async client called time.sleep")

    monkeypatch.setattr(vastai_api._http.time, "sleep", forbidden)
    sent_at: list[float] = []
    ticks: list[float] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        sent_at.append(asyncio.get_running_loop().time())
        if len(sent_at) == 1:
            return httpx.Response(429, headers={"Retry-After": "0.2"})
        return httpx.Response(200, json=OK_BODY)

    async def main() -> Any:
        stop = asyncio.Event()

        async def ticker() -> None:
            loop = asyncio.get_running_loop()
            while not stop.is_set():
                ticks.append(loop.time())
                await asyncio.sleep(0.01)

        task = asyncio.create_task(ticker())
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            client = vastai_api.AsyncClient(
                api_key=KEY, base_url=BASE, http_client=http
            )
            result = await client.create_endpoint(min_load=1)
        stop.set()
        await task
        return result

    result = asyncio.run(main())
    assert result.result == 12345
    assert len(sent_at) == 2
    first, second = sent_at
    assert second - first >= 0.19  # the Retry-After wait really happened...
    during = [t for t in ticks if first < t < second]
    assert len(during) >= 1  # ...and other tasks kept running meanwhile


def test_async_client_with_its_own_http_client_closes_it(
    vastai_api: ModuleType,
) -> None:
    async def main() -> tuple[bool, bool]:
        async with vastai_api.AsyncClient(api_key=KEY) as client:
            before = client._http.is_closed
        return before, client._http.is_closed

    assert asyncio.run(main()) == (False, True)


def test_async_injected_http_client_is_not_closed(vastai_api: ModuleType) -> None:
    async def main() -> bool:
        http = httpx.AsyncClient(transport=httpx.MockTransport(Script(respond(200))))
        async with vastai_api.AsyncClient(
            api_key=KEY, base_url=BASE, http_client=http
        ) as client:
            await client.create_endpoint(min_load=1)
        client2 = vastai_api.AsyncClient(api_key=KEY, base_url=BASE, http_client=http)
        await client2.close()
        closed = http.is_closed
        await http.aclose()
        return closed

    assert asyncio.run(main()) is False


# --------------------------------------------------------------------------------------------
# Plumbing


def test_injected_http_client_is_used_and_not_closed(vastai_api: ModuleType) -> None:
    script = Script(respond(200))
    http = httpx.Client(transport=httpx.MockTransport(script))
    with vastai_api.Client(api_key=KEY, base_url=BASE, http_client=http) as client:
        client.create_endpoint(min_load=1)
    client2 = vastai_api.Client(api_key=KEY, base_url=BASE, http_client=http)
    client2.close()
    assert not http.is_closed
    assert script.count == 1
    http.close()


def test_owned_http_client_is_closed(vastai_api: ModuleType) -> None:
    with vastai_api.Client(api_key=KEY) as client:
        assert not client._http.is_closed
    assert client._http.is_closed
    other = vastai_api.Client(api_key=KEY)
    other.close()
    assert other._http.is_closed


@pytest.mark.parametrize("kind", KINDS)
def test_user_agent_names_the_package_and_version(
    vastai_api: ModuleType, kind: str
) -> None:
    script = Script(respond(200))
    invoke(vastai_api, kind, script, create(min_load=1))
    ua = script.requests[0].headers["user-agent"]
    assert ua.split()[0] == f"vastai_api/{vastai_api.__version__}"
    assert "python/" in ua


def test_user_agent_is_a_valid_header_whatever_the_version(
    vastai_api: ModuleType,
) -> None:
    class Odd(vastai_api.Client):  # type: ignore[misc,name-defined]
        _version = "1.0 beta\r\nX-Injected: 1 \u2028\u2603"

    script = Script(respond(200))
    with httpx.Client(transport=httpx.MockTransport(script)) as http:
        with Odd(api_key=KEY, base_url=BASE, http_client=http) as client:
            client.create_endpoint(min_load=1)
    (request,) = script.requests
    assert "x-injected" not in request.headers
    product = request.headers["user-agent"].split()[0]
    assert product.startswith("vastai_api/1.0_beta__X-Injected")
    assert product.isascii()


def test_request_headers(vastai_api: ModuleType) -> None:
    script = Script(respond(200))
    invoke(
        vastai_api, "sync", script, create(min_load=1), default_headers={"X-Team": "ml"}
    )
    request = script.requests[0]
    assert request.headers["accept"] == "application/json"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-team"] == "ml"


@pytest.mark.parametrize("kind", KINDS)
def test_debug_logging_of_requests_and_retries_is_redacted(
    vastai_api: ModuleType, sleeps: Sleeps, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    caplog.set_level(logging.DEBUG, logger="vastai_api")
    script = Script(respond_h(429, {"Retry-After": "1"}), respond(200))
    invoke(
        vastai_api,
        kind,
        script,
        create(
            min_load=1, extra_headers={"X-Api-Key": KEY, "Cookie": f"session={KEY}"}
        ),
    )
    records = [r for r in caplog.records if r.name == "vastai_api"]
    assert records and all(r.levelno == logging.DEBUG for r in records)
    messages = [r.getMessage() for r in records]
    requests = [m for m in messages if m.startswith("request POST")]
    retries = [m for m in messages if "retrying" in m]
    assert len(requests) == 2
    assert URL in requests[0]
    assert "attempt 1" in requests[0] and "attempt 2" in requests[1]
    assert len(retries) == 1 and "429" in retries[0] and "1.00s" in retries[0]
    assert "Bearer ***" in requests[0]
    assert KEY not in caplog.text
    assert all(KEY not in m for m in messages)
    # the request itself did carry the key
    assert script.requests[0].headers["authorization"] == f"Bearer {KEY}"


def test_no_log_records_above_debug(
    vastai_api: ModuleType, sleeps: Sleeps, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="vastai_api")
    invoke(vastai_api, "sync", Script(respond(503), respond(200)), create(min_load=1))
    assert [r for r in caplog.records if r.name == "vastai_api"] == []


@pytest.mark.parametrize("cls", ["Client", "AsyncClient"])
def test_repr_never_shows_the_key(vastai_api: ModuleType, cls: str) -> None:
    client = getattr(vastai_api, cls)(api_key=KEY, base_url=BASE)
    try:
        text = repr(client) + str(client)
        assert KEY not in text
        assert cls in text
        assert BASE in text
    finally:
        if cls == "Client":
            client.close()
        else:
            asyncio.run(client.close())


def test_describe_redacts(vastai_api: ModuleType) -> None:
    with vastai_api.Client(api_key=KEY, base_url=BASE) as client:
        request = client.build_request(vastai_api._ops.CREATE_ENDPOINT, {"min_load": 1})
        assert request.headers["authorization"] == f"Bearer {KEY}"
        text = client.describe(request)
    assert KEY not in text and "Bearer ***" in text


def test_redact_helpers(vastai_api: ModuleType) -> None:
    rt = vastai_api._runtime
    headers = {
        "Authorization": f"Bearer {KEY}",
        "X-Api-Key": KEY,
        "X-Custom-Token": KEY,
        "Accept": "x",
    }
    red = rt.redact_headers(headers, ["X-Custom-Token"])
    assert red == {
        "Authorization": "Bearer ***",
        "X-Api-Key": "***",
        "X-Custom-Token": "***",
        "Accept": "x",
    }
    assert (
        rt.redact_url(f"http://h/p?api_key={KEY}&a=1", ["api_key"])
        == "http://h/p?api_key=%2A%2A%2A&a=1"
    )


# --------------------------------------------------------------------------------------------
# Auth and base URL


@pytest.mark.parametrize("kind", KINDS)
def test_key_from_argument_beats_the_environment(
    vastai_api: ModuleType, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    monkeypatch.setenv("VAST_API_KEY", "from-env")
    script = Script(respond(200))
    invoke(vastai_api, kind, script, create(min_load=1), api_key="from-arg")
    assert script.requests[0].headers["authorization"] == "Bearer from-arg"


@pytest.mark.parametrize("kind", KINDS)
def test_key_from_the_environment_is_read_at_construction(
    vastai_api: ModuleType, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    monkeypatch.setenv("VAST_API_KEY", "env-key-1")
    script = Script(respond(200))
    transport = httpx.MockTransport(script)
    if kind == "sync":
        with httpx.Client(transport=transport) as http:
            client = vastai_api.Client(base_url=BASE, http_client=http)
            monkeypatch.setenv("VAST_API_KEY", "env-key-2")
            client.create_endpoint(min_load=1)
            monkeypatch.delenv("VAST_API_KEY")
            client.create_endpoint(min_load=1)
            fresh = vastai_api.Client(base_url=BASE, http_client=http)
            fresh.create_endpoint(min_load=1)  # no key: sent without one (issue 12)
    else:

        async def main() -> None:
            async with httpx.AsyncClient(transport=transport) as http:
                client = vastai_api.AsyncClient(base_url=BASE, http_client=http)
                monkeypatch.setenv("VAST_API_KEY", "env-key-2")
                await client.create_endpoint(min_load=1)
                monkeypatch.delenv("VAST_API_KEY")
                await client.create_endpoint(min_load=1)
                fresh = vastai_api.AsyncClient(base_url=BASE, http_client=http)
                await fresh.create_endpoint(min_load=1)  # no key: sent without one

        asyncio.run(main())
    assert [r.headers.get("authorization") for r in script.requests] == [
        "Bearer env-key-1",
        "Bearer env-key-1",
        None,
    ]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("env_value", [None, ""])
def test_missing_key_sends_without_it_and_a_401_says_so(
    vastai_api: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    env_value: str | None,
) -> None:
    # issue 12 item 7: no refusal before sending (a server may not enforce its auth); the
    # server's 401 names the missing configuration
    if env_value is None:
        monkeypatch.delenv("VAST_API_KEY", raising=False)
    else:
        monkeypatch.setenv("VAST_API_KEY", env_value)
    script = Script(respond(401, {"success": False, "error": "auth", "msg": "no key"}))
    with pytest.raises(vastai_api.AuthenticationError) as info:
        invoke(vastai_api, kind, script, create(min_load=1), api_key=None)
    message = str(info.value)
    assert message.startswith("401 Unauthorized: no key. No credentials were configured")
    assert "api_key=" in message and "VAST_API_KEY" in message
    assert script.count == 1
    assert "authorization" not in script.requests[0].headers


def test_import_does_not_read_the_environment(
    vastai_api: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the package was imported long before this test set the variables
    monkeypatch.setenv("VAST_API_KEY", "late-key")
    monkeypatch.setenv("VAST_URL", "http://late.test/")
    with vastai_api.Client() as client:
        assert client.base_url == "http://late.test"
        request = client.build_request(vastai_api._ops.CREATE_ENDPOINT, {})
    assert request.headers["authorization"] == "Bearer late-key"
    assert str(request.url) == "http://late.test/api/v0/endptjobs/"


@pytest.mark.parametrize(
    ("arg", "env", "expected"),
    [
        ("http://arg.test", "http://env.test", "http://arg.test"),
        (None, "http://env.test", "http://env.test"),
        (None, None, "https://console.vast.ai"),
        ("http://arg.test/prefix/", None, "http://arg.test/prefix"),
        (None, "", "https://console.vast.ai"),
    ],
)
def test_base_url_precedence(
    vastai_api: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    arg: str | None,
    env: str | None,
    expected: str,
) -> None:
    monkeypatch.setenv("VAST_API_KEY", KEY)
    if env is None:
        monkeypatch.delenv("VAST_URL", raising=False)
    else:
        monkeypatch.setenv("VAST_URL", env)
    with vastai_api.Client(base_url=arg) as client:
        assert client.base_url == expected
        request = client.build_request(vastai_api._ops.CREATE_ENDPOINT, {"min_load": 1})
    assert str(request.url) == expected + "/api/v0/endptjobs/"


# --------------------------------------------------------------------------------------------
# Client-side validation


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"min_load": "abc"}, "min_load"),
        ({"min_load": True}, "min_load"),
        ({"min_load": None}, "min_load"),
        ({"min_load": float("nan")}, "min_load"),
        ({"min_load": float("inf")}, "min_load"),
        ({"target_util": [1]}, "target_util"),
        ({"cold_workers": 1.5}, "cold_workers"),
        ({"cold_workers": True}, "cold_workers"),
        ({"cold_workers": "3"}, "cold_workers"),
        ({"max_workers": 2.0}, "max_workers"),
        ({"endpoint_name": 5}, "endpoint_name"),
        ({"endpoint_name": b"bytes"}, "endpoint_name"),
    ],
)
def test_validation_errors_are_clear_and_raised_before_sending(
    vastai_api: ModuleType, kind: str, kwargs: dict[str, Any], name: str
) -> None:
    script = Script(respond(200))
    with pytest.raises(ValueError) as info:
        invoke(vastai_api, kind, script, create(**kwargs))
    err = info.value
    assert isinstance(err, vastai_api.RequestValidationError)
    assert isinstance(err, vastai_api.ApiError)
    assert f"create_endpoint(): {name} must be" in str(err)
    assert script.count == 0


@pytest.mark.parametrize(
    ("kwargs", "body"),
    [
        ({"min_load": 50}, {"min_load": 50.0}),
        ({"min_load": 0.5, "cold_workers": 3}, {"min_load": 0.5, "cold_workers": 3}),
        ({"endpoint_name": "é ☃"}, {"endpoint_name": "é ☃"}),
        ({}, None),
    ],
)
def test_valid_arguments_are_sent_as_json(
    vastai_api: ModuleType, kwargs: dict[str, Any], body: Any
) -> None:
    script = Script(respond(200))
    invoke(vastai_api, "sync", script, create(**kwargs))
    request = script.requests[0]
    if body is None:
        assert request.content == b""
    else:
        assert json.loads(request.content) == body
    assert "cold_mult" not in request.content.decode()  # omitted arguments are not sent


def test_unknown_arguments_are_a_type_error(vastai_api: ModuleType) -> None:
    with vastai_api.Client(api_key=KEY, base_url=BASE) as client:
        with pytest.raises(TypeError):
            client.create_endpoint(min_laod=1)  # type: ignore[call-arg]
        with pytest.raises(TypeError):
            client.create_endpoint(1)  # type: ignore[misc]


def test_deprecated_operation_warns_at_the_callers_line(vastai_api: ModuleType) -> None:
    rt = vastai_api._runtime
    op = rt.Op(name="old_thing", method="GET", path="/old", deprecated=True)
    script = Script(respond(204, None))

    with httpx.Client(transport=httpx.MockTransport(script)) as http:
        client = vastai_api.Client(api_key=KEY, base_url=BASE, http_client=http)

        def old_thing() -> Any:  # stands for a generated method
            return client._call(op, {})

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
            old_thing()
    (warning,) = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert "old_thing() is deprecated" in str(warning.message)
    assert (warning.filename, warning.lineno) == (__file__, line)


# --------------------------------------------------------------------------------------------
# Models


def test_unset_is_a_falsy_singleton(vastai_api: ModuleType) -> None:
    UNSET = vastai_api.UNSET
    assert not UNSET
    assert repr(UNSET) == "UNSET"
    assert vastai_api.Unset() is UNSET
    assert copy.copy(UNSET) is UNSET and copy.deepcopy(UNSET) is UNSET
    assert UNSET is not None


def test_omitted_and_none_are_distinct(vastai_api: ModuleType) -> None:
    Error = vastai_api.Error
    assert Error().to_dict() == {}
    assert Error(msg=None).to_dict() == {"msg": None}
    assert Error(success=False, msg="x").to_dict() == {"success": False, "msg": "x"}
    omitted = vastai_api.CreateEndpointResponse.from_dict({"success": True})
    assert omitted.result is vastai_api.UNSET
    null = vastai_api.CreateEndpointResponse.from_dict(
        {"success": True, "result": None}
    )
    assert null.result is None
    assert omitted != null
    assert omitted.to_dict() == {"success": True}
    assert null.to_dict() == {"success": True, "result": None}


def test_unknown_response_fields_are_kept(vastai_api: ModuleType) -> None:
    body = {"success": True, "result": 1, "server_time": "now", "nested": {"a": [1, 2]}}
    script = Script(respond(200, body))
    result = invoke(vastai_api, "sync", script, create(min_load=1))
    assert result.additional_properties == {
        "server_time": "now",
        "nested": {"a": [1, 2]},
    }
    assert result.to_dict() == body
    assert "server_time" not in repr(result)


def test_from_dict_rejects_non_objects(vastai_api: ModuleType) -> None:
    with pytest.raises(TypeError, match="JSON object"):
        vastai_api.CreateEndpointResponse.from_dict([1, 2])  # type: ignore[arg-type]


def test_decoding_is_tolerant_and_numbers_are_coerced(vastai_api: ModuleType) -> None:
    decode = vastai_api._runtime.decode
    assert decode(5, "float") == 5.0 and isinstance(decode(5, "float"), float)
    body = vastai_api.CreateEndpointResponse.from_dict(
        {"success": True, "result": "many"}
    )
    assert body.result == "many"  # kept as it came rather than dropped


def test_inherited_fields_round_trip(vastai_api: ModuleType) -> None:
    data = {"success": False, "error": "invalid_args", "msg": "m", "extra": 1}
    model = vastai_api.CreateEndpointBadRequest.from_dict(data)
    assert model.success is False and model.msg == "m"
    assert model.error is vastai_api.CreateEndpointBadRequestError.INVALID_ARGS
    assert model.additional_properties == {"extra": 1}
    assert model.to_dict() == data
    assert json.dumps(model.to_dict())  # JSON-ready (enum values, not members)


def test_unknown_enum_values_are_tolerated(vastai_api: ModuleType) -> None:
    Enum = vastai_api.CreateEndpointBadRequestError
    known = Enum("invalid_args")
    assert known is Enum.INVALID_ARGS
    new = Enum("quota_exceeded")
    assert isinstance(new, Enum)
    assert new.value == "quota_exceeded"
    assert new == "quota_exceeded"
    assert str(new) == "quota_exceeded"
    assert "UNKNOWN" in new.name
    assert (
        "quota_exceeded" not in Enum.__members__
    )  # the declared members are unchanged
    with pytest.raises(ValueError):
        Enum(42)


def test_unknown_enum_value_in_an_error_body(vastai_api: ModuleType) -> None:
    script = Script(respond(400, {"error": "brand_new_reason", "msg": "m"}))
    with pytest.raises(vastai_api.BadRequestError) as info:
        invoke(vastai_api, "sync", script, create(min_load=1))
    body = info.value.body
    assert isinstance(body, vastai_api.CreateEndpointBadRequest)
    assert body.error == "brand_new_reason"
    assert body.to_dict() == {"error": "brand_new_reason", "msg": "m"}


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10))


@settings(max_examples=60, deadline=None, database=None)
@given(
    success=st.one_of(st.just(None), st.booleans()),
    result=st.one_of(st.just(None), st.integers()),
    extra=st.dictionaries(
        st.text(min_size=1, max_size=8).filter(
            lambda k: k not in ("success", "result")
        ),
        st.one_of(json_scalars, st.lists(json_scalars, max_size=3)),
        max_size=4,
    ),
    drop=st.sets(st.sampled_from(["success", "result"])),
)
def test_model_round_trip_property(
    vastai_api: ModuleType,
    success: Any,
    result: Any,
    extra: dict[str, Any],
    drop: set[str],
) -> None:
    data: dict[str, Any] = {"success": success, "result": result, **extra}
    for key in drop:
        del data[key]
    model = vastai_api.CreateEndpointResponse.from_dict(data)
    assert model.to_dict() == data
    assert vastai_api.CreateEndpointResponse.from_dict(model.to_dict()) == model
    assert json.loads(json.dumps(model.to_dict())) == data


@pytest.fixture(autouse=True)
def _no_stray_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests that do not set VAST_URL must not be steered by the caller's environment."""
    monkeypatch.delenv("VAST_URL", raising=False)
    yield


CLASHING = """
openapi: 3.1.0
info: {title: Clash, version: "1"}
servers: [{url: "https://api.example.test"}]
paths:
  /things/{self}:
    post:
      operationId: makeThing
      parameters:
        - {name: self, in: path, required: true, schema: {type: string}}
        - {name: timeout, in: query, schema: {type: integer}}
        - {name: extra_headers, in: header, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                max_retries: {type: integer}
                scope: {type: string}
      responses:
        "200": {description: ok}
"""


def test_parameters_named_like_the_call_options_reach_the_wire(tmp_path: Any) -> None:
    """Methods pass `locals()` to the runtime: spec names that clash with `self` or an option
    are renamed in Python and still sent under their own names; the options still apply.
    """
    from conftest import generate_package

    package, _ = generate_package(tmp_path, CLASHING)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    client = package.Client(
        api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    params = inspect.signature(client.make_thing).parameters
    renamed = {
        p
        for p in params
        if p not in {"extra_headers", "extra_query", "timeout", "max_retries"}
    }
    client.make_thing(
        **{
            name: (
                "s"
                if "self" in name
                else 7 if "timeout" in name or "retries" in name else "h"
            )
            for name in renamed
        },
        extra_headers={"X-Extra": "1"},
        extra_query={"q": "1"},
    )
    request = seen[0]
    assert request.url.path == "/things/s"
    assert request.url.params["timeout"] == "7" and request.url.params["q"] == "1"
    assert request.headers["extra_headers"] == "h" and request.headers["X-Extra"] == "1"
    assert json.loads(request.content) == {"max_retries": 7, "scope": "h"}
