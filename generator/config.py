"""Configuration: `[tool.oagen]` in pyproject.toml (or `oagen.toml`) in, a frozen `Config` out.

Every setting is declared once, as a field of `Config` made by `setting()`: its name, type and
default (the field's), and its kind, help text, command-line flags, whether it is part of the
configuration fingerprint and whether it is a render option (the field's metadata). `SETTINGS`
lists them in order; everything else is derived from it: the checks of `from_mapping`, the
flags and the key list of `oagen generate --help` (`cli`), `Config.fingerprint()`, the render
`Settings` (`pipeline.settings_for`) and the table in docs/workflow.md (`docs_block()`; a test
keeps it current: `python -m generator.config docs/workflow.md` rewrites it).

Command-line flags override file settings. Every problem is an error that names the key and
the file: an unknown key, a value of the wrong type (`docs = "yes"`), a package name that is not
an identifier, an environment variable name that is not one. Dashes and underscores in keys are
the same: `api-key-env` = `api_key_env`.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import tomllib

from generator.diagnostics import Diagnostic, SpecError, error

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HEADER = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]*$")  # RFC 9110 token, or empty
_T = TypeVar("_T")

# kind -> what a value must be, as error messages say it (`what` adds a parenthesis)
KINDS = {
    "str": "a string",
    "str?": "a string",  # default None: derived (see `Setting.derived`)
    "bool": "true or false",
    "int": "a positive integer",
    "count": "a whole number >= 0",
    "seconds": "a positive number of seconds",
    "strs": "a list of strings",
    "header": 'an HTTP header name, or "" for none',
    "choice": "one of",  # `Setting.choices` follow
}


@dataclass(frozen=True)
class Setting:
    """One configuration key: everything oagen knows about it, in one place."""

    kind: str  # a key of KINDS
    help: str  # what it does, one line
    what: str = ""  # the kind of string or list ("a file path"), for error messages
    flags: tuple[str, ...] = ()  # `oagen generate` flags; a name without dashes is positional
    metavar: str | None = None
    fingerprint: bool = True  # a change changes the output (`--check` reports it stale)
    # left out of the fingerprint at its default: adding the setting keeps the manifests
    # written before it current (their output is what the default gives)
    quiet_default: bool = False
    render: bool = False  # passed on to `render.Settings`
    example: Any = None  # shown in help and docs when the default says little
    derived: str = ""  # the default when the value is None: text, or a template of {package}
    choices: tuple[str, ...] = ()  # kind "choice": the values allowed
    name: str = ""  # filled in from the Config field
    default: Any = None  # filled in from the Config field
    type: str = ""  # the field's annotation, filled in

    @property
    def wanted(self) -> str:
        if self.kind == "choice":
            return "one of " + ", ".join(json.dumps(c) for c in self.choices)
        return KINDS[self.kind] + (f" ({self.what})" if self.what else "")

    @property
    def default_text(self) -> str:
        """The default as help and docs show it."""
        if self.default is None:
            return self.derived.replace("{PACKAGE}", "<PACKAGE>").replace("{package}", "<package>")
        if self.kind == "strs" and not self.default:
            return "all" if self.name != "exclude_tags" else "none"
        return toml_value(self.default)

    @property
    def shown(self) -> Any:
        """The value help and docs show as an example."""
        return self.example if self.example is not None else self.default


def setting(default: _T, kind: str, help: str, **more: Any) -> _T:
    """A `Config` field declared with its setting (see `Setting` for `more`)."""
    meta = {"setting": Setting(kind, help, **more)}
    return dataclasses.field(default=default, metadata=meta)


_SELECTED = "repeatable; replaces"  # (flag help of list settings, see `flag_help`)


@dataclass(frozen=True)
class Config:
    """The settings of one run. This class body is the table of settings: add one here."""

    spec: str = setting(
        "openapi.yaml", "str", "the OpenAPI document", what="a file path", flags=("spec",)
    )
    output: str = setting(
        "generated",
        "str",
        "output folder",
        what="a folder path",
        flags=("-o", "--output"),
        fingerprint=False,
    )
    package: str | None = setting(
        None,
        "str?",
        "Python package name",
        what="a Python identifier",
        flags=("--package",),
        render=True,
        example="my_api",
        derived="from info.title",
    )
    api_key_env: str | None = setting(
        None,
        "str?",
        "env var with the API key",
        what="an environment variable name",
        render=True,
        example="MY_API_KEY",
        derived="{PACKAGE}_API_KEY",
    )
    base_url_env: str | None = setting(
        None,
        "str?",
        "env var with the base URL",
        what="an environment variable name",
        render=True,
        example="MY_API_URL",
        derived="{PACKAGE}_BASE_URL",
    )
    cli_name: str | None = setting(
        None,
        "str?",
        "command name shown in the CLI's usage lines and the docs",
        render=True,
        example="myapi",
        derived="python -m {package}",
    )
    docs: bool = setting(
        True, "bool", "write Markdown docs (docs/index.md, one page per operation)", render=True
    )
    emit_pyproject: bool = setting(
        False,
        "bool",
        "also write <output>/pyproject.toml, so that the folder can be "
        "pip-installed (the CLI becomes a console script)",
        flags=("--emit-pyproject",),
        render=True,
    )
    # not an output setting, but part of the fingerprint since the first manifests recorded it
    max_bytes: int = setting(64 * 1024 * 1024, "int", "refuse larger specs", what="bytes")
    strict: bool = setting(
        False, "bool", "treat warnings as errors", flags=("--strict",), fingerprint=False
    )
    include_tags: tuple[str, ...] = setting(
        (),
        "strs",
        "generate only operations with one of these tags",
        what="tag names",
        flags=("--include-tag",),
        metavar="TAG",
        example=("Serverless",),
    )
    exclude_tags: tuple[str, ...] = setting(
        (),
        "strs",
        "leave out operations with one of these tags",
        what="tag names",
        flags=("--exclude-tag",),
        metavar="TAG",
        example=("Billing",),
    )
    operations: tuple[str, ...] = setting(
        (),
        "strs",
        'generate only these operations: CLI words ("show instances"), '
        'operationId, method name or "METHOD /path"; with include_tags, either one selects',
        what='"show instances", an operationId or "GET /path"',
        flags=("--operation",),
        metavar="OP",
        example=("show instances", "GET /api/v0/users/current/"),
    )
    timeout: float = setting(
        60.0, "seconds", "the generated client's default read timeout, seconds", render=True
    )
    connect_timeout: float = setting(
        5.0, "seconds", "the generated client's default connect timeout, seconds", render=True
    )
    max_retries: int = setting(
        2, "count", "the generated client's default number of retries", render=True
    )
    retry_after_cap: float = setting(
        60.0,
        "seconds",
        "the longest Retry-After the generated client waits, seconds",
        render=True,
    )
    idempotency_header: str | None = setting(
        "Idempotency-Key",
        "header",
        'the header carrying a fresh key on every POST or PATCH call, the same on its retries ("" '
        "sends none)",
        render=True,
        derived="",  # None (from Python) is off too
    )
    multipart_array_brackets: bool = setting(
        False,
        "bool",
        "name the parts of an array in a multipart body `name[]` (as OpenAI's servers want) "
        "instead of repeating `name`",
        render=True,
    )
    group_by: str = setting(
        "none",
        "choice",
        '"tag": one namespace per tag, `client.<tag>.<method>()` (an operation\'s first tag; '
        'untagged operations stay on the client); "none": every method on the client',
        flags=("--group-by",),
        metavar="HOW",
        choices=("none", "tag"),
        render=True,
        quiet_default=True,
    )

    pagination: bool = setting(
        True,
        "bool",
        "list operations return pages that iterate over every item (declared with "
        "x-oagen-pagination, x-speakeasy-pagination or x-fern-pagination, or detected); "
        "--no-pagination: each call returns one page as parsed",
        flags=("--no-pagination",),
        render=True,
    )

    def fingerprint(self) -> str:
        """What affects the output (for caching and the provenance of generated files)."""
        return repr(
            sorted(
                (s.name, getattr(self, s.name))
                for s in SETTINGS
                if s.fingerprint and not (s.quiet_default and getattr(self, s.name) == s.default)
            )
        )


def _settings() -> tuple[Setting, ...]:
    found = []
    for f in dataclasses.fields(Config):
        entry: Setting = f.metadata["setting"]
        found.append(dataclasses.replace(entry, name=f.name, default=f.default, type=str(f.type)))
    return tuple(found)


SETTINGS: tuple[Setting, ...] = _settings()
BY_NAME = {s.name: s for s in SETTINGS}


def toml_value(value: Any) -> str:
    """`value` as TOML writes it (strings, booleans, numbers and lists of strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return repr(value)


def flag_help(s: Setting) -> str:
    """The help of a setting's command-line flag."""
    if s.kind == "strs":
        return f"{s.help} ({_SELECTED} {s.name})"
    if s.kind == "bool":
        return s.help
    default = s.default if isinstance(s.default, str) else s.default_text
    return f"{s.help} (default: {default})"


def help_block(width: int = 88) -> str:
    """Every key with an example value and its help, for `oagen generate --help`."""
    lines = ["configuration ([tool.oagen] in pyproject.toml, or oagen.toml; flags override):"]
    for s in SETTINGS:
        left = f"  {s.name} = {toml_value(s.shown)}"
        text = s.help + (f" (default: {s.default_text})" if s.default is None else "")
        wrapped = textwrap.wrap(text, width - 31) or [""]
        if len(left) > 29:
            lines.append(left)
        else:
            lines.append(left.ljust(31) + wrapped.pop(0))
        lines += [" " * 31 + line for line in wrapped]
    return "\n".join(lines) + "\n"


DOCS_BEGIN = "<!-- settings: made by `python -m generator.config docs/workflow.md`; do not edit -->"
DOCS_END = "<!-- end of settings -->"


def docs_block() -> str:
    """The Markdown table of every key, between its markers (docs/workflow.md holds it)."""
    rows = ["| key | default | flag | what it does |", "|---|---|---|---|"]
    for s in SETTINGS:
        flags = ", ".join(f"`{f}`" if f.startswith("-") else f"`[{f.upper()}]`" for f in s.flags)
        plain = (s.default is None and "{" not in s.derived) or s.default == ()
        default = s.default_text if plain else f"`{s.default_text}`"
        text = s.help.replace("|", "\\|").replace("<", "&lt;")
        rows.append(f"| `{s.name}` | {default} | {flags} | {text} |")
    quiet = " and ".join(f"`{s.name}`" for s in SETTINGS if not s.fingerprint)
    note = (
        f"\nThe manifest records every key but {quiet}: when one of them changes, "
        "`oagen generate --check` reports the output stale.\n"
    )
    return f"{DOCS_BEGIN}\n" + "\n".join(rows) + "\n" + note + DOCS_END


def update_docs(path: Path) -> bool:
    """Rewrite the settings block of the Markdown file `path`; whether it changed."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index(DOCS_BEGIN), text.index(DOCS_END) + len(DOCS_END)
    new = text[:start] + docs_block() + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


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


def _valid(kind: str, value: Any, choices: tuple[str, ...] = ()) -> bool:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind in ("str", "str?"):
        return isinstance(value, str) and value != ""
    if kind == "header":
        return isinstance(value, str) and _HEADER.match(value) is not None
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return number and isinstance(value, int) and value > 0
    if kind == "count":
        return number and isinstance(value, int) and value >= 0
    if kind == "seconds":
        return number and 0 < value < 1e9
    if kind == "choice":
        return isinstance(value, str) and value in choices
    assert kind == "strs", kind
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def _coerce(key: str, value: Any, source: str) -> tuple[Any, Diagnostic | None]:
    entry = BY_NAME[key]
    if entry.kind == "strs" and isinstance(value, str) and value:
        value = [value]  # one string alone is a list of one
    elif entry.kind == "strs" and isinstance(value, tuple):  # repeated flags
        value = list(value)
    if not _valid(entry.kind, value, entry.choices):
        shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
        return None, error(
            f"configuration key {key!r} must be {entry.wanted}, not {shown}", file=source
        )
    if entry.kind == "seconds":
        return float(value), None
    if entry.kind == "strs":  # repeats are dropped
        return tuple(dict.fromkeys(value)), None
    return value, None


def from_mapping(table: dict[str, Any], source: str, base: Config | None = None) -> Config:
    """`base` (default: the defaults) with the keys of `table` (a TOML table or flags) set."""
    problems = []
    values: dict[str, Any] = {}
    for key, value in table.items():
        attr = str(key).replace("-", "_")
        if attr not in BY_NAME:
            known = ", ".join(sorted(BY_NAME))
            problems.append(
                error(f"unknown configuration key {key!r} (known: {known})", file=source)
            )
            continue
        coerced, problem = _coerce(attr, value, source)
        if problem is not None:
            problems.append(problem)
        else:
            values[attr] = coerced
    if problems:
        raise SpecError(problems)
    config = dataclasses.replace(base or Config(), **values)
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


if __name__ == "__main__":  # python -m generator.config docs/workflow.md: rewrite its table
    for name in sys.argv[1:]:
        print(f"{name}: {'updated' if update_docs(Path(name)) else 'current'}")
