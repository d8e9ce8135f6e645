"""Which exception the generated client raises for an HTTP status (as `_runtime.error_class`)."""

from __future__ import annotations

_BY_STATUS = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
}


def error_class_name(status: int) -> str:
    if status >= 500:
        return "InternalServerError"
    return _BY_STATUS.get(status, "ApiStatusError")
