"""The generated CLI takes values as users type them, and the `x-cli-*` extensions (issue 15).

A small inline spec, generated and run against a loopback server that parses each request:
union flags with a string member take bare text, booleans and arrays in every usual spelling,
`x-cli-usage` / `x-cli-positional` / `x-cli-aliases` / `x-cli-default`, help without HTML,
`--data` for a whole body, `--format`, binary output and shell completion.
"""

from __future__ import annotations

import importlib
import io
import json
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from cli_loopback import Recorder, loopback
from conftest import generate_package

SPEC = """
openapi: 3.0.3
info: {title: Values, version: "1"}
servers: [{url: "http://localhost:1"}]
paths:
  /chats/{id}:
    post:
      operationId: createChat
      summary: Create a chat
      description: "<p>Makes a <b>chat</b> with a <a href='https://x'>model</a>.</p>\\n\\nCLI Usage: `vals create chat <id> <model> [--stream]`"
      x-cli-aliases: ["mk chat", "create chat"]
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: client_id, in: query, required: true, schema: {type: string}, x-cli-default: me}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [model]
              properties:
                model:
                  anyOf: [{type: string}, {type: string, enum: [gpt-4o, gpt-4]}]
                stop:
                  oneOf: [{type: string}, {type: array, items: {type: string}}]
                n:
                  oneOf: [{type: string}, {type: integer}]
                stream: {type: boolean}
                tags: {type: array, items: {type: string}}
                sizes: {type: array, items: {type: integer}}
                meta: {type: object, additionalProperties: true}
                note: {}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /items:
    get:
      operationId: listItems
      x-cli-usage: "vals list items [<limit>]"
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: kind, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {data: {type: array, items: {type: object}}}}
  /pairs:
    put:
      operationId: putPair
      x-cli-positional: [value, key]
      description: "CLI Usage: `vals put pair <nothing> <key>`"
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties: {key: {type: string}, value: {type: integer}}
      responses:
        "200": {description: ok}
  /files/{name}:
    get:
      operationId: getFile
      description: "CLI Usage: `vals get file <name> <nothing>`"
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content: {application/octet-stream: {schema: {type: string, format: binary}}}
"""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with loopback() as url:
        yield url


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Any]:
    folder = tmp_path_factory.mktemp("values")
    pkg, _ = generate_package(folder, SPEC, cli_name="vals")
    return pkg, importlib.import_module(pkg.__name__ + "._cli")


def call(
    generated: tuple[ModuleType, Any], server: str, capsys: Any, *argv: str
) -> tuple[int, str, str, dict[str, Any]]:
    Recorder.seen.clear()
    code = generated[1].main(["--url", server, "--max-retries", "0", *argv])
    out, err = capsys.readouterr()
    return code, out, err, (Recorder.seen[-1] if Recorder.seen else {})


def body_of(generated: Any, server: str, capsys: Any, *argv: str) -> Any:
    code, _, err, request = call(generated, server, capsys, "create", "chat", "1", *argv)
    assert code == 0, err
    return request["body"]


def test_a_union_with_a_string_takes_bare_text_and_json_of_its_other_member(
    generated: Any, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert body_of(generated, server, capsys, "gpt-4o") == {"model": "gpt-4o"}
    assert body_of(generated, server, capsys, "--model", "my model") == {"model": "my model"}
    body = body_of(generated, server, capsys, "m", "--stop", '["a","b"]', "--n", "3")
    assert body == {"model": "m", "stop": ["a", "b"], "n": 3}
    # JSON that is not another member's shape stays text
    body = body_of(generated, server, capsys, "m", "--stop", "true", "--n", '["x"]')
    assert body == {"model": "m", "stop": "true", "n": '["x"]'}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--stream"], True),
        (["--no-stream"], False),
        (["--stream", "false"], False),
        (["--stream", "yes"], True),
        (["--stream=0"], False),
        (["--stream", "1"], True),
    ],
)
def test_booleans_as_typed(
    generated: Any, server: str, capsys: pytest.CaptureFixture[str], argv: list[str], expected: bool
) -> None:
    assert body_of(generated, server, capsys, "m", *argv)["stream"] is expected


def test_a_bad_boolean_is_a_usage_error(
    generated: Any, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err, request = call(
        generated, server, capsys, "create", "chat", "1", "m", "--stream", "maybe"
    )
    assert code == 2 and "expected true/false" in err and request == {}


@pytest.mark.parametrize(
    "argv",
    [
        ["--tags", "a", "--tags", "b", "--sizes", "1", "--sizes", "2"],
        ["--tags", "a", "b", "--sizes", "1", "2"],
        ["--tags", '["a","b"]', "--sizes", "[1, 2]"],
    ],
)
def test_arrays_repeated_several_or_json(
    generated: Any, server: str, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    body = body_of(generated, server, capsys, "m", *argv)
    assert body["tags"] == ["a", "b"] and body["sizes"] == [1, 2]


def test_free_form_values_take_json_or_text(
    generated: Any, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    body = body_of(generated, server, capsys, "m", "--meta", '{"a": 1}', "--note", "hello")
    assert body["meta"] == {"a": 1} and body["note"] == "hello"


def test_x_cli_default_fills_in_what_the_user_leaves_out(
    generated: Any, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, err, request = call(generated, server, capsys, "create", "chat", "7", "m")
    assert request["path"] == "/chats/7" and request["query"] == {"client_id": "me"}, err
    _, _, _, request = call(
        generated, server, capsys, "create", "chat", "7", "m", "--client_id", "u9"
    )
    assert request["query"] == {"client_id": "u9"}


def test_x_cli_aliases_are_the_same_command(
    generated: Any, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err, request = call(generated, server, capsys, "mk", "chat", "7", "m")
    assert code == 0, err
    assert request["method"] == "POST" and request["path"] == "/chats/7"


def test_x_cli_usage_and_x_cli_positional(
    generated: Any, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    Recorder.reply = (b'{"data": []}', "application/json")
    try:
        code, _, err, request = call(generated, server, capsys, "list", "items", "5")
    finally:
        Recorder.reply = (b'{"success": true}', "application/json")
    assert code == 0, err
    assert request["query"] == {"limit": "5"}
    code, _, err, request = call(generated, server, capsys, "put", "pair", "3", "k")
    assert code == 0, err
    assert request["body"] == {"value": 3, "key": "k"}


def test_help_shows_the_usage_and_positionals_without_html(
    generated: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generated[1].main(["create", "chat", "--help"]) == 0
    out = capsys.readouterr().out
    assert "Makes a chat with a model." in out
    assert "<p>" not in out and "<b>" not in out and "href" not in out
    assert "CLI Usage: `vals create chat <id> <model> [--stream]`" in out
    assert "positional arguments:" in out and "MODEL" in out
    assert generated[1].main(["list", "items", "--help"]) == 0
    assert "Usage: vals list items [<limit>]" in capsys.readouterr().out


def test_unmatched_placeholders_are_warnings_naming_the_command(tmp_path: Path) -> None:
    from generator import pipeline
    from generator.config import Config

    spec = tmp_path / "openapi.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    result = pipeline.generate(
        spec, Config(spec=str(spec), output=str(tmp_path / "o"), package="v")
    )
    messages = [d.message for d in result.diagnostics if "CLI usage" in d.message]
    assert messages == [
        "CLI usage of `get file`: <nothing> names no parameter of this operation (nor is it "
        "its only path parameter); the command takes it as a flag, if at all"
    ]


# --------------------------------------------------------------------------------------------
# --data, --format, binary output


def test_data_gives_the_whole_body_and_flags_override_its_fields(
    generated: Any,
    server: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    whole = {"model": "m", "stream": True, "extra": {"kept": [1, 2]}}
    body = body_of(generated, server, capsys, "--data", json.dumps(whole))
    assert body == whole  # fields the CLI has no flag for are sent too
    (tmp_path / "body.json").write_text(json.dumps(whole), encoding="utf-8")
    body = body_of(generated, server, capsys, "--data", f"@{tmp_path / 'body.json'}", "--no-stream")
    assert body == {**whole, "stream": False}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(whole)))
    body = body_of(generated, server, capsys, "other", "--data", "-")
    assert body == {**whole, "model": "other"}


@pytest.mark.parametrize(
    ("data", "message"),
    [("{not json", "not valid JSON"), ("@/nonexistent/body.json", "cannot read")],
)
def test_a_bad_data_is_a_usage_error(
    generated: Any, server: str, capsys: pytest.CaptureFixture[str], data: str, message: str
) -> None:
    code, _, err, request = call(generated, server, capsys, "create", "chat", "1", "--data", data)
    assert code == 2 and message in err and request == {}


def test_data_dry_run_shows_the_merged_body(
    generated: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["create", "chat", "1", "--data", '{"model": "a", "n": 2}', "--n", "5", "--dry-run"]
    assert generated[1].main(argv) == 0
    out = capsys.readouterr().out
    assert json.loads(out.split("\n\n")[1]) == {"model": "a", "n": 5}


LIST = {"data": [{"id": 1, "name": "alpha", "tags": ["x"]}, {"id": 22, "name": "b", "ok": True}]}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--format", "table"], "id  name   ok\n1   alpha\n22  b      true\n"),
        (["--format", "json"], json.dumps(LIST, indent=2) + "\n"),
        (["--raw"], json.dumps(LIST) + "\n"),
        ([], json.dumps(LIST, indent=2) + "\n"),  # piped: JSON
    ],
)
def test_output_formats(
    generated: Any,
    server: str,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    expected: str,
) -> None:
    Recorder.reply = (json.dumps(LIST).encode(), "application/json")
    try:
        code, out, err, _ = call(generated, server, capsys, "list", "items", *argv)
    finally:
        Recorder.reply = (b'{"success": true}', "application/json")
    assert code == 0, err
    assert out == expected


BYTES = bytes(range(256)) * 4


def test_a_binary_body_goes_to_output_or_to_piped_stdout_never_a_traceback(
    generated: Any,
    server: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Recorder.reply = (BYTES, "application/octet-stream")
    try:
        target = tmp_path / "file.bin"
        code, _, err, request = call(
            generated, server, capsys, "get", "file", "a.bin", "-o", str(target)
        )
        assert code == 0, err
        assert request["path"] == "/files/a.bin" and target.read_bytes() == BYTES
        monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
        code, out, err, _ = call(generated, server, capsys, "get", "file", "a.bin")
        assert code == 1 and "1024 bytes of application/octet-stream" in err
        assert "--output" in err and "Traceback" not in err
    finally:
        Recorder.reply = (b'{"success": true}', "application/json")


def test_a_binary_body_goes_to_stdout_when_piped(
    generated: Any, server: str, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    Recorder.reply = (BYTES, "application/octet-stream")
    try:
        code = generated[1].main(["--url", server, "get", "file", "a.bin"])
    finally:
        Recorder.reply = (b'{"success": true}', "application/json")
    out, err = capsysbinary.readouterr()
    assert code == 0 and err == b""
    assert out == BYTES


# --------------------------------------------------------------------------------------------
# Shell completion


def completions(script: str, *words: str) -> list[str]:
    """What bash completes after `words` (the last one being typed), with the script loaded."""
    array = " ".join(shlex.quote(w) for w in ("vals", *words))
    program = (
        f"{script}\nCOMP_WORDS=({array}); COMP_CWORD={len(words)}; "
        '_vals_complete; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    proc = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completion_completes_commands_and_flags(
    generated: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generated[1].main(["--completion", "bash"]) == 0
    script = capsys.readouterr().out
    assert completions(script, "") == ["create", "get", "list", "mk", "put"]
    assert completions(script, "create", "") == ["chat"]
    assert "--stream" in completions(script, "create", "chat", "--s")
    assert "--no-stream" not in completions(script, "create", "chat", "--")
    assert completions(script, "list", "items", "--li") == ["--limit"]


def test_zsh_and_fish_completion_scripts(
    generated: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generated[1].main(["--completion", "zsh"]) == 0
    script = capsys.readouterr().out
    assert script.startswith("autoload -U +X bashcompinit && bashcompinit\n")
    assert "complete -o default -F _vals_complete vals" in script
    assert generated[1].main(["--completion", "fish"]) == 0
    script = capsys.readouterr().out
    assert "complete -c vals -f -n '__vals_at \"create\"' -a 'chat'" in script
    assert "complete -c vals -n '__vals_at \"list items\"' -l 'limit'" in script


def test_x_cli_default_of_a_body_field_beside_data(tmp_path: Path, server: str) -> None:
    spec = """
    openapi: 3.0.3
    info: {title: D, version: "1"}
    paths:
      /bids:
        put:
          operationId: changeBid
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [client_id, price]
                  properties:
                    client_id: {type: string, x-cli-default: me}
                    price: {type: number}
          responses:
            "200": {description: ok}
    """
    pkg, _ = generate_package(tmp_path, spec)
    cli = importlib.import_module(pkg.__name__ + "._cli")
    for argv, expected in [
        (["--price", "0.5"], {"client_id": "me", "price": 0.5}),
        (["--data", '{"price": 0.5}'], {"client_id": "me", "price": 0.5}),
        (["--data", '{"price": 1, "client_id": "u2"}'], {"client_id": "u2", "price": 1}),
    ]:
        Recorder.seen.clear()
        assert cli.main(["--url", server, "change", "bid", *argv]) == 0
        assert Recorder.seen[-1]["body"] == expected
