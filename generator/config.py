"""Configuration: `[tool.oagen]` in pyproject.toml (or `oagen.toml`) in, a frozen `Config` out.

Command-line flags override file settings; unknown keys are an error that names the key.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomllib

from generator.diagnostics import SpecError, error

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
    max_bytes: int = 64 * 1024 * 1024
    strict: bool = False

    def fingerprint(self) -> str:
        """What affects the output (for caching and the provenance of generated files)."""
        fields = dataclasses.asdict(self)
        fields.pop("strict")
        fields.pop("output")
        return repr(sorted(fields.items()))


_KEYS = {f.name for f in dataclasses.fields(Config)}


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
        table = data if name == "oagen.toml" else data.get("tool", {}).get("oagen")
        if table is None:
            continue
        return from_mapping(table, str(path)), str(path)
    return Config(), None


def from_mapping(table: dict[str, Any], source: str) -> Config:
    problems = []
    values: dict[str, Any] = {}
    for key, value in table.items():
        attr = key.replace("-", "_")
        if attr not in _KEYS:
            problems.append(
                error(
                    f"unknown configuration key {key!r} (known: {', '.join(sorted(_KEYS))})",
                    file=source,
                )
            )
            continue
        values[attr] = value
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
