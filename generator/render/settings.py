"""Render settings: what the IR deliberately does not hold.

The package name, environment variable names, the spec's name and hash, and the generated
client's defaults. `pipeline.settings_for` builds them from the configuration (each render option
is declared once, in `config.Config`; a test checks the two agree).
"""

from __future__ import annotations

from dataclasses import dataclass


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
    idempotency_header: str = "Idempotency-Key"  # "": none
    multipart_array_brackets: bool = False
    pagination: bool = True
    group_by: str = "none"  # "tag": one namespace per tag (`client.<tag>.<method>()`)
