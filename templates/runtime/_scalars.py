"""Native scalar types: `date-time`, `date`, `time`, `uuid`, `byte` and `decimal` values.

Part of the runtime copied verbatim into each generated package (import it through
`_runtime`). Each scalar descriptor (`SCALARS`) pairs a Python type with its JSON form:
`parse` reads a JSON value (None when it does not parse: the caller keeps the raw value),
`to_json` writes a JSON-safe one, `accepts` says which Python values an argument of that type
takes: the native type, or (for compatibility) text in the right format.

Standard library only, Python 3.10+: `datetime.fromisoformat` in 3.10 reads neither a trailing
`Z` nor a fraction of other than 3 or 6 digits, so RFC 3339 text is normalised first.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import decimal
import re
import uuid
from typing import Any

# descriptor -> (what an argument of that type must be, for error messages)
SCALARS: dict[str, str] = {
    "datetime": "a datetime.datetime or ISO 8601 date-time text",
    "date": "a datetime.date or ISO 8601 date text",
    "time": "a datetime.time or ISO 8601 time text",
    "uuid": "a uuid.UUID or UUID text",
    "base64": "bytes or base64 text",
    "decimal": "a decimal.Decimal, a number or decimal text",
    "decimal_number": "a decimal.Decimal, a number or decimal text",
}
NATIVE_TYPES: dict[type[Any], str] = (
    {  # the descriptor an annotation of that type means
        datetime.datetime: "datetime",
        datetime.date: "date",
        datetime.time: "time",
        uuid.UUID: "uuid",
        decimal.Decimal: "decimal",
    }
)

_OFFSET = r"(?P<offset>[Zz]|[+-]\d{2}(?::?\d{2})?)?"
_TIME = r"(?P<time>\d{2}:\d{2}(?::\d{2})?)(?P<fraction>\.\d+)?" + _OFFSET
_DATETIME_RE = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2})[Tt ]" + _TIME)
_TIME_RE = re.compile(_TIME)
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BASE64_RE = re.compile(r"[A-Za-z0-9+/]*")


def _normalised(match: re.Match[str]) -> str:
    """`HH:MM:SS.ffffff+HH:MM` from the parts of an RFC 3339 time (as 3.10 reads it)."""
    text = match["time"]
    fraction = match["fraction"]
    if fraction:
        text += "." + fraction[1:7].ljust(6, "0")
    offset = match["offset"]
    if offset in ("Z", "z"):
        text += "+00:00"
    elif offset:
        digits = offset[1:].replace(":", "")
        text += offset[0] + digits[:2] + ":" + (digits[2:] or "00")
    return text


def parse_datetime(text: str) -> datetime.datetime | None:
    match = _DATETIME_RE.fullmatch(text)
    if match is None:
        return None
    try:
        return datetime.datetime.fromisoformat(match["date"] + "T" + _normalised(match))
    except ValueError:
        return None


def parse_date(text: str) -> datetime.date | None:
    if _DATE_RE.fullmatch(text) is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def parse_time(text: str) -> datetime.time | None:
    match = _TIME_RE.fullmatch(text)
    if match is None:
        return None
    try:
        return datetime.time.fromisoformat(_normalised(match))
    except ValueError:
        return None


def parse_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def parse_base64(text: str) -> bytes | None:
    """Standard or URL-safe base64, padded or not, line breaks allowed."""
    body = re.sub(r"\s", "", text).rstrip("=").replace("-", "+").replace("_", "/")
    if _BASE64_RE.fullmatch(body) is None or len(body) % 4 == 1:
        return None
    try:
        return base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def parse_decimal(value: Any) -> decimal.Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    try:
        return decimal.Decimal(value if isinstance(value, str) else repr(value))
    except (decimal.InvalidOperation, ValueError):
        return None


_PARSERS: dict[str, Any] = {
    "datetime": parse_datetime,
    "date": parse_date,
    "time": parse_time,
    "uuid": parse_uuid,
    "base64": parse_base64,
}


def parse(value: Any, descriptor: str) -> Any:
    """The native value of JSON `value`, or None when it does not parse."""
    if descriptor in ("decimal", "decimal_number"):
        return parse_decimal(value)
    if not isinstance(value, str):
        return None
    parsed: Any = _PARSERS[descriptor](value)
    return parsed


def is_native(value: Any, descriptor: str) -> bool:
    """Is `value` already of the Python type of `descriptor`?"""
    if descriptor == "datetime":
        return isinstance(value, datetime.datetime)
    if descriptor == "date":
        return isinstance(value, datetime.date) and not isinstance(
            value, datetime.datetime
        )
    if descriptor == "time":
        return isinstance(value, datetime.time)
    if descriptor == "uuid":
        return isinstance(value, uuid.UUID)
    if descriptor == "base64":
        return isinstance(value, (bytes, bytearray, memoryview))
    return isinstance(value, decimal.Decimal)


def accepts(value: Any, descriptor: str) -> bool:
    """May an argument of type `descriptor` be `value`? (its type, or text that parses)"""
    if is_native(value, descriptor):
        return True
    if descriptor in ("decimal", "decimal_number"):
        return isinstance(value, (int, float, str)) and parse_decimal(value) is not None
    return isinstance(value, str) and parse(value, descriptor) is not None


def to_json(value: Any, descriptor: str) -> Any:
    """A JSON-safe form of `value` (text given by the user is sent as it is)."""
    if descriptor == "decimal_number":
        number = value if isinstance(value, decimal.Decimal) else parse_decimal(value)
        if number is None or not number.is_finite():
            return value if number is None else str(number)
        if number == number.to_integral_value():
            return int(number)
        return float(number)
    if isinstance(value, str):
        return value
    if descriptor == "base64" and isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if descriptor == "decimal" and isinstance(value, (int, float, decimal.Decimal)):
        return str(value)
    return native_to_json(value)


def native_to_json(value: Any) -> Any:
    """Any native scalar as JSON text (ISO 8601, canonical UUID, decimal text); else itself."""
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    return value


def bytes_text(value: bytes | bytearray | memoryview) -> str:
    """Raw bytes (`format: binary`) inside JSON: UTF-8 text as pydantic sends them, else (not
    UTF-8) base64, the only other way JSON can carry them."""
    data = bytes(value)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return base64.b64encode(data).decode("ascii")
