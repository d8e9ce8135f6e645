"""Render settings and the Jinja environment shared by every renderer.

`Settings` holds what the IR deliberately does not: the package name, environment variable
names, the spec's name and hash, and the generated client's defaults. `template(name)` is a
strict Jinja template (`StrictUndefined`); each renderer gives it one frozen context object,
`c`, whose fields are strings and lists computed in Python.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import jinja2

from generator.cache import cache_dir
from generator.render.text import docstring, md, pyrepr
from generator.templates import templates_dir


@dataclass(frozen=True)
class Settings:
    """Output settings: what the IR deliberately does not hold."""

    package: str
    api_key_env: str
    base_url_env: str
    cli_name: str
    spec_name: str
    spec_sha256: str
    docs: bool = True
    emit_pyproject: bool = False
    timeout: float = 60.0
    connect_timeout: float = 5.0
    max_retries: int = 2
    retry_after_cap: float = 60.0


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
