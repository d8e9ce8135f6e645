"""Holding blackproof's claims to black: shared by tests/unit/test_blackproof.py and
tests/e2e/test_blackproof_corpus.py (snippets, mutations, whole rendered files)."""

from __future__ import annotations

import re

import black

from generator import blackproof, residual
from generator.format import split_header

MODE = black.Mode()
FUTURE = "from __future__ import annotations\n\n"


def claim(text: str) -> str | None:
    lines = blackproof.read(text)
    if lines is None or not residual.blanks_ok(lines):
        return None
    if all(line.proven for line in lines):
        return text
    found = residual.plan(lines, text.split("\n"))
    if found is None:
        return None
    try:
        formatted = black.format_str(found.text, mode=MODE)
    except black.InvalidInput:
        return None
    return residual.splice(found, formatted)


def black_of(text: str) -> str | None:
    try:
        return black.format_str(text, mode=MODE)
    except (black.InvalidInput, ValueError, IndexError):
        return None


def assert_sound(text: str) -> str | None:
    claimed = claim(text)
    if claimed is not None:
        assert claimed == black_of(text), text
    return claimed


def assert_sound_both(text: str) -> None:
    """`assert_sound` on `text` and on black's output of it (nothing if black rejects `text`)."""
    formatted = black_of(text)
    if formatted is None:
        return
    assert_sound(text)
    assert_sound(formatted)


def chunks(files: dict[str, str], limit: int = 6000) -> list[str]:
    """Top-level statements of black-formatted files, each as a small text black leaves as it
    is, after the `__future__` import (so that the residual path runs)."""
    out: list[str] = []
    for _, text in sorted(files.items()):
        body = split_header(text)[1]
        for part in re.split(r"\n\n\n(?=\S)", body):
            part = part.strip("\n") + "\n"
            if part.startswith(("from __future__", '"""')) or len(part) > limit:
                continue
            formatted = black_of(FUTURE + part)
            if formatted is not None:
                out.append(formatted)
    return out


def mutate(text: str, kind: int, where: int, pick: int) -> str:
    spots = [m.start() for m in re.finditer(r"[ ,()\[\]{}\"'\n=:.0-9#]", text)]
    i = spots[where % len(spots)] if spots else 0
    c = text[i] if text else ""
    rows = text.split("\n")
    r = where % max(1, len(rows) - 1)
    edits = [
        lambda: text[:i] + " " + text[i:],  # a space more
        lambda: text[:i] + text[i + 1 :] if c == " " else text[:i] + "  " + text[i:],
        lambda: text.replace('"', "'", 2 + pick % 3),  # quotes
        lambda: re.sub(
            r'(?<![\w"])"', ["u", "U", "R", "B", "F", "b", "Rb"][pick % 7] + '"', text, count=1
        ),
        lambda: re.sub(r"\b(\d+)\.(\d+)\b", r"\1.\2E0" if pick % 2 else r"\1.", text, count=1),
        lambda: text[:i] + "," + text[i:] if c in ")]}" else text.replace(",\n", "\n", 1),
        lambda: "\n".join(rows[:r] + [""] * (1 + pick % 3) + rows[r:]),  # blank rows
        lambda: "\n".join(rows[:r] + rows[r + 1 :]) if not rows[r].strip() else text,
        lambda: text[:i] + "(" + text[i:].replace("\n", ")\n", 1),  # parentheses
        lambda: "\n".join(rows[:r] + [rows[r] + " " + rows[r + 1].strip()] + rows[r + 2 :]),
        lambda: text.replace('"""', '""" ', 1) if pick % 2 else text.replace('."""', '.  \n"""', 1),
        lambda: "\n".join(rows[:r] + ["#" + "x" * (pick % 5) + " c", *rows[r:]]),
        lambda: text[:i] + "\t" + text[i:],
        lambda: text[:i] + "\\\n" + text[i:],
        lambda: "\n".join(rows[:r] + ["  " + rows[r]] + rows[r + 1 :]),
        lambda: text.replace(" = ", "=", 1) if pick % 2 else text.replace("=", " = ", 1),
        lambda: text[:i] + "x" * (40 + pick % 60) + text[i:],  # long rows
        lambda: "\n".join(rows[:r] + [rows[r] + "  # n"] + rows[r + 1 :]),
    ]
    return edits[kind % len(edits)]()
