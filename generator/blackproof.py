"""Blackproof: which logical lines of a Python text black 26 (stable style) leaves unchanged.

In: Python source (a file's body, as `format` gives it to black). Out: `read(text)`, the file's
logical lines (statements and standalone comments, with their depth, rows and the blank rows
before them), each marked `proven` when a conservative rule set shows that black would emit it
exactly as written; None when the text has anything the rules do not model at file level
(tabs outside strings, carriage returns, form feeds, a comment black would move, rows with
trailing spaces outside strings, fmt directives).

The lines come from `blacklines.lines_of` (a fast reader, `tokenize` where it is unsure);
`symtable.symtable` then checks that the text parses (black names the file of a text that does
not): the same parser as `ast.parse`, without building the tree's Python objects
(a 350k-character module: a third of the time, two thirds of the memory).
A line is proven by building black's output for its token stream and comparing it with the
text, so anything the rules do not produce (a backslash continuation, a stray space, a comment
inside brackets) fails the comparison. The rules model, for the tokens oagen's templates emit:
- a statement on one row that fits in 88 columns and holds no magic trailing comma: the tokens
  joined with black's whitespace (`black.nodes.whitespace` for names, literals, calls,
  subscripts, displays, keyword arguments, annotated and plain defaults, unary and binary
  operators, `*args`, `->`, decorators, relative imports); strings and numbers already in
  black's form (ports of black's normalizers decide); no parentheses black would remove;
- a lone string statement: a docstring as black's docstring rules leave it (indentation,
  trailing spaces, quote padding, closing quotes), any other string as it is;
- a statement exploded at a bracket with a magic trailing comma, one element per row, where
  black's right-hand split (left-hand for a `def`) picks that bracket: an assignment, a
  `return`, a call statement, a `class` or `def` header or a `from` import whose last (a def's
  first) bracket is the exploded one, each element again a proven line one level deeper
  (a call statement's head may hold brackets; a call of one argument that explodes is split
  at both brackets);
- a statement too long for its row, split the way `blackshape` models: a call at its last
  bracket, a one-element tuple at its parentheses, `name = (value)` when black's second
  opinion shows the value's parentheses, an annotation in the parentheses black adds.
Everything else (lambdas, slices, `**` powers, `with`, `for`, comprehensions, comments inside
statements, most other splits without a magic trailing comma) is left unproven, for black.
`residual.py` decides blank lines and what black still formats.
"""

from __future__ import annotations

import re
import symtable

from generator import proofcache
from generator.blacklines import STRING, Line, lines_of
from generator.blackshape import layout, shape
from generator.blacktext import docstring, string_ok, unicode_ok

_COMMENT = re.compile(r"#( [^\n]*\S)?\Z")


def read(text: str, kept: dict[str, bool] | None = None) -> list[Line] | None:
    """The logical lines of `text`, each marked proven or not; None if not modelled.
    `kept`: verdicts on multi-row statements by `proofcache.key`, read and filled."""
    if not text.endswith("\n") or text.endswith("\n\n") or re.search(r"[\r\f\v\x00]", text):
        return None
    if text[0] in " \n#":  # black strips leading space; comments first: keep it simple
        return None
    lines = lines_of(text)
    if lines is None or not _place(lines, text) or not _tabs_in_strings_only(text, lines):
        return None
    try:  # what does not parse goes to black, which names the file in its error
        symtable.symtable(text, "<oagen>", "exec")
    except SyntaxError:
        return None
    rows = text.split("\n")
    for line in lines:
        if line.words == ["..."]:
            return None  # a `...` body: black may join it to its header (`class A: ...`)
        line.proven = _proven_comment(line) if not line.words else _proven(line, rows, kept)
        if not line.words and not line.proven:
            return None  # black would rewrite the comment: not worth a residual
    return lines


def _place(lines: list[Line], text: str) -> bool:
    """Blank rows before each line (which must be empty), comment depths, docstrings."""
    rows = text.split("\n")
    previous_last = -1
    for line in lines:
        if any(rows[r] for r in range(previous_last + 1, line.first)):
            return False
        line.before = line.first - previous_last - 1
        previous_last = line.last
    if previous_last != len(rows) - 2:
        return False
    for i, line in enumerate(lines):
        if line.words:
            continue
        # black puts a standalone comment at the depth of the statement after it
        following = next((n for n in lines[i + 1 :] if n.words), None)
        if line.depth != (following.depth if following else 0):
            return False
        if re.search(r"fmt|yapf|type:|coding", line.comment):
            return False
    _mark_docstrings(lines)
    return _trailing_space_in_strings_only(text, lines)


def _tabs_in_strings_only(text: str, lines: list[Line]) -> bool:
    """Tabs only inside string literals (a docstring may hold one): black leaves those."""
    tabs = text.count("\t")
    if not tabs:
        return True
    inside = sum(
        word.count("\t")
        for line in lines
        for word, kind in zip(line.words, line.types, strict=True)
        if kind == STRING
    )
    return inside == tabs


def _mark_docstrings(lines: list[Line]) -> None:
    previous: Line | None = None
    for line in lines:
        if not line.words:
            continue
        first_in_block = previous is None or previous.depth < line.depth
        if first_in_block and len(line.words) == 1 and line.types[0] == STRING:
            line.docstring = not set(_prefix(line.words[0])) & set("bBfFtT")
        previous = line


def _trailing_space_in_strings_only(text: str, lines: list[Line]) -> bool:
    inside: set[int] = set()
    spans = None
    for match in re.finditer(r"[ \t]\n", text):
        row = text.count("\n", 0, match.start())
        if spans is None:
            spans = [span for line in lines for span in line.spans]
            inside = {r for start, end in spans for r in range(start, end)}
        if row not in inside:
            return False
    return True


def _prefix(value: str) -> str:
    return value[: len(value) - len(value.lstrip("rRbBuUfFtT"))]


def _proven_comment(line: Line) -> bool:
    return bool(_COMMENT.match(line.comment)) and "\\" not in line.comment


_SEEN: dict[tuple[str, int, bool], bool] = {}  # a line's verdict by its text, in this process


def _proven(line: Line, rows: list[str], kept: dict[str, bool] | None) -> bool:
    """The verdict on one statement: a function of its rows (its tokens are theirs), its
    depth and whether it is a docstring, so it is remembered (generated files repeat lines):
    one-row lines in this process, others in `kept` (between runs) when given."""
    if line.inline_comment:
        return False
    if line.first != line.last:
        text = "\n".join(rows[line.first : line.last + 1])
        if kept is None:
            return _prove(line, text)
        name = proofcache.key(text, line.depth, line.docstring)
        verdict = kept.get(name)
        if verdict is None:
            verdict = kept[name] = _prove(line, text)
        return verdict
    key = (rows[line.first], line.depth, line.docstring)
    known = _SEEN.get(key)
    if known is None:
        if len(_SEEN) > 100_000:
            _SEEN.clear()
        known = _SEEN[key] = _prove(line, rows[line.first])
    return known


def _prove(line: Line, text: str) -> bool:
    indent = "    " * line.depth
    if len(line.words) == 1 and line.types[0] == STRING:
        value = line.words[0]
        if line.docstring:
            expected = docstring(value, indent)
        elif "\n" in value:  # black leaves other multi-row strings (`"""`) alone
            ok = value.startswith('"""') and ("\\" not in value or unicode_ok(value))
            expected = value if ok else ""
        else:
            expected = value if string_ok(value) else ""
        return bool(expected) and indent + expected == text
    found = shape(line.words, line.types)
    if found is None:
        return False
    rows_expected = layout(found, line.depth)
    return rows_expected is not None and "\n".join(rows_expected) == text
