"""Issue 12, items 7 and 8, against `httpx.MockTransport` (the same behaviour against a real
FastAPI server is in test_fastapi_server.py).

7. A client built without credentials sends a request to an operation that declares security
   without them (a local server may declare auth and not enforce it); when the answer is 401 or
   403, the error says no credentials were configured and names `api_key=` and the environment
   variable (or `username=`/`password=` for basic auth).
8. An error body that does not fit the declared model still shows: the message quotes the start
   of what the server sent (cut at a few hundred characters) and `exc.body` keeps it (the JSON or
   the text received).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest
from conftest import generate_package

ENV = "CREDS_TEST_API_KEY"
BASE = "http://api.test"

SPEC = """
openapi: 3.1.0
info: {title: Creds, version: "1"}
servers: [{url: "http://api.test"}]
components:
  securitySchemes:
    Bearer: {type: http, scheme: bearer}
    Basic: {type: http, scheme: basic}
    Key: {type: apiKey, in: header, name: X-API-Key}
  schemas:
    Ok:
      type: object
      properties: {ok: {type: boolean}}
    Problem:
      type: object
      required: [code, fields]
      properties:
        code: {type: string}
        fields: {type: array, items: {type: string}}
    Message:
      type: object
      required: [message]
      properties: {message: {type: string}}
paths:
  /secure:
    get:
      operationId: getSecure
      security: [{Bearer: []}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Ok"}}}}
        "401": {description: no, content: {application/json: {schema: {$ref: "#/components/schemas/Message"}}}}
        "422": {description: bad, content: {application/json: {schema: {$ref: "#/components/schemas/Problem"}}}}
  /keyed:
    post:
      operationId: postKeyed
      security: [{Key: []}]
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Ok"}}}}
  /basic:
    get:
      operationId: getBasic
      security: [{Basic: []}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Ok"}}}}
  /open:
    get:
      operationId: getOpen
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Ok"}}}}
  /optional:
    get:
      operationId: getOptional
      security: [{}, {Key: []}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Ok"}}}}
"""


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    module, _ = generate_package(tmp_path_factory.mktemp("creds"), SPEC, api_key_env=ENV)
    yield module


@pytest.fixture(autouse=True)
def _no_key_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)


class Recorder:
    """A MockTransport handler: records requests, answers with `answer(request)`."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answer(request)


def call(pkg: ModuleType, kind: str, rec: Recorder, method: str, **options: Any) -> Any:
    """Call `method` (no arguments but `body` for postKeyed) on a sync or async client."""
    transport = httpx.MockTransport(rec)
    kwargs: dict[str, Any] = {"name": "x"} if method == "post_keyed" else {}
    options.setdefault("max_retries", 0)
    if kind == "sync":
        with httpx.Client(transport=transport) as http:
            client = pkg.Client(base_url=BASE, http_client=http, **options)
            return getattr(client, method)(**kwargs)

    async def main() -> Any:
        async with httpx.AsyncClient(transport=transport) as http:
            client = pkg.AsyncClient(base_url=BASE, http_client=http, **options)
            return await getattr(client, method)(**kwargs)

    return asyncio.run(main())


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"ok": True})


def status(code: int, **kwargs: Any) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(code, **kwargs)


KINDS = ["sync", "async"]
SECURED = ["get_secure", "post_keyed", "get_basic"]


# --------------------------------------------------------------------------------------------
# 7. credentials


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", SECURED)
def test_a_client_without_credentials_sends_the_request(
    pkg: ModuleType, kind: str, method: str
) -> None:
    rec = Recorder(ok)
    result = call(pkg, kind, rec, method)
    assert result.ok is True
    [request] = rec.requests
    assert "authorization" not in request.headers
    assert "x-api-key" not in request.headers


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("code", "error"), [(401, "AuthenticationError"), (403, "PermissionDeniedError")]
)
def test_401_or_403_without_credentials_says_so_and_how_to_give_them(
    pkg: ModuleType, kind: str, code: int, error: str
) -> None:
    rec = Recorder(status(code, json={"message": "who are you?"}))
    with pytest.raises(getattr(pkg, error)) as info:
        call(pkg, kind, rec, "get_secure")
    message = str(info.value)
    assert message.startswith(f"{code} ")
    assert "who are you?" in message  # the server's words stay
    assert "No credentials were configured" in message
    assert "api_key=" in message and ENV in message
    assert info.value.status_code == code
    assert len(rec.requests) == 1


def test_the_note_names_the_async_client_class(pkg: ModuleType) -> None:
    rec = Recorder(status(401, json={"message": "no"}))
    with pytest.raises(pkg.AuthenticationError, match=r"api_key= to AsyncClient\(\)"):
        call(pkg, "async", rec, "post_keyed")


def test_basic_auth_note_names_username_and_password(pkg: ModuleType) -> None:
    rec = Recorder(status(401, text="Unauthorized"))
    with pytest.raises(pkg.AuthenticationError) as info:
        call(pkg, "sync", rec, "get_basic", api_key="a-key-is-not-basic-auth")
    message = str(info.value)
    assert "username= and password=" in message
    assert "api_key=" not in message


@pytest.mark.parametrize(
    ("method", "options"),
    [
        ("get_secure", {"api_key": "wrong-key"}),  # a key was sent: it is the key that is wrong
        ("get_basic", {"username": "u", "password": "p"}),
        ("get_open", {}),  # no security declared: the client has nothing to say
        ("get_optional", {}),  # anonymous access allowed by the spec
    ],
)
def test_no_note_when_credentials_were_sent_or_not_needed(
    pkg: ModuleType, method: str, options: dict[str, Any]
) -> None:
    rec = Recorder(status(401, json={"message": "denied"}))
    with pytest.raises(pkg.AuthenticationError) as info:
        call(pkg, "sync", rec, method, **options)
    assert str(info.value) == "401 Unauthorized: denied"


def test_a_500_without_credentials_has_no_note(pkg: ModuleType) -> None:
    rec = Recorder(status(500, json={"message": "boom"}))
    with pytest.raises(pkg.InternalServerError) as info:
        call(pkg, "sync", rec, "get_secure")
    assert str(info.value) == "500 Internal Server Error: boom"


def test_key_from_the_environment_is_still_sent(
    pkg: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, "env-key")
    rec = Recorder(ok)
    call(pkg, "sync", rec, "get_secure")
    call(pkg, "sync", rec, "post_keyed")
    assert rec.requests[0].headers["authorization"] == "Bearer env-key"
    assert rec.requests[1].headers["x-api-key"] == "env-key"


def test_missing_credentials_error_stays_exported(pkg: ModuleType) -> None:
    # no longer raised, kept so that `except MissingCredentialsError` in user code still works
    assert issubclass(pkg.MissingCredentialsError, pkg.ApiError)


def test_build_request_without_credentials_builds_it(pkg: ModuleType) -> None:
    client = pkg.Client(base_url=BASE)
    request = client.build_request(pkg._ops.GET_SECURE, {})
    assert "authorization" not in request.headers
    client.close()


# --------------------------------------------------------------------------------------------
# 8. error bodies


def test_a_body_that_does_not_fit_the_declared_model_is_quoted_and_kept(pkg: ModuleType) -> None:
    body = {"detail": [{"where": "name", "why": "taken"}], "trace": "abc123"}
    rec = Recorder(status(422, json=body))
    with pytest.raises(pkg.UnprocessableEntityError) as info:
        call(pkg, "sync", rec, "get_secure", api_key="k")
    message = str(info.value)
    assert message.startswith("422 Unprocessable Entity: ")
    assert '"where": "name"' in message or '"where":"name"' in message
    assert "abc123" in message
    assert info.value.body == body


def test_a_body_that_fits_is_decoded_and_quoted_when_it_has_no_message(
    pkg: ModuleType,
) -> None:
    body = {"code": "duplicate", "fields": ["name", "email"]}
    rec = Recorder(status(422, json=body))
    with pytest.raises(pkg.UnprocessableEntityError) as info:
        call(pkg, "async", rec, "get_secure", api_key="k")
    assert isinstance(info.value.body, pkg.models.Problem)
    assert info.value.body.fields == ["name", "email"]
    assert "duplicate" in str(info.value) and "email" in str(info.value)


def test_a_text_body_is_quoted_cut_and_kept_whole(pkg: ModuleType) -> None:
    text = "upstream database unavailable\n" + "x" * 2000
    rec = Recorder(status(502, text=text))
    with pytest.raises(pkg.InternalServerError) as info:
        call(pkg, "sync", rec, "get_open")
    message = str(info.value)
    assert message.startswith("502 Bad Gateway: upstream database unavailable x")
    assert len(message) < 450
    assert f"({len(text)} characters)" in message
    assert info.value.body == text


def test_an_html_error_page_is_quoted_on_one_line(pkg: ModuleType) -> None:
    page = "<html>\n  <head><title>502 Bad Gateway</title></head>\n  <body>nginx</body>\n</html>\n"
    rec = Recorder(status(502, text=page, headers={"content-type": "text/html"}))
    with pytest.raises(pkg.InternalServerError) as info:
        call(pkg, "sync", rec, "get_open")
    assert str(info.value) == (
        "502 Bad Gateway: <html> <head><title>502 Bad Gateway</title></head> "
        "<body>nginx</body> </html>"
    )
    assert info.value.body == page


def test_fastapi_validation_details_become_the_message(pkg: ModuleType) -> None:
    body = {
        "detail": [
            {"type": "missing", "loc": ["body", "name"], "msg": "Field required", "input": {}},
            {"type": "int_parsing", "loc": ["query", "limit"], "msg": "Input should be a valid integer"},
        ]
    }
    rec = Recorder(status(422, json=body))
    with pytest.raises(pkg.UnprocessableEntityError) as info:
        call(pkg, "sync", rec, "get_open")
    assert str(info.value) == (
        "422 Unprocessable Entity: body.name: Field required; "
        "query.limit: Input should be a valid integer"
    )
    assert info.value.body == body


def test_a_message_field_is_still_preferred(pkg: ModuleType) -> None:
    rec = Recorder(status(400, json={"message": "bad thing", "extra": "x" * 1000}))
    with pytest.raises(pkg.BadRequestError) as info:
        call(pkg, "sync", rec, "get_open")
    assert str(info.value) == "400 Bad Request: bad thing"


def test_an_empty_error_body_gives_the_status_alone(pkg: ModuleType) -> None:
    rec = Recorder(status(404))
    with pytest.raises(pkg.NotFoundError) as info:
        call(pkg, "sync", rec, "get_open")
    assert str(info.value) == "404 Not Found"
