"""Behaviour of the generated CLI (`vastai_api._cli.main`), run in-process with capsys.

The CLI's `Client` is swapped for one over `httpx.MockTransport`, so every request the CLI would
send is recorded (and its absence can be asserted). Runs against real sockets and `python -m
vastai_api` subprocesses are in test_loopback.py.
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

KEY = "sk-cli-SECRET-9876543210"
OK_BODY = {"success": True, "result": 12345}
DEFAULT_URL = "https://console.vast.ai/api/v0/endptjobs/"


def respond(
    status: int = 200, body: Any = OK_BODY, headers: dict[str, str] | None = None
) -> Callable[[], httpx.Response]:
    def make() -> httpx.Response:
        if body is None:
            return httpx.Response(status, headers=headers or {})
        return httpx.Response(status, json=body, headers=headers or {})

    return make


class Harness:
    """Runs the CLI with a recording transport; `script` items are response factories or errors."""

    def __init__(
        self, pkg: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        self.pkg = pkg
        self.capsys = capsys
        self.script: list[Callable[[], httpx.Response] | Exception] = [respond()]
        self.requests: list[httpx.Request] = []
        self.options: list[dict[str, Any]] = []
        self.clients: list[Any] = []
        self._http: list[httpx.Client] = []

        def factory(**options: Any) -> Any:
            self.options.append(options)
            http = httpx.Client(transport=httpx.MockTransport(self._handle))
            self._http.append(http)
            client = pkg.Client(http_client=http, **options)
            self.clients.append(client)
            return client

        self.cli = importlib.import_module(pkg.__name__ + "._cli")
        monkeypatch.setattr(self.cli, "Client", factory)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        item = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(item, Exception):
            raise item
        return item()

    def __call__(self, *argv: str, terminal: bool = True) -> tuple[int, str, str]:
        # stdout as a user's terminal (text output), unless the test pipes it (JSON)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sys.stdout, "isatty", lambda: terminal, raising=False)
            code = self.cli.main(list(argv))
        out, err = self.capsys.readouterr()
        return code, out, err

    def close(self) -> None:
        for http in self._http:
            http.close()


@pytest.fixture
def cli(
    vastai_api: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Harness]:
    monkeypatch.delenv("VAST_API_KEY", raising=False)
    monkeypatch.delenv("VAST_URL", raising=False)
    harness = Harness(vastai_api, monkeypatch, capsys)
    yield harness
    harness.close()


@pytest.fixture
def sleeps(vastai_api: ModuleType, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    delays: list[float] = []
    monkeypatch.setattr(vastai_api._http.time, "sleep", delays.append)
    return delays


# --------------------------------------------------------------------------------------------
# Success output


def test_success_prints_the_result_on_stdout(cli: Harness) -> None:
    code, out, err = cli("create", "endpoint", "--min_load", "50", "--api-key", KEY)
    assert code == 0
    assert err == ""
    assert out.splitlines() == ["success: true", "result:  12345"]
    (request,) = cli.requests
    assert request.method == "POST"
    assert str(request.url) == DEFAULT_URL
    assert json.loads(request.content) == {"min_load": 50.0}
    assert request.headers["authorization"] == f"Bearer {KEY}"


def test_piped_output_is_json(cli: Harness) -> None:
    code, out, err = cli("create", "endpoint", "--api-key", KEY, terminal=False)
    assert code == 0 and err == ""
    assert json.loads(out) == OK_BODY


def test_raw_prints_json(cli: Harness) -> None:
    cli.script = [respond(200, {"success": True, "result": 1, "extra": [1, 2]})]
    code, out, err = cli("--raw", "create", "endpoint", "--api-key", KEY)
    assert code == 0 and err == ""
    assert json.loads(out) == {"success": True, "result": 1, "extra": [1, 2]}


def test_nested_results_print_as_indented_json(cli: Harness) -> None:
    cli.script = [respond(200, {"success": True, "result": 1, "extra": {"a": 1}})]
    code, out, _ = cli("create", "endpoint", "--api-key", KEY)
    assert code == 0
    assert json.loads(out) == {"success": True, "result": 1, "extra": {"a": 1}}
    assert "\n  " in out


# --------------------------------------------------------------------------------------------
# Global options before or after the command


GLOBALS = [
    "--api-key",
    KEY,
    "--url",
    "http://cli.test/",
    "--timeout",
    "2.5",
    "--max-retries",
    "4",
    "--raw",
]


@pytest.mark.parametrize(
    "argv",
    [
        [*GLOBALS, "create", "endpoint", "--min_load", "5"],
        ["create", "endpoint", "--min_load", "5", *GLOBALS],
        [
            "--api-key",
            KEY,
            "--timeout",
            "2.5",
            "create",
            "endpoint",
            "--url",
            "http://cli.test/",
            "--min_load",
            "5",
            "--max-retries",
            "4",
            "--raw",
        ],
        [
            "--api_key",
            KEY,
            "--base-url",
            "http://cli.test/",
            "--max_retries",
            "4",
            "create",
            "endpoint",
            "--raw",
            "--min_load",
            "5",
            "--timeout",
            "2.5",
        ],
    ],
    ids=["before", "after", "mixed", "aliases"],
)
def test_global_options_before_or_after_the_command(cli: Harness, argv: list[str]) -> None:
    code, out, err = cli(*argv)
    assert code == 0, err
    assert cli.options == [
        {"api_key": KEY, "base_url": "http://cli.test/", "timeout": 2.5, "max_retries": 4}
    ]
    (request,) = cli.requests
    assert str(request.url) == "http://cli.test/api/v0/endptjobs/"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.extensions["timeout"]["read"] == 2.5
    assert json.loads(out) == OK_BODY  # --raw took effect
    (client,) = cli.clients
    assert client.max_retries == 4


def test_environment_supplies_key_and_url(cli: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAST_API_KEY", "env-key")
    monkeypatch.setenv("VAST_URL", "http://env.test")
    code, _, err = cli("create", "endpoint")
    assert code == 0, err
    (request,) = cli.requests
    assert str(request.url) == "http://env.test/api/v0/endptjobs/"
    assert request.headers["authorization"] == "Bearer env-key"


def test_flags_beat_the_environment(cli: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAST_API_KEY", "env-key")
    monkeypatch.setenv("VAST_URL", "http://env.test")
    code, _, err = cli("create", "endpoint", "--api-key", "flag-key", "--url", "http://flag.test")
    assert code == 0, err
    (request,) = cli.requests
    assert str(request.url) == "http://flag.test/api/v0/endptjobs/"
    assert request.headers["authorization"] == "Bearer flag-key"


def test_defaults_without_flags(cli: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAST_API_KEY", KEY)
    code, _, _ = cli("create", "endpoint")
    assert code == 0
    (request,) = cli.requests
    assert str(request.url) == DEFAULT_URL
    assert request.extensions["timeout"]["connect"] == 5.0
    assert request.extensions["timeout"]["read"] == 60.0
    assert cli.clients[0].max_retries == 2


# --------------------------------------------------------------------------------------------
# Flags of the command


@pytest.mark.parametrize(
    ("flags", "body"),
    [
        (["--min_load", "5"], {"min_load": 5.0}),
        (["--min-load", "5"], {"min_load": 5.0}),
        (["--cold_workers", "3", "--cold-mult", "2"], {"cold_workers": 3, "cold_mult": 2.0}),
        (
            ["--endpoint-name", "my ep", "--max_workers", "20"],
            {"endpoint_name": "my ep", "max_workers": 20},
        ),
        (["--target_util=0.75"], {"target_util": 0.75}),
        ([], None),
    ],
)
def test_underscore_and_dashed_flags(cli: Harness, flags: list[str], body: Any) -> None:
    code, _, err = cli("create", "endpoint", "--api-key", KEY, *flags)
    assert code == 0, err
    (request,) = cli.requests
    if body is None:
        assert request.content == b""
    else:
        assert json.loads(request.content) == body


def test_command_help_lists_both_spellings_and_server_defaults(cli: Harness) -> None:
    code, out, _ = cli("create", "endpoint", "--help")
    assert code == 0
    assert "--min_load" in out and "--min-load" in out
    assert "server default: 10" in out
    assert "--api-key" in out and "--dry-run" in out  # global options are accepted here too
    assert cli.requests == []


def test_top_level_help(cli: Harness) -> None:
    code, out, _ = cli("--help")
    assert code == 0
    assert "create" in out and "VAST_API_KEY" in out and "VAST_URL" in out


# --------------------------------------------------------------------------------------------
# Usage errors: exit 2, nothing sent


@pytest.mark.parametrize(
    ("argv", "mention"),
    [
        (["create", "endpoint", "--min_load", "abc"], "min_load"),
        (["create", "endpoint", "--min-load", "abc"], "min_load"),
        (["create", "endpoint", "--cold_workers", "1.5"], "cold_workers"),
        (["create", "endpoint", "--max_workers", "many"], "max_workers"),
        (["create", "endpoint", "--bogus", "1"], "--bogus"),
        (["create", "endpoint", "--max-retries", "-1"], "max-retries"),
        (["--max-retries", "two", "create", "endpoint"], "max-retries"),
        (["create", "endpoint", "--timeout", "0"], "timeout"),
        (["create", "endpoint", "--timeout", "-3"], "timeout"),
        (["create", "endpoint", "--timeout", "abc"], "timeout"),
        (["create", "endpoint", "--timeout", "nan"], "timeout"),
        (["destroy", "endpoint"], "destroy"),
        (["create"], "usage"),
        ([], "usage"),
    ],
)
def test_usage_errors_exit_2(cli: Harness, argv: list[str], mention: str) -> None:
    code, out, err = cli(*argv, "--api-key", KEY) if argv else cli()
    assert code == 2
    assert out == ""
    assert mention in err
    assert cli.requests == []


def test_missing_key_sends_without_it_and_a_401_names_the_variable(cli: Harness) -> None:
    # issue 12 item 7: no refusal before sending; the server's 401 says what is missing
    cli.script = [respond(401, {"success": False, "error": "auth", "msg": "no key"})]
    code, out, err = cli("create", "endpoint", "--min_load", "5")
    assert code == 1
    assert out == ""
    assert "401" in err and "no key" in err
    assert "No credentials were configured" in err and "VAST_API_KEY" in err
    assert "pass --api-key or set" in err and "api_key=" not in err  # the CLI's flag
    [request] = cli.requests
    assert "authorization" not in request.headers


# --------------------------------------------------------------------------------------------
# API and network errors: exit 1, message names the status and the server's message


@pytest.mark.parametrize(
    ("status", "body", "words"),
    [
        (
            400,
            {"success": False, "error": "invalid_args", "msg": "min_load must be >= 0"},
            ["400", "min_load must be >= 0"],
        ),
        (
            401,
            {"success": False, "error": "auth", "msg": "invalid api key"},
            ["401", "invalid api key"],
        ),
        (403, {"msg": "not allowed"}, ["403", "not allowed"]),
        (404, {"detail": "no such endpoint"}, ["404", "no such endpoint"]),
        (500, {"message": "database down"}, ["500", "database down"]),
    ],
)
def test_api_errors_exit_1(
    cli: Harness, status: int, body: dict[str, Any], words: list[str]
) -> None:
    cli.script = [respond(status, body)]
    code, out, err = cli("create", "endpoint", "--api-key", KEY, "--max-retries", "0")
    assert code == 1
    assert out == ""
    assert err.startswith("vastai: error: ")
    for word in words:
        assert word in err
    assert KEY not in err


def test_api_error_with_raw_prints_the_body(cli: Harness) -> None:
    body = {"success": False, "error": "invalid_args", "msg": "bad"}
    cli.script = [respond(400, body)]
    code, out, err = cli("create", "endpoint", "--api-key", KEY, "--raw")
    assert code == 1
    assert json.loads(out) == body
    assert "400" in err


def test_rate_limit_beyond_the_cap_fails_at_once(cli: Harness, sleeps: list[float]) -> None:
    cli.script = [
        respond(429, {"detail": "API requests too frequent"}, {"Retry-After": "3600"}),
        respond(),
    ]
    code, out, err = cli("create", "endpoint", "--api-key", KEY)
    assert code == 1
    assert "429" in err and "API requests too frequent" in err
    assert len(cli.requests) == 1 and sleeps == []


def test_retries_then_success(cli: Harness, sleeps: list[float]) -> None:
    cli.script = [respond(503, None), respond(429, None, {"retry-after-ms": "10"}), respond()]
    code, out, err = cli("create", "endpoint", "--api-key", KEY)
    assert code == 0, err
    assert len(cli.requests) == 3
    assert len(sleeps) == 2 and sleeps[1] == 0.01
    assert "12345" in out


@pytest.mark.parametrize("retries", ["0", "3"])
def test_max_retries_flag_bounds_the_attempts(
    cli: Harness, sleeps: list[float], retries: str
) -> None:
    cli.script = [respond(503, None)]
    code, _, err = cli("create", "endpoint", "--api-key", KEY, "--max-retries", retries)
    assert code == 1 and "503" in err
    assert len(cli.requests) == int(retries) + 1


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), ["connection failed", "refused"]),
        (httpx.ReadTimeout("timed out"), ["timed out"]),
        (httpx.RemoteProtocolError("Server disconnected"), ["connection failed"]),
    ],
)
def test_network_errors_exit_1(
    cli: Harness, sleeps: list[float], exc: Exception, words: list[str]
) -> None:
    cli.script = [exc]
    code, out, err = cli("create", "endpoint", "--api-key", KEY, "--max-retries", "0")
    assert code == 1
    assert out == ""
    for word in words:
        assert word in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------------------------
# --dry-run


@pytest.mark.parametrize("where", ["before", "after"])
def test_dry_run_prints_the_request_and_sends_nothing(cli: Harness, where: str) -> None:
    command = ["create", "endpoint", "--min_load", "5", "--endpoint_name", "it's"]
    opts = ["--dry-run", "--api-key", KEY]
    code, out, err = cli(*(opts + command if where == "before" else command + opts))
    assert code == 0
    assert cli.requests == []
    assert KEY not in out and KEY not in err
    lines = out.splitlines()
    assert lines[0] == f"POST {DEFAULT_URL}"
    assert "authorization: Bearer ***" in lines
    assert "content-type: application/json" in lines
    assert any(line.startswith("user-agent: vastai_api/") for line in lines)
    body_line = '{"min_load": 5.0, "endpoint_name": "it\'s"}'
    assert body_line in lines
    curl = lines[-1]
    assert curl.startswith(f"curl -X POST {DEFAULT_URL} ")
    assert "'authorization: Bearer ***'" in curl
    assert "--data" in curl
    assert "***" in curl


def test_dry_run_with_the_key_from_the_environment_and_verbose(
    cli: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VAST_API_KEY", KEY)
    monkeypatch.setenv("VAST_URL", "http://env.test/base")
    code, out, err = cli("create", "endpoint", "--dry-run", "--verbose", "--min-load", "1")
    assert code == 0
    assert cli.requests == []
    assert KEY not in out + err
    assert out.splitlines()[0] == "POST http://env.test/base/api/v0/endptjobs/"
    assert "Bearer ***" in out


def test_dry_run_without_a_key(cli: Harness) -> None:
    code, out, err = cli("--dry-run", "create", "endpoint")
    assert code == 0, err
    assert cli.requests == []
    assert "authorization" not in out.lower()
    assert out.splitlines()[-1] == f"curl -X POST {DEFAULT_URL} -H 'accept: application/json'"


def test_dry_run_still_rejects_bad_flags(cli: Harness) -> None:
    code, out, err = cli("--dry-run", "create", "endpoint", "--min_load", "abc")
    assert code == 2 and out == "" and "min_load" in err


# --------------------------------------------------------------------------------------------
# --verbose


def test_verbose_logs_to_stderr_redacted(cli: Harness, sleeps: list[float]) -> None:
    cli.script = [respond(503, None), respond()]
    code, out, err = cli("--verbose", "create", "endpoint", "--api-key", KEY, "--min_load", "5")
    assert code == 0
    assert out.splitlines() == ["success: true", "result:  12345"]  # logs never reach stdout
    lines = err.splitlines()
    requests = [line for line in lines if line.startswith("vastai_api: request POST")]
    assert len(requests) == 2
    assert all("Bearer ***" in line for line in requests)
    assert any("status 503; retrying" in line for line in lines)
    assert KEY not in err and KEY not in out


@pytest.mark.parametrize("flag", ["--verbose", "-v"])
def test_verbose_leaves_logging_as_it_found_it(cli: Harness, flag: str) -> None:
    logger = logging.getLogger("vastai_api")
    handlers, level = list(logger.handlers), logger.level
    for _ in range(3):
        code, _, err = cli("create", "endpoint", "--api-key", KEY, flag)
        assert code == 0
        # one line per request, however often main() ran in this process
        assert len([line for line in err.splitlines() if "request POST" in line]) == 1
    assert logger.handlers == handlers
    assert logger.level == level
    code, _, err = cli("create", "endpoint", "--api-key", KEY)
    assert code == 0 and err == ""


def test_without_verbose_stderr_is_silent(cli: Harness, sleeps: list[float]) -> None:
    cli.script = [respond(503, None), respond()]
    code, out, err = cli("create", "endpoint", "--api-key", KEY)
    assert code == 0
    assert err == ""
    assert "12345" in out


HELP_SPEC = """
openapi: 3.1.0
info: {title: Helps, version: "1"}
paths:
  /things/{thing_id}:
    get:
      operationId: getThing
      parameters:
        - name: thing_id
          in: path
          required: true
          description: "The thing: an identifier (see the docs)."
          schema: {type: string}
        - name: verbose_mode
          in: query
          description: %s
          schema: {type: boolean}
      responses:
        "200": {description: ok}
"""
LONG = (
    "Whether to include every detail of the thing in the answer, including the nested "
    "parts, their owners, and the history of changes, which makes the answer much larger."
)


def test_flag_help_comes_from_the_method_docstring(tmp_path: Any, capsys: Any) -> None:
    """Long parameter descriptions are wrapped in the docstring and read back whole; the
    command table does not repeat them, so an edit of one only changes the client module."""
    import contextlib

    from conftest import generate_package

    from generator import pipeline
    from generator.config import Config

    (tmp_path / "a").mkdir()
    package, out = generate_package(tmp_path / "a", HELP_SPEC % json.dumps(LONG))
    cli = importlib.import_module(f"{package.__name__}._cli")
    with contextlib.suppress(SystemExit):
        cli.main(["get", "thing", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert " ".join(LONG.split()) in shown
    assert "The thing: an identifier (see the docs)." in shown
    assert "help=" not in (out / package.__name__ / "_cli.py").read_text()

    def rendered(description: str, folder: str) -> dict[str, str]:
        spec = tmp_path / folder / "openapi.yaml"
        spec.parent.mkdir()
        spec.write_text(HELP_SPEC % json.dumps(description), encoding="utf-8")
        return pipeline.generate(spec, Config(package="p")).files

    before, after = rendered(LONG, "b"), rendered(LONG + " Edited.", "c")
    changed = {
        path
        for path in before
        if path.endswith(".py") and before[path].split("\n", 2)[2] != after[path].split("\n", 2)[2]
    }
    assert changed == {"p/_client_default.py"}
