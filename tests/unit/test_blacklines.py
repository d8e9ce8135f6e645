"""blacklines: the fast reader gives exactly the lines `tokenize` gives, or defers to it.

The fast reader (one regular expression over the text) reads the tokens render emits; the
verifier's claims rest on its lines being `tokenize`'s. Held here on every Python file of the
committed package and the runtime modules, on snippets of what the fast reader must hand over
(tabs, backslashes, exponents, non-ASCII names, odd indentation) and on Hypothesis mutations
of real code (the same mutations test_blackproof.py holds to black).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from blackproof_checks import mutate
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import blacklines

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "generated").rglob("*.py")) + sorted(
    (ROOT / "templates" / "runtime").glob("*.py")
)
TEXTS = [path.read_text(encoding="utf-8") for path in FILES]


def _tokenized(text: str) -> list[blacklines.Line] | None:
    return blacklines._tokenized(text)


def _same(text: str) -> None:
    try:
        fast = blacklines._fast(text)
    except blacklines._Unsure:
        return  # the fast reader defers: lines_of then is tokenize's
    assert fast == _tokenized(text), text


def test_the_committed_files_are_read_fast_and_alike() -> None:
    fast = 0
    for text in TEXTS:
        _same(text)
        try:
            blacklines._fast(text)
            fast += 1
        except blacklines._Unsure:
            pass
    assert fast > 0.8 * len(TEXTS)  # the fast reader is the one that runs


SNIPPETS = [
    "x = 1\n",
    "x = 1",
    "x\t= 1\n",
    "x = 1 + \\\n    2\n",
    "x = 1e5\n",
    "x = 0xFF\n",
    "x = 1.\n",
    "x = .5\n",
    "x = 1j\n",
    "café = 1\n",
    'x = "café"\n',
    "x = (\n    1,\n  # c\n)\n",
    "if x:\n  y = 1\n",
    "if x:\n        y = 1\n",
    "if x:\n    y = 1\n  z = 2\n",
    "  # c\nx = 1\n",
    "x = (1\n",
    "x = 1)\n",
    'x = """a\n  b\n"""\n',
    "x = '''a\n'''\n",
    'x = "a\\\nb"\n',
    'x = rb"a" Rb"b" f"{x}" t"x" ub"x"\n',
    'x = "a\n',
    'x = """a\n',
    "x = a<>b != c ** 2 // 3 @ d -> e := f ... g\n",
    "x = a;  b = 2\n",
    "x = 1 # c\n# d\n",
    "def f():\n    pass\n\n\n# c\n",
    "x = $\n",
    "x = 1if y else 2\n",
    "x = 1_000.5_0\n",
    "x = a.b.c\n",
    "# c\n\"\"\"a.\" \"\"\n\nx = 1\n",
    "x = \"\" + \"\"\"\"\"\" + ''\n",
    "x = 01 + 1__0 + 1_ + 00.5 + ..5 + ...5\n",
    "x = 1.5e3 + 1.5j + 0o7 + 0b1\n",
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_snippets_are_read_as_tokenize_reads_them(text: str) -> None:
    _same(text)
    assert blacklines.lines_of(text) == _tokenized(text)


@settings(max_examples=500)
@given(
    seed=st.integers(min_value=0),
    start=st.integers(min_value=0),
    mutations=st.lists(
        st.tuples(st.integers(0, 17), st.integers(0, 10**6), st.integers(0, 100)),
        max_size=3,
    ),
)
def test_mutations_are_read_as_tokenize_reads_them(
    seed: int, start: int, mutations: list[tuple[int, int, int]]
) -> None:
    whole = TEXTS[seed % len(TEXTS)]
    rows = whole.split("\n")
    first = start % max(1, len(rows) - 40)
    text = "\n".join(rows[first : first + 40]) + "\n"
    for kind, where, pick in mutations:
        text = mutate(text, kind, where, pick)
    _same(text)
