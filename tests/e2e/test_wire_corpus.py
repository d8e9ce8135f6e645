"""The stripe, twilio and openai packages from the corpus send the bytes their APIs expect.

Each spec is generated once (only the operations used, `operations=`), then called against a
loopback server that records the body. The expected bytes are what the APIs' own clients
send for the same call, recorded here (the libraries are not dependencies):

- stripe (`curl -d` examples of Stripe's API reference, stripe-ruby `Util.flatten_params`):
  `metadata[order_id]=6735`, `expand[]=default_source`, `address[city]=Paris`,
  `line_items[0][price]=price_1&line_items[0][quantity]=2`;
- twilio (twilio-python `values.of` + `serialize.map`): one `StatusCallbackEvent=` pair per item;
- openai (openai-python `extract_files`/`_build_multipart`): the file part with its filename
  and type, text parts, `timestamp_granularities[]` once per item.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import SHARED_SPECS, generate_package, requires_shared
from recording_server import Recorder

pytestmark = [pytest.mark.corpus, requires_shared()]

CORPUS = SHARED_SPECS / "corpus"


def _generate(
    tmp: pytest.TempPathFactory, spec: str, operations: tuple[str, ...], **config: Any
) -> ModuleType:
    path = CORPUS / spec
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    text = path.read_text(encoding="utf-8")
    folder = tmp.mktemp(spec.split("/")[0].replace("-", "_"))
    if path.suffix == ".json":
        import json

        module, _ = generate_package(folder, json.loads(text), operations=operations, **config)
    else:
        module, _ = generate_package(folder, text, operations=operations, **config)
    return module


@pytest.fixture(scope="module")
def server() -> Iterator[Recorder]:
    recorder = Recorder()
    yield recorder
    recorder.close()


def no_repr(body: bytes) -> None:
    for marker in (b"{'", b"['", b"b'", b"%7B%27", b"%5B%27", b"b%27"):
        assert marker not in body, body


def test_stripe_create_customer_and_checkout_session(
    tmp_path_factory: pytest.TempPathFactory, server: Recorder
) -> None:
    stripe = _generate(
        tmp_path_factory, "stripe/spec3.yaml", ("PostCustomers", "PostCheckoutSessions")
    )
    with stripe.Client(base_url=server.url, api_key="sk_test_x", max_retries=0) as client:
        client.post_customers(
            email="jenny.rosen@example.com",
            metadata={"order_id": "6735"},
            expand=["default_source"],
            address={"city": "Paris", "country": "FR", "line1": "1 rue de Rivoli"},
            preferred_locales=["fr", "en"],
        )
        customer = server.last
        client.post_checkout_sessions(
            success_url="https://example.com/success",
            mode="payment",
            line_items=[{"price": "price_1", "quantity": 2}, {"price": "price_2", "quantity": 1}],
            expand=["line_items"],
        )
        session = server.last
    assert customer.path == "/v1/customers"
    assert customer.headers["content-type"] == "application/x-www-form-urlencoded"
    no_repr(customer.body)
    assert customer.body == (
        b"address%5Bcity%5D=Paris&address%5Bcountry%5D=FR"
        b"&address%5Bline1%5D=1+rue+de+Rivoli"
        b"&email=jenny.rosen%40example.com"
        b"&expand%5B%5D=default_source"
        b"&metadata%5Border_id%5D=6735"
        b"&preferred_locales%5B%5D=fr&preferred_locales%5B%5D=en"
    )
    no_repr(session.body)
    assert session.form() == [
        ("expand[]", "line_items"),
        ("line_items[0][price]", "price_1"),
        ("line_items[0][quantity]", "2"),
        ("line_items[1][price]", "price_2"),
        ("line_items[1][quantity]", "1"),
        ("mode", "payment"),
        ("success_url", "https://example.com/success"),
    ]


def test_twilio_create_call_repeats_keys(
    tmp_path_factory: pytest.TempPathFactory, server: Recorder
) -> None:
    twilio = _generate(
        tmp_path_factory, "twilio-api-v2010/twilio_api_v2010.json", ("CreateCall",)
    )
    with twilio.Client(base_url=server.url, username="AC1", password="t", max_retries=0) as c:
        c.create_call(
            account_sid="AC" + "0123456789abcdef" * 2,
            to="+15558675310",
            from_="+15017122661",
            url="http://demo.twilio.com/docs/voice.xml",
            status_callback_event=["initiated", "ringing"],
            record=True,
        )
    got = server.last
    assert got.path == "/2010-04-01/Accounts/AC" + "0123456789abcdef" * 2 + "/Calls.json"
    no_repr(got.body)
    # in the spec's property order, as twilio-python sends its `data` dict
    assert got.body == (
        b"To=%2B15558675310&From=%2B15017122661"
        b"&StatusCallbackEvent=initiated&StatusCallbackEvent=ringing&Record=true"
        b"&Url=http%3A%2F%2Fdemo.twilio.com%2Fdocs%2Fvoice.xml"
    )


@pytest.fixture(scope="module")
def openai(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return _generate(
        tmp_path_factory,
        "openai/openapi.yaml",
        ("createTranscription", "createChatCompletion", "createSpeech"),
        multipart_array_brackets=True,
    )


def test_openai_transcription_multipart(
    openai: ModuleType, server: Recorder, tmp_path: Path
) -> None:
    audio = tmp_path / "speech.mp3"
    audio.write_bytes(b"ID3-path")
    server.replies["/audio/transcriptions"] = lambda _: (
        200,
        {"Content-Type": "application/json"},
        [b'{"text": "hello"}'],
    )
    with openai.Client(base_url=server.url, api_key="sk-x", max_retries=0) as client:
        for given, filename, content in [
            (b"ID3-bytes", "file", b"ID3-bytes"),
            (audio, "speech.mp3", b"ID3-path"),
            (("a.mp3", io.BytesIO(b"ID3-tuple"), "audio/mpeg"), "a.mp3", b"ID3-tuple"),
        ]:
            client.create_transcription(
                file=given,
                model="whisper-1",
                response_format="verbose_json",
                timestamp_granularities=["word", "segment"],
            )
            got = server.last
            no_repr(got.body)
            assert got.headers["accept"].startswith("application/json, text/event-stream")
            parts = [
                (
                    p.get_param("name", header="content-disposition"),
                    p.get_filename(),
                    p.get_payload(decode=True),
                )
                for p in got.parts()
            ]
            assert parts == [
                ("file", filename, content),
                ("model", None, b"whisper-1"),
                ("response_format", None, b"verbose_json"),
                ("timestamp_granularities[]", None, b"word"),
                ("timestamp_granularities[]", None, b"segment"),
            ]


def _chunk(content: str) -> bytes:
    chunk = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "gpt-4o",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}],
    }
    return f"data: {json.dumps(chunk)}\n\n".encode()


def test_openai_chat_completion_streams_chunks(openai: ModuleType, server: Recorder) -> None:
    server.replies["/chat/completions"] = lambda _: (
        200,
        {"Content-Type": "text/event-stream"},
        [_chunk("Hel"), 0.05, _chunk("lo"), b"data: [DONE]\n\n"],
    )
    with openai.Client(base_url=server.url, api_key="sk-x", max_retries=0) as client:
        stream = client.create_chat_completion(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}], stream=True
        )
        assert isinstance(stream, openai.Stream)
        chunks = list(stream)
    assert server.last.headers["accept"] == "application/json, text/event-stream"
    assert json.loads(server.last.body)["stream"] is True
    assert [type(c).__name__ for c in chunks] == ["CreateChatCompletionStreamResponse"] * 2
    assert "".join(c.choices[0].delta.content for c in chunks) == "Hello"


def test_openai_speech_download_accepts_audio(openai: ModuleType, server: Recorder) -> None:
    server.replies["/audio/speech"] = lambda _: (
        200,
        {"Content-Type": "application/octet-stream"},
        [b"ID3", b"-audio"],
    )
    with openai.Client(base_url=server.url, api_key="sk-x", max_retries=0) as client:
        with client.with_streaming_response.create_speech(
            model="gpt-4o-mini-tts", input="Hello", voice="alloy"
        ) as response:
            assert b"".join(response.iter_bytes()) == b"ID3-audio"
    accept = "application/octet-stream, text/event-stream, application/json"  # errors: JSON
    assert server.last.headers["accept"] == accept


def test_openai_package_passes_mypy_strict(openai: ModuleType) -> None:
    folder = Path(openai.__file__ or "").parent
    checked = subprocess.run(
        [str(Path(sys.executable).parent / "mypy"), "--strict", "--python-version", "3.10"]
        + [openai.__name__],
        capture_output=True,
        text=True,
        cwd=folder.parent,
        timeout=900,
    )
    assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-2000:]
