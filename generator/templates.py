"""Where the templates live.

`generator/templates` in an installed wheel, `../templates` in a source checkout.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def templates_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "runtime" / "_runtime.py").is_file():
            return candidate
    raise FileNotFoundError("oagen's templates folder is missing from this installation")
