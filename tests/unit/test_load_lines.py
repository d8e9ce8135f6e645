"""Line numbers of JSON specs whose strings hold surrogate-pair escapes (emoji in examples).

YAML's scanner refuses `"\\ud83d\\udc4d"`, which is valid JSON (twilio's spec has it): the line
index used to come out empty, and every finding on such a spec lost its line.
"""

from __future__ import annotations

from pathlib import Path

from generator.load import load


def test_a_json_spec_with_surrogate_escapes_keeps_its_line_numbers(tmp_path: Path) -> None:
    text = (
        '{\n "openapi": "3.1.0",\n "info": {"title": "t", "version": "1"},\n'
        ' "x-example": {"body": "Hello! \\ud83d\\udc4d", "lone": "\\ud800"},\n'
        ' "paths": {\n  "/a": {\n   "get": {"responses": {"200": {"description": "ok"}}}\n  }\n }\n}\n'
    )
    spec = tmp_path / "spec.json"
    spec.write_text(text, encoding="utf-8")
    loaded = load(spec, max_bytes=1 << 20)
    assert loaded.data["x-example"]["body"] == "Hello! \U0001f44d"
    assert loaded.source.line_of("#/paths/~1a/get") == 7
    assert loaded.source.line_of("#/paths/~1a/get/responses/200/nothing") == 7
    assert loaded.source.line_of("#/x-example/lone") == 4
