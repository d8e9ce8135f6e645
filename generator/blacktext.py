"""Blacktext: black 26's verdict on literals, row widths and docstrings, without a parse.

In: one string or number token, a row, a docstring token. Out: whether black leaves the
literal as it is (`string_ok`: prefix, quotes, escapes, decided by black's own normalizers
when a fast check cannot decide), whether a row fits black's 88 columns (`fits`, with black's
character widths for non-ASCII), and a docstring as black's `visit_STRING` rewrites it.
black is imported only when a fast check cannot decide.
"""

from __future__ import annotations

import re
from functools import lru_cache

LINE = 88

# -- literals and widths ---------------------------------------------------------------------


@lru_cache(maxsize=65536)
def string_ok(value: str) -> bool:
    """Black leaves this one-row string literal as it is (prefix, quotes, escapes)."""
    if "\n" in value:
        return False
    if value[0] == '"' and "\\" not in value and "'" not in value:
        return True
    prefix = value[: len(value) - len(value.lstrip("rRbBuUfFtT"))].lower()
    if "t" in prefix or ("f" in prefix and "\\" in value):
        return False
    from black.mode import Mode
    from black.strings import normalize_string_prefix, normalize_string_quotes

    escaped = _unicode_escapes(value)
    return bool(normalize_string_quotes(normalize_string_prefix(escaped, Mode())) == value)


def unicode_ok(value: str) -> bool:
    """Black's escape normalization (`\\xAB` -> `\\xab`) leaves the literal as it is."""
    return _unicode_escapes(value) == value


def _unicode_escapes(value: str) -> str:
    from black.strings import normalize_unicode_escape_sequences
    from blib2to3.pgen2 import token  # type: ignore[import-untyped]
    from blib2to3.pytree import Leaf  # type: ignore[import-untyped]

    leaf = Leaf(token.STRING, value)
    normalize_unicode_escape_sequences(leaf)
    return str(leaf.value)


def fits(row: str) -> bool:
    if row.isascii():
        return len(row) <= LINE
    from black.strings import str_width

    return bool(str_width(row) <= LINE)


def docstring(value: str, indent: str) -> str:
    """A docstring token as black's `visit_STRING` leaves it; "" for what is not modelled
    (a prefix, other quotes, a backslash before a newline)."""
    if not value.startswith('"""') or len(value) < 6 or re.search(r"\\\s*\n", value):
        return ""
    body = value[3:-3]
    if "\\" in value and not unicode_ok(value):
        return ""
    if "\n" in value:
        from black.strings import fix_multiline_docstring

        body = fix_multiline_docstring(body, indent)
    else:
        body = body.strip()
    backslash = False
    if body:
        if body[0] == '"':
            body = " " + body
        if body[-1] == '"':
            body += " "
        if body[-1] == "\\" and (len(body) - len(body.rstrip("\\"))) % 2:
            body += " "
            backslash = True
    elif value[3:-3]:
        body = " "
    lines = body.splitlines()
    last = len(lines[-1]) if body and not body.endswith("\n") else 0
    if len(lines) > 1 and last + 3 > LINE and len(indent) + 3 <= LINE and not backslash:
        if value[-4] == "\n":
            return '"""' + body + '"""'
        return '"""' + body + "\n" + indent + '"""'
    return '"""' + body + '"""'
