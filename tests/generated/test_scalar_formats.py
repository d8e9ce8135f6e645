"""Native scalar types (issue 12, item 3): `date-time`, `date`, `time`, `uuid`, `byte`, `decimal`.

A response decodes them to `datetime.datetime` (timezone kept, a trailing `Z` read on 3.10 too),
`datetime.date`, `datetime.time`, `uuid.UUID`, `bytes` and `decimal.Decimal`; a value that does
not parse is kept as the raw string. Arguments and model fields take the native type or text in
the right format, and what goes on the wire is JSON-safe (ISO 8601, canonical UUID text, base64,
a decimal as the JSON string or number the schema says). The requests go to a loopback
`http.server` that parses them; the CLI parses the text forms; the package passes mypy --strict.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import http.server
import importlib
import json
import subprocess
import sys
import threading
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import generate_package

from generator.model import ListOf, Nullable, Primitive
from generator.render.types import Imports, annotation, descriptor, type_label

SPEC = """
openapi: 3.1.0
info: {title: Scalars, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /events/{event_id}:
    put:
      operationId: putEvent
      parameters:
        - {name: event_id, in: path, required: true, schema: {type: string, format: uuid}}
        - {name: since, in: query, schema: {type: string, format: date-time}}
        - {name: days, in: query, schema: {type: array, items: {type: string, format: date}}}
        - {name: X-At, in: header, schema: {type: string, format: time}}
        - {name: limit, in: query, schema: {type: number, format: decimal, maximum: 10}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Event'}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Event'}}}
  /stamps:
    post:
      operationId: createStamp
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [created_at]
              properties:
                created_at: {type: string, format: date-time}
                amount: {type: string, format: decimal}
                price: {type: number, format: decimal}
                blob: {type: string, format: byte}
                ids: {type: array, items: {type: string, format: uuid}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: object, additionalProperties: true}}}
  /now:
    get:
      operationId: getNow
      responses:
        "200":
          description: the server's clock
          content:
            application/json:
              schema: {type: array, items: {type: string, format: date-time}}
components:
  schemas:
    Event:
      type: object
      required: [key, created_at]
      properties:
        key: {type: string, format: uuid}
        created_at: {type: string, format: date-time}
        day: {type: string, format: date}
        at: {type: string, format: time}
        amount: {type: string, format: decimal}
        price: {type: number, format: decimal}
        blob: {type: string, format: byte}
        maybe: {type: [string, "null"], format: date-time}
        stamps: {type: array, items: {type: string, format: date-time}}
        attachment: {type: string, format: binary}
    Tagged:
      type: object
      properties:
        uuid: {type: string, format: uuid}
        other: {type: string, format: uuid}
        datetime: {type: string, format: date-time}
        later: {type: string, format: date-time}
"""

EVENT_ID = uuid.UUID("12345678-1234-5678-1234-567812345678")
WIRE_EVENT = {
    "key": str(EVENT_ID),
    "created_at": "2024-01-02T03:04:05.123Z",
    "day": "2024-02-29",
    "at": "10:11:12+02:00",
    "amount": "12.50",
    "price": 3.25,
    "blob": base64.b64encode(b"\x00\xffhello").decode(),
    "maybe": None,
    "stamps": ["2024-01-02T03:04:05+05:30", "2024-13-45"],
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Path]:
    return generate_package(tmp_path_factory.mktemp("scalars"), SPEC)


@pytest.fixture(scope="module")
def pkg(generated: tuple[ModuleType, Path]) -> ModuleType:
    return generated[0]


def cli(pkg: ModuleType) -> ModuleType:
    return importlib.import_module(pkg.__name__ + "._cli")


def words_of(pkg: ModuleType, method: str) -> tuple[str, ...]:
    (command,) = [c for c in cli(pkg).COMMANDS if c.method == method]
    return tuple(command.words)


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every request with `reply` and records what it parsed."""

    seen: list[dict[str, Any]] = []
    reply: Any = WIRE_EVENT

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        Recorder.seen.append(
            {
                "method": self.command,
                "path": urllib.parse.unquote(url.path),
                "query": urllib.parse.parse_qs(url.query),
                "headers": dict(self.headers),
                "json": json.loads(body) if body else None,
            }
        )
        data = json.dumps(Recorder.reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = _handle

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def seen() -> list[dict[str, Any]]:
    Recorder.seen.clear()
    Recorder.reply = WIRE_EVENT
    return Recorder.seen


# --------------------------------------------------------------------------------------------
# The IR and its projections


def test_formats_become_native_primitives(pkg: ModuleType) -> None:
    from generator.keywords import scalar

    assert scalar("string", "date-time") == Primitive("datetime", "date-time")
    assert scalar("string", "time") == Primitive("time", "time")
    assert scalar("string", "byte") == Primitive("bytes", "byte")
    assert scalar("number", "decimal") == Primitive("decimal", "number")
    assert scalar("string", "email") == Primitive("str", "email")
    imports = Imports()
    assert annotation(ListOf(Primitive("time", "time")), imports) == "list[datetime.time]"
    assert imports.block() == "import datetime"
    loose = annotation(Nullable(Primitive("uuid", "uuid")), Imports(), loose_enums={})
    assert loose == "uuid.UUID | str | None"
    assert descriptor(Primitive("bytes", "byte"), Imports()) == '"base64"'
    assert descriptor(Primitive("decimal", "number"), Imports()) == '"decimal_number"'
    assert type_label(Primitive("datetime", "date-time")) == "string (date-time)"


# --------------------------------------------------------------------------------------------
# Decoding


def test_response_decodes_to_native_types(pkg: ModuleType) -> None:
    event = pkg.models.Event.from_dict(WIRE_EVENT)
    assert event.key == EVENT_ID
    assert event.created_at == datetime.datetime(
        2024, 1, 2, 3, 4, 5, 123000, tzinfo=datetime.timezone.utc
    )
    assert event.day == datetime.date(2024, 2, 29)
    assert event.at == datetime.time(10, 11, 12, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    assert event.amount == decimal.Decimal("12.50") and str(event.amount) == "12.50"
    assert event.price == decimal.Decimal("3.25")
    assert event.blob == b"\x00\xffhello"
    assert event.maybe is None
    offset = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
    assert event.stamps[0] == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=offset)
    assert event.stamps[1] == "2024-13-45"  # kept raw, never lost


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("created_at", "2024-13-45"),
        ("created_at", "yesterday"),
        ("day", "2024-02-30"),
        ("at", "25:00"),
        ("key", "not-a-uuid"),
        ("amount", "twelve"),
        ("blob", "%%%"),
        ("created_at", 17),
    ],
)
def test_a_value_that_does_not_parse_is_kept_raw(pkg: ModuleType, field: str, bad: Any) -> None:
    event = pkg.models.Event.from_dict({**WIRE_EVENT, field: bad})
    assert getattr(event, field) == bad
    assert event.to_dict()[field] == bad  # and sent back as it came


def test_datetime_text_forms(pkg: ModuleType) -> None:
    parse_datetime, parse_time = pkg._scalars.parse_datetime, pkg._scalars.parse_time

    utc = datetime.timezone.utc
    assert parse_datetime("2024-01-02T03:04:05Z") == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=utc)
    assert parse_datetime("2024-01-02t03:04:05.1z") == datetime.datetime(
        2024, 1, 2, 3, 4, 5, 100000, tzinfo=utc
    )
    assert parse_datetime("2024-01-02T03:04:05.123456789+01:00") == datetime.datetime(
        2024, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )
    assert parse_datetime("2024-01-02T03:04:05") == datetime.datetime(2024, 1, 2, 3, 4, 5)
    assert parse_datetime("2024-01-02") is None
    assert parse_time("03:04:05Z") == datetime.time(3, 4, 5, tzinfo=utc)


# --------------------------------------------------------------------------------------------
# Encoding and validation, through a server that parses the request


def test_model_to_dict_is_json_safe(pkg: ModuleType) -> None:
    event = pkg.models.Event.from_dict(WIRE_EVENT)
    data = event.to_dict()
    json.dumps(data)
    assert data["created_at"] == "2024-01-02T03:04:05.123000+00:00"
    assert data["key"] == str(EVENT_ID)
    assert data["amount"] == "12.50"
    assert data["price"] == 3.25
    assert data["blob"] == WIRE_EVENT["blob"]
    assert data["day"] == "2024-02-29" and data["at"] == "10:11:12+02:00"
    assert pkg.models.Event.from_dict(data) == event


def test_native_arguments_go_on_the_wire_as_text(
    pkg: ModuleType, server: str, seen: list[dict[str, Any]]
) -> None:
    with pkg.Client(base_url=server, api_key="k") as client:
        result = client.put_event(
            event_id=EVENT_ID,
            since=datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),
            days=[datetime.date(2024, 1, 1), "2024-01-02"],
            x_at=datetime.time(12, 30),
            limit=decimal.Decimal("2.5"),
            key=EVENT_ID,
            created_at=datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc),
            amount=decimal.Decimal("0.10"),
            price=decimal.Decimal("7"),
            blob=b"hi",
        )
    assert isinstance(result.created_at, datetime.datetime)
    (request,) = seen
    assert request["path"] == f"/events/{EVENT_ID}"
    assert request["query"] == {
        "since": ["2024-01-01T00:00:00+00:00"],
        "days": ["2024-01-01", "2024-01-02"],
        "limit": ["2.5"],
    }
    assert request["headers"]["X-At"] == "12:30:00"
    assert request["json"] == {
        "key": str(EVENT_ID),
        "created_at": "2024-05-06T07:08:09+00:00",
        "amount": "0.10",
        "price": 7,
        "blob": "aGk=",
    }


def test_text_arguments_are_still_accepted(
    pkg: ModuleType, server: str, seen: list[dict[str, Any]]
) -> None:
    with pkg.Client(base_url=server, api_key="k") as client:
        client.create_stamp(
            created_at="2024-01-02T03:04:05Z",
            amount="1.000",
            price="2.50",
            blob="aGk=",
            ids=[str(EVENT_ID), EVENT_ID],
        )
    assert seen[0]["json"] == {
        "created_at": "2024-01-02T03:04:05Z",
        "amount": "1.000",
        "price": 2.5,
        "blob": "aGk=",
        "ids": [str(EVENT_ID), str(EVENT_ID)],
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"created_at": "2024-13-45"}, "created_at must be a datetime.datetime"),
        ({"created_at": 1700000000}, "created_at must be a datetime.datetime"),
        ({"created_at": datetime.date(2024, 1, 1)}, "created_at must be a datetime.datetime"),
        ({"amount": "ten"}, "amount must be a decimal.Decimal"),
        ({"amount": True}, "amount must be a decimal.Decimal"),
        ({"blob": 5}, "blob must be bytes or base64 text"),
        ({"ids": ["nope"]}, "ids must be"),
    ],
)
def test_wrong_values_are_refused_before_sending(
    pkg: ModuleType, seen: list[dict[str, Any]], kwargs: dict[str, Any], message: str
) -> None:
    args = {"created_at": datetime.datetime(2024, 1, 1), **kwargs}
    with pkg.Client(base_url="http://127.0.0.1:9", api_key="k") as client:
        with pytest.raises(pkg.RequestValidationError, match=message):
            client.create_stamp(**args)
    assert seen == []


def test_decimal_constraints_apply(pkg: ModuleType) -> None:
    with pkg.Client(base_url="http://127.0.0.1:9", api_key="k") as client:
        with pytest.raises(pkg.RequestValidationError, match="limit must be <= 10"):
            client.put_event(
                event_id=EVENT_ID,
                limit=decimal.Decimal("10.5"),
                key=EVENT_ID,
                created_at=datetime.datetime(2024, 1, 1),
            )


# --------------------------------------------------------------------------------------------
# The CLI


def test_cli_parses_the_text_forms(
    pkg: ModuleType, server: str, seen: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    Recorder.reply = {"ok": True}
    code = cli(pkg).main(
        [
            "--url",
            server,
            *words_of(pkg, "create_stamp"),
            "--created_at",
            "2024-01-02T03:04:05Z",
            "--amount",
            "1.10",
            "--price",
            "3",
            "--blob",
            "aGk=",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert seen[0]["json"] == {
        "created_at": "2024-01-02T03:04:05Z",  # as typed
        "amount": "1.10",
        "price": 3,
        "blob": "aGk=",
    }


def test_cli_refuses_bad_text(pkg: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    words = words_of(pkg, "create_stamp")
    code = cli(pkg).main([*words, "--created_at", "2024-13-45", "--dry-run"])
    assert code == 2
    assert "expected a datetime.datetime or ISO 8601 date-time text" in capsys.readouterr().err


def test_cli_prints_native_values_as_text(
    pkg: ModuleType, server: str, seen: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    words = words_of(pkg, "put_event")
    argv = ["--url", server, "--raw", *words, str(EVENT_ID), "--key", str(EVENT_ID)]
    code = cli(pkg).main([*argv, "--created_at", "2024-01-01T00:00:00Z"])
    out, err = capsys.readouterr()
    assert code == 0, err
    printed = json.loads(out)
    assert pkg._scalars.parse_datetime(printed["created_at"]) == datetime.datetime(
        2024, 1, 2, 3, 4, 5, 123000, tzinfo=datetime.timezone.utc
    )
    assert printed["stamps"][1] == "2024-13-45"
    assert seen[0]["json"] == {"key": str(EVENT_ID), "created_at": "2024-01-01T00:00:00Z"}


# --------------------------------------------------------------------------------------------
# Types: what mypy users see


def test_annotations_say_the_native_types(generated: tuple[ModuleType, Path]) -> None:
    _, out = generated
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    models = (folder / "models.py").read_text(encoding="utf-8")
    assert "created_at: datetime.datetime\n" in models
    assert "at: datetime.time | Unset = UNSET" in models
    assert "blob: bytes | Unset = UNSET" in models
    assert {"import datetime", "import decimal", "import uuid"} <= set(models.splitlines())
    client = "".join(p.read_text(encoding="utf-8") for p in folder.glob("*client*.py"))
    assert "since: datetime.datetime | str | Unset = UNSET" in client
    assert "limit: decimal.Decimal | float | str | Unset = UNSET" in client


def test_a_field_named_like_a_module_does_not_hide_it(pkg: ModuleType) -> None:
    tagged = pkg.models.Tagged.from_dict(
        {
            "uuid": str(EVENT_ID),
            "other": str(EVENT_ID),
            "datetime": "2024-01-01T00:00:00Z",
            "later": "2024-01-01T00:00:00Z",
        }
    )
    names = {f.wire: f.name for f in tagged._all_fields()}  # `uuid`, or `uuid_` if renamed
    assert getattr(tagged, names["uuid"]) == tagged.other == EVENT_ID
    assert isinstance(getattr(tagged, names["datetime"]), datetime.datetime)
    assert isinstance(tagged.later, datetime.datetime)


def test_generated_package_passes_ruff_and_mypy_strict(generated: tuple[ModuleType, Path]) -> None:
    module, out = generated
    bin_dir = Path(sys.executable).parent
    linted = subprocess.run(
        [str(bin_dir / "ruff"), "check", "--isolated", "--select", "F,I", module.__name__],
        capture_output=True,
        text=True,
        cwd=out,
    )
    assert linted.returncode == 0, linted.stdout
    checked = subprocess.run(
        [str(bin_dir / "mypy"), "--strict", "--python-version", "3.10", module.__name__],
        capture_output=True,
        text=True,
        cwd=out,
        timeout=600,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_binary_inside_json_is_utf8_text_as_pydantic_sends_it(
    pkg: ModuleType, server: str, seen: list[dict[str, Any]]
) -> None:
    event = pkg.models.Event.from_dict({**WIRE_EVENT, "attachment": "héllo"})
    assert event.attachment == "héllo".encode()
    assert event.to_dict()["attachment"] == "héllo"
    odd = pkg.models.Event(key=EVENT_ID, created_at=datetime.datetime(2024, 1, 1), attachment=b"\xff")
    assert odd.to_dict()["attachment"] == "/w=="  # not UTF-8: base64, the only other way
    with pkg.Client(base_url=server, api_key="k") as client:
        client.put_event(
            event_id=EVENT_ID, key=EVENT_ID, created_at="2024-01-01T00:00:00Z", attachment=b"hi"
        )
    assert seen[0]["json"]["attachment"] == "hi"


def test_a_bare_scalar_response_decodes(
    pkg: ModuleType, generated: tuple[ModuleType, Path], server: str, seen: list[dict[str, Any]]
) -> None:
    Recorder.reply = ["2024-01-02T03:04:05Z", "later"]
    with pkg.Client(base_url=server, api_key="k") as client:
        now = client.get_now()
    assert now == [datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), "later"]
    ops = (generated[1] / pkg.__name__ / "_ops.py").read_text(encoding="utf-8")
    assert "GET_NOW: Op[list[datetime.datetime]]" in ops and "\nimport datetime\n" in ops
