"""Diagnostics: findings about the input, as data.

Every stage reports problems as `Diagnostic` values (severity, file, line, JSON pointer, message)
instead of printing or raising; the CLI prints them once, sorted, as
``file:line: #/json/pointer: message``. `SpecError` carries a list of them out of a stage that
cannot go on.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    message: str
    pointer: str = ""
    file: str = ""
    line: int | None = None
    column: int | None = None

    def format(self) -> str:
        where = self.file or "<spec>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        pointer = f" {self.pointer}:" if self.pointer else ""
        label = "" if self.severity is Severity.ERROR else " warning:"
        return f"{where}:{pointer}{label} {self.message}"


class SpecError(Exception):
    """A stage could not go on; `diagnostics` says why (at least one error)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


def error(message: str, pointer: str = "", file: str = "", line: int | None = None) -> Diagnostic:
    return Diagnostic(Severity.ERROR, message, pointer, file, line)


def warning(message: str, pointer: str = "", file: str = "", line: int | None = None) -> Diagnostic:
    return Diagnostic(Severity.WARNING, message, pointer, file, line)

