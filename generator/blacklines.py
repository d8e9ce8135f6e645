"""Blacklines: a Python text's logical lines, the unit `blackproof` proves and `residual` moves.

In: a Python text. Out: `lines_of(text)`, its logical lines (`Line`: depth, first and last
row, the statement's token strings and types, or a standalone comment), or None when the text
has what the verifier does not model at this level (indentation that is not four spaces a
level, a comment off the four-column grid, an error token, a text that does not tokenize).

Two readers give the same lines: a fast one, one regular expression over the whole text for
the tokens render emits (ASCII names, decimal integers and plain decimals, string literals
with a valid prefix, operators, comments, spaces, newlines), which hands the text to the
second as soon as it meets anything else (a tab, a backslash outside a string, an exponent or
a hexadecimal number, a non-ASCII name, an unclosed bracket); and Python's `tokenize` (pure
Python in 3.11, about four times slower). tests/unit/test_blacklines.py holds the fast reader
to `tokenize` on real files and their mutations. Both accept some texts that do not parse
(neither checks the grammar): `blackproof.read` checks that separately.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

NAME, NUMBER, STRING, OP = tokenize.NAME, tokenize.NUMBER, tokenize.STRING, tokenize.OP


@dataclass
class Line:
    """One logical line: a statement (`words`) or a standalone comment (`comment`)."""

    depth: int
    first: int  # first row, 0-based
    last: int
    words: list[str] = field(default_factory=list)  # the statement's token strings
    types: list[int] = field(default_factory=list)  # and their `tokenize` types
    comment: str = ""
    inline_comment: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)  # rows of multi-row strings
    before: int = 0  # blank rows between the previous line and this one
    docstring: bool = False  # a lone string, first statement of its block or file
    proven: bool = False


_PREFIX = r"(?:[rR][bBfF]?|[bBfF][rR]?|[uU])?"
_TOKEN = re.compile(
    r"""
    (?P<space>[ ]+)
    |(?P<newline>\n)
    |(?P<string>"""
    + _PREFIX
    + r'''(?:"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    + r"""|"(?!"")(?:[^"\\\n]|\\.)*"|'(?!'')(?:[^'\\\n]|\\.)*'))
    |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<number>(?:[0-9](?:_?[0-9])*\.[0-9](?:_?[0-9])*|0(?:_?0)*|[1-9](?:_?[0-9])*)
        (?![A-Za-z0-9_.]))
    |(?P<op>\*\*=|//=|>>=|<<=|\.\.\.|->|:=|\*\*|//|<<|>>|<=|>=|==|!=|[-+*/%&|^@]=
        |\.(?![0-9])|[()\[\]{},:;@=+\-*/%&|^~<>])
    |(?P<comment>\#[^\n]*)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_SPACE, _NEWLINE, _STRING, _NAME, _NUMBER, _OP, _COMMENT, _OTHER = range(1, 9)
_TYPES = {_STRING: STRING, _NAME: NAME, _NUMBER: NUMBER, _OP: OP}
_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")


class _Unsure(Exception):
    """The fast reader met something it does not read: `tokenize` reads the text."""


def lines_of(text: str) -> list[Line] | None:
    """The logical lines of `text` (depth, rows, tokens), unmarked; None if not modelled."""
    try:
        return _fast(text)
    except _Unsure:
        return _tokenized(text)


def _fast(text: str) -> list[Line] | None:  # noqa: C901 - one pass, one branch per token kind
    lines: list[Line] = []
    words: list[str] = []
    types: list[int] = []
    spans: list[tuple[int, int]] = []
    indents = [0]
    row = start = first = brackets = 0
    inline = False
    for match in _TOKEN.finditer(text):
        kind = match.lastindex
        if kind == _SPACE:
            continue
        if kind == _NEWLINE:
            if words and not brackets:
                lines.append(Line(len(indents) - 1, first, row, words, types, "", inline, spans))
                words, types, spans, inline = [], [], [], False
            row += 1
            start = match.end()
            continue
        if kind == _COMMENT:
            if words:
                inline = True
                continue
            column = match.start() - start
            if column % 4:
                return None
            lines.append(Line(column // 4, row, row, comment=match.group()))
            continue
        if kind == _OTHER or kind is None:
            raise _Unsure
        if not words:  # the first token of a logical line: its indentation
            column = match.start() - start
            if column > indents[-1]:
                indents.append(column)
                if column != 4 * (len(indents) - 1):
                    return None
            elif column < indents[-1]:
                while column < indents[-1]:
                    indents.pop()
                if column != indents[-1]:
                    return None  # (tokenize: an IndentationError)
            first = row
        word = match.group()
        words.append(word)
        types.append(_TYPES[kind])
        if kind == _STRING:
            rows = word.count("\n")
            if rows:
                spans.append((row, row + rows))
                row += rows
                start = match.start() + word.rfind("\n") + 1
        elif kind == _OP:
            if word in _OPENING:
                brackets += 1
            elif word in _CLOSING:
                brackets -= 1
                if brackets < 0:
                    raise _Unsure
    if words or brackets:
        raise _Unsure  # (no newline at the end, or a bracket left open)
    return lines


def _tokenized(text: str) -> list[Line] | None:
    lines: list[Line] = []
    current: list[tokenize.TokenInfo] = []
    depth, inline = 0, False
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            kind = tok.type
            if kind == tokenize.NEWLINE:
                if not current:
                    return None
                lines.append(_line(depth, current, tok.start[0] - 1, inline))
                current, inline = [], False
            elif kind == tokenize.INDENT:
                depth += 1
                if tok.string != "    " * depth:
                    return None
            elif kind == tokenize.DEDENT:
                depth -= 1
            elif kind == tokenize.COMMENT:
                if current:
                    inline = True
                elif tok.start[1] % 4:
                    return None
                else:
                    row = tok.start[0] - 1
                    lines.append(Line(tok.start[1] // 4, row, row, comment=tok.string))
            elif kind == tokenize.ERRORTOKEN:
                return None
            elif kind not in (tokenize.NL, tokenize.ENDMARKER):
                current.append(tok)
    except (tokenize.TokenError, SyntaxError):
        return None
    return lines


def _line(depth: int, tokens: list[tokenize.TokenInfo], last: int, inline: bool) -> Line:
    spans = [(t.start[0] - 1, t.end[0] - 1) for t in tokens if t.start[0] != t.end[0]]
    words = [t.string for t in tokens]
    types = [t.type for t in tokens]
    return Line(depth, tokens[0].start[0] - 1, last, words, types, "", inline, spans)
