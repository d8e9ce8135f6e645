"""The CLI's output: a result as text, JSON or a table; a dry run's curl line."""

from __future__ import annotations

import json
import shlex
from typing import Any


def _human(data: Any) -> str:
    if isinstance(data, dict) and all(
        not isinstance(v, (dict, list)) for v in data.values()
    ):
        width = max((len(str(k)) for k in data), default=0)
        return "\n".join(
            f"{str(k) + ':':<{width + 1}} {_scalar_text(v)}" for k, v in data.items()
        )
    if isinstance(data, (dict, list)):
        return json.dumps(data, indent=2, ensure_ascii=False)
    return _scalar_text(data)


def _scalar_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _curl(method: str, url: str, headers: dict[str, str], body: bytes) -> str:
    parts = ["curl", "-X", method, url]
    for key, value in headers.items():
        if key.lower() in (
            "host",
            "content-length",
            "accept-encoding",
            "connection",
            "user-agent",
        ):
            continue
        parts += ["-H", f"{key}: {value}"]
    if body:
        parts += ["--data", body.decode("utf-8", "replace")]
    return " ".join(shlex.quote(p) for p in parts)
