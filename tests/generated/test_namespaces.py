"""`group_by = "tag"`: one namespace per tag, `client.<tag>.<method>()` (sync and async).

Generated from inline specs and called against a loopback `http.server` that parses each
request (tests/recording_server.py); hostile tag names still give valid, clean code; the CLI
keeps one command per operation; the docs call the namespaced methods and their examples run;
the default (`group_by = "none"`) output is what it was (tests/test_golden.py holds the
committed package to it, and a test here compares a tagged spec's flat output to the same
spec's output with the setting left out).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import SHARED_SPECS, generate_package, import_from, requires_shared
from recording_server import Recorder, json_reply

from generator import pipeline
from generator.config import Config, from_mapping
from generator.diagnostics import SpecError
from generator.model import Operation
from generator.render.namespaces import plan, short_names

PET = {
    "type": "object",
    "required": ["name"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
}


def _json(schema: Any) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _ok(schema: Any = None, status: str = "200") -> dict[str, Any]:
    body = _json(schema) if schema is not None else {}
    return {"responses": {status: {"description": "ok", **body}}}


PET_REF = {"$ref": "#/components/schemas/Pet"}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Pet Store", "version": "1"},
    "servers": [{"url": "http://localhost:1"}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "tags": ["pets"],
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer"},
                        "description": "how many",
                    }
                ],
                **_ok({"type": "array", "items": PET_REF}),
            },
            "post": {
                "operationId": "createPet",
                "tags": ["pets"],
                "requestBody": {"required": True, **_json(PET_REF)},
                **_ok(PET_REF, "201"),
            },
        },
        "/pets/{pet_id}": {
            "get": {
                "operationId": "getPetById",
                "tags": ["pets", "store"],  # the first tag decides
                "parameters": [
                    {"name": "pet_id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                **_ok(PET_REF),
            }
        },
        "/store/inventory": {
            "get": {
                "operationId": "getInventory",
                "tags": ["store"],
                **_ok({"type": "object", "additionalProperties": {"type": "integer"}}),
            }
        },
        "/health": {
            "get": {
                "operationId": "health",  # untagged: stays on the client
                "responses": {
                    "200": {"description": "ok", "content": {"text/plain": {"schema": {"type": "string"}}}}
                },
            }
        },
    },
    "components": {"schemas": {"Pet": PET}},
}


@pytest.fixture(scope="module")
def grouped(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Path]:
    tmp = tmp_path_factory.mktemp("grouped")
    return generate_package(tmp, SPEC, package="ns_petstore", group_by="tag")


@pytest.fixture
def server() -> Iterator[Recorder]:
    recorder = Recorder()
    try:
        yield recorder
    finally:
        recorder.close()


def _pet_server(server: Recorder) -> Recorder:
    """Answers as the spec says: a pet made from the body sent, a pet, a list, a text."""
    server.replies["/store"] = json_reply({"dogs": 3})
    server.replies["/health"] = lambda _: (200, {"Content-Type": "text/plain"}, [b"fine"])

    def pets(request: Any) -> tuple[int, dict[str, str], list[bytes]]:
        if request.method == "POST":
            body = json.dumps({"id": 7, **json.loads(request.body)}).encode()
            return 201, {"Content-Type": "application/json"}, [body]
        if request.path == "/pets":
            return 200, {"Content-Type": "application/json"}, [b'[{"id": 1, "name": "Rex"}]']
        return 200, {"Content-Type": "application/json"}, [b'{"id": 5, "name": "Fido"}']

    server.replies["/pets"] = pets
    return server


# -- names -------------------------------------------------------------------------------------


def _op(name: str, *tags: str) -> Operation:
    return Operation(name, (name,), "GET", "/" + name, "", "", (), None, (), (), tags=tags)


def test_method_names_drop_the_tag_words_only_when_simple_and_safe() -> None:
    names = ["list_pets", "create_pet", "get_pet_by_id", "pets_search", "update", "feed"]
    assert short_names("pets", names) == [
        "list_pets",  # `list` would hide the builtin from the class's annotations
        "create",
        "get_by_id",
        "search",
        "update",
        "feed",  # no tag word
    ]
    # `create_pet` and `create` both want `create`: every method of the clash keeps its name
    assert short_names("pets", ["create_pet", "create"]) == ["create_pet", "create"]
    assert short_names("pets", ["create_pet", "create_pets"]) == ["create_pet", "create_pets"]
    # plural and `-ies` forms; several words; nothing left, or a keyword left: unchanged
    assert short_names("Categories", ["get_category", "list_categories_all"]) == [
        "get",
        "list_all",
    ]
    assert short_names("Fine-tuning", ["create_fine_tuning_job"]) == ["create_job"]
    # not after an article, nor leaving an article or a preposition at the end
    assert short_names("albums", ["get_an_album", "list_by_albums", "get_album_for_user"]) == [
        "get_an_album",
        "list_by_albums",
        "get_for_user",
    ]
    assert short_names("pets", ["pets", "import_pets", "pets_with_raw_response"]) == [
        "pets",
        "import_pets",
        "pets_with_raw_response",
    ]


def test_hostile_tags_become_unique_safe_attributes_and_classes() -> None:
    tags = ["class", "1abc", "a-b", "a_b", "Café", "宠物", "Async Pets", "Pets", "close", "x\"\"\"y"]
    ops = [_op(f"op_{i}", tag) for i, tag in enumerate(tags)] + [_op("close_2"), _op("pets_op")]
    p = plan(ops, "tag")
    attrs = [ns.attr for ns in p.namespaces]
    assert attrs == [
        "class_",
        "tag_1abc",
        "a_b",
        "a_b_2",  # `a-b` and `a_b` normalise to one name
        "cafe",
        "tag",  # no ASCII letters
        "async_pets",
        "pets",
        "close_3",  # `close` is the client's; `close_2` an operation's
        "x_y",
    ]
    assert [ns.base for ns in p.namespaces][6:8] == ["AsyncPets", "Pets2"]  # AsyncPetsResource
    assert len(set(attrs)) == len(attrs) and all(a.isidentifier() for a in attrs)
    assert "close" not in attrs and "close_2" not in attrs
    classes = [c for ns in p.namespaces for c in (ns.cls, ns.async_cls)]
    assert len(set(classes)) == len(classes) and all(c.isidentifier() for c in classes)
    modules = [ns.module for ns in p.namespaces]
    assert len(set(modules)) == len(modules) and "_client_default" not in modules
    assert p.path("close_2") == "close_2" and p.path("op_0") == "class_.op_0"
    assert plan(ops, "none").namespaces == () and plan(ops, "none").path("op_0") == "op_0"


def test_group_by_takes_only_its_values() -> None:
    assert from_mapping({"group-by": "tag"}, "oagen.toml").group_by == "tag"
    with pytest.raises(SpecError) as exc:
        from_mapping({"group_by": "tags"}, "oagen.toml")
    assert "'group_by' must be one of \"none\", \"tag\"" in str(exc.value)


# -- the generated client ----------------------------------------------------------------------


def test_namespaces_are_cached_properties_of_their_own_classes_and_modules(
    grouped: tuple[ModuleType, Path],
) -> None:
    pkg, out = grouped
    client = pkg.Client(base_url="http://127.0.0.1:9", api_key="k")
    assert client.pets is client.pets  # built once
    assert type(client.pets).__name__ == "PetsResource"
    assert type(client.pets).__module__ == "ns_petstore._client_pets"
    assert type(client.store).__module__ == "ns_petstore._client_store"
    assert "pets" not in vars(pkg.Client(base_url="http://127.0.0.1:9"))  # built on first use
    assert not hasattr(client, "create_pet") and hasattr(client, "health")
    assert sorted(n for n in vars(type(client.pets)) if not n.startswith("_")) == [
        "create",
        "get_by_id",
        "list_pets",
        "with_raw_response",
        "with_streaming_response",
    ]
    assert [m for m in ("get_inventory",) if hasattr(client.store, m)] == ["get_inventory"]
    files = {p.name for p in (out / "ns_petstore").glob("_client_*.py")}
    assert files == {"_client_pets.py", "_client_store.py", "_client_default.py"}
    client.close()


def test_sync_calls_through_namespaces_reach_a_real_server(
    grouped: tuple[ModuleType, Path], server: Recorder
) -> None:
    pkg, _ = grouped
    _pet_server(server)
    with pkg.Client(base_url=server.url) as client:
        pet = client.pets.create(name="Rex")
        assert isinstance(pet, pkg.models.Pet) and (pet.id, pet.name) == (7, "Rex")
        assert (server.last.method, server.last.path) == ("POST", "/pets")
        assert json.loads(server.last.body) == {"name": "Rex"}
        fetched = client.pets.get_by_id(pet_id=5)
        assert fetched.name == "Fido" and server.last.path == "/pets/5"
        client.pets.list_pets(limit=2)
        assert server.last.query == [("limit", "2")]
        assert client.store.get_inventory() == {"dogs": 3}
        assert client.health() == "fine" and server.last.path == "/health"
        raw = client.pets.with_raw_response.get_by_id(pet_id=6)
        assert raw.status_code == 200 and raw.parse().name == "Fido"
        assert server.last.path == "/pets/6"
        with client.pets.with_streaming_response.get_by_id(pet_id=8) as response:
            assert json.loads(response.read()) == {"id": 5, "name": "Fido"}
        assert server.last.path == "/pets/8"
        with pytest.raises(pkg.RequestValidationError, match=r"^pets\.get_by_id\(\): pet_id"):
            client.pets.get_by_id(pet_id="not a number")  # messages name the method as called


def test_async_calls_through_namespaces_reach_a_real_server(
    grouped: tuple[ModuleType, Path], server: Recorder
) -> None:
    pkg, _ = grouped
    _pet_server(server)

    async def main() -> None:
        async with pkg.AsyncClient(base_url=server.url) as client:
            assert client.pets is client.pets
            assert type(client.pets).__name__ == "AsyncPetsResource"
            pet = await client.pets.create(name="Max", id=3)
            assert (pet.id, pet.name) == (3, "Max")
            assert json.loads(server.last.body) == {"id": 3, "name": "Max"}
            assert await client.store.get_inventory() == {"dogs": 3}
            assert await client.health() == "fine"
            raw = await client.pets.with_raw_response.get_by_id(pet_id=9)
            assert raw.parse().name == "Fido" and server.last.path == "/pets/9"
            async with client.pets.with_streaming_response.get_by_id(pet_id=4) as response:
                assert json.loads(await response.aread()) == {"id": 5, "name": "Fido"}

    asyncio.run(main())


def test_cli_keeps_one_command_per_operation(
    grouped: tuple[ModuleType, Path], server: Recorder, capsys: pytest.CaptureFixture[str]
) -> None:
    pkg, _ = grouped
    _pet_server(server)
    cli = import_from(Path(pkg.__file__).parent.parent, "ns_petstore._cli")
    words = sorted(" ".join(c.words) for c in cli.COMMANDS)
    assert words == ["create pet", "get inventory", "get pet by id", "health", "list pets"]
    assert cli.main(["--url", server.url, "create", "pet", "--name", "Rex", "--raw"]) == 0
    assert json.loads(capsys.readouterr().out) == {"id": 7, "name": "Rex"}
    assert json.loads(server.last.body) == {"name": "Rex"}
    assert cli.main(["--url", server.url, "get", "pet", "by", "id", "5", "--raw"]) == 0
    assert server.last.path == "/pets/5" and "Fido" in capsys.readouterr().out
    assert cli.main(["--url", server.url, "health"]) == 0 and server.last.path == "/health"
    capsys.readouterr()
    assert cli.main(["list", "pets", "--help"]) == 0
    help_text = capsys.readouterr().out
    assert "how many" in help_text and "list pets" in help_text  # from the namespace's table


# -- docs ----------------------------------------------------------------------------------------

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def test_docs_show_and_run_the_namespaced_calls(
    grouped: tuple[ModuleType, Path], server: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg, out = grouped
    _pet_server(server)
    docs = out / "ns_petstore" / "docs"
    page = (docs / "create_pet.md").read_text(encoding="utf-8")
    assert "client.pets.create(" in page and "await client.pets.create(" in page
    assert "client.create_pet(" not in page
    index = (docs / "index.md").read_text(encoding="utf-8")
    assert "`client.pets.get_by_id()`" in index and "`client.health()`" in index
    readme = (out / "ns_petstore" / "README.md").read_text(encoding="utf-8")
    assert "client.pets.list_pets(" in readme
    assert "grouped by their first tag: `client.pets`, `client.store`," in readme
    monkeypatch.setenv("NS_PETSTORE_BASE_URL", server.url)
    ran = 0
    for path in sorted(docs.glob("*.md")):
        for match in FENCE.finditer(path.read_text(encoding="utf-8")):
            if match.group(1) != "python":
                continue
            before = len(server.received)
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(match.group(2), path.name, "exec"), {"__name__": "example"})
            assert len(server.received) == before + 1, path.name
            ran += 1
    assert ran == 10  # five operations, sync and asyncio each


# -- hostile tags: valid and clean code ---------------------------------------------------------

HOSTILE_TAGS = [
    "class",
    "1abc",
    "a-b",
    "a_b",
    "Café",
    "宠物",
    "Async Pets",
    "Pets",
    "with_raw_response",
    "close",
    'x"""; import os #',
    "list",
    "models",
]


def _hostile_spec() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for i, tag in enumerate(HOSTILE_TAGS):
        paths[f"/t{i}/{{id}}"] = {
            "get": {
                "operationId": f"get_{i}",
                "tags": [tag],
                "summary": tag,
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                **_ok({"type": "object", "properties": {"tag": {"type": "string"}}}),
            },
            "post": {"operationId": "close" if i == 9 else f"models_{i}", "tags": [tag], **_ok()},
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Hostile", "version": "1"},
        "servers": [{"url": "http://localhost:1"}],
        "tags": [{"name": t, "description": f"tag {t}"} for t in HOSTILE_TAGS],
        "paths": paths,
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Path]:
    tmp = tmp_path_factory.mktemp("hostile")
    return generate_package(tmp, _hostile_spec(), package="ns_hostile", group_by="tag")


def test_hostile_tag_names_generate_working_namespaces(
    hostile: tuple[ModuleType, Path], server: Recorder
) -> None:
    pkg, out = hostile
    server.replies["/t"] = lambda r: (200, {"Content-Type": "application/json"}, [json.dumps({"tag": r.path}).encode()])
    ops = import_from(out, "ns_hostile._ops")
    client = pkg.Client(base_url=server.url)
    found = 0
    for name in dir(client):
        resource = getattr(client, name) if not name.startswith("_") else None
        if resource is None or not type(resource).__name__.endswith("Resource"):
            continue
        for method in [m for m in vars(type(resource)) if not m.startswith("_")]:
            if method.startswith("get") and "with_" not in method:
                result = getattr(resource, method)(id="a/b")
                assert result.tag.startswith("/t") and result.tag.endswith("/a%2Fb")
                found += 1
    assert found == len(HOSTILE_TAGS)
    # operationId `close` is method `close_2` (`close` is the client's), in tag `close`, whose
    # namespace is `close_3` (`close_2` is that method's flat name: the CLI's class has it)
    names = {op.name for op in vars(ops).values() if isinstance(op, pkg._runtime.Op)}
    assert "close_3.close_2" in names and callable(client.close_3.close_2)
    assert callable(client.close)  # the client's own `close` stays its own
    assert {"class_", "tag_1abc", "a_b", "a_b_2", "cafe", "tag", "async_pets", "pets"} <= set(
        dir(client)
    )
    client.close()


def _tool(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / name
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=900)


@pytest.mark.parametrize("tool", ["black", "ruff", "mypy"])
def test_hostile_namespaces_are_clean_code(hostile: tuple[ModuleType, Path], tool: str) -> None:
    _, out = hostile
    args = {
        "black": ("--check", "--quiet", "ns_hostile"),
        "ruff": ("check", "--no-cache", "ns_hostile"),
        "mypy": ("--strict", "--python-version", "3.10", "--no-incremental", "ns_hostile"),
    }[tool]
    proc = _tool(tool, *args, cwd=out)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


# -- the default is what it was -----------------------------------------------------------------


def test_the_default_output_is_the_flat_client(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    default = pipeline.generate(spec, Config(spec=str(spec), package="flat"), display="x").files
    none = pipeline.generate(
        spec, Config(spec=str(spec), package="flat", group_by="none"), display="x"
    ).files
    grouped = pipeline.generate(
        spec, Config(spec=str(spec), package="flat", group_by="tag"), display="x"
    ).files
    assert default == none
    assert "flat/_resource.py" not in default and "flat/_resource.py" in grouped
    assert "def create_pet(" in default["flat/_client_pets.py"]
    assert "class PetsOperations(rt.SyncClient)" in default["flat/_client_pets.py"]
    assert Config(group_by="none").fingerprint() == Config().fingerprint()
    assert Config(group_by="tag").fingerprint() != Config().fingerprint()


# -- a large API: clean code --------------------------------------------------------------------


@pytest.fixture(scope="module")
def openai_grouped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = SHARED_SPECS / "corpus" / "openai" / "openapi.yaml"
    if not spec.is_file():
        pytest.skip(f"{spec} is absent")
    out = tmp_path_factory.mktemp("openai_grouped")
    config = Config(spec=str(spec), output=str(out), package="openai_ns", group_by="tag")
    result = pipeline.generate(spec, config, display=spec.name)
    for path, text in result.files.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(text, encoding="utf-8")
    return out


@requires_shared()
@pytest.mark.corpus
@pytest.mark.parametrize("tool", ["black", "ruff", "mypy"])
def test_openai_grouped_by_tag_is_clean_code(openai_grouped: Path, tool: str) -> None:
    args = {
        "black": ("--check", "--quiet", "openai_ns"),
        # the project's rules (pyproject.toml); ruff 0.17's defaults add RUF009 and PYI0xx, which
        # the flat openai package breaks as much (its models' `rt.fixed_enum` defaults)
        "ruff": ("check", "--no-cache", "--isolated", "--select", "E,F,W,I,B,UP", "openai_ns"),
        "mypy": ("--strict", "--python-version", "3.10", "--no-incremental", "openai_ns"),
    }[tool]
    proc = _tool(tool, *args, cwd=openai_grouped)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


@requires_shared()
@pytest.mark.corpus
def test_openai_grouped_by_tag_has_its_namespaces(openai_grouped: Path) -> None:
    pkg = import_from(openai_grouped, "openai_ns")
    client = pkg.Client(base_url="http://127.0.0.1:9", api_key="k")
    assert type(client.chat).__name__ == "ChatResource"
    assert callable(client.chat.create_completion)
    assert callable(client.assistants.create) and callable(client.assistants.list_assistants)
    assert callable(client.fine_tuning.create_job)
    client.close()


@requires_shared()
@pytest.mark.corpus
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # deprecated operations warn
def test_openai_grouped_docs_examples_run_and_every_command_has_its_method(
    openai_grouped: Path, server: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each page's Python examples (sync, asyncio) call `client.<tag>.<method>(...)` and send
    one request to a loopback server that answers `{}`; each CLI command finds its method."""
    pkg = import_from(openai_grouped, "openai_ns")
    cli = import_from(openai_grouped, "openai_ns._cli")
    for command in cli.COMMANDS:
        assert callable(getattr(cli._Commands, command.method)), command.words
    monkeypatch.setenv("OPENAI_NS_BASE_URL", server.url)
    monkeypatch.setenv("OPENAI_NS_API_KEY", "test-key")
    pages = sorted(p for p in (openai_grouped / "openai_ns" / "docs").glob("*.md"))
    failures, namespaced = [], 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for code in [m.group(2) for m in FENCE.finditer(text) if m.group(1) == "python"][:2]:
            namespaced += bool(re.search(r"client\.\w+\.\w+\(", code))
            before = len(server.received)
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(code, page.name, "exec"), {"__name__": "example"})
            except Exception as exc:  # noqa: BLE001 (every failing example is reported)
                failures.append(f"{page.name}: {type(exc).__name__}: {exc}")
                continue
            if len(server.received) != before + 1:
                failures.append(f"{page.name}: {len(server.received) - before} requests")
    assert not failures, f"{len(failures)} examples:\n" + "\n".join(failures[:20])
    assert namespaced >= 2 * 250  # 257 of 288 operations have a tag
    assert pkg.Client  # the package imports whole


@pytest.mark.parametrize(
    ("name", "params", "returns"),
    [
        ("pets", "self", "PetsResource"),
        ("group_organization_role_assignments", "self", "GroupOrganizationRoleAssignmentsResource"),
        ("__init__", "self, resource: AsyncGroupOrganizationRoleAssignmentsResourceWithRaw", "None"),
    ],
)
def test_def_lines_are_in_blacks_shape(name: str, params: str, returns: str) -> None:
    """Namespace properties and companions' `__init__`s with long class names (openai's) are
    laid out as black would, so that black formats their modules in one pass."""
    import black

    from generator import layout

    source = f"class K:\n{layout.def_head(name, params, returns, 1)}\n        pass\n"
    assert black.format_str(source, mode=black.Mode()) == source


# -- server-sent events through a namespace ------------------------------------------------------


@pytest.fixture(scope="module")
def streams(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    import yaml
    from test_streaming import SPEC as STREAM_SPEC

    spec = yaml.safe_load(STREAM_SPEC)
    spec["paths"]["/chat"]["post"]["tags"] = ["Chat"]
    spec["paths"]["/events"]["get"]["tags"] = ["Events"]
    module, _ = generate_package(
        tmp_path_factory.mktemp("ns_streams"), spec, package="ns_streams", group_by="tag"
    )
    return module


def _chat_server(server: Recorder) -> None:
    def chat(request: Any) -> tuple[int, dict[str, str], list[bytes]]:
        if json.loads(request.body or b"{}").get("stream") or request.method == "GET":
            events = [
                b'data: {"delta": "Hel", "index": 0}\n\n',
                b'data: {"delta": "lo", "index": 1}\n\n',
                b"data: [DONE]\n\n",
            ]
            return 200, {"Content-Type": "text/event-stream"}, events
        return 200, {"Content-Type": "application/json"}, [b'{"text": "Hello"}']

    server.replies["/chat"] = server.replies["/events"] = chat


def test_event_streams_through_namespaces_sync_and_async(
    streams: ModuleType, server: Recorder
) -> None:
    _chat_server(server)
    with streams.Client(base_url=server.url) as client:
        assert client.chat.create(prompt="hi").text == "Hello"  # `create_chat` in `Chat`
        assert [c.delta for c in client.chat.create(prompt="hi", stream=True)] == ["Hel", "lo"]
        assert json.loads(server.last.body) == {"prompt": "hi", "stream": True}
        assert [c.index for c in client.events.listen()] == [0, 1]
        assert server.last.path == "/events"

    async def main() -> list[str]:
        async with streams.AsyncClient(base_url=server.url) as client:
            stream = await client.chat.create(prompt="hi", stream=True)
            return [c.delta async for c in stream]

    assert asyncio.run(main()) == ["Hel", "lo"]


# -- namespaces with pagination and with_options -----------------------------------------------

PAGED_SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Shop", "version": "1"},
    "servers": [{"url": "https://shop.example.com"}],
    "paths": {
        "/customers": {
            "get": {
                "operationId": "listCustomers",
                "tags": ["customers"],
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "starting_after", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": _json(
                        {
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
                    )
                },
            }
        }
    },
}


def _customers(server: Recorder) -> Recorder:
    """Three customers, one per page, stripe-style (`has_more`, `starting_after`)."""
    ids = ["c1", "c2", "c3"]

    def page(request: Any) -> tuple[int, dict[str, str], list[bytes]]:
        after = dict(request.query).get("starting_after")
        start = ids.index(after) + 1 if after else 0
        body = {"data": [{"id": i} for i in ids[start : start + 1]], "has_more": start + 1 < 3}
        return 200, {"Content-Type": "application/json"}, [json.dumps(body).encode()]

    server.replies["/customers"] = page
    return server


def test_paged_methods_of_a_namespace_walk_every_page_sync_and_async(
    tmp_path: Path, server: Recorder
) -> None:
    pkg, _ = generate_package(tmp_path, PAGED_SPEC, package="ns_shop", group_by="tag")
    _customers(server)
    with pkg.Client(base_url="http://127.0.0.1:9") as client:
        built = client.customers  # built for `client`: a copy must not reuse it
        local = client.with_options(base_url=server.url)
        assert local.customers is not built and client.customers is built
        assert [c.id for c in local.customers.list_customers(limit=1)] == ["c1", "c2", "c3"]
        assert server.last.query == [("limit", "1"), ("starting_after", "c2")]

    async def main() -> list[str]:
        async with pkg.AsyncClient(base_url=server.url) as client:
            first = await client.customers.list_customers(limit=1)
            assert [c.id for c in first.data] == ["c1"]
            return [c.id async for c in client.customers.list_customers(limit=1)]

    assert asyncio.run(main()) == ["c1", "c2", "c3"]
