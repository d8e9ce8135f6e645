"""The generated CLI on real specs (issue 15): openai and stripe, a few operations each.

Plain strings for union flags, `--data @file` and `--data -`, a list response as a table and a
binary response to `--output`, each against a loopback server that parses the request.
"""

from __future__ import annotations

import importlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import pytest
from cli_loopback import Recorder, loopback
from conftest import SHARED_SPECS, generate_package, requires_shared

pytestmark = requires_shared()
OPENAI = SHARED_SPECS / "corpus" / "openai" / "openapi.yaml"
STRIPE = SHARED_SPECS / "corpus" / "stripe" / "spec3.yaml"
JSON_OK = (b'{"success": true}', "application/json")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with loopback() as url:
        yield url


def _package(factory: pytest.TempPathFactory, spec: Path, operations: tuple[str, ...]) -> Any:
    if not spec.is_file():
        pytest.skip(f"{spec} is absent")
    pkg, _ = generate_package(
        factory.mktemp(spec.parent.name), spec.read_text("utf-8"), operations=operations
    )
    return importlib.import_module(pkg.__name__ + "._cli")


@pytest.fixture(scope="module")
def openai(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    ops = ("createChatCompletion", "listModels", "createSpeech")
    return _package(tmp_path_factory, OPENAI, ops)


@pytest.fixture(scope="module")
def stripe(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return _package(tmp_path_factory, STRIPE, ("GetCustomers", "PostCustomers"))


def call(
    cli: ModuleType, server: str, capsys: Any, *argv: str, reply: tuple[bytes, str] = JSON_OK
) -> tuple[int, str, str, dict[str, Any]]:
    Recorder.seen.clear()
    Recorder.reply = reply
    try:
        code = cli.main(["--url", server, "--api-key", "sk-1", "--max-retries", "0", *argv])
    finally:
        Recorder.reply = JSON_OK
    out, err = capsys.readouterr()
    return code, out, err, (Recorder.seen[-1] if Recorder.seen else {})


MESSAGES = '[{"role": "user", "content": "hi"}]'


def test_openai_plain_string_for_a_union_flag(
    openai: ModuleType, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["create", "chat", "completion", "--model", "gpt-4o", "--messages", MESSAGES]
    code, _, err, request = call(openai, server, capsys, *argv, "--stop", "END")
    assert code == 0, err
    assert request["path"] == "/chat/completions"
    assert request["body"] == {
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": "hi"}],
        "stop": "END",
    }
    code, _, err, request = call(openai, server, capsys, *argv, "--stop", '["a", "b"]')
    assert code == 0, err
    assert request["body"]["stop"] == ["a", "b"]


def test_openai_data_from_a_file_and_from_stdin(
    openai: ModuleType,
    server: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "seed": 7}
    (tmp_path / "req.json").write_text(json.dumps(body), encoding="utf-8")
    argv = ["create", "chat", "completion", "--data", f"@{tmp_path / 'req.json'}"]
    code, _, err, request = call(openai, server, capsys, *argv)
    assert code == 0, err
    assert request["body"] == body
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(body)))
    argv = ["create", "chat", "completion", "--data", "-", "--model", "o3"]
    code, _, err, request = call(openai, server, capsys, *argv)
    assert code == 0, err
    assert request["body"] == {**body, "model": "o3"}


def test_openai_models_as_a_table(
    openai: ModuleType, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    models = {
        "object": "list",
        "data": [
            {"id": "gpt-4o", "object": "model", "created": 1715367049, "owned_by": "system"},
            {"id": "o3", "object": "model", "created": 1744225308, "owned_by": "system"},
        ],
    }
    reply = (json.dumps(models).encode(), "application/json")
    code, out, err, request = call(
        openai, server, capsys, "list", "models", "--format", "table", reply=reply
    )
    assert code == 0, err
    assert request["path"] == "/models"
    assert out.splitlines() == [
        "id      object  created     owned_by",
        "gpt-4o  model   1715367049  system",
        "o3      model   1744225308  system",
    ]


def test_openai_speech_to_output(
    openai: ModuleType, server: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    audio = b"ID3\x04\x00" + bytes(range(256))
    target = tmp_path / "speech.mp3"
    argv = ["create", "speech", "--model", "tts-1", "--input", "Hello", "--voice", "alloy"]
    code, out, err, request = call(
        openai, server, capsys, *argv, "--output", str(target), reply=(audio, "audio/mpeg")
    )
    assert code == 0, err
    assert request["body"] == {"model": "tts-1", "input": "Hello", "voice": "alloy"}
    assert target.read_bytes() == audio and out == ""


def test_stripe_customers_table_and_form_data(
    stripe: ModuleType, server: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = {
        "object": "list",
        "url": "/v1/customers",
        "has_more": False,
        "data": [
            {"id": "cus_1", "object": "customer", "email": "a@x.io", "address": {"city": "P"}},
            {"id": "cus_22", "object": "customer", "email": None, "livemode": False},
        ],
    }
    reply = (json.dumps(page).encode(), "application/json")
    code, out, err, _ = call(
        stripe, server, capsys, "get", "customers", "--format", "table", reply=reply
    )
    assert code == 0, err
    assert out.splitlines() == [
        "id      object    email   livemode",
        "cus_1   customer  a@x.io",
        "cus_22  customer          false",
    ]
    (tmp_path / "c.json").write_text(
        json.dumps({"email": "a@x.io", "metadata": {"k": "v"}}), encoding="utf-8"
    )
    argv = ["post", "customers", "--data", f"@{tmp_path / 'c.json'}", "--name", "Ann"]
    code, _, err, request = call(stripe, server, capsys, *argv)
    assert code == 0, err
    form = dict(parse_qsl(request["body"].decode()))
    assert form == {"email": "a@x.io", "metadata[k]": "v", "name": "Ann"}
    # a union of an object and the empty string (Stripe's "unset") takes '' as typed
    code, _, err, request = call(stripe, server, capsys, "post", "customers", "--metadata", "")
    assert code == 0, err
    assert request["body"] == b"metadata="
