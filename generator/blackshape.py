"""Blackshape: black's layout of one statement's tokens, for the shapes `blackproof` proves.

In: a statement's `Shape` (`blackscan.shape`: its tokens, the space black puts before each, its
brackets). Out: `layout(shape, depth)`, the rows black emits for it, or None when black's choice
is not modelled. The choices modelled are black 26's `transform_line` for these shapes:
joined when the line fits and holds no magic trailing comma; `right_hand_split` at the last
bracket (`left_hand_split` at a def's parameters) when it holds one, each element then a line
of its own (`delimiter_split` at commas); a call statement's head may hold brackets
(`super().__init__(`); an element calling one argument whose own magic comma explodes it is
split at both brackets (`_wraps`); a long call split at its last bracket with its arguments on
one row; a long one-element tuple split at its parentheses (`_one_tuple`); `name = (value)`
from black's second opinion (`_second_opinion`); `name: T[...] = f(...)` whose head is too
long, the value kept in parentheses or the annotation split first (`_long_target`); an element
black cannot split kept whole; a `|` union annotation split in the parentheses black adds, its
pieces (`Literal[...]`) split at their subscripts (`_union`, `_piece`).
"""

from __future__ import annotations

import tokenize

from generator.blackscan import CLOSE as _CLOSE
from generator.blackscan import KEYWORDS as _KEYWORDS
from generator.blackscan import OPERANDS as _OPERANDS
from generator.blackscan import OPS as _OPS
from generator.blackscan import Shape, shape
from generator.blacktext import LINE, fits

__all__ = ["Shape", "layout", "shape"]


# -- rows ----------------------------------------------------------------------------------


def _join(s: Shape, lo: int, hi: int) -> str:
    return s.words[lo] + "".join(s.spaces[i] + s.words[i] for i in range(lo + 1, hi))


def layout(s: Shape, depth: int) -> list[str] | None:
    """The rows black emits for the statement; None where its choice is not modelled."""
    return _rows(s, 0, len(s.words), depth, s.role, "")


def _rows(s: Shape, lo: int, hi: int, depth: int, role: str, enclosing: str) -> list[str] | None:
    indent = "    " * depth
    if s.redundant and any(o in s.redundant and s.level[o] == s.level[lo] for o in range(lo, hi)):
        return _unwrapped(s, lo, hi, depth, role, enclosing)
    if not s.magic or not any(o in s.magic for o in range(lo, hi)):
        if role == "import" and "import" in s.kinds.values():
            return None  # black drops the parentheses of a short import
        row = indent + _join(s, lo, hi)
        if fits(row):
            return [row]
        return _long(s, lo, hi, depth, role, enclosing)
    opening = _split_at(s, lo, hi, role, enclosing)
    if opening is None:
        return None
    closing = s.match[opening]
    head = indent + _join(s, lo, opening + 1)
    tail = indent + _join(s, closing, hi)
    inside = range(lo, opening)
    if any(o in s.magic for o in inside) or any(o in s.magic for o in range(closing, hi)):
        return None
    if role == "stmt" and not fits(head) and fits(tail):
        return _long_target(s, lo, hi, depth, opening)
    if not fits(tail) or not (fits(head) or (role == "item" and _open_only(s, lo, opening))):
        return None  # (an element's head with no closing bracket cannot be split further)
    elements = _elements(s, opening, depth + 1)
    return None if elements is None else [head, *elements, tail]


def _elements(s: Shape, opening: int, depth: int) -> list[str] | None:
    """The rows of the elements of an exploded bracket (`delimiter_split` at its commas)."""
    rows: list[str] = []
    closing = s.match[opening]
    start = opening + 1
    inner = s.level[opening] + 1
    for i in range(opening + 1, closing):
        if s.words[i] == "," and s.level[i] == inner:
            item = _rows(s, start, i + 1, depth, "item", s.kinds[opening])
            if item is None:
                return None
            rows += item
            start = i + 1
    if start < closing:  # one element, no comma: its own magic comma splits it further
        item = _rows(s, start, closing, depth, "item", s.kinds[opening])
        if item is None:
            return None
        rows += item
    return rows


def _long_target(s: Shape, lo: int, hi: int, depth: int, opening: int) -> list[str] | None:
    """`name: T[...] = f(...)` exploding at a magic comma, `name: T[...] = f(` too long for
    its row: black keeps the optional parentheses around the value when `name: T[...] = `
    fits in 87 columns (`_prefer_split_rhs_oop_over_rhs`), the value then exploding inside
    them; else it splits the annotation at its subscript, then the value's bracket."""
    words, indent = s.words, "    " * depth
    if words[lo + 1] != ":" or not _dotted(words[lo : lo + 1]) or s.match[opening] != hi - 1:
        return None
    equal = next(i for i in range(lo, opening) if words[i] == "=" and s.level[i] == s.level[lo])
    left = indent + _join(s, lo, equal + 1) + " "  # black measures it with the space
    if len(left) <= LINE - 2:
        value = _rows(s, equal + 1, hi, depth + 1, "item", "")
        if value is None or not fits(left + "("):
            return None
        return [left + "(", *value, indent + ")"]
    if len(left) <= LINE or words[equal - 1] != "]":  # (87 or 88 columns: not modelled)
        return None
    bracket = s.match[equal - 1]
    if s.kinds[bracket] != "sub" or s.level[bracket] != s.level[lo]:
        return None
    level = s.level[bracket] + 1
    if not _dotted(words[lo + 2 : bracket]) or any(
        words[i] == "," and s.level[i] == level for i in range(bracket, equal)
    ):
        return None
    first = indent + _join(s, lo, bracket + 1)
    middle = indent + _join(s, equal - 1, opening + 1)  # `] = f(`
    annotation = _union_rows(s, bracket + 1, equal - 1, depth + 1)
    elements = _elements(s, opening, depth + 1)
    if annotation is None or elements is None or not (fits(first) and fits(middle)):
        return None
    return [first, *annotation, middle, *elements, indent + ")"]


def _wraps(s: Shape, opening: int) -> bool:
    """A call of one argument with a magic trailing comma inside it (`f(g(a, b,))` as an
    element): black splits at the call's own bracket first (`generate_trailers_to_omit`
    stops at the inner magic comma, so the split is at the last bracket), then the argument
    (no delimiter of its own) at its magic comma."""
    closing = s.match[opening]
    inner = s.level[opening] + 1
    if s.kinds[opening] != "call" or closing == opening + 1:
        return False
    if any(s.words[i] == "," and s.level[i] == inner for i in range(opening + 1, closing)):
        return False
    return any(o in s.magic for o in range(opening + 1, closing))


def _split_at(s: Shape, lo: int, hi: int, role: str, enclosing: str) -> int | None:
    """The bracket black splits a line with a magic trailing comma at (its right-hand split,
    a def's left-hand split) when the line has one of the modelled shapes."""
    words = s.words
    if role == "def":
        opening = lo + 2
    else:
        closing = hi - 1
        if role == "class" or (role == "item" and words[closing] == ","):
            closing -= 1
        if words[closing] not in _CLOSE or (role == "class" and words[hi - 1] != ":"):
            return None
        opening = s.match[closing]
    if s.level[opening] != s.level[lo]:
        return None
    if words[s.match[opening] - 1] != "," and not (role in ("item", "stmt") and _wraps(s, opening)):
        return None  # (the line's magic comma is then inside: black splits here)
    head = words[lo:opening]
    if role == "def":
        return opening if s.kinds[opening] == "def" else None
    if role == "class":
        return opening if len(head) == 2 else None
    if role == "import":
        ok = len(head) >= 3 and head[0] == "from" and head[-1] == "import"
        return opening if ok and s.kinds[opening] == "import" else None
    if role == "item":
        key = {"dict": ":", "call": "="}.get(enclosing)
        if len(head) >= 2 and head[1] == key:
            head = head[2:]
        return opening if _dotted(head) else None
    if role == "stmt":
        return opening if _statement_head(s, lo, opening) else None
    return None


def _dotted(words: list[str]) -> bool:
    """Empty, or `name(.name)*`: a head with no delimiter black could split at."""
    if not words:
        return True
    names, dots = words[0::2], words[1::2]
    return (
        all(n.isidentifier() and n not in _KEYWORDS for n in names)
        and all(d == "." for d in dots)
        and len(words) % 2 == 1
    )


def _statement_head(s: Shape, lo: int, opening: int) -> bool:
    words = s.words[lo:opening]
    equals = [i for i, w in enumerate(words) if w == "=" and s.level[lo + i] == s.level[lo]]
    if len(equals) > 1:
        return False
    if equals:
        target = words[: equals[0]]
        if not target or not target[0].isidentifier() or target[0] in _KEYWORDS:
            return False
        if len(target) > 1 and target[1] != ":":
            return False
        return _dotted(words[equals[0] + 1 :])
    if words and words[0] == "return":
        return _dotted(words[1:])
    return _trailed(s, lo, opening)


def _trailed(s: Shape, lo: int, opening: int) -> bool:
    """The head of a call statement: a name, then attributes and bracketed trailers
    (`super().__init__`). black splits a statement (not inside brackets: no
    `delimiter_split`, and a bare call gets no invisible parentheses) at its last bracket."""
    words, i = s.words, lo
    if not (words[i].isidentifier() and words[i] not in _KEYWORDS):
        return False
    i += 1
    while i < opening:
        if words[i] == "." and i + 1 < opening:
            name = words[i + 1]
            if not name.isidentifier() or name in _KEYWORDS:
                return False
            i += 2
        elif words[i] in ("(", "[") and s.kinds[i] in ("call", "sub"):
            i = s.match[i] + 1
        else:
            return False
    return i == opening


# -- lines too long, with no magic trailing comma --------------------------------------------


def _long(s: Shape, lo: int, hi: int, depth: int, role: str, enclosing: str) -> list[str] | None:
    """Black's rows for a line too long for one row that holds no magic trailing comma: an
    element black cannot split (kept whole), a call or class header split at its last bracket
    with its arguments on one row, or an annotation with a `|` union in black's parentheses.
    """
    words = s.words
    end = hi - 1 if role == "item" and words[hi - 1] == "," else hi
    if role == "item" and _unsplittable(s, lo, end, enclosing):
        return ["    " * depth + _join(s, lo, hi)]
    union = _union(s, lo, end, depth, role, enclosing, hi)
    if union is not None:
        return union
    closing = end - 1 - (role == "class")
    if words[closing] != ")" or (role == "class" and words[end - 1] != ":"):
        return None
    opening = s.match[closing]
    one_tuple = _one_tuple(s, opening, closing) and role == "stmt"
    if (s.kinds[opening] != "call" and not one_tuple) or s.level[opening] != s.level[lo]:
        return None
    head = words[lo:opening]
    if role == "class":
        ok = len(head) == 2
    elif role == "item":
        key = {"dict": ":", "call": "="}.get(enclosing)
        ok = _dotted(head[2:] if len(head) >= 2 and head[1] == key else head)
    else:
        ok = role == "stmt" and bool(head) and _statement_head(s, lo, opening)
    if not ok or closing == opening + 1:
        return None
    indent = "    " * depth
    first, last = indent + _join(s, lo, opening + 1), indent + _join(s, closing, hi)
    body = _rows(s, opening + 1, closing, depth + 1, "item", s.kinds[opening])
    inner = s.level[opening] + 1
    if (
        body is None
        or len(body) > 1
        and not one_tuple
        and any(s.words[i] == "," and s.level[i] == inner for i in range(opening + 1, closing))
    ):
        return None  # several arguments that do not fit: black would add a comma
    # a class header black cannot split further stays long (its bases go on their own row)
    long_ok = role == "class" and _open_only(s, lo, opening)
    if fits(first) or long_ok:
        return [first, *body, last] if fits(last) else None
    return _second_opinion(s, lo, hi, depth, role, [first, *body, last])


def _second_opinion(
    s: Shape, lo: int, hi: int, depth: int, role: str, first_rows: list[str]
) -> list[str] | None:
    """`name = f(...)` whose first row is too long: black tries again with the invisible
    parentheses around the value shown (`run_transformer`'s second opinion, the value then
    laid out inside them) and keeps that when every row fits, else its first answer."""
    words = s.words
    if role != "stmt" or words[lo + 1] != "=" or not _dotted(words[lo : lo + 1]):
        return None
    value = _rows(s, lo + 2, hi, depth + 1, "item", "")
    if value is None:
        return None
    indent = "    " * depth
    second = [indent + words[lo] + " = (", *value, indent + ")"]
    if all(fits(row) for row in second):
        return second
    return first_rows if fits(first_rows[-1]) else None


def _one_tuple(s: Shape, opening: int, closing: int) -> bool:
    """`(element,)`: black keeps its parentheses (they are not optional) and its comma is
    not magic, so a statement too long for one row splits there, the element on its row."""
    if s.kinds[opening] != "tuple" or s.words[closing - 1] != ",":
        return False
    inner = s.level[opening] + 1
    commas = [i for i in range(opening + 1, closing) if s.words[i] == "," and s.level[i] == inner]
    return commas == [closing - 1] and closing - 1 > opening + 1


def _open_only(s: Shape, lo: int, opening: int) -> bool:
    return not any(w in _CLOSE for w in s.words[lo:opening])


def _unsplittable(s: Shape, lo: int, hi: int, enclosing: str) -> bool:
    """An element with no bracket and no delimiter (operators, keywords, strings side by
    side): black leaves it whole, however long."""
    words = s.words
    key = {"dict": ":", "call": "="}.get(enclosing)
    if hi - lo >= 2 and words[lo + 1] == key:
        lo += 2
    for i in range(lo, hi):
        word = words[i]
        if word in _KEYWORDS or (word in _OPS and word != "."):
            return False
        if i > lo and s.types[i] == tokenize.STRING and s.types[i - 1] == tokenize.STRING:
            return False
    return True


def _union(
    s: Shape, lo: int, end: int, depth: int, role: str, enclosing: str, hi: int
) -> list[str] | None:
    """`name: A | B [= default]` (a statement, or a parameter of a def) too long for one row:
    black splits in the parentheses it adds around the annotation, or around the default
    when the row up to `= (` fits; `name: T[A | B] [= default]` (a statement) likewise, at
    the subscript's bracket instead of added parentheses."""
    words = s.words
    if role not in ("stmt", "item") or (role == "item" and enclosing != "def"):
        return None
    if end - lo < 3 or words[lo + 1] != ":" or not words[lo].isidentifier():
        return None
    equals = [i for i in range(lo, end) if words[i] == "=" and s.level[i] == s.level[lo]]
    stop = equals[0] if equals else end
    if len(equals) > 1 or (equals and stop != end - 2):
        return None  # a default of one token only
    if any(w in _KEYWORDS - _OPERANDS for w in words[lo + 2 : stop]):
        return None
    opening, start, close = lo + 1, lo + 2, ")"  # black's parentheses: after the colon
    bars = [i for i in range(start, stop) if words[i] == "|" and s.level[i] == s.level[lo]]
    if not bars and _dotted(words[start:stop]):
        if not fits("    " * (depth + 1) + _join(s, start, stop)):
            return None  # black keeps the whole line then
    elif not bars:
        opening = s.match.get(stop - 1, -1)
        if role != "stmt" or words[stop - 1] != "]" or s.kinds.get(opening) != "sub":
            return None
        if not _dotted(words[lo + 2 : opening]):
            return None
        inner_level = s.level[opening] + 1
        start, close = opening + 1, "]"
        bars = [i for i in range(start, stop - 1) if words[i] == "|" and s.level[i] == inner_level]
        if any(w == "," and s.level[i] == inner_level for i, w in enumerate(words) if start <= i):
            return None  # several subscript elements: black would explode them
        stop -= 1
    elif len(bars) == 1 and words[stop - 1] in (")", "}"):
        return None  # black may then drop its parentheses
    # a magic comma inside the annotation (`Literal[...,]`): black splits it in parentheses
    magic = any(o in s.magic for o in range(lo, end))
    if magic and (not bars or close != ")" or any(o in s.magic for o in range(stop, end))):
        return None
    indent, inner = "    " * depth, "    " * (depth + 1)
    comma = "," if hi > end else ""
    if equals and not magic:
        head = indent + _join(s, lo, equals[0] + 1) + " ("
        if fits(head):
            return [head, inner + words[equals[0] + 1], indent + ")" + comma]
    found: list[str] | None = [inner + _join(s, start, stop)]
    if close == ")" and bars:
        found = _union_rows(s, start, stop, depth + 1)
    elif found and not fits(found[0]) and not (close == "]" and _dotted(words[start:stop])):
        if not bars:
            return None
        starts, ends = [start] + bars, bars + [stop]
        for a, b in zip(starts, ends, strict=True):
            # a piece too long is left as it is when black cannot split it: a (dotted) name
            if not fits(inner + _join(s, a, b)) and not _dotted(words[a + (a > start) : b]):
                return None
        found = [inner + _join(s, a, b) for a, b in zip(starts, ends, strict=True)]
    if found is None:
        return None
    body = found
    default = " = " + words[equals[0] + 1] if equals else ""
    head = indent + (words[lo] + ": (" if close == ")" else _join(s, lo, opening + 1))
    tail = indent + close + default + comma
    return [head, *body, tail] if fits(head) and fits(tail) else None


def _union_rows(s: Shape, start: int, stop: int, depth: int) -> list[str] | None:
    """A `|` union inside brackets: one row when it fits and holds no magic comma, else
    black's `delimiter_split` at each `|`, each piece then laid out on its own (`_piece`)."""
    row = "    " * depth + _join(s, start, stop)
    if fits(row) and not any(o in s.magic for o in range(start, stop)):
        return [row]
    level = s.level[start]
    bars = [i for i in range(start, stop) if s.words[i] == "|" and s.level[i] == level]
    if not bars:
        return _piece(s, start, stop, depth)
    rows: list[str] = []
    for a, b in zip([start, *bars], [*bars, stop], strict=True):
        piece = _piece(s, a, b, depth)
        if piece is None:
            return None
        rows += piece
    return rows


def _piece(s: Shape, a: int, b: int, depth: int) -> list[str] | None:
    """One piece of a split union (`| Literal[...]`, `list[...]`, a name): whole when it
    fits and holds no magic comma or is a name black cannot split; else split at its
    subscript (black's right-hand split): one element per row at a magic comma, the element
    (again a union) laid out one level deeper, or several elements on one row that fits."""
    indent, words = "    " * depth, s.words
    row = indent + _join(s, a, b)
    magic = any(o in s.magic for o in range(a, b))
    name = a + (words[a] == "|")
    if not magic and (fits(row) or _dotted(words[name:b])):
        return [row]
    opening = s.match.get(b - 1, -1)
    if words[b - 1] != "]" or s.kinds.get(opening) != "sub" or s.level[opening] != s.level[a]:
        return None
    head, tail = indent + _join(s, a, opening + 1), indent + "]"
    if not _dotted(words[name:opening]) or not fits(head):
        return None
    level = s.level[opening] + 1
    commas = [i for i in range(opening + 1, b - 1) if words[i] == "," and s.level[i] == level]
    if opening in s.magic:
        rows, start = [head], opening + 1
        for comma in commas:
            item = _rows(s, start, comma + 1, depth + 1, "item", "sub")
            if item is None:
                return None
            rows, start = rows + item, comma + 1
        return [*rows, tail]
    if commas:  # several elements, no magic comma: on one row if it fits (else black adds one)
        body = indent + "    " + _join(s, opening + 1, b - 1)
        return [head, body, tail] if fits(body) and not magic else None
    inside = _union_rows(s, opening + 1, b - 1, depth + 1)
    return None if inside is None else [head, *inside, tail]


def _unwrapped(
    s: Shape, lo: int, hi: int, depth: int, role: str, enclosing: str
) -> list[str] | None:
    """A line holding parentheses black makes invisible: black's rows for the line without
    them, which show them again only where a `|` union annotation or its default is split,
    or around an assigned value (`_second_opinion`, `_long_target`).
    """
    drop = {o for o in range(lo, hi) if o in s.redundant and s.level[o] == s.level[lo]}
    drop |= {s.match[o] for o in drop}
    keep = [i for i in range(lo, hi) if i not in drop]
    inner = shape([s.words[i] for i in keep], [s.types[i] for i in keep], role == "item")
    if inner is None or inner.redundant:
        return None
    if not inner.magic and fits("    " * depth + _join(inner, 0, len(keep))):
        return None
    end = len(keep) - 1 if role == "item" and inner.words[-1] == "," else len(keep)
    union = _union(inner, 0, end, depth, role, enclosing, len(keep))
    if union is not None or role != "stmt" or len(drop) != 2 or max(drop) != hi - 1:
        return union
    if s.words[min(drop) - 1] != "=":
        return None
    # the parentheses around an assigned value: black's rows for the value without them
    return _rows(inner, 0, len(keep), depth, role, enclosing)
