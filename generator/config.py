"""Configuration: `[tool.oagen]` in pyproject.toml (or `oagen.toml`) in, a frozen `Config` out.

Command-line flags override file settings. Every problem is an error that names the key and
the file: an unknown key, a value of the wrong type (`docs = "yes"`), a package name that is not
an identifier, an environment variable name that is not one.

Keys (dashes and underscores are the same: `api-key-env` = `api_key_env`):

    spec            the OpenAPI document (default openapi.yaml)
    output          output folder (default generated)
    package         Python package name (default: from info.title)
    api_key_env     env var with the API key (default <PACKAGE>_API_KEY)
    base_url_env    env var with the base URL (default <PACKAGE>_BASE_URL)
    cli_name        the command name shown in help and docs (default python -m <package>)
    docs            write Markdown docs (default true)
    max_bytes       refuse larger specs (default 64 MiB)
    strict          warnings are errors (default false)
    include_tags    generate only operations with one of these tags (default: all)
    exclude_tags    leave out operations with one of these tags
    operations      generate only these operations: CLI words ("show instances"),
                    operationId, Python name, or "METHOD /path"
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomllib

from generator.diagnostics import Diagnostic, SpecError, error

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Config:
    spec: str = "openapi.yaml"
    output: str = "generated"
    package: str | None = None  # default: from info.title
    api_key_env: str | None = None  # default: <PACKAGE>_API_KEY
    base_url_env: str | None = None  # default: <PACKAGE>_BASE_URL
    cli_name: str | None = None  # shown in usage lines; default: python -m <package>
    docs: bool = True
    emit_pyproject: bool = False  # also write <output>/pyproject.toml (pip-installable folder)
    max_bytes: int = 64 * 1024 * 1024
    strict: bool = False
    include_tags: tuple[str, ...] = ()  # () = every tag
    exclude_tags: tuple[str, ...] = ()
    operations: tuple[str, ...] = ()  # () = every operation (within the tags)
    # defaults of the generated client (each still overridable per client and per call)
    timeout: float = 60.0  # read/write/pool timeout, seconds
    connect_timeout: float = 5.0
    max_retries: int = 2
    retry_after_cap: float = 60.0  # longest Retry-After honoured, seconds

    def fingerprint(self) -> str:
        """What affects the output (for caching and the provenance of generated files)."""
        fields = dataclasses.asdict(self)
        fields.pop("strict")
        fields.pop("output")
        return repr(sorted(fields.items()))


# key -> (expected kind, human description). Kinds: str, str?, bool, int, strs.
_KINDS: dict[str, tuple[str, str]] = {
    "spec": ("str", "a string (a file path)"),
    "output": ("str", "a string (a folder path)"),
    "package": ("str?", "a string (a Python identifier)"),
    "api_key_env": ("str?", "a string (an environment variable name)"),
    "base_url_env": ("str?", "a string (an environment variable name)"),
    "cli_name": ("str?", "a string"),
    "docs": ("bool", "true or false"),
    "emit_pyproject": ("bool", "true or false"),
    "max_bytes": ("int", "a positive integer (bytes)"),
    "strict": ("bool", "true or false"),
    "include_tags": ("strs", "a list of strings (tag names)"),
    "exclude_tags": ("strs", "a list of strings (tag names)"),
    "operations": ("strs", 'a list of strings ("show instances", an operationId or "GET /path")'),
    "timeout": ("seconds", "a positive number of seconds"),
    "connect_timeout": ("seconds", "a positive number of seconds"),
    "max_retries": ("count", "a whole number >= 0"),
    "retry_after_cap": ("seconds", "a positive number of seconds"),
}
_KEYS = {f.name for f in dataclasses.fields(Config)}
assert set(_KINDS) == _KEYS, "every Config field needs a kind"

KEYS_HELP = ", ".join(_KINDS)


def load_config(folder: Path) -> tuple[Config, str | None]:
    """Read `oagen.toml` or `[tool.oagen]` from pyproject.toml in `folder` (first found wins)."""
    for name in ("oagen.toml", "pyproject.toml"):
        path = folder / name
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
            raise SpecError([error(f"cannot read configuration: {exc}", file=str(path))]) from None
        if name == "oagen.toml":
            table: Any = data
        else:
            tool = data.get("tool", {})
            table = tool.get("oagen") if isinstance(tool, dict) else None
            if table is None:
                continue
        if not isinstance(table, dict):
            raise SpecError([error("[tool.oagen] must be a table", file=str(path))])
        return from_mapping(table, str(path)), str(path)
    return Config(), None


def _coerce(key: str, value: Any, source: str) -> tuple[Any, Diagnostic | None]:
    kind, wanted = _KINDS[key]
    ok: bool
    if kind == "str":
        ok = isinstance(value, str) and value != ""
    elif kind == "str?":
        ok = isinstance(value, str) and value != ""
    elif kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
    elif kind == "count":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    elif kind == "seconds":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 1e9
        value = float(value) if ok else value
    else:  # strs: a list of non-empty strings (one string alone is accepted as a list of one)
        if isinstance(value, str) and value:
            value = [value]
        ok = isinstance(value, list) and all(isinstance(v, str) and v for v in value)
        if ok:
            value = tuple(dict.fromkeys(value))
    if ok:
        return value, None
    shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    return None, error(f"configuration key {key!r} must be {wanted}, not {shown}", file=source)


def from_mapping(table: dict[str, Any], source: str) -> Config:
    problems = []
    values: dict[str, Any] = {}
    for key, value in table.items():
        attr = str(key).replace("-", "_")
        if attr not in _KEYS:
            problems.append(
                error(
                    f"unknown configuration key {key!r} (known: {', '.join(sorted(_KEYS))})",
                    file=source,
                )
            )
            continue
        coerced, problem = _coerce(attr, value, source)
        if problem is not None:
            problems.append(problem)
        else:
            values[attr] = coerced
    if problems:
        raise SpecError(problems)
    config = Config(**values)
    check(config, source)
    return config


def check(config: Config, source: str = "configuration") -> None:
    problems = []
    if config.package is not None and not _IDENT.match(config.package):
        problems.append(
            error(f"package {config.package!r} is not a Python identifier", file=source)
        )
    for key in ("api_key_env", "base_url_env"):
        value = getattr(config, key)
        if value is not None and not _ENV.match(value):
            problems.append(
                error(f"{key} {value!r} is not a valid environment variable name", file=source)
            )
    if problems:
        raise SpecError(problems)
