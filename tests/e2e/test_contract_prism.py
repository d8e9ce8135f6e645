"""Contract tests: the committed generated/vastai_api against Prism mocking openapi.yaml.

Prism validates every request against the spec (see tests/prism.py): a request it rejects comes
back with an `sl-violations` header, so "no violations" below means the spec accepted what the
client sent, and a status answered without violations is the one asked for with `Prefer`.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from types import ModuleType
from typing import Any

import httpx
import prism
import pytest
from conftest import GENERATED
from prism import violations

prism_url = prism.prism_url  # the session fixture (tests/prism.py), shared by both modules

pytestmark = pytest.mark.contract

PATH = "/api/v0/endptjobs/"
EXAMPLE_ARGS: dict[str, Any] = {  # every field, at the spec's example values
    "min_load": 50,
    "target_util": 0.75,
    "cold_mult": 2,
    "cold_workers": 5,
    "max_workers": 20,
    "endpoint_name": "my_endpoint",
}
SUBPROCESS_TIMEOUT = 60


class Recorder:
    """An httpx.Client that keeps every (request, response) pair it exchanged."""

    def __init__(self) -> None:
        self.exchanges: list[tuple[httpx.Request, httpx.Response]] = []
        self.http = httpx.Client(event_hooks={"response": [self._record]}, timeout=30)

    def _record(self, response: httpx.Response) -> None:
        self.exchanges.append((response.request, response))


def _raw_post(url: str, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    """POST `body` as JSON with httpx directly, bypassing the generated client."""
    sent = {"Authorization": "Bearer KEY"} if headers is None else headers
    return httpx.post(url + PATH, json=body, headers=sent, timeout=30)


# --------------------------------------------------------------------------------------------
# Good calls


def test_create_endpoint(vastai_api: ModuleType, prism_url: str) -> None:
    rec = Recorder()
    with vastai_api.Client(api_key="KEY", base_url=prism_url, http_client=rec.http) as client:
        result = client.create_endpoint(min_load=50, endpoint_name="my_endpoint")
    rec.http.close()
    assert isinstance(result, vastai_api.CreateEndpointResponse)
    assert result.result == 12345
    assert result.success is True
    ((request, response),) = rec.exchanges  # one request, no retry
    assert (request.method, request.url.path) == ("POST", PATH)
    assert response.status_code == 200
    assert violations(response) == []


def test_create_endpoint_async(vastai_api: ModuleType, prism_url: str) -> None:
    seen: list[httpx.Response] = []

    async def record(response: httpx.Response) -> None:
        seen.append(response)

    async def main() -> Any:
        async with httpx.AsyncClient(event_hooks={"response": [record]}, timeout=30) as http:
            async with vastai_api.AsyncClient(
                api_key="KEY", base_url=prism_url, http_client=http
            ) as client:
                return await client.create_endpoint(min_load=50, endpoint_name="my_endpoint")

    result = asyncio.run(main())
    assert isinstance(result, vastai_api.CreateEndpointResponse)
    assert result.result == 12345
    (response,) = seen
    assert response.status_code == 200
    assert violations(response) == []


def test_every_field_and_no_field_pass_validation(vastai_api: ModuleType, prism_url: str) -> None:
    rec = Recorder()
    with vastai_api.Client(api_key="KEY", base_url=prism_url, http_client=rec.http) as client:
        full = client.create_endpoint(**EXAMPLE_ARGS)
        empty = client.create_endpoint()  # the body is optional: nothing is sent
    rec.http.close()
    assert full.result == empty.result == 12345
    (req_full, resp_full), (req_empty, resp_empty) = rec.exchanges
    assert json.loads(req_full.content) == EXAMPLE_ARGS
    assert req_empty.content == b""
    assert [violations(resp_full), violations(resp_empty)] == [[], []]


def test_raw_response(vastai_api: ModuleType, prism_url: str) -> None:
    with vastai_api.Client(api_key="KEY", base_url=prism_url) as client:
        raw = client.with_raw_response.create_endpoint(min_load=50)
    assert raw.status_code == 200
    assert "sl-violations" not in raw.headers
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.parse() == vastai_api.CreateEndpointResponse(success=True, result=12345)


def test_key_and_url_from_environment(
    vastai_api: ModuleType,
    prism_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VAST_API_KEY", "env-key")
    monkeypatch.setenv("VAST_URL", prism_url)
    rec = Recorder()
    with vastai_api.Client(http_client=rec.http) as client:
        assert client.create_endpoint(min_load=50).result == 12345
    rec.http.close()
    ((request, response),) = rec.exchanges
    assert request.headers["authorization"] == "Bearer env-key"
    assert violations(response) == []


# --------------------------------------------------------------------------------------------
# Bad requests: the client refuses them, and Prism would too


@pytest.mark.parametrize(
    ("field", "value"),
    [("min_load", "abc"), ("min_load", True), ("cold_workers", 1.5), ("endpoint_name", 5)],
)
def test_wrong_type_rejected_by_client_and_by_prism(
    vastai_api: ModuleType,
    prism_url: str,
    field: str,
    value: Any,
) -> None:
    rec = Recorder()
    with vastai_api.Client(api_key="KEY", base_url=prism_url, http_client=rec.http) as client:
        with pytest.raises(vastai_api.RequestValidationError, match=field) as info:
            client.create_endpoint(**{field: value})
    rec.http.close()
    assert isinstance(info.value, ValueError)
    assert rec.exchanges == []  # refused before sending

    response = _raw_post(prism_url, {field: value})
    assert response.status_code == 400  # the spec's own 400 (Prism's 422 if none were declared)
    (violation,) = violations(response)
    assert violation["location"] == ["request", "body", field]
    assert violation["severity"] == "Error"


def test_prism_rejects_missing_authorization(prism_url: str) -> None:
    response = _raw_post(prism_url, {"min_load": 50}, headers={})
    assert response.status_code == 401
    assert [v["message"] for v in violations(response)] == ["Invalid security scheme used"]
    ok = _raw_post(prism_url, {"min_load": 50})  # the same request with the header passes
    assert ok.status_code == 200
    assert violations(ok) == []


def test_client_without_key_sends_without_it_and_the_401_says_so(
    vastai_api: ModuleType,
    prism_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # issue 12 item 7: sent without a credential; Prism enforces the scheme and answers 401
    monkeypatch.delenv("VAST_API_KEY", raising=False)
    rec = Recorder()
    with vastai_api.Client(base_url=prism_url, http_client=rec.http) as client:
        with pytest.raises(vastai_api.AuthenticationError) as info:
            client.create_endpoint(min_load=50)
    rec.http.close()
    assert "No credentials were configured" in str(info.value)
    assert "api_key=" in str(info.value) and "VAST_API_KEY" in str(info.value)
    ((request, response),) = rec.exchanges
    assert "authorization" not in request.headers
    assert response.status_code == 401


# --------------------------------------------------------------------------------------------
# Error responses declared by the spec, asked for with `Prefer: code=...`


@pytest.mark.parametrize(
    ("status", "error", "body_model", "body"),
    [
        (400, "BadRequestError", "CreateEndpointBadRequest", {"error": "invalid_args"}),
        (
            401,
            "AuthenticationError",
            "Error",
            {"success": False, "error": "string", "msg": "string"},
        ),
        (
            403,
            "PermissionDeniedError",
            "Error",
            {"success": False, "error": "string", "msg": "string"},
        ),
        (
            429,
            "RateLimitError",
            "CreateEndpointTooManyRequests",
            {"detail": "API requests too frequent endpoint threshold=4.0"},
        ),
    ],
)
def test_error_status_raises_typed_error(
    vastai_api: ModuleType,
    prism_url: str,
    status: int,
    error: str,
    body_model: str,
    body: dict[str, Any],
) -> None:
    rec = Recorder()
    with vastai_api.Client(api_key="KEY", base_url=prism_url, http_client=rec.http) as client:
        with pytest.raises(getattr(vastai_api, error)) as info:
            client.create_endpoint(
                min_load=50, extra_headers={"Prefer": f"code={status}"}, max_retries=0
            )
    rec.http.close()
    exc = info.value
    assert isinstance(exc, vastai_api.ApiStatusError)
    assert exc.status_code == status
    assert str(exc).startswith(str(status))
    assert isinstance(exc.body, getattr(vastai_api, body_model))
    assert exc.body.to_dict() == body
    ((request, response),) = rec.exchanges  # max_retries=0: sent once
    assert request.headers["prefer"] == f"code={status}"
    assert violations(response) == []  # the request was valid: this is the status asked for


def test_rate_limit_is_retried(vastai_api: ModuleType, prism_url: str) -> None:
    rec = Recorder()
    with vastai_api.Client(api_key="KEY", base_url=prism_url, http_client=rec.http) as client:
        with pytest.raises(vastai_api.RateLimitError) as info:
            client.create_endpoint(min_load=50, extra_headers={"Prefer": "code=429"}, max_retries=1)
    rec.http.close()
    assert info.value.body.detail == "API requests too frequent endpoint threshold=4.0"
    assert [r.status_code for _, r in rec.exchanges] == [429, 429]  # first try + one retry
    first, second = (req for req, _ in rec.exchanges)
    assert first.content == second.content == b'{"min_load": 50.0}'


def test_async_error_status(vastai_api: ModuleType, prism_url: str) -> None:
    async def main() -> None:
        async with vastai_api.AsyncClient(api_key="KEY", base_url=prism_url) as client:
            await client.create_endpoint(
                min_load=50, extra_headers={"Prefer": "code=429"}, max_retries=0
            )

    with pytest.raises(vastai_api.RateLimitError) as info:
        asyncio.run(main())
    assert info.value.status_code == 429


# --------------------------------------------------------------------------------------------
# The CLI, as a subprocess


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("VAST_API_KEY", "VAST_URL")}
    return subprocess.run(
        [sys.executable, "-m", "vastai_api", *args],
        cwd=GENERATED,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )


def test_cli_create_endpoint(prism_url: str) -> None:
    proc = _cli(
        "create", "endpoint", "--min_load", "50", "--endpoint_name", "my_endpoint",
        "--url", prism_url, "--api-key", "KEY",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.split()
    assert "12345" in lines
    assert proc.stderr == ""


def test_cli_global_options_before_command(prism_url: str) -> None:
    proc = _cli(
        "--url", prism_url, "--api-key", "KEY",
        "create", "endpoint", "--min-load", "50", "--endpoint-name", "my_endpoint",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "12345" in proc.stdout.split()


def test_cli_raw_prints_json(prism_url: str) -> None:
    proc = _cli(
        "create", "endpoint", "--min_load", "50", "--endpoint_name", "my_endpoint",
        "--url", prism_url, "--api-key", "KEY", "--raw",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"success": True, "result": 12345}


def test_cli_key_and_url_from_environment(prism_url: str) -> None:
    proc = _cli(
        "create", "endpoint", "--min_load", "50", "--raw",
        env={"VAST_URL": prism_url, "VAST_API_KEY": "KEY"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["result"] == 12345


def test_cli_api_error_exits_1(prism_url: str) -> None:
    # `Prefer` cannot be set from the CLI; a base URL with an extra prefix makes Prism answer
    # 404 (no path matched), which exercises the same error path: message on stderr, exit 1,
    # and with --raw the error body on stdout.
    proc = _cli(
        "create", "endpoint", "--min_load", "50",
        "--url", prism_url + "/nope", "--api-key", "KEY", "--raw",
    )  # fmt: skip
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert proc.stderr.startswith("vastai: error: 404")
    assert json.loads(proc.stdout)["status"] == 404
    assert "Traceback" not in proc.stderr


def test_cli_bad_value_is_a_usage_error(prism_url: str) -> None:
    proc = _cli("create", "endpoint", "--min_load", "abc", "--url", prism_url, "--api-key", "KEY")
    assert proc.returncode == 2
    assert "--min_load" in proc.stderr or "--min-load" in proc.stderr
    assert proc.stdout == ""
