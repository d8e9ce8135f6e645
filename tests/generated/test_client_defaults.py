"""Retry and timeout defaults come from the configuration and stay overridable."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, generate_package


def test_configured_defaults_reach_the_client(tmp_path: Path) -> None:
    spec = (ROOT / "openapi.yaml").read_text()
    pkg, _ = generate_package(
        tmp_path, spec, timeout=7.5, connect_timeout=1.5, max_retries=0, retry_after_cap=3.0
    )
    client = pkg.Client(api_key="k")
    assert client.max_retries == 0
    assert client.retry_after_cap == 3.0
    assert (client.timeout.read, client.timeout.connect) == (7.5, 1.5)
    assert "default 0" in pkg.Client.__doc__
    other = pkg.Client(api_key="k", max_retries=4, timeout=2.0, retry_after_cap=9.0)
    assert (other.max_retries, other.timeout.read, other.retry_after_cap) == (4, 2.0, 9.0)
    assert pkg.AsyncClient(api_key="k").max_retries == 0


def test_default_defaults(vastai_api) -> None:  # type: ignore[no-untyped-def]
    client = vastai_api.Client(api_key="k")
    assert (client.max_retries, client.retry_after_cap) == (2, 60.0)
    assert (client.timeout.connect, client.timeout.read) == (5.0, 60.0)
