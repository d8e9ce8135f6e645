"""Nothing of Python's `repr()` reaches the wire, for every operation of stripe, twilio, openai.

Each package is generated whole from the corpus; every operation gets an example for each
argument, made from its runtime type descriptor (nested models as dicts, lists of them,
maps, enums, files, dates), and `client.build_request` encodes it (nothing is sent). The URL
and body of every request are checked for the marks of a repr: `{'`, `['`, `b'`, also
percent-encoded. An argument whose example the client-side validation refuses (a pattern, a
length) is left out and the request built again.
"""

from __future__ import annotations

import datetime
import decimal
import inspect
import json
import re
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import SHARED_SPECS, generate_package, requires_shared

pytestmark = [pytest.mark.corpus, requires_shared()]

SPECS = {
    "stripe": "stripe/spec3.yaml",
    "twilio": "twilio-api-v2010/twilio_api_v2010.json",
    "openai": "openai/openapi.yaml",
}
REPR = re.compile(rb"\{'|\['|\bb'|%7B%27|%5B%27|\bb%27", re.IGNORECASE)
SCALARS: dict[str, Any] = {
    "str": "some text",
    "int": 3,
    "float": 1.5,
    "bool": True,
    "bytes": b"binary-content",
    "any": {"free": ["form", 1, True]},
    "datetime": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
    "date": datetime.date(2024, 1, 2),
    "time": datetime.time(3, 4, 5),
    "uuid": uuid.UUID(int=1),
    "base64": b"base64-content",
    "decimal": decimal.Decimal("1.5"),
    "decimal_number": decimal.Decimal("1.5"),
}


def example(rt: Any, descriptor: Any, depth: int = 0) -> Any:
    """An example value of a runtime type descriptor (models as dicts of wire names)."""
    if isinstance(descriptor, str):
        return SCALARS.get(descriptor, "text")
    kind = descriptor[0]
    if kind == "null":
        return example(rt, descriptor[1], depth)
    if kind == "const":
        return descriptor[1]
    if kind == "list":
        item = example(rt, descriptor[1], depth + 1)
        return [item, item]
    if kind == "map":
        return {"key_one": example(rt, descriptor[1], depth + 1)}
    if kind == "enum":
        return next(iter(rt._resolve(descriptor[1]))).value
    if kind == "union":
        options = [d for d in descriptor[1] if d != ("const", None)]
        nested = [d for d in options if isinstance(d, tuple) and d[0] in ("model", "list")]
        return example(rt, (nested or options)[0], depth)
    if kind == "model":
        if depth > 3:
            return {}
        fields = rt._resolve(descriptor[1])._all_fields()
        chosen = [f for f in fields if f.required] + [f for f in fields if not f.required][:3]
        return {f.wire: example(rt, f.type, depth + 1) for f in chosen}
    return "text"


_PATTERN = re.compile(r"\^?([A-Za-z0-9_-]*)\[[^\]]*\]\{(\d+)\}\$?")


def argument(rt: Any, arg: Any) -> Any:
    """An example of one argument, fitted to a `prefix[class]{n}` pattern or a minimum
    length (Twilio's `^AC[0-9a-fA-F]{32}$`)."""
    value = example(rt, arg.type)
    if isinstance(value, str):
        found = _PATTERN.fullmatch(arg.pattern or "")
        if found:
            return found[1] + "a" * int(found[2])
        if arg.min_length:
            return value.ljust(arg.min_length, "x")
    return value


def build(client: Any, rt: Any, op: Any) -> Any:
    """The request of `op` with an example for each argument (those refused left out)."""
    args = {a.name: argument(rt, a) for a in op.args}
    for _ in range(len(args) + 1):
        try:
            return client.build_request(op, args)
        except rt.RequestValidationError as exc:
            names = [n for n in args if re.search(rf"\b{re.escape(n)}\b", str(exc))]
            optional = [n for n in names if not any(a.name == n and a.required for a in op.args)]
            if not optional:
                return None  # a required argument whose example does not validate
            del args[optional[0]]
    return None


@pytest.mark.parametrize("name", list(SPECS))
def test_no_repr_in_any_request(name: str, tmp_path: Path) -> None:
    path = SHARED_SPECS / "corpus" / SPECS[name]
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    text = path.read_text(encoding="utf-8")
    spec = json.loads(text) if path.suffix == ".json" else text
    pkg: ModuleType
    pkg, _ = generate_package(tmp_path, spec)
    rt, ops = pkg._runtime, pkg._ops
    # every credential this API's constructor takes (twilio: basic auth; others: api_key)
    offered = {"api_key": "k", "username": "u", "password": "p"}
    accepted = inspect.signature(pkg.Client).parameters
    credentials = {k: v for k, v in offered.items() if k in accepted}
    assert "api_key" in credentials or "username" in credentials
    client = pkg.Client(base_url="http://127.0.0.1:9", **credentials)
    built, bodies = 0, {"form": 0, "multipart": 0}
    for op in vars(ops).values():
        if not isinstance(op, rt.Op):
            continue
        request = build(client, rt, op)
        if request is None:
            continue
        built += 1
        if op.body in bodies:
            bodies[op.body] += 1
        where = f"{op.name}: {request.method} {request.url}"
        assert not REPR.search(str(request.url).encode()), where
        assert not REPR.search(request.read()), f"{where}\n{request.content[:500]!r}"
    operations = sum(isinstance(v, rt.Op) for v in vars(ops).values())
    assert built >= 0.9 * operations, (built, operations)
    assert sum(bodies.values()) > 0, bodies
