"""The Python examples of a docs page are built from their parts, never by rewriting text:
an example value that contains the text of the example's own lines stays as it is."""

from __future__ import annotations

import ast

from generator.render.common import Settings
from generator.render.docs import _python
from generator.render.types import Imports


def test_a_paged_example_loops_and_keeps_its_values_whatever_they_hold() -> None:
    settings = Settings("pkg", "PKG_API_KEY", "PKG_BASE_URL", "pkg", "openapi.yaml", "0" * 64)
    args = 'note="    result = client"'
    python, async_python = _python(settings, "list_things", args, Imports(), paged=True)
    assert "    for item in client.list_things(note=\"    result = client\"):\n" in python
    assert "        async for item in client.list_things(note=" in async_python
    for code in (python, async_python):
        ast.parse(code)  # both run as written: valid Python
    plain, _ = _python(settings, "list_things", args, Imports())
    assert "    result = client.list_things(" in plain and "    print(result)\n" in plain
