"""Bodies and parameters on the wire, as a real server parses them (issue 13).

A generated package from an inline spec sends requests to a loopback `http.server` that
records the bytes received; the tests parse them with the standard library (`parse_qsl` for
forms and queries, `email` for multipart) and compare with what the APIs' own clients send:

- form bodies: Stripe's bracket form (stripe-ruby's `Util.flatten_params`, the `curl -d`
  examples of Stripe's API reference): `metadata[order_id]=6735`, `expand[]=default_source`,
  `address[city]=Paris`, `line_items[0][price]=p`; Twilio's repeated keys
  (twilio-python sends each list item as its own `StatusCallbackEvent=` pair);
- query `deepObject`, path `label` and `matrix` (OpenAPI 3.1, "Style Examples");
- multipart: one part per file and per array item (openai-python sends
  `timestamp_granularities[]=word` parts, one per item, with `multipart_array_brackets`).

Nothing of Python's `repr()` reaches the wire: no `{'`, `['` or `b'` in any request body.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import generate_package
from recording_server import Recorder

SPEC = """
openapi: 3.1.0
info: {title: Wire, version: "1"}
servers: [{url: "http://example.invalid"}]
paths:
  /v1/customers:
    post:
      operationId: PostCustomers
      requestBody:
        content:
          application/x-www-form-urlencoded:
            encoding:
              address: {explode: true, style: deepObject}
              expand: {explode: true, style: deepObject}
              metadata: {explode: true, style: deepObject}
              line_items: {explode: true, style: deepObject}
              settings: {contentType: application/json}
            schema:
              type: object
              properties:
                email: {type: string}
                balance: {type: integer}
                tax_exempt: {type: boolean}
                address:
                  anyOf:
                    - type: object
                      properties: {city: {type: string}, line1: {type: string}}
                    - {type: string, enum: [""]}
                expand: {type: array, items: {type: string}}
                metadata:
                  anyOf:
                    - {type: object, additionalProperties: {type: string}}
                    - {type: string, enum: [""]}
                line_items:
                  type: array
                  items:
                    type: object
                    properties: {price: {type: string}, quantity: {type: integer}}
                settings: {type: object, properties: {mode: {type: string}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /Calls.json:
    post:
      operationId: CreateCall
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                To: {type: string}
                StatusCallbackEvent: {type: array, items: {type: string}}
                Record: {type: boolean}
                Tags: {type: array, items: {type: string}}
            encoding:
              Tags: {style: form, explode: false}
      responses:
        "201": {description: ok, content: {application/json: {schema: {type: object}}}}
  /items:
    get:
      operationId: listItems
      parameters:
        - name: filter
          in: query
          style: deepObject
          explode: true
          schema:
            type: object
            properties:
              status: {type: string}
              owner: {type: object, properties: {id: {type: integer}}}
              open: {type: boolean}
        - {name: ids, in: query, style: form, explode: false, schema: {type: array, items: {type: integer}}}
        - {name: tag, in: query, schema: {type: array, items: {type: string}}}
        - {name: flag, in: query, schema: {type: boolean}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /label/{color}/matrix{point}/plain/{ids}:
    get:
      operationId: getStyled
      parameters:
        - {name: color, in: path, required: true, style: label, schema: {type: array, items: {type: string}}}
        - {name: point, in: path, required: true, style: matrix, explode: true, schema: {type: array, items: {type: integer}}}
        - {name: ids, in: path, required: true, schema: {type: array, items: {type: integer}}}
      responses:
        "204": {description: done}
  /audio/transcriptions:
    post:
      operationId: createTranscription
      requestBody:
        required: true
        content:
          multipart/form-data:
            encoding:
              meta: {contentType: application/json}
            schema:
              type: object
              required: [file, model]
              properties:
                file: {type: string, format: binary}
                model: {type: string}
                temperature: {type: number}
                timestamp_granularities: {type: array, items: {type: string, enum: [word, segment]}}
                meta: {type: object, properties: {source: {type: string}}}
                stream: {type: boolean}
      responses:
        "200":
          description: ok
          content:
            application/json: {schema: {type: object}}
            text/event-stream: {schema: {type: object}}
  /files:
    post:
      operationId: uploadFiles
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                files: {type: array, items: {type: string, format: binary}}
                purpose: {type: string}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /headers:
    get:
      operationId: getWithHeaders
      parameters:
        - {name: X-Ids, in: header, schema: {type: array, items: {type: integer}}}
        - name: X-Filter
          in: header
          explode: true
          schema: {type: object, properties: {role: {type: string}, level: {type: integer}}}
        - {name: prefs, in: cookie, schema: {type: object, properties: {theme: {type: string}}}}
        - {name: tags, in: cookie, schema: {type: array, items: {type: string}}}
      responses:
        "204": {description: done}
  /image:
    get:
      operationId: getImage
      responses:
        "200": {description: png, content: {image/png: {schema: {type: string, format: binary}}}}
        "4XX": {description: bad, content: {application/json: {schema: {type: object}}}}
"""


@pytest.fixture(scope="module")
def server() -> Iterator[Recorder]:
    recorder = Recorder()
    yield recorder
    recorder.close()


def _client(pkg: ModuleType, server: Recorder) -> Any:
    return pkg.Client(base_url=server.url, max_retries=0)


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    module, _ = generate_package(tmp_path_factory.mktemp("wire"), SPEC)
    return module


@pytest.fixture(scope="module")
def bracket_pkg(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    module, _ = generate_package(
        tmp_path_factory.mktemp("wire_brackets"), SPEC, multipart_array_brackets=True
    )
    return module


def no_repr(body: bytes) -> None:
    for marker in (b"{'", b"['", b"b'", b"%7B%27", b"%5B%27", b"b%27"):
        assert marker not in body, body


def test_form_body_in_stripe_bracket_form(pkg: ModuleType, server: Recorder) -> None:
    with _client(pkg, server) as client:
        client.post_customers(
            email="jenny@example.com",
            balance=0,
            tax_exempt=False,
            metadata={"order_id": "6735"},
            expand=["default_source"],
            address={"city": "Paris", "line1": "1 rue de Rivoli"},
            line_items=[{"price": "p", "quantity": 2}, {"price": "q", "quantity": 1}],
            settings={"mode": "fast"},
        )
    got = server.last
    assert got.headers["content-type"] == "application/x-www-form-urlencoded"
    no_repr(got.body)
    assert got.form() == [
        ("email", "jenny@example.com"),
        ("balance", "0"),
        ("tax_exempt", "false"),
        ("address[city]", "Paris"),
        ("address[line1]", "1 rue de Rivoli"),
        ("expand[]", "default_source"),
        ("metadata[order_id]", "6735"),
        ("line_items[0][price]", "p"),
        ("line_items[0][quantity]", "2"),
        ("line_items[1][price]", "q"),
        ("line_items[1][quantity]", "1"),
        ("settings", '{"mode":"fast"}'),
    ]
    # the exact bytes: brackets percent-encoded, spaces as `+` (as Stripe's clients send)
    assert got.body == (
        b"email=jenny%40example.com&balance=0&tax_exempt=false"
        b"&address%5Bcity%5D=Paris&address%5Bline1%5D=1+rue+de+Rivoli"
        b"&expand%5B%5D=default_source&metadata%5Border_id%5D=6735"
        b"&line_items%5B0%5D%5Bprice%5D=p&line_items%5B0%5D%5Bquantity%5D=2"
        b"&line_items%5B1%5D%5Bprice%5D=q&line_items%5B1%5D%5Bquantity%5D=1"
        b"&settings=%7B%22mode%22%3A%22fast%22%7D"
    )


def test_stripe_empty_string_unsets(pkg: ModuleType, server: Recorder) -> None:
    with _client(pkg, server) as client:
        client.post_customers(metadata="", address="")
    assert server.last.form() == [("address", ""), ("metadata", "")]


def test_form_arrays_repeat_keys_as_twilio(pkg: ModuleType, server: Recorder) -> None:
    with _client(pkg, server) as client:
        client.create_call(
            to="+15558675310",
            status_callback_event=["initiated", "ringing"],
            record=True,
            tags=["a", "b"],
        )
    got = server.last
    no_repr(got.body)
    assert got.body == (
        b"To=%2B15558675310&StatusCallbackEvent=initiated&StatusCallbackEvent=ringing"
        b"&Record=true&Tags=a%2Cb"
    )


def test_query_deep_object_and_styles(pkg: ModuleType, server: Recorder) -> None:
    with _client(pkg, server) as client:
        client.list_items(
            filter={"status": "open", "owner": {"id": 7}, "open": True},
            ids=[1, 2, 3],
            tag=["x", "y"],
            flag=False,
        )
    got = server.last
    assert got.query == [
        ("filter[status]", "open"),
        ("filter[owner][id]", "7"),
        ("filter[open]", "true"),
        ("ids", "1,2,3"),
        ("tag", "x"),
        ("tag", "y"),
        ("flag", "false"),
    ]
    assert "%7B" not in got.raw_query and "%27" not in got.raw_query


def test_path_label_matrix_simple(pkg: ModuleType, server: Recorder) -> None:
    with _client(pkg, server) as client:
        client.get_styled(color=["blue", "black"], point=[3, 4], ids=[1, 2])
    assert server.last.path == "/label/.blue,black/matrix;point=3;point=4/plain/1,2"


def test_accept_lists_declared_media_types(pkg: ModuleType, server: Recorder) -> None:
    server.replies["/image"] = lambda _: (200, {"Content-Type": "image/png"}, [b"\x89PNG"])
    with _client(pkg, server) as client:
        assert client.get_image() == b"\x89PNG"
        assert server.last.headers["accept"] == "image/png, application/json"
        client.list_items()
        assert server.last.headers["accept"] == "application/json"
        client.create_transcription(file=b"RIFF", model="whisper-1")
        assert server.last.headers["accept"] == "application/json, text/event-stream"


def _part(part: Any) -> tuple[str | None, str | None, str | None, bytes]:
    return (
        part.get_param("name", header="content-disposition"),
        part.get_filename(),
        part.get("content-type"),
        part.get_payload(decode=True),
    )


def test_multipart_file_inputs(pkg: ModuleType, server: Recorder, tmp_path: Path) -> None:
    audio = tmp_path / "speech.wav"
    audio.write_bytes(b"RIFF-path")
    with _client(pkg, server) as client:
        for given, expected in [
            (b"RIFF-bytes", ("file", "file", "application/octet-stream", b"RIFF-bytes")),
            (audio, ("file", "speech.wav", "audio/x-wav", b"RIFF-path")),
            (
                ("a.mp3", b"ID3", "audio/mpeg"),
                ("file", "a.mp3", "audio/mpeg", b"ID3"),
            ),
            (("b.ogg", io.BytesIO(b"OggS")), ("file", "b.ogg", "audio/ogg", b"OggS")),
            (audio.open("rb"), ("file", "speech.wav", "audio/x-wav", b"RIFF-path")),
        ]:
            client.create_transcription(
                file=given,
                model="whisper-1",
                temperature=0.0,
                timestamp_granularities=["word", "segment"],
                meta={"source": "test"},
                stream=False,
            )
            got = server.last
            no_repr(got.body)
            parts = [_part(p) for p in got.parts()]
            first = parts[0]
            assert first[:2] == expected[:2] and first[3] == expected[3]
            assert first[2] in (expected[2], "audio/wav")  # mimetypes differ between systems
            assert parts[1:] == [
                ("model", None, None, b"whisper-1"),
                ("temperature", None, None, b"0.0"),
                ("timestamp_granularities", None, None, b"word"),
                ("timestamp_granularities", None, None, b"segment"),
                ("meta", None, "application/json", b'{"source": "test"}'),
                ("stream", None, None, b"false"),
            ]


def test_multipart_array_brackets_setting(bracket_pkg: ModuleType, server: Recorder) -> None:
    with _client(bracket_pkg, server) as client:
        client.create_transcription(
            file=("a.wav", b"RIFF", "audio/wav"),
            model="whisper-1",
            timestamp_granularities=["word"],
        )
    names = [_part(p)[0] for p in server.last.parts()]
    assert names == ["file", "model", "timestamp_granularities[]"]


def test_string_for_a_binary_field_stays_multipart(pkg: ModuleType, server: Recorder) -> None:
    with _client(pkg, server) as client:
        client.create_transcription(file="plain text content", model="whisper-1")
    got = server.last
    assert got.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert [_part(p) for p in got.parts()][0] == (
        "file",
        "file",
        "application/octet-stream",
        b"plain text content",
    )


def test_multipart_array_of_files(pkg: ModuleType, server: Recorder) -> None:
    with _client(pkg, server) as client:
        client.upload_files(
            files=[b"one", ("two.json", b"{}", "application/json"), io.BytesIO(b"three")],
            purpose="batch",
        )
    got = server.last
    no_repr(got.body)
    assert [_part(p) for p in got.parts()] == [
        ("files", "files", "application/octet-stream", b"one"),
        ("files", "two.json", "application/json", b"{}"),
        ("files", "files", "application/octet-stream", b"three"),
        ("purpose", None, None, b"batch"),
    ]


def test_async_client_sends_the_same_bytes(pkg: ModuleType, server: Recorder) -> None:
    import asyncio

    async def main() -> None:
        async with pkg.AsyncClient(base_url=server.url, max_retries=0) as client:
            await client.create_call(status_callback_event=["initiated", "ringing"])

    asyncio.run(main())
    assert server.last.body == b"StatusCallbackEvent=initiated&StatusCallbackEvent=ringing"


def test_repr_never_reaches_the_wire_even_for_untyped_values(
    pkg: ModuleType, server: Recorder
) -> None:
    with _client(pkg, server) as client:
        client.list_items(extra_query={"x": {"a": 1}, "y": [1, 2]})
    assert "%27" not in server.last.raw_query
    assert json.loads(dict(server.last.query)["x"]) == {"a": 1}


USER_CODE = """
import io
from pathlib import Path

from {name} import Client, FileInput


def send(client: Client, upload: FileInput) -> None:
    client.create_transcription(file=Path("a.wav"), model="m")
    client.create_transcription(file=("a.wav", b"RIFF", "audio/wav"), model="m")
    client.create_transcription(file=io.BytesIO(b"RIFF"), model="m")
    client.create_transcription(file=b"RIFF", model="m")
    client.create_transcription(file=upload, model="m")
    client.upload_files(files=[b"one", Path("two"), ("three", io.BytesIO(b"3"))])
"""


def test_file_inputs_type_check_and_the_package_is_clean(pkg: ModuleType) -> None:
    import subprocess
    import sys

    folder = Path(pkg.__file__ or "").parent
    user = folder.parent / "use_files.py"
    user.write_text(USER_CODE.format(name=pkg.__name__), encoding="utf-8")
    bin_dir = Path(sys.executable).parent
    from generator.contract import RUNTIME_FILES  # (the runtime is checked on its own)

    rendered = [
        f"{pkg.__name__}/{p.name}" for p in folder.glob("*.py") if p.name not in RUNTIME_FILES
    ]
    for tool in (["black", "--check", "-q"], ["ruff", "check", "--isolated", "--select", "F,I"]):
        done = subprocess.run(
            [str(bin_dir / tool[0]), *tool[1:], *rendered],
            capture_output=True,
            text=True,
            cwd=folder.parent,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    checked = subprocess.run(
        [str(bin_dir / "mypy"), "--strict", "--python-version", "3.10", pkg.__name__, user.name],
        capture_output=True,
        text=True,
        cwd=folder.parent,
        timeout=600,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_cli_sends_a_file_from_a_path_or_stdin(
    pkg: ModuleType, server: Recorder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib
    import sys

    audio = tmp_path / "speech.wav"
    audio.write_bytes(b"RIFF-from-cli")
    cli = importlib.import_module(pkg.__name__ + "._cli")
    argv = ["--url", server.url, "create", "transcription", "--model", "whisper-1"]
    assert cli.main([*argv, "--file", f"@{audio}"]) == 0
    first = _part(server.last.parts()[0])
    assert first[:2] == ("file", "speech.wav") and first[3] == b"RIFF-from-cli"

    class Stdin:
        buffer = io.BytesIO(b"RIFF-from-stdin")

    monkeypatch.setattr(sys, "stdin", Stdin())
    assert cli.main([*argv, "--file", "-"]) == 0
    assert _part(server.last.parts()[0]) == (
        "file",
        "file",
        "application/octet-stream",
        b"RIFF-from-stdin",
    )
    assert cli.main([*argv, "--file", f"@{tmp_path / 'missing.wav'}"]) == 2


def test_header_and_cookie_styles(pkg: ModuleType, server: Recorder) -> None:
    with _client(pkg, server) as client:
        client.get_with_headers(
            x_ids=[1, 2],
            x_filter={"role": "admin", "level": 2},
            prefs={"theme": "dark"},
            tags=["a", "b"],
        )
    got = server.last.headers
    assert got["x-ids"] == "1,2"
    assert got["x-filter"] == "role=admin,level=2"
    assert got["cookie"] == "prefs=theme,dark; tags=a,b"
