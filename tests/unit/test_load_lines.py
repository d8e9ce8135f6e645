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


def test_json_specs_are_located_without_yaml_and_alike() -> None:
    """`SourceMap.lines_of` on JSON walks only the wanted paths (`_json_line_index`); it finds
    the line the YAML event index finds for every path: minified and indented text, escaped
    keys, duplicate keys (the first one's line, as YAML's index), empty containers, arrays of
    arrays, scalars at the top of a line."""
    import json

    from generator.load import _json_line_index, _line_index

    data = {
        "a": {"b~/c": [1, [2, {"d": None}], {}], "e\u00e9\U0001f44d": {"f": []}},
        "g": [[], [[{"h": True}]]],
        "i": "text",
    }
    texts = [
        json.dumps(data),
        json.dumps(data, indent=2),
        json.dumps(data, indent=1, ensure_ascii=False),
        '{"k": {"x": 1},\n "k": {"y":\n 2}, "z" :[ 1 ,\n2 ]}',
    ]
    for text in texts:
        whole = _line_index(text)
        wanted = {path[:n] for path in whole for n in range(len(path) + 1)}
        assert _json_line_index(text, wanted) == _line_index(text, wanted), text
        some = {p for p in whole if len(p) <= 2}
        some = {p[:n] for p in some for n in range(len(p) + 1)}
        assert _json_line_index(text, some) == _line_index(text, some), text
