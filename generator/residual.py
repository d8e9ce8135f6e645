"""Residual: blank lines as black decides them, and the part of a file black still formats.

In: the logical lines `blackproof.read` marked (proven or not) and the text's rows. Out:
- `blanks_ok(lines)`: the text's blank rows are the ones black's `EmptyLineTracker` (black 26,
  `.py` mode, stable style; ported below) would emit, decided from each line's kind (decorator,
  def, class, import, comment, docstring, block opener), depth and the blank rows written;
- `plan(lines, rows)`: the residual, a smaller text black formats instead of the whole file:
  every unproven statement, with the block headers, decorators and `__future__` imports around
  it (a header whose body is all proven gets a `pass`), and the statement before a string
  statement (so that it is a docstring in the residual exactly when it is one in the file);
- `splice(plan, formatted)`: the whole file, each unproven statement as black formatted it in
  the residual; None when black's output does not line up (the caller then formats the whole
  file), or when black changed a statement the rules proved (a cross-check that costs nothing).

Why the residual formats each statement as the whole file would: black lays out a logical line
from its own syntax subtree, its depth and the target versions; blank lines are decided apart
(`blanks_ok`). The target versions are detected from the whole file, but a file with
`from __future__ import annotations` (kept in the residual) targets Python 3.7+ either way,
and within 3.7+ they only change `with` statements, `except` clauses and t-strings, which a
residual may not hold. Files without that import, or whose residual holds those, are formatted
whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.blacklines import STRING, Line, lines_of

_BARRED = frozenset({"with", "except", "async", "await"})


@dataclass
class _Block:
    line: Line
    before: int
    after: int = 0
    previous: _Block | None = None


@dataclass
class _Kind:
    comment: bool
    decorator: bool
    is_def: bool
    is_class: bool
    is_import: bool
    docstring: bool
    opens_block: bool
    stub_def: bool
    depth: int
    head: str


def _kind(line: Line) -> _Kind:
    words = line.words
    is_def = bool(words) and (words[0] == "def" or words[:2] == ["async", "def"])
    return _Kind(
        comment=not words,
        decorator=bool(words) and words[0] == "@",
        is_def=is_def,
        is_class=bool(words) and words[0] == "class",
        is_import=bool(words) and words[0] in ("import", "from"),
        docstring=line.docstring,
        opens_block=bool(words) and words[-1] == ":",
        stub_def=is_def and words[-2:] == [":", "..."],
        depth=line.depth,
        head=words[0] if words else "",
    )


@dataclass
class _Tracker:
    """black.lines.EmptyLineTracker for `.py` files in the stable style."""

    previous: _Kind | None = None
    previous_block: _Block | None = None
    previous_defs: list[_Kind] = field(default_factory=list)
    leading_comment: _Block | None = None

    def block(self, line: Line) -> _Block:
        kind = _kind(line)
        before, after = self._empty_lines(kind, line.before)
        previous_after = self.previous_block.after if self.previous_block else 0
        before = max(0, before - previous_after)
        if self._after_module_docstring(kind):
            before = 1
        block = _Block(line, before, after, self.previous_block)
        if kind.comment:
            if self.previous is None or (
                not self.previous.decorator
                and (not self.previous.comment or before)
                and (self.leading_comment is None or before)
            ):
                self.leading_comment = block
        elif not kind.decorator or before:
            self.leading_comment = None
        self.previous, self.previous_block = kind, block
        return block

    def _after_module_docstring(self, kind: _Kind) -> bool:
        block = self.previous_block
        if block is None:
            return False
        first = block.line
        if not first.docstring or first.depth or kind.is_class or kind.is_def:
            return False
        if len(block.line.words) != 1:
            return False
        while block := block.previous:
            if block.line.words:
                return False
        return True

    def _empty_lines(self, kind: _Kind, written: int) -> tuple[int, int]:
        before = min(written, 2 if kind.depth == 0 else 1)
        user_had_newline = bool(before)
        previous_def = None
        while self.previous_defs and self.previous_defs[-1].depth >= kind.depth:
            previous_def = self.previous_defs.pop()
        if kind.is_def or kind.is_class:
            self.previous_defs.append(kind)
        previous = self.previous
        if previous is None:
            return 0, 0
        if kind.docstring:
            if previous.is_class:
                return 0, 1
            if previous.opens_block and previous.is_def:
                return 0, 0
        if previous_def is not None:
            if kind.depth:
                before = 1
            elif (
                previous_def.depth
                and kind.opens_block
                and kind.head not in ("with", "try", "for", "while", "if", "match")
            ):
                before = 1
            else:
                before = 2
        if kind.decorator or kind.is_def or kind.is_class:
            return self._class_or_def(kind, before, user_had_newline)
        if previous.is_import and not kind.is_import:
            if previous.depth == 0 and kind.depth == 0:
                return 1, 0
            if kind.depth == previous.depth:
                return before or 1, 0
        return before, 0

    def _class_or_def(self, kind: _Kind, before: int, user_had_newline: bool) -> tuple[int, int]:
        previous = self.previous
        assert previous is not None
        if previous.decorator:
            return 0, 0
        if previous.depth < kind.depth and (previous.is_class or previous.is_def):
            return (1 if user_had_newline else 0), 0
        comment_to_add_newlines = None
        if previous.comment and previous.depth == kind.depth and before == 0:
            slc = self.leading_comment
            if (
                slc is not None
                and slc.previous is not None
                and not _kind(slc.previous.line).is_class
                and not _kind(slc.previous.line).opens_block
                and slc.before <= 1
            ):
                comment_to_add_newlines = slc
            else:
                return 0, 0
        newlines = 1 if kind.depth else 2
        if previous.stub_def and not user_had_newline:
            newlines = 0
        if comment_to_add_newlines is not None:
            earlier = comment_to_add_newlines.previous
            if earlier is not None:
                comment_to_add_newlines.before = (
                    max(comment_to_add_newlines.before, newlines) - earlier.after
                )
                newlines = 0
        return newlines, 0


def blanks_ok(lines: list[Line]) -> bool:
    """The blank rows before every line are the ones black would emit."""
    tracker = _Tracker()
    blocks = [tracker.block(line) for line in lines]
    if blocks:
        blocks[-1].after = 0
    after = 0
    for block in blocks:
        if block.line.before != after + block.before:
            return False
        after = block.after
    return True


# -- the residual ----------------------------------------------------------------------------


@dataclass
class Plan:
    """A file's lines (as spans of its rows), and the residual black formats in its place."""

    spans: list[tuple[int, int, int, bool]]  # first row, last row, blank rows before, proven
    rows: list[str]
    text: str  # the residual
    origin: list[int | None]  # for each statement of the residual: its line (None: a stand-in)


def _future_annotations(lines: list[Line]) -> bool:
    code = [line for line in lines if line.words]
    if code and code[0].docstring:
        code = code[1:]
    names: set[str] = set()
    for line in code:
        words = line.words
        if words[:3] != ["from", "__future__", "import"]:
            break
        names.update(words[3:])
    return "annotations" in names


def _kept(lines: list[Line]) -> list[str | None]:
    """What the residual holds for each line: None (nothing), "" (the line itself) or a
    stand-in statement (a proven `def`/`class` header as `def _():`/`class _:`, a proven
    statement before a string statement as `pass`): black formats a statement from its own
    tokens, whatever the header of its block says and whatever statement precedes it."""
    keep: list[str | None] = [None] * len(lines)
    future = True
    for i, line in enumerate(lines):
        if not line.words:
            continue
        words = line.words
        is_future = future and words[:2] == ["from", "__future__"]
        future = future and (is_future or line.docstring)
        if not line.proven or is_future:
            keep[i] = ""
        elif words[-1] == ":":
            stand_in = {"def": "def _():", "class": "class _:"}.get(words[0], "")
            keep[i] = "    " * line.depth + stand_in if stand_in else ""
    for i, line in enumerate(lines):
        if keep[i] == "" and line.types[0] == STRING:
            for j in range(i - 1, -1, -1):
                if lines[j].words and lines[j].depth <= line.depth:
                    if lines[j].depth == line.depth and keep[j] is None:
                        keep[j] = "    " * line.depth + "pass"
                    break
    return keep


def plan(lines: list[Line], rows: list[str]) -> Plan | None:
    """The residual of a file that is not all proven; None if it must be formatted whole."""
    if not _future_annotations(lines):
        return None
    keep = _kept(lines)
    out: list[str] = []
    origin: list[int | None] = []
    for i, line in enumerate(lines):
        if keep[i] is None:
            continue
        if keep[i]:
            out.append(keep[i] or "")
            origin.append(None)
        else:
            for word, kind in zip(line.words, line.types, strict=True):
                if word in _BARRED or (
                    kind == STRING and "t" in word[:2].lower() and word[0] not in "\"'"
                ):
                    return None
            out.extend(rows[line.first : line.last + 1])
            origin.append(i)
        if line.words[-1] == ":":
            following = next(
                (lines[j] for j in range(i + 1, len(lines)) if keep[j] is not None),
                None,
            )
            if following is None or following.depth <= line.depth:
                out.append("    " * (line.depth + 1) + "pass")
                origin.append(None)
    spans = [(line.first, line.last, line.before, line.proven) for line in lines]
    return Plan(spans, rows, "\n".join(out) + "\n", origin)


def splice(found: Plan, formatted: str) -> str | None:
    """The whole file from black's residual; None when the two do not line up."""
    statements = lines_of(formatted)
    if statements is None or any(not line.words for line in statements):
        return None
    if len(statements) != len(found.origin):
        return None
    rows = formatted.split("\n")
    texts: dict[int, str] = {}
    for index, line in zip(found.origin, statements, strict=True):
        if index is None:
            continue
        text = "\n".join(rows[line.first : line.last + 1])
        first, last, _, proven = found.spans[index]
        if proven and text != "\n".join(found.rows[first : last + 1]):
            return None  # black disagrees with a proof: format the whole file instead
        texts[index] = text
    out: list[str] = []
    for i, (first, last, before, _) in enumerate(found.spans):
        out.extend([""] * before)
        out.append(texts.get(i) or "\n".join(found.rows[first : last + 1]))
    return "\n".join(out) + "\n"
