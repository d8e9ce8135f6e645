"""The validator's imports, lean: openapi-spec-validator in the forked validator process without
pydantic and without urllib's network stack.

openapi-spec-validator 0.9.0 and openapi-schema-validator read three settings through
pydantic-settings (two cache sizes, and the validator backend, which oagen pins to pure-Python
jsonschema), and jsonschema-path imports `urllib.request` to fetch remote `$ref`s, which oagen
never fetches (`resolve` rejects them before validation). In a process that has oagen's
pipeline loaded, those imports are most of what importing the validator costs (19.5 MiB of
resident memory with them, 5.7 MiB without), and that cost is on the peak of every small spec's
run (`bench/results-corpus-memory.md`).

`lean()` puts small stand-ins in their place before the validator is imported, in the forked
validator (`validate._job`: a process that only validates and exits): the settings read from
the same environment variables with the same defaults (a cache size that is not an integer >= 0
gives the default, where pydantic would stop; the sizes change speed, not findings), and a
`urllib.request` whose `urlopen` opens only the validator's own schema files (so the validator
can reach neither the network nor any other file). A stand-in that no longer fits the validator
(an `ImportError` while importing it) is dropped with everything imported alongside it, and the
validator is imported as shipped. A validator already loaded is left as it is (no stand-in is
put in), and so is a `urllib.request` already loaded.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Callable
from typing import Any

_PACKAGES = ("openapi_spec_validator", "openapi_schema_validator", "jsonschema_path")


def _size(name: str, default: int) -> int:
    """A cache size from the environment as the settings read it: an integer >= 0, else the
    default."""
    try:
        value = int(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value >= 0 else default


def _spec_settings() -> types.ModuleType:
    """openapi_spec_validator.settings, without pydantic-settings."""
    module = types.ModuleType("openapi_spec_validator.settings")
    prefix = "OPENAPI_SPEC_VALIDATOR_"

    class OpenAPISpecValidatorSettings:
        def __init__(self) -> None:
            self.resolved_cache_maxsize = _size(prefix + "RESOLVED_CACHE_MAXSIZE", 128)
            backend = os.environ.get(prefix + "SCHEMA_VALIDATOR_BACKEND", "auto").strip().lower()
            allowed = ("auto", "jsonschema", "jsonschema-rs")
            self.schema_validator_backend = backend if backend in allowed else "auto"

    module.OpenAPISpecValidatorSettings = OpenAPISpecValidatorSettings  # type: ignore[attr-defined]
    module.get_resolved_cache_maxsize = (  # type: ignore[attr-defined]
        lambda: OpenAPISpecValidatorSettings().resolved_cache_maxsize
    )
    module.get_schema_validator_backend = (  # type: ignore[attr-defined]
        lambda: OpenAPISpecValidatorSettings().schema_validator_backend
    )
    return module


def _schema_settings() -> types.ModuleType:
    """openapi_schema_validator.settings, without pydantic-settings."""
    module = types.ModuleType("openapi_schema_validator.settings")

    class OpenAPISchemaValidatorSettings:
        def __init__(self) -> None:
            name = "OPENAPI_SCHEMA_VALIDATOR_COMPILED_VALIDATOR_CACHE_MAX_SIZE"
            self.compiled_validator_cache_max_size = _size(name, 128)

    cached: list[OpenAPISchemaValidatorSettings] = []

    def get_settings() -> OpenAPISchemaValidatorSettings:
        if not cached:
            cached.append(OpenAPISchemaValidatorSettings())
        return cached[0]

    module.OpenAPISchemaValidatorSettings = OpenAPISchemaValidatorSettings  # type: ignore[attr-defined]
    module.get_settings = get_settings  # type: ignore[attr-defined]
    module.reset_settings_cache = cached.clear  # type: ignore[attr-defined]
    return module


class RemoteRefused(OSError):
    """The validator tried to fetch a URL; oagen never fetches remote references."""


def _urllib_request() -> types.ModuleType:
    """urllib.request as jsonschema-path uses it: `url2pathname` (POSIX), and a `urlopen` that
    opens the validator's own schema files (`file:` URLs inside its packages) and refuses
    anything else."""
    from urllib.parse import quote, unquote, urlsplit

    module = types.ModuleType("urllib.request")

    def urlopen(url: Any, *args: Any, **kwargs: Any) -> Any:
        text = url if isinstance(url, str) else getattr(url, "full_url", str(url))
        parts = urlsplit(text)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = os.path.realpath(unquote(parts.path))
            if any(path.startswith(root + os.sep) for root in _package_roots()):
                return open(path, "rb")
        raise RemoteRefused(f"oagen never fetches remote references: {text}")

    module.urlopen = urlopen  # type: ignore[attr-defined]
    module.url2pathname = unquote  # type: ignore[attr-defined]
    module.pathname2url = quote  # type: ignore[attr-defined]
    return module


def _package_roots() -> list[str]:
    """The folders of the validator's packages (where its own schemas are)."""
    names = (*_PACKAGES, "jsonschema_specifications")
    paths = [p for name in names for p in getattr(sys.modules.get(name), "__path__", ())]
    return [os.path.realpath(p) for p in paths]


_STAND_INS: dict[str, Callable[[], types.ModuleType]] = {
    "openapi_spec_validator.settings": _spec_settings,
    "openapi_schema_validator.settings": _schema_settings,
}


def lean() -> list[str]:
    """Import openapi-spec-validator with the stand-ins; the names of those in use."""
    if any(name in sys.modules for name in _PACKAGES):
        return []
    stand_ins = dict(_STAND_INS)
    if os.name == "posix" and "urllib.request" not in sys.modules:
        stand_ins["urllib.request"] = _urllib_request
    for name, make in stand_ins.items():
        sys.modules[name] = make()
    if "urllib.request" in stand_ins:  # `import urllib.request` then reads it off the package
        import urllib

        urllib.request = sys.modules["urllib.request"]
    try:
        import openapi_spec_validator  # noqa: F401
    except ImportError:
        # the validator changed under the stand-ins: drop them, and what was imported with them
        for name in list(sys.modules):
            if name in stand_ins or name.partition(".")[0] in _PACKAGES:
                del sys.modules[name]
        if "urllib.request" in stand_ins:
            import urllib

            del urllib.request
        import openapi_spec_validator  # noqa: F401,F811

        return []
    return list(stand_ins)
