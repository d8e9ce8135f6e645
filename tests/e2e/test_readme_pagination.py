"""Issue 14: the README's pagination example runs as written against a real server.

A `shop_api` package is generated from a stripe-shaped list operation (`listCustomers`:
`limit`, `starting_after`, `data` + `has_more`); the README's Python block (with its `async def
main()` then run) goes against a loopback server holding 25 customers, and prints what its
comments promise: every customer, one page, the next page, page by page, sync and async.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, generate_package
from recording_server import Recorder

FENCE = re.compile(r"^```(\w*)\n(.*?)^```\s*$", re.M | re.S)
IDS = [f"cus_{n}" for n in range(1, 26)]

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Shop", "version": "1"},
    "servers": [{"url": "https://shop.example.com"}],
    "paths": {
        "/customers": {
            "get": {
                "operationId": "list_customers",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "starting_after", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "a page of customers",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["data", "has_more"],
                                    "properties": {
                                        "data": {
                                            "type": "array",
                                            "items": {
                                                "type": "object",
                                                "required": ["id"],
                                                "properties": {"id": {"type": "string"}},
                                            },
                                        },
                                        "has_more": {"type": "boolean"},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        }
    },
}


def readme_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("### Pagination")
    end = text.index("\n### ", start + 1)
    return next(m.group(2) for m in FENCE.finditer(text[start:end]) if m.group(1) == "python")


@pytest.fixture
def server() -> Iterator[Recorder]:
    recorder = Recorder()

    def page(request: Any) -> tuple[int, dict[str, str], list[bytes]]:
        query = dict(request.query)
        limit = int(query.get("limit", 10))
        after = query.get("starting_after")
        start = IDS.index(after) + 1 if after else 0
        chunk = IDS[start : start + limit]
        body = {"data": [{"id": i} for i in chunk], "has_more": start + limit < len(IDS)}
        return 200, {"Content-Type": "application/json"}, [json.dumps(body).encode()]

    recorder.replies["/customers"] = page
    try:
        yield recorder
    finally:
        recorder.close()


def test_the_pagination_example_runs(tmp_path: Path, server: Recorder) -> None:
    generate_package(tmp_path, SPEC, package="shop_api", base_url_env="SHOP_URL")
    code = readme_block()
    assert "from shop_api import" in code and "async def main()" in code
    (tmp_path / "example.py").write_text(
        code + "\n\nimport asyncio\n\nasyncio.run(main())\n", encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "out"), "SHOP_URL": server.url}
    done = subprocess.run(
        [sys.executable, "example.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")
    # sync: every customer (one request of 100); the first page of 10; then, from the next page
    # on, page by page: 10 and 5 items
    assert lines[:25] == IDS
    assert lines[25] == str(IDS[:10])
    assert lines[26:28] == ["10 200", "5 200"]
    # async: every customer, then the length of each page from the first
    assert lines[28:53] == IDS
    assert lines[53:] == ["10", "10", "5", ""]
    pages = [dict(r.query) for r in server.received]
    assert {p["limit"] for p in pages} == {"100", "10"}
