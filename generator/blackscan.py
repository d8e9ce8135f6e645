"""Blackscan: a statement's tokens as black sees them, for `blackshape` to lay out.

In: a statement's token strings and types. Out: `shape(...)`, a `Shape`: the space black puts
before each token (`black.nodes.whitespace` for the tokens modelled: names, literals, calls,
subscripts, displays, keyword arguments, defaults, unary and binary operators, `*args`, `->`,
decorators, relative imports), its brackets (their kind: call, def, tuple, sub, list, dict,
import; which hold a magic trailing comma; which parentheses black makes invisible) and its
role (statement, def, class, import, decorator); None when the statement uses anything not
modelled (slices, lambdas, powers, keywords other than a few, strings black would rewrite).
"""

from __future__ import annotations

import keyword
import re
import tokenize
from dataclasses import dataclass

from generator.blacktext import string_ok

KEYWORDS = frozenset(keyword.kwlist)
OPERANDS = frozenset({"True", "False", "None"})
_SOFT = frozenset({"match", "case", "type", "_"})
_ALLOWED = (
    frozenset("from import as def class return if elif else not and or in is pass raise".split())
    | OPERANDS
)
OPEN = {"(": ")", "[": "]", "{": "}"}
CLOSE = frozenset(")]}")
OPS = frozenset(
    "( ) [ ] { } , : . = -> @ ... + - * ** / // % | & ^ << >> < > <= >= == != ~ "
    "+= -= *= /= //= %= |= &= ^= <<= >>=".split()
)
_UNARY = frozenset("+ - ~".split())
_NUMBER = re.compile(r"[0-9][0-9_]*(\.[0-9][0-9_]*)?\Z")
_ROLES = {
    "def": "def",
    "class": "class",
    "from": "import",
    "import": "import",
    "@": "decorator",
}
_NAME, _OP, _STRING, _NUM = tokenize.NAME, tokenize.OP, tokenize.STRING, tokenize.NUMBER


# -- a statement's tokens --------------------------------------------------------------------


@dataclass
class Shape:
    """A statement's tokens, the space before each, and its brackets."""

    words: list[str]
    spaces: list[str]
    match: dict[int, int]  # opening index <-> closing index
    kinds: dict[int, str]  # opening index -> call, def, tuple, sub, list, dict, import
    level: list[int]  # brackets around each token (a bracket: the level it sits at)
    magic: set[int]  # opening brackets with a magic trailing comma
    role: str  # stmt, def, class, import, decorator
    types: list[int]
    redundant: set[int]  # parentheses black makes invisible (it may show them again)


def _trailer(word: str, kind: int) -> bool:
    """A bracket after this token is a call or a subscript, not a display."""
    return (kind == _NAME and word not in KEYWORDS) or word in (")", "]") or kind == _STRING


def _vocabulary(words: list[str], types: list[int]) -> bool:
    for word, kind in zip(words, types, strict=True):
        if kind == _NAME:
            if word in KEYWORDS and word not in _ALLOWED and word not in _SOFT:
                return False
        elif kind == _OP:
            if word not in OPS:
                return False
        elif kind == _STRING:
            if not string_ok(word):
                return False
        elif kind != _NUM or not _NUMBER.match(word):
            return False
    first, last = words[0], words[-1]
    if first in _SOFT and (len(words) < 2 or words[1] not in ("=", ":", ".", "(") or last == ":"):
        return False
    if first in ("def", "class", "if", "elif", "else") and last != ":":
        return False
    return not (first == "def" and (len(words) < 3 or words[2] != "("))


def shape(words: list[str], types: list[int], item: bool = False) -> Shape | None:
    """Spaces and brackets of a statement (`item`: an element of a bracket, with its
    trailing comma), as black sees them; None if not modelled."""
    if not words or not _vocabulary(words, types):
        return None
    n = len(words)
    found = Shape(words, [""] * n, {}, {}, [0] * n, set(), "stmt", types, set())
    found.role = _ROLES.get(words[0], "stmt")
    if _scan(found, types, item):
        return found
    return None


def _scan(s: Shape, types: list[int], item: bool) -> bool:  # noqa: C901 - one pass, one rule per token
    words = s.words
    stack: list[int] = []
    commas: dict[int, int] = {}
    annotated: dict[int, bool] = {}
    expect, unary, after_equal = True, False, " "
    for i, word in enumerate(words):
        frame = stack[-1] if stack else -1
        kind = s.kinds.get(frame)
        previous = words[i - 1] if i else ""
        s.level[i] = len(stack)
        if word == "@" and i:
            return False
        if i == 0 or word in CLOSE or word == "," or previous in OPEN or unary:
            space = ""
        elif word == ":":
            if kind not in (None, "dict", "def"):
                return False  # slices, lambdas
            space = ""
        elif word == ".":
            if types[i - 1] == _NUM:
                return False
            space = " " if previous in ("from", "import") else ""
        elif previous == ".":
            space = " " if word == "import" else ""
        elif word in ("(", "[") and _trailer(previous, types[i - 1]):
            space = ""
        elif previous == "=":
            space = after_equal
        elif previous == "@":
            space = ""
        else:
            space = " "
        if word == "=":
            if kind is None:
                after_equal = " "
            elif kind == "call":
                after_equal = ""
            elif kind == "def":
                after_equal = " " if annotated.get(frame) else ""
            else:
                return False
            space = after_equal
        s.spaces[i] = space
        unary = False
        if expect and word in _UNARY:
            unary = True
        elif word in ("*", "**"):
            allowed = ("call", "def") if word == "*" else ("call", "def", "dict")
            if not expect or kind not in allowed or previous not in ("(", ",", "{"):
                return False  # a power, a product at the start, an unpacking elsewhere
            unary = True
        if word in OPEN:
            if not _open(s, i, previous, types[i - 1] if i else _OP):
                return False
            stack.append(i)
            commas[i] = 0
        elif word in CLOSE:
            if not stack or OPEN[words[stack[-1]]] != word:
                return False
            opening = stack.pop()
            if not _close(s, opening, i, commas[opening]):
                return False
        elif word == ",":
            if frame < 0 and s.role != "import" and not (item and i == len(words) - 1):
                return False  # a bare tuple: black may add parentheses
            if frame >= 0:
                commas[frame] += 1
                annotated[frame] = False
        elif word == ":" and kind == "def":
            annotated[frame] = True
        expect = (types[i] == _OP and word not in CLOSE and word != "...") or (
            types[i] == _NAME and word in KEYWORDS and word not in OPERANDS and word not in _SOFT
        )
    return not stack


def _open(s: Shape, i: int, previous: str, previous_type: int) -> bool:
    word = s.words[i]
    if word == "(":
        if i and _trailer(previous, previous_type):
            s.kinds[i] = "def" if s.role == "def" and i == 2 else "call"
        else:
            s.kinds[i] = "import" if s.role == "import" and previous == "import" else "tuple"
    elif word == "[":
        s.kinds[i] = "sub" if i and _trailer(previous, previous_type) else "list"
    else:
        s.kinds[i] = "dict"
    return True


def _close(s: Shape, opening: int, closing: int, commas: int) -> bool:
    kind = s.kinds[opening]
    s.match[opening], s.match[closing] = closing, opening
    empty = closing == opening + 1
    if kind == "tuple" and not commas and not empty:
        s.redundant.add(opening)  # black makes them invisible: only `_union` may show them
    if kind == "call" and s.role == "class" and empty and opening == 2:
        return False  # `class A():`
    if s.words[closing - 1] == ",":
        if kind in ("dict", "list", "call", "def", "import") or commas >= 2:
            s.magic.add(opening)
    return True
