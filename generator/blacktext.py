"""Blacktext: black 26's verdict on literals, row widths and docstrings, without a parse.

In: one string or number token, a row, a docstring token. Out: whether black leaves the
literal as it is (`string_ok`: prefix, quotes, escapes), whether a row fits black's 88 columns
(`fits`, with black's character widths for non-ASCII), and a docstring as black's
`visit_STRING` rewrites it. The string rules are ports of black 26.10.1's `black.strings`
(`normalize_string_prefix`, `normalize_string_quotes`, `normalize_unicode_escape_sequences`,
`fix_multiline_docstring`; tests/unit/test_blacktext.py holds each port to the original), so
that a file proven whole never imports black (its import alone is 10-20 MiB and 0.1-0.2 s).
black is imported only for the width of a row whose East Asian wide characters leave the
answer open.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache

LINE = 88
_PREFIX_CHARS = "fturbFTURB"
_PREFIX_RE = re.compile(r"^([" + _PREFIX_CHARS + r"]*)(.*)$", re.DOTALL)
_UNICODE_ESCAPE_RE = re.compile(
    r"(?P<backslashes>\\+)(?P<body>"
    r"(u(?P<u>[a-fA-F0-9]{4}))"
    r"|(U(?P<U>[a-fA-F0-9]{8}))"
    r"|(x(?P<x>[a-fA-F0-9]{2}))"
    r"|(N\{(?P<N>[a-zA-Z0-9 \-]{2,})\})"
    r")?",
    re.VERBOSE,
)
_LINE_BREAK_RE = re.compile(r"\r\n|[\r\n]")
_WIDE = 0x1100  # black's width table: every code point below is one column wide

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
    return _quotes(_prefix(_unicode_escapes(value))) == value


def unicode_ok(value: str) -> bool:
    """Black's escape normalization (`\\xAB` -> `\\xab`) leaves the literal as it is."""
    return _unicode_escapes(value) == value


def _unicode_escapes(value: str) -> str:
    """black.strings.normalize_unicode_escape_sequences, on a string token's text."""
    if "\\" not in value:
        return value
    prefix = value[: len(value) - len(value.lstrip(_PREFIX_CHARS))]
    if "r" in prefix.lower():
        return value

    def replace(m: re.Match[str]) -> str:
        groups = m.groupdict()
        back_slashes = groups["backslashes"]
        if groups["body"] is None or len(back_slashes) % 2 == 0:
            return m.group(0)
        if groups["u"]:
            return back_slashes + "u" + groups["u"].lower()
        if groups["U"]:
            return back_slashes + "U" + groups["U"].lower()
        if groups["x"]:
            return back_slashes + "x" + groups["x"].lower()
        return back_slashes + "N{" + groups["N"].upper() + "}"

    return _UNICODE_ESCAPE_RE.sub(replace, value)


def _prefix(s: str) -> str:
    """black.strings.normalize_string_prefix in black's default (stable) mode."""
    match = _PREFIX_RE.match(s)
    assert match is not None
    new_prefix = match.group(1).replace("F", "f").replace("B", "b").replace("U", "")
    new_prefix = new_prefix.replace("u", "")
    if len(new_prefix) == 2 and new_prefix[0].lower() != "r":
        new_prefix = new_prefix[::-1]
    return f"{new_prefix}{match.group(2)}"


def _sub_twice(regex: re.Pattern[str], replacement: str, original: str) -> str:
    return regex.sub(replacement, regex.sub(replacement, original))


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _quotes(s: str) -> str:  # noqa: C901 - a port kept line for line
    """black.strings.normalize_string_quotes: double quotes unless they need more escapes."""
    value = s.lstrip(_PREFIX_CHARS)
    if value[:3] == '"""':
        return s
    if value[:3] == "'''":
        orig_quote, new_quote = "'''", '"""'
    elif value[0] == '"':
        orig_quote, new_quote = '"', "'"
    else:
        orig_quote, new_quote = "'", '"'
    first_quote_pos = s.find(orig_quote)
    prefix = s[:first_quote_pos]
    unescaped_new_quote = _compiled(rf"(([^\\]|^)(\\\\)*){new_quote}")
    escaped_new_quote = _compiled(rf"([^\\]|^)\\((?:\\\\)*){new_quote}")
    escaped_orig_quote = _compiled(rf"([^\\]|^)\\((?:\\\\)*){orig_quote}")
    body = s[first_quote_pos + len(orig_quote) : -len(orig_quote)]
    if "r" in prefix.casefold():
        if unescaped_new_quote.search(body):
            return s
        new_body = body
    else:
        new_body = _sub_twice(escaped_new_quote, rf"\1\2{new_quote}", body)
        if body != new_body:
            body = new_body
            s = f"{prefix}{orig_quote}{body}{orig_quote}"
        new_body = _sub_twice(escaped_orig_quote, rf"\1\2{orig_quote}", new_body)
        new_body = _sub_twice(unescaped_new_quote, rf"\1\\{new_quote}", new_body)
    if "f" in prefix.casefold() or "t" in prefix.casefold():
        matches = re.findall(
            r"""
            (?:(?<!\{)|^)\{  # start of the string or a non-{ followed by a single {
                ([^{].*?)  # contents of the brackets except if begins with {{
            \}(?:(?!\})|$)  # A } followed by end of the string or a non-}
            """,
            new_body,
            re.VERBOSE,
        )
        for m in matches:
            if "\\" in str(m):
                return s
    if new_quote == '"""' and new_body[-1:] == '"':
        preceding = new_body[:-1]
        if (len(preceding) - len(preceding.rstrip("\\"))) % 2 == 0:
            new_body = new_body[:-1] + '\\"'
    orig_escape_count = body.count("\\")
    new_escape_count = new_body.count("\\")
    if new_escape_count > orig_escape_count:
        return s
    if new_escape_count == orig_escape_count and orig_quote == '"':
        return s
    return f"{prefix}{new_quote}{new_body}{new_quote}"


def fits(row: str) -> bool:
    """The row is at most 88 columns wide, as black counts them (East Asian wide: 2)."""
    if len(row) > LINE:  # every character is at least one column
        return False
    if row.isascii():
        return True
    wide = sum(ord(c) >= _WIDE for c in row)
    if len(row) + wide <= LINE:  # no character is wider than two columns
        return True
    from black.strings import str_width

    return bool(str_width(row) <= LINE)


def _fix_multiline_docstring(docstring: str, prefix: str) -> str:
    """black.strings.fix_multiline_docstring (with its leading-tab expansion)."""
    lines = []
    for line in _LINE_BREAK_RE.split(docstring):
        stripped_line = line.lstrip()
        if not stripped_line or stripped_line == line:
            lines.append(line)
        else:
            cut = len(line) - len(stripped_line)
            lines.append(line[:cut].expandtabs(4) + stripped_line)
    indent = sys.maxsize
    for line in lines[1:]:
        stripped = line.lstrip()
        if stripped:
            indent = min(indent, len(line) - len(stripped))
    trimmed = [lines[0].strip()]
    if indent < sys.maxsize:
        last_line_idx = len(lines) - 2
        for i, line in enumerate(lines[1:]):
            stripped_line = line[indent:].rstrip()
            if stripped_line or i == last_line_idx:
                trimmed.append(prefix + stripped_line)
            else:
                trimmed.append("")
    return "\n".join(trimmed)


def docstring(value: str, indent: str) -> str:
    """A docstring token as black's `visit_STRING` leaves it; "" for what is not modelled
    (a prefix, other quotes, a backslash before a newline)."""
    if not value.startswith('"""') or len(value) < 6 or re.search(r"\\\s*\n", value):
        return ""
    body = value[3:-3]
    if "\\" in value and not unicode_ok(value):
        return ""
    if "\n" in value:
        body = _fix_multiline_docstring(body, indent)
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
