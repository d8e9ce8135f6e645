"""The Jinja environment shared by every renderer (and `Settings`, re-exported).

`template(name)` is a strict Jinja template (`StrictUndefined`); each renderer gives it one
frozen context object, `c`, whose fields are strings and lists computed in Python.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2

from generator.cache import Memo, cache_dir, key_of
from generator.render.settings import Settings
from generator.render.text import docstring, md, pyrepr
from generator.render.types import Imports
from generator.templates import templates_dir

__all__ = ["Keys", "Settings", "environment", "memo_code", "memo_file", "template"]


@dataclass
class Keys:
    """Memo keys made once per run (pickling is most of a memo's cost): each operation view's,
    by the view's `id` (the views live through the whole render; with `blind`, recalled by it
    and the operation's name and texts, not pickled again), and the model modules'
    (`models.render` adds them; together they cover every model and enum). `blind`, when the
    caller has one: a key that stands for the whole API but its operations' `summary` and
    `description` (and for the render settings), for files that show neither (`memo_file`)."""

    views: dict[int, str]
    models: list[str] = field(default_factory=list)
    blind: str | None = None

    def view(self, view: Any) -> str:
        """The key of `view` (made now if it is not one of the run's views)."""
        known = self.views.get(id(view))
        return known if known is not None else key_of(view)


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment: templates compiled once, cached on disk when a cache exists."""
    folder = cache_dir()
    bytecode = None
    if folder is not None:  # compiled templates, checked against each template's source
        try:
            (folder / "jinja").mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(folder / "jinja"))
        except OSError:
            bytecode = None
    env = jinja2.Environment(
        bytecode_cache=bytecode,
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["pyrepr"] = pyrepr
    env.filters["docstring"] = docstring
    env.filters["md"] = md
    env.filters["json"] = lambda v: json.dumps(v, ensure_ascii=False)
    return env


def template(name: str) -> jinja2.Template:
    """The template at `templates/<name>`."""
    return environment().get_template(name)


def memo_file(memo: Memo | None, key: str | None, make: Callable[[], str]) -> str:
    """`make()`, from `memo` under `key` (a key of everything `make` reads) when an earlier run
    stored it. The memo entries `make` used are kept beside the text and asked for again with
    it, so that they are still there for the run whose `key` has changed."""
    if memo is None or key is None:
        return make()
    stored = memo.get(key)
    if stored is not None:
        text, used = json.loads(stored)
        for inner in used:
            memo.get(inner)
        return str(text)
    before = set(memo.used)
    text = make()
    memo.put(key, json.dumps([text, [k for k in memo.used if k not in before]]))
    return text


def memo_code(memo: Memo | None, key: str, imports: Imports, make: Callable[[Imports], str]) -> str:
    """`make(imports)` (code that records the imports it uses), from `memo` under `key` (a key
    of everything `make` reads) when an earlier run stored it: the code and its imports."""
    if memo is None:
        return make(imports)
    stored = memo.get(key)
    if stored is not None:
        code, pairs = json.loads(stored)
        imports.update([Imports.of((str(m), str(n)) for m, n in pairs)])
        return str(code)
    own = Imports()
    code = make(own)
    imports.update([own])
    memo.put(key, json.dumps([code, own.__getstate__()]))
    return code
