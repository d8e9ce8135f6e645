"""The retry policy: which failures are retried, how long to wait, and the defaults.

Part of the runtime copied verbatim into each generated package (import it through
`_runtime`). A connection failure or a 408/429/502/503/504 is retried for every method; any
other 5xx, and a failure after the request may have reached the server, only for idempotent
methods, so a POST is never sent twice. Waits back off exponentially with jitter, and a
server's `Retry-After` (or `retry-after-ms`) is honoured up to a cap.
"""

from __future__ import annotations

import calendar
import email.utils
import math
import random
import time
from collections.abc import Mapping

import httpx

RETRY_STATUSES = frozenset({408, 429, 502, 503, 504})
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
INITIAL_BACKOFF = 0.5
MAX_BACKOFF = 8.0
# a client's defaults (a generated client may set its own from the generator's settings)
DEFAULT_MAX_RETRIES = 2
DEFAULT_RETRY_AFTER_CAP = 60.0


def parse_retry_after(
    headers: Mapping[str, str], now: float | None = None
) -> float | None:
    """Seconds to wait from `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date.

    Header names are matched case-insensitively, also in a plain dict. None: no usable value.
    """
    if not isinstance(headers, httpx.Headers):
        headers = {k.lower(): v for k, v in headers.items()}
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            ms = float(value)
            if math.isfinite(ms) and ms >= 0:
                return ms / 1000.0
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    # an HTTP date is UTC ("GMT"); a naive result means UTC too
    stamp = calendar.timegm(when.utctimetuple())
    current = time.time() if now is None else now
    return max(0.0, stamp - current)


def checked_retries(value: int) -> int:
    """`value` if it is a number of retries (an integer >= 0), else a ValueError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"max_retries must be an integer >= 0, got {value!r}")
    return value


def backoff(attempt: int) -> float:
    """Exponential backoff with jitter: attempt 0 -> 0.375..0.5 s, doubling, capped at 8 s."""
    delay = min(INITIAL_BACKOFF * (2.0**attempt), MAX_BACKOFF)
    return delay * (1 - 0.25 * random.random())


def idempotent(method: str) -> bool:
    """Does sending `method` twice do what sending it once does (RFC 9110 9.2.2)? Retries
    of other methods are limited, and their calls carry an idempotency key."""
    return method.upper() in IDEMPOTENT


def should_retry_status(method: str, status: int) -> bool:
    """Is an answer with `status` worth another try (ignoring how many were made)?"""
    if status in RETRY_STATUSES:
        return True
    return status >= 500 and idempotent(method)


def retry_delay(
    method: str,
    response: httpx.Response,
    attempt: int,
    retries: int,
    retry_after_cap: float,
) -> float | None:
    """Seconds to wait before retrying `response`, or None to give up.

    A `Retry-After` longer than `retry_after_cap` gives up rather than wait that long.
    """
    if attempt >= retries or not should_retry_status(method, response.status_code):
        return None
    wait = parse_retry_after(response.headers)
    if wait is None:
        return backoff(attempt)
    if wait > retry_after_cap:
        return None
    return wait


def transport_retry_delay(
    method: str, exc: httpx.TransportError, attempt: int, retries: int
) -> float | None:
    """Seconds to wait before retrying after `exc`, or None to give up.

    Failures before the request reached the server (refused, connect or pool timeout)
    are retried for every method; failures after it may have (read timeout, dropped
    connection) only for idempotent methods, so a POST is never sent twice.
    """
    if attempt >= retries or isinstance(exc, httpx.UnsupportedProtocol):
        return None
    unsent = isinstance(
        exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
    )
    if not unsent and not idempotent(method):
        return None
    return backoff(attempt)
