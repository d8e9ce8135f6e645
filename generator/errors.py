"""Which exception the generated client raises for an HTTP status (as `_runtime.error_class`).

The status -> class map is the runtime's own (`contract.STATUS_ERRORS`, read from `_errors.py`).
"""

from __future__ import annotations

from generator.contract import STATUS_ERRORS


def error_class_name(status: int) -> str:
    """The exception class for `status`: the 500 class for every 5xx, else the status's own
    class, else `ApiStatusError`."""
    if status >= 500:
        return STATUS_ERRORS[500]
    return STATUS_ERRORS.get(status, "ApiStatusError")
