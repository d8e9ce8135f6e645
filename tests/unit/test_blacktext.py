"""blacktext's ports of black's string rules: each gives black's own answer.

`blacktext` carries copies of `black.strings` (prefix and quote normalization, unicode escape
case, multi-row docstring indentation) so that proving a file never imports black; these tests
hold each copy to the original on hand-picked literals and on Hypothesis-made ones (quotes,
backslashes, escapes, prefixes, braces, tabs and blank rows).
"""

from __future__ import annotations

import io
import tokenize
import warnings

import black
import pytest
from black.strings import (
    fix_multiline_docstring,
    normalize_string_prefix,
    normalize_string_quotes,
    normalize_unicode_escape_sequences,
    str_width,
)
from blib2to3.pgen2 import token
from blib2to3.pytree import Leaf
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import blacktext

PREFIXES = ["", "r", "R", "b", "B", "u", "U", "f", "F", "rb", "Rb", "bR", "br", "fr", "Rf", "rF"]
QUOTES = ['"', "'", '"""', "'''"]
BODY = st.lists(
    st.sampled_from(list("ab \"'\\{}xuUN0123456789AbcDeF-\n") + ["\\x", "\\u", "\\N{"]),
    max_size=24,
).map("".join)


def _black_unicode(value: str) -> str:
    leaf = Leaf(token.STRING, value)
    normalize_unicode_escape_sequences(leaf)
    return str(leaf.value)


def _literal(prefix: str, quote: str, body: str) -> str | None:
    text = f"{prefix}{quote}{body}{quote}"
    try:
        with warnings.catch_warnings():  # invalid escapes (`\N`, `\q`) are only warned of
            warnings.simplefilter("ignore")
            compile(f"x = {text}\n", "<t>", "exec")
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (SyntaxError, ValueError, tokenize.TokenError):
        return None
    strings = [tok for tok in tokens if tok.type == tokenize.STRING]
    return text if len(strings) == 1 and strings[0].string == text else None  # one literal


@settings(max_examples=600)
@given(st.sampled_from(PREFIXES), st.sampled_from(QUOTES), BODY)
def test_string_rules_are_blacks(prefix: str, quote: str, body: str) -> None:
    value = _literal(prefix, quote, body)
    if value is None:
        return
    assert blacktext._unicode_escapes(value) == _black_unicode(value)
    assert blacktext._prefix(value) == normalize_string_prefix(value, black.Mode())
    assert blacktext._quotes(value) == normalize_string_quotes(value)
    if "\n" not in value and blacktext.string_ok(value):  # never claimed when black changes it
        assert black.format_str(f"x = {value}\n", mode=black.Mode()) == f"x = {value}\n"
    plain = "t" not in prefix.lower() and not ("f" in prefix.lower() and "\\" in value)
    if "\n" not in value and plain:
        normalized = normalize_string_prefix(_black_unicode(value), black.Mode())
        assert blacktext.string_ok(value) == (normalize_string_quotes(normalized) == value)


KNOWN = [
    "'a'",
    "'a\"b'",
    '"a\\"b"',
    "'\\''",
    "f'{x!r}'",
    "f'{\"a\"}'",
    "Rb'x'",
    "U'x'",
    "'\\xAB'",
    "'\\xab'",
    "'\\N{dash}'",
]


@pytest.mark.parametrize("value", KNOWN)
def test_string_ok_on_known_literals(value: str) -> None:
    expected = black.format_str(f"x = {value}\n", mode=black.Mode()) == f"x = {value}\n"
    assert blacktext.string_ok(value) == expected


@settings(max_examples=300)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("ab \t\"\\")), max_size=12), min_size=2, max_size=5
    ),
    st.sampled_from(["", "    ", "        "]),
)
def test_multiline_docstring_indentation_is_blacks(rows: list[str], indent: str) -> None:
    text = "\n".join(rows)
    if not text:
        return
    assert blacktext._fix_multiline_docstring(text, indent) == fix_multiline_docstring(
        text, indent
    )


@pytest.mark.parametrize(
    "row",
    ["x" * 88, "x" * 89, "é" * 88, "é" * 89, "漢" * 44, "漢" * 45, "a" * 80 + "漢" * 4,
     "a" * 80 + "漢" * 5, "a" * 40 + "漢" * 24, "\u1100" * 30 + "a" * 30],
)
def test_fits_counts_columns_as_black(row: str) -> None:
    assert blacktext.fits(row) == (str_width(row) <= blacktext.LINE)
