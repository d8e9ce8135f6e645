"""Issue 14: server variables and `environment=`, a credential argument per security scheme, the
empty requirement `{}`, and OAuth2 client credentials, against loopback servers.

The spec declares four schemes (an API key, a bearer token, basic auth, OAuth2 client
credentials with a relative `tokenUrl`) and two servers, the first with variables for its host,
port and region (an enum); the loopback server's port is given as the `port` variable, so every
request in these tests reaches it through the declared server URL. The token endpoint counts
its fetches; expiry is tested with a replaced clock (no wall-clock waits).
"""

from __future__ import annotations

import asyncio
import base64
import inspect
import json
import logging
import os
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import generate_package
from recording_server import Received, Recorder

BIN = Path(sys.executable).parent
SECRET = "s3cr3t-client-secret"

SPEC = """
openapi: 3.1.0
info: {title: Multi, version: "1"}
servers:
  - url: "http://{host}:{port}/{region}"
    description: Local
    variables:
      host: {default: "127.0.0.1"}
      port: {default: "1", description: the port the server listens on}
      region: {default: us, enum: [us, eu]}
  - url: "https://api.example.test/v1"
    description: Production
components:
  securitySchemes:
    ApiKeyAuth: {type: apiKey, in: header, name: X-API-Key}
    BearerAuth: {type: http, scheme: bearer}
    BasicAuth: {type: http, scheme: basic}
    OAuth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: /oauth/token
          scopes: {read: read things}
security: [{OAuth: []}]
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
    post:
      operationId: createThing
      security: [{ApiKeyAuth: []}]
      requestBody:
        content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}
      responses: {"200": {description: ok}}
  /bearer:
    get:
      operationId: getBearer
      security: [{BearerAuth: []}]
      responses: {"200": {description: ok}}
  /basic:
    get:
      operationId: getBasic
      security: [{BasicAuth: []}]
      responses: {"200": {description: ok}}
  /optional:
    get:
      operationId: getOptional
      security: [{}, {ApiKeyAuth: []}]
      responses: {"200": {description: ok}}
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Path]:
    return generate_package(tmp_path_factory.mktemp("multi"), SPEC, package="multi_api")


@pytest.fixture(scope="module")
def pkg(generated: tuple[ModuleType, Path]) -> ModuleType:
    return generated[0]


class TokenServer:
    """A loopback API with a token endpoint: tokens `tok-1`, `tok-2`, ...; `revoked` tokens
    get 401 from the API."""

    def __init__(self, expires_in: int | None = 3600) -> None:
        self.server = Recorder()
        self.port = self.server.url.rsplit(":", 1)[1]
        self.expires_in = expires_in
        self.issued = 0
        self.revoked: set[str] = set()
        self.server.replies["/oauth/token"] = self._token
        self.server.replies["/us/things"] = self._api

    def _token(self, request: Received) -> tuple[int, dict[str, str], list[bytes]]:
        self.issued += 1
        body: dict[str, Any] = {"access_token": f"tok-{self.issued}", "token_type": "Bearer"}
        if self.expires_in is not None:
            body["expires_in"] = self.expires_in
        return 200, {"Content-Type": "application/json"}, [json.dumps(body).encode()]

    def _api(self, request: Received) -> tuple[int, dict[str, str], list[bytes]]:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token in self.revoked or not token:
            return 401, {"Content-Type": "application/json"}, [b'{"message": "bad token"}']
        return 200, {"Content-Type": "application/json"}, [json.dumps([token]).encode()]

    @property
    def token_requests(self) -> list[Received]:
        return [r for r in self.server.received if r.path == "/oauth/token"]

    @property
    def api_requests(self) -> list[Received]:
        return [r for r in self.server.received if r.path != "/oauth/token"]


@pytest.fixture
def tokens() -> Iterator[TokenServer]:
    server = TokenServer()
    try:
        yield server
    finally:
        server.server.close()


@pytest.fixture
def server() -> Iterator[Recorder]:
    recorder = Recorder()
    try:
        yield recorder
    finally:
        recorder.close()


def port(server: Recorder) -> str:
    return server.url.rsplit(":", 1)[1]


# -- servers ------------------------------------------------------------------------------------


def test_server_variables_are_constructor_arguments(pkg: ModuleType, server: Recorder) -> None:
    with pkg.Client(port=port(server), api_key="k") as client:
        assert client.base_url == f"http://127.0.0.1:{port(server)}/us"
        client.create_thing(name="a")
    with pkg.Client(port=port(server), region="eu", api_key="k") as client:
        client.create_thing(name="b")
    assert [r.path for r in server.received] == ["/us/things", "/eu/things"]


def test_a_value_outside_the_enum_is_an_error(pkg: ModuleType) -> None:
    with pytest.raises(ValueError, match=r"region must be one of 'us', 'eu', got 'mars'"):
        pkg.Client(region="mars")


def test_environment_chooses_a_server_by_description_or_url(pkg: ModuleType) -> None:
    assert pkg.Client().base_url == "http://127.0.0.1:1/us"
    assert pkg.Client(environment="Production").base_url == "https://api.example.test/v1"
    assert (
        pkg.AsyncClient(environment="https://api.example.test/v1").base_url
        == "https://api.example.test/v1"
    )
    with pytest.raises(ValueError, match="environment must be one of 'Local', 'Production'"):
        pkg.Client(environment="staging")
    # base_url= overrides both
    client = pkg.Client(environment="Production", base_url="http://elsewhere.test/")
    assert client.base_url == "http://elsewhere.test"


# -- one argument per scheme, the empty requirement ------------------------------------------------


def test_each_scheme_has_its_own_credential_argument(pkg: ModuleType, server: Recorder) -> None:
    with pkg.Client(
        port=port(server), api_key="the-key", bearer_token="the-token", username="u", password="p"
    ) as client:
        client.create_thing(name="x")
        client.get_bearer()
        client.get_basic()
    keyed, bearer, basic = server.received
    assert keyed.headers["x-api-key"] == "the-key" and "authorization" not in keyed.headers
    assert bearer.headers["authorization"] == "Bearer the-token"
    assert "x-api-key" not in bearer.headers
    assert basic.headers["authorization"] == "Basic " + base64.b64encode(b"u:p").decode()


def test_api_key_is_the_credential_of_a_token_scheme_without_its_own(
    pkg: ModuleType, server: Recorder
) -> None:
    with pkg.Client(port=port(server), api_key="the-key") as client:
        client.get_bearer()
    assert server.last.headers["authorization"] == "Bearer the-key"


def test_the_empty_requirement_sends_a_credential_if_there_is_one(
    pkg: ModuleType, server: Recorder
) -> None:
    with pkg.Client(port=port(server)) as client:
        client.get_optional()  # no credential: no error, nothing sent
    assert "x-api-key" not in server.last.headers
    with pkg.Client(port=port(server), api_key="k") as client:
        client.get_optional()
    assert server.last.headers["x-api-key"] == "k"


def test_the_401_note_names_the_schemes_argument(pkg: ModuleType, server: Recorder) -> None:
    server.replies["/us/bearer"] = lambda r: (401, {"Content-Length": "0"}, [])
    with pkg.Client(port=port(server)) as client, pytest.raises(pkg.AuthenticationError) as info:
        client.get_bearer()
    assert "bearer_token= or api_key= to Client()" in str(info.value)


# -- OAuth2 client credentials --------------------------------------------------------------------


def oauth_client(pkg: ModuleType, tokens: TokenServer, cls: str = "Client") -> Any:
    return getattr(pkg, cls)(port=tokens.port, client_id="my-app", client_secret=SECRET)


def test_one_token_fetch_serves_many_calls(pkg: ModuleType, tokens: TokenServer) -> None:
    with oauth_client(pkg, tokens) as client:
        results = [client.list_things() for _ in range(5)]
    assert results == [["tok-1"]] * 5
    [fetch] = tokens.token_requests
    assert fetch.method == "POST"
    assert fetch.headers["content-type"] == "application/x-www-form-urlencoded"
    assert urllib.parse.parse_qsl(fetch.body.decode()) == [("grant_type", "client_credentials")]
    expected = base64.b64encode(f"my-app:{SECRET}".encode()).decode()
    assert fetch.headers["authorization"] == f"Basic {expected}"
    assert all(r.headers["authorization"] == "Bearer tok-1" for r in tokens.api_requests)


def test_the_token_is_refreshed_shortly_before_it_expires(
    pkg: ModuleType, tokens: TokenServer
) -> None:
    now = [1000.0]
    with oauth_client(pkg, tokens) as client:
        client.list_things()
        client._credentials.tokens["OAuth"].clock = lambda: now[0]
        client._credentials.tokens["OAuth"].invalidate()  # re-fetch with the fake clock
        assert client.list_things() == ["tok-2"]
        now[0] += 3600 - 31  # the token lives 3600 s; refreshed 30 s before
        assert client.list_things() == ["tok-2"]
        now[0] += 2
        assert client.list_things() == ["tok-3"]
        assert client.list_things() == ["tok-3"]
    assert len(tokens.token_requests) == 3


def test_a_401_fetches_a_new_token_once(pkg: ModuleType, tokens: TokenServer) -> None:
    with oauth_client(pkg, tokens) as client:
        assert client.list_things() == ["tok-1"]
        tokens.revoked.add("tok-1")
        assert client.list_things() == ["tok-2"]  # 401, new token, the same request again
        tokens.revoked.add("tok-2")
        tokens.revoked.add("tok-3")
        with pytest.raises(pkg.AuthenticationError):
            client.list_things()  # 401 again after the refresh: the error
    assert len(tokens.token_requests) == 3
    assert len(tokens.api_requests) == 5


def test_async_client_fetches_one_token_for_concurrent_calls(
    pkg: ModuleType, tokens: TokenServer
) -> None:
    async def main() -> list[Any]:
        async with oauth_client(pkg, tokens, "AsyncClient") as client:
            return list(await asyncio.gather(*(client.list_things() for _ in range(6))))

    assert asyncio.run(main()) == [["tok-1"]] * 6
    assert len(tokens.token_requests) == 1


def test_a_token_without_expiry_is_kept_until_a_401(pkg: ModuleType) -> None:
    server = TokenServer(expires_in=None)
    try:
        with oauth_client(pkg, server) as client:
            client._credentials.tokens["OAuth"].clock = lambda: 1e12  # far in the future
            for _ in range(3):
                assert client.list_things() == ["tok-1"]
            server.revoked.add("tok-1")
            assert client.list_things() == ["tok-2"]
        assert len(server.token_requests) == 2
    finally:
        server.server.close()


def test_tokens_and_secrets_never_show(
    pkg: ModuleType, tokens: TokenServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with oauth_client(pkg, tokens) as client:
        client.list_things()
        shown = [
            repr(client),
            str(client),
            repr(client._credentials),
            repr(client._credentials.tokens["OAuth"]),
            client.describe(client.build_request(pkg._ops.LIST_THINGS, {})),
            caplog.text,
        ]
    assert "Bearer ***" in shown[4]
    for text in shown:
        assert "tok-1" not in text and SECRET not in text, text


def test_a_failed_token_request_is_an_error(pkg: ModuleType, server: Recorder) -> None:
    server.replies["/oauth/token"] = lambda r: (
        400,
        {"Content-Type": "application/json"},
        [b'{"error": "invalid_client"}'],
    )
    with pkg.Client(port=port(server), client_id="a", client_secret=SECRET) as client:
        with pytest.raises(pkg.ApiError, match="invalid_client") as info:
            client.list_things()
    assert SECRET not in str(info.value)
    assert [r.path for r in server.received] == ["/oauth/token"]


# -- mypy --strict ----------------------------------------------------------------------------------

CHECK = """\
from multi_api import AsyncClient, Client

Client(api_key="k", bearer_token="t", username="u", password="p", region="eu", port="8080")
Client(client_id="id", client_secret="s", environment="Production")
AsyncClient(access_token="t", environment="https://api.example.test/v1")
Client(region="mars")
Client(environment="staging")
Client(bearer_tokn="t")
"""


def test_mypy_strict_passes_the_package_and_rejects_wrong_arguments(
    generated: tuple[ModuleType, Path],
) -> None:
    out = generated[1]
    (out / "check_multi.py").write_text(CHECK, encoding="utf-8")
    done = subprocess.run(
        [
            str(BIN / "mypy"),
            "--strict",
            "--python-version",
            "3.10",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            "multi_api",
            "check_multi.py",
        ],
        capture_output=True,
        text=True,
        cwd=out,
        timeout=600,
    )
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert [e.split(":")[:2] for e in errors] == [
        ["check_multi.py", "6"],
        ["check_multi.py", "7"],
        ["check_multi.py", "8"],
    ], done.stdout
    assert '"region"' in errors[0] and '"environment"' in errors[1]
    assert 'Unexpected keyword argument "bearer_tokn"' in errors[2]


HOSTILE = '"""; import os; os.system("touch /tmp/oagen-cc-marker")  #'

HOSTILE_SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Hostile", "version": "1"},
    "servers": [
        {
            "url": "http://{class}.example.test/{x}",
            "description": HOSTILE,
            "variables": {
                "class": {"default": HOSTILE, "enum": [HOSTILE, "b'\\\\"], "description": HOSTILE},
                "x": {"default": "v"},
            },
        },
        {"url": "http://other.test", "description": "api_key"},
    ],
    "components": {
        "securitySchemes": {
            HOSTILE: {"type": "apiKey", "in": "header", "name": HOSTILE},
            "self": {"type": "http", "scheme": "bearer"},
            "o": {
                "type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": HOSTILE, "scopes": {}}},
            },
        }
    },
    "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {"description": "ok"}}}}},
}


def test_spec_text_in_servers_and_schemes_stays_data(tmp_path: Path) -> None:
    module, _ = generate_package(tmp_path, HOSTILE_SPEC, package="hostile_api")
    assert not Path("/tmp/oagen-cc-marker").exists()
    params = list(inspect.signature(module.Client.__init__).parameters)
    assert all(p.isidentifier() for p in params)
    [variable, _] = module.Client._server_entries[0].variables
    assert (variable.name, variable.default) == ("class", HOSTILE)
    client = module.Client(class_="b'\\\\")
    assert client.base_url == "http://b'\\\\.example.test/v"
    assert module.Client(environment=HOSTILE).base_url.startswith("http://")
    assert module.Client(environment="api_key").base_url == "http://other.test"
    schemes = module._ops.SCHEMES
    assert schemes["o"].token_url == HOSTILE and schemes[HOSTILE].wire == HOSTILE


# -- the CLI's credential options (`_cli_auth`) ---------------------------------------------------


def run_cli(pkg: ModuleType, argv: list[str]) -> tuple[int, str, str]:
    import contextlib
    import importlib
    import io

    main = importlib.import_module(pkg.__name__ + "._cli").main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def key_env(pkg: ModuleType) -> str:
    import importlib

    source = inspect.getsource(importlib.import_module(pkg.__name__ + "._cli"))
    return source.split('"key_env": "', 1)[1].split('"', 1)[0]


def test_the_cli_takes_basic_credentials_as_flags_or_from_the_environment(
    pkg: ModuleType, tokens: TokenServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefix = key_env(pkg).removesuffix("API_KEY")
    url = f"http://127.0.0.1:{tokens.port}/us"
    monkeypatch.setenv(prefix + "PASSWORD", "pa55-from-env")
    code, _, err = run_cli(pkg, ["get", "basic", "--username", "ann", "--url", url])
    assert code == 0, err
    sent = [r for r in tokens.server.received if r.path == "/us/basic"][-1]
    expected = base64.b64encode(b"ann:pa55-from-env").decode()
    assert sent.headers["authorization"] == f"Basic {expected}"
    # a flag wins over the environment; --dry-run shows neither
    code, out, err = run_cli(
        pkg, ["get", "basic", "--username", "ann", "--password", "pa55-flag", "--dry-run"]
    )
    assert code == 0, err
    flagged = base64.b64encode(b"ann:pa55-flag").decode()
    assert "/basic" in out and flagged not in out + err and "pa55" not in out + err


def test_the_cli_fetches_a_token_with_client_id_and_secret_flags(
    pkg: ModuleType, tokens: TokenServer
) -> None:
    url = f"http://127.0.0.1:{tokens.port}/us"
    argv = ["list", "things", "--client-id", "my-app", "--client-secret", SECRET]
    code, out, err = run_cli(pkg, [*argv, "--url", url, "--format", "json"])
    assert code == 0, err
    assert json.loads(out) == ["tok-1"]  # the API answered the token it was sent
    [fetch] = tokens.token_requests
    expected = base64.b64encode(f"my-app:{SECRET}".encode()).decode()
    assert fetch.headers["authorization"] == f"Basic {expected}"
    assert SECRET not in out + err


def test_the_cli_help_lists_each_credential_and_its_variable(pkg: ModuleType) -> None:
    prefix = key_env(pkg).removesuffix("API_KEY")
    code, out, _ = run_cli(pkg, ["get", "basic", "--help"])
    assert code == 0
    text = " ".join(out.split())
    for flag, variable in (
        ("--username", "USERNAME"),
        ("--password", "PASSWORD"),
        ("--client-id", "CLIENT_ID"),
        ("--client-secret", "CLIENT_SECRET"),
        ("--bearer-token", "BEARER_TOKEN"),
    ):
        assert flag in text and f"${prefix}{variable}" in text, flag
    assert "token of the `BearerAuth` security scheme" in text


def test_the_cli_401_note_names_the_basic_flags(pkg: ModuleType, server: Recorder) -> None:
    server.replies["/us/basic"] = lambda r: (401, {"Content-Type": "application/json"}, [b"{}"])
    url = f"http://127.0.0.1:{port(server)}/us"
    code, _, err = run_cli(pkg, ["get", "basic", "--url", url])
    assert code == 1
    assert "pass --username and --password" in err, err
