"""The client's exceptions, and which one a non-2xx status raises.

Part of the runtime copied verbatim into each generated package (import it through
`_runtime`). Each `ApiStatusError` subclass names its status in `status`; that class attribute
is the status -> exception map (the generator reads it from this file for the docs), and the
class whose status is 500 stands for every 5xx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # only annotations: the errors module needs nothing at run time
    import httpx


class ApiError(Exception):
    """Base class of every error raised by the client."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RequestValidationError(ApiError, ValueError):
    """An argument does not match the schema; raised before anything is sent."""


class MissingCredentialsError(ApiError):
    """No longer raised: a client without credentials sends the request without them.

    A server that enforces its security answers 401 or 403; that error's message then says
    that no credentials were configured and how to give them. The class stays exported so
    that `except MissingCredentialsError` clauses written for older clients still work.
    """


class ApiConnectionError(ApiError):
    """The server could not be reached (refused, DNS, TLS, dropped connection)."""


class ApiTimeoutError(ApiConnectionError):
    """The request timed out (connect, read, write or pool)."""


class ApiStatusError(ApiError):
    """The server answered with a non-2xx status."""

    status: ClassVar[int | None] = None

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: Any,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = body
        self.request_id = response.headers.get("x-request-id") or response.headers.get(
            "request-id"
        )
        self.retry_after = retry_after


class BadRequestError(ApiStatusError):
    status = 400


class AuthenticationError(ApiStatusError):
    status = 401


class PermissionDeniedError(ApiStatusError):
    status = 403


class NotFoundError(ApiStatusError):
    status = 404


class ConflictError(ApiStatusError):
    status = 409


class UnprocessableEntityError(ApiStatusError):
    status = 422


class RateLimitError(ApiStatusError):
    status = 429


class InternalServerError(ApiStatusError):
    status = 500  # and every other 5xx


# every status subclass defined above but the 5xx one (computed once, at import)
_ERRORS: dict[int, type[ApiStatusError]] = {
    cls.status: cls
    for cls in ApiStatusError.__subclasses__()
    if cls.status is not None and cls.status < 500
}


def error_class(status: int) -> type[ApiStatusError]:
    """The exception class raised for an HTTP status."""
    if status >= 500:
        return InternalServerError
    return _ERRORS.get(status, ApiStatusError)
