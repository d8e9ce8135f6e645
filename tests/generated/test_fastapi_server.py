"""A client generated from a real FastAPI server's `/openapi.json`, driven against that server
(issue 12): what the server STORED must equal what the user passed.

One uvicorn server for the module (127.0.0.1, a free port, in a thread); the client is generated
by `oagen generate` from the document the server serves and imported in-process; the CLI runs
as `python -m <package> --url ...` subprocesses. The application is `tests/fastapi_app.py`.

The Python workflows find each method through the route it sends (`route(pkg, "GET /tasks")`
reads the generated command table), so that they test the data; the names users expect are
tested on their own (`test_method_and_command_names`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import importlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import fastapi_app
import httpx
import pytest
import uvicorn
from conftest import import_from, run_oagen

HOST = "127.0.0.1"
PKG = "fastapi_tasks"
UTC = datetime.timezone.utc


# --------------------------------------------------------------------------------------------
# The server and the generated package


@dataclasses.dataclass
class Server:
    url: str
    store: fastapi_app.Store


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    app, store = fastapi_app.make_app()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield Server(f"http://{HOST}:{port}", store)
    finally:
        uv.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="module")
def generated(server: Server, tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Path]:
    """The package generated from the served /openapi.json, imported; and its folder's parent."""
    tmp = tmp_path_factory.mktemp("fastapi")
    spec = tmp / "openapi.json"
    spec.write_text(httpx.get(server.url + "/openapi.json", timeout=10).text, encoding="utf-8")
    out = tmp / "out"
    # cwd=tmp: no [tool.oagen] of this repository applies
    done = run_oagen("generate", str(spec), "-o", str(out), "--package", PKG, cwd=tmp)
    assert done.returncode == 0, done.stdout + done.stderr
    return import_from(out, PKG), out


@pytest.fixture
def pkg(generated: tuple[ModuleType, Path]) -> ModuleType:
    return generated[0]


@pytest.fixture(autouse=True)
def _fresh(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    server.store.clear()
    monkeypatch.delenv(f"{PKG.upper()}_API_KEY", raising=False)
    monkeypatch.delenv(f"{PKG.upper()}_BASE_URL", raising=False)


def route(pkg: ModuleType, spec: str) -> Any:
    """The generated CLI command (words, Python method, Op) of `"<METHOD> <path>"`."""
    method, path = spec.split(" ", 1)
    commands = importlib.import_module(pkg.__name__ + "._cli").COMMANDS
    found = [c for c in commands if (c.op.method, c.op.path) == (method, path)]
    assert len(found) == 1, spec
    return found[0]


def wire(obj: Any, name: str) -> Any:
    """A model's field by its wire name (whatever Python attribute name it was given)."""
    fields = {f.wire: f.name for f in type(obj)._all_fields()}
    return getattr(obj, fields[name])


class Driver:
    """Calls the generated sync or async client by route: `driver("GET /tasks", tag=["a"])`."""

    def __init__(self, pkg: ModuleType, kind: str, url: str, **options: Any) -> None:
        self.pkg = pkg
        self.kind = kind
        self.loop = asyncio.new_event_loop() if kind == "async" else None
        cls = pkg.AsyncClient if kind == "async" else pkg.Client
        self.client = cls(base_url=url, max_retries=0, **options)

    def __call__(self, spec: str, **kwargs: Any) -> Any:
        result = getattr(self.client, route(self.pkg, spec).method)(**kwargs)
        if self.loop is not None:
            result = self.loop.run_until_complete(result)
        return result

    def close(self) -> None:
        if self.loop is not None:
            self.loop.run_until_complete(self.client.close())
            self.loop.close()
        else:
            self.client.close()


@pytest.fixture(params=["sync", "async"])
def driver(request: pytest.FixtureRequest, pkg: ModuleType, server: Server) -> Iterator[Driver]:
    drv = Driver(pkg, request.param, server.url)
    yield drv
    drv.close()


def run_cli(
    generated: tuple[ModuleType, Path], server: Server, *argv: str, key: str | None = None
) -> subprocess.CompletedProcess[str]:
    _, out = generated
    env = {k: v for k, v in os.environ.items() if not k.startswith(PKG.upper())}
    env["PYTHONPATH"] = str(out)
    if key is not None:
        env[f"{PKG.upper()}_API_KEY"] = key
    return subprocess.run(
        [sys.executable, "-m", PKG, "--url", server.url, "--max-retries", "0", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def as_stored(data: Any) -> fastapi_app.Task:
    """JSON the client produced (`to_dict()`, or the CLI's output), read by the server's model:
    comparable with what the server stored (`...Z` and `...+00:00` are the same instant)."""
    return fastapi_app.Task.model_validate(data.to_dict() if hasattr(data, "to_dict") else data)


# --------------------------------------------------------------------------------------------
# The generated package


@pytest.mark.slow
def test_generated_package_passes_ruff_and_mypy_strict(generated: tuple[ModuleType, Path]) -> None:
    _, out = generated
    bin_dir = Path(sys.executable).parent
    linted = subprocess.run(
        [str(bin_dir / "ruff"), "check", "--isolated", "--select", "F,I", PKG],
        capture_output=True,
        text=True,
        cwd=out,
    )
    assert linted.returncode == 0, linted.stdout
    checked = subprocess.run(
        [str(bin_dir / "mypy"), "--strict", "--python-version", "3.10", PKG],
        capture_output=True,
        text=True,
        cwd=out,
        timeout=600,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_method_and_command_names(pkg: ModuleType) -> None:
    expected = {
        "POST /tasks": ("create_task", ("create", "task")),
        "GET /tasks": ("list_tasks", ("list", "tasks")),
        "GET /tasks/{task_id}": ("read_task", ("read", "task")),
        "PATCH /tasks/{task_id}": ("update_task", ("update", "task")),
        "DELETE /tasks/{task_id}": ("delete_task", ("delete", "task")),
        "POST /tasks/{task_id}/archive": ("archive_task", ("archive", "task")),
        "GET /stats": ("read_stats", ("read", "stats")),
        "GET /whoami": ("whoami", ("whoami",)),
        "GET /health": ("health", ("health",)),
    }
    found = {spec: (route(pkg, spec).method, route(pkg, spec).words) for spec in expected}
    assert found == expected
    for method, _ in expected.values():
        assert callable(getattr(pkg.Client, method)) and callable(getattr(pkg.AsyncClient, method))


def test_attributes_keep_the_wire_names(pkg: ModuleType) -> None:
    names = {f.name for f in dataclasses.fields(pkg.models.Task)}
    assert {"id", "created_at", "name"} <= names
    assert "type" in {f.name for f in dataclasses.fields(pkg.models.Pause)}


# --------------------------------------------------------------------------------------------
# The workflow: create, read, update, filter, delete; what the server stored is what was passed


def create_full(driver: Driver, models: Any, owner: uuid.UUID) -> Any:
    return driver(
        "POST /tasks",
        name="ship it",
        priority="high",
        due=datetime.date(2030, 1, 31),
        budget="12.50",
        owner=owner,
        tags=["a", "b"],
        labels={"team": "core", "area": "api"},
        matrix=[[1, 2], [3]],
        limits={"cpu": [0.5, 1.0], "mem": []},
        actions=[
            models.Pause(reason="maintenance", minutes=5),
            models.Notify(channels=["ops", "dev"], retries={"ops": 2}),
            models.DoNothing(),
        ],
        trigger=models.CronTrigger(cron="0 * * * *"),
        notes=None,
        attachment="raw text",  # pydantic's `bytes`: a string (contentMediaType octet-stream)
        x_source=driver.kind,
    )


def test_workflow(driver: Driver, pkg: ModuleType, server: Server) -> None:
    models = pkg.models
    store = server.store
    owner = uuid.uuid4()

    # create: every value the user passed is what the server stored
    created = create_full(driver, models, owner)
    [stored] = store.tasks.values()
    assert stored.name == "ship it"
    assert stored.priority is fastapi_app.Priority.high
    assert stored.due == datetime.date(2030, 1, 31)
    assert stored.budget == Decimal("12.50")
    assert stored.owner == owner
    assert stored.tags == ["a", "b"]
    assert stored.labels == {"team": "core", "area": "api"}
    assert stored.matrix == [[1, 2], [3]]
    assert stored.limits == {"cpu": [0.5, 1.0], "mem": []}
    assert [type(a).__name__ for a in stored.actions] == ["Pause", "Notify", "DoNothing"]
    assert stored.actions[0] == fastapi_app.Pause(reason="maintenance", minutes=5)
    assert stored.actions[1] == fastapi_app.Notify(channels=["ops", "dev"], retries={"ops": 2})
    assert stored.trigger == fastapi_app.CronTrigger(cron="0 * * * *")
    assert stored.notes is None
    assert stored.attachment == b"raw text"
    assert stored.source == driver.kind

    # ... and what the client returned is what the server stored, in Python types
    assert wire(created, "id") == stored.id  # a uuid.UUID
    assert isinstance(wire(created, "id"), uuid.UUID)
    assert wire(created, "created_at") == stored.created_at  # an aware datetime
    assert created.due == stored.due
    assert Decimal(created.budget) == stored.budget
    assert created.owner == owner
    assert isinstance(created.actions[0], models.Pause)
    assert created.actions[0].reason == "maintenance"
    assert isinstance(created.actions[1], models.Notify)
    assert isinstance(created.actions[2], models.DoNothing)
    assert isinstance(created.trigger, models.CronTrigger)
    assert as_stored(created) == stored

    # read (the id as the client returned it)
    got = driver("GET /tasks/{task_id}", task_id=wire(created, "id"))
    assert got.to_dict() == created.to_dict()

    # update: only the fields sent change
    anchor = datetime.datetime(2030, 1, 1, 8, 30, tzinfo=UTC)
    updated = driver(
        "PATCH /tasks/{task_id}",
        task_id=wire(created, "id"),
        priority="low",
        actions=[models.Pause(reason="freeze")],
        trigger=models.IntervalTrigger(seconds=30, anchor=anchor),
        done=True,
    )
    stored = store.tasks[stored.id]
    assert stored.priority is fastapi_app.Priority.low
    assert stored.actions == [fastapi_app.Pause(reason="freeze")]
    assert stored.trigger == fastapi_app.IntervalTrigger(seconds=30, anchor=anchor)
    assert stored.done is True
    assert stored.name == "ship it" and stored.tags == ["a", "b"]  # unchanged
    assert as_stored(updated) == stored
    assert isinstance(updated.trigger, models.IntervalTrigger)
    assert updated.trigger.anchor == anchor

    # filter: query parameters of every kind, as the server parsed them
    other = driver("POST /tasks", name="other", tags=["a"], due=datetime.date(2031, 5, 1))
    third = driver("POST /tasks", name="third", budget="99", x_source="x")
    ids = lambda tasks: [wire(t, "id") for t in tasks]  # noqa: E731
    assert ids(driver("GET /tasks", priority="low")) == [stored.id]
    assert ids(driver("GET /tasks", tag=["a"])) == [stored.id, wire(other, "id")]
    assert ids(driver("GET /tasks", tag=["a", "b"])) == [stored.id]
    assert ids(driver("GET /tasks", due_before=datetime.date(2031, 1, 1))) == [stored.id]
    assert ids(driver("GET /tasks", min_budget="50")) == [wire(third, "id")]
    assert ids(driver("GET /tasks", done=False, limit=1)) == [wire(other, "id")]

    # delete
    assert driver("DELETE /tasks/{task_id}", task_id=stored.id) is None
    assert set(store.tasks) == {wire(other, "id"), wire(third, "id")}
    with pytest.raises(pkg.NotFoundError):
        driver("GET /tasks/{task_id}", task_id=stored.id)


def test_a_const_tag_is_sent_and_decoded(driver: Driver, pkg: ModuleType, server: Server) -> None:
    # The union without `discriminator`: a Pause sent without its tag would be stored as the
    # server's first matching member; decoded, `reason` would be lost into additional_properties
    created = driver("POST /tasks", name="t", actions=[pkg.models.Pause(reason="maintenance")])
    [stored] = server.store.tasks.values()
    assert stored.actions == [fastapi_app.Pause(reason="maintenance")]
    [action] = created.actions
    assert isinstance(action, pkg.models.Pause)
    assert action.reason == "maintenance"
    assert action.to_dict() == {"type": "pause", "reason": "maintenance", "minutes": None}


def test_native_scalars_are_accepted_and_returned(
    driver: Driver, pkg: ModuleType, server: Server
) -> None:
    owner = uuid.uuid4()
    created = driver("POST /tasks", name="t", owner=owner, due=datetime.date(2030, 2, 3))
    [stored] = server.store.tasks.values()
    assert (stored.owner, stored.due) == (owner, datetime.date(2030, 2, 3))
    assert created.owner == owner and created.due == datetime.date(2030, 2, 3)
    created_at = wire(created, "created_at")
    assert isinstance(created_at, datetime.datetime) and created_at.tzinfo is not None
    assert created_at == stored.created_at


# --------------------------------------------------------------------------------------------
# The CLI


def test_cli_workflow(generated: tuple[ModuleType, Path], server: Server) -> None:
    pkg, _ = generated
    store = server.store
    owner = uuid.uuid4()

    def cli(spec: str, *argv: str) -> Any:
        done = run_cli(generated, server, "--raw", *route(pkg, spec).words, *argv)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else None

    created = cli(
        "POST /tasks",
        *("--name", "from the cli", "--priority", "high", "--due", "2030-01-31"),
        *("--budget", "12.5", "--owner", str(owner), "--tags", "a", "b"),
        *("--labels", '{"team": "cli"}', "--matrix", "[[1], [2, 3]]"),
        *("--actions", '[{"type": "pause", "reason": "from cli"}, {"type": "do-nothing"}]'),
        *("--trigger", '{"kind": "interval", "seconds": 60}', "--x-source", "cli"),
    )
    [stored] = store.tasks.values()
    assert stored.name == "from the cli" and stored.priority is fastapi_app.Priority.high
    assert stored.due == datetime.date(2030, 1, 31) and stored.budget == Decimal("12.5")
    assert stored.owner == owner and stored.tags == ["a", "b"]
    assert stored.labels == {"team": "cli"} and stored.matrix == [[1], [2, 3]]
    assert stored.actions == [fastapi_app.Pause(reason="from cli"), fastapi_app.DoNothing()]
    assert stored.trigger == fastapi_app.IntervalTrigger(seconds=60)
    assert stored.source == "cli"
    assert as_stored(created) == stored

    task_id = str(stored.id)
    assert as_stored(cli("GET /tasks/{task_id}", task_id)) == stored
    cli("PATCH /tasks/{task_id}", task_id, "--done", "--priority", "low")
    stored = store.tasks[stored.id]
    assert stored.done is True and stored.priority is fastapi_app.Priority.low
    assert [t["id"] for t in cli("GET /tasks", "--priority", "low")] == [task_id]
    assert cli("GET /tasks", "--priority", "high") == []
    assert cli("DELETE /tasks/{task_id}", task_id) is None
    assert store.tasks == {}
    missing = run_cli(generated, server, *route(pkg, "GET /tasks/{task_id}").words, task_id)
    assert missing.returncode == 1
    assert "404" in missing.stderr and "not found" in missing.stderr


# --------------------------------------------------------------------------------------------
# Item 7: credentials


def test_a_declared_but_unenforced_key_is_not_needed(driver: Driver, server: Server) -> None:
    stats = driver("GET /stats")
    assert stats.count == 0
    assert server.store.seen_headers["stats"] == {"x-api-key": ""}  # nothing was sent


def test_a_key_is_sent_when_configured(pkg: ModuleType, server: Server) -> None:
    drv = Driver(pkg, "sync", server.url, api_key="some-key")
    try:
        drv("GET /stats")
    finally:
        drv.close()
    assert server.store.seen_headers["stats"] == {"x-api-key": "some-key"}


def test_401_without_a_key_says_none_was_configured(driver: Driver, pkg: ModuleType) -> None:
    with pytest.raises(pkg.AuthenticationError) as info:
        driver("GET /whoami")
    message = str(info.value)
    assert message.startswith("401 Unauthorized: Not authenticated")
    assert "No credentials were configured" in message
    assert "api_key=" in message and f"{PKG.upper()}_API_KEY" in message
    assert "x-api-key" not in info.value.response.request.headers


def test_403_with_a_wrong_key_has_no_note(pkg: ModuleType, server: Server) -> None:
    drv = Driver(pkg, "sync", server.url, api_key="wrong")
    try:
        with pytest.raises(pkg.PermissionDeniedError) as info:
            drv("GET /whoami")
        assert str(info.value) == "403 Forbidden: invalid API key"
        assert info.value.body == {"detail": "invalid API key"}
    finally:
        drv.close()


def test_the_right_key_from_the_environment_works(
    pkg: ModuleType, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(f"{PKG.upper()}_API_KEY", fastapi_app.API_KEY)
    drv = Driver(pkg, "sync", server.url)
    try:
        assert drv("GET /whoami").key_suffix == fastapi_app.API_KEY[-4:]
    finally:
        drv.close()


def test_cli_401_names_the_environment_variable(
    generated: tuple[ModuleType, Path], server: Server
) -> None:
    pkg, _ = generated
    words = route(pkg, "GET /whoami").words
    denied = run_cli(generated, server, *words)
    assert denied.returncode == 1
    assert "401" in denied.stderr and f"{PKG.upper()}_API_KEY" in denied.stderr
    allowed = run_cli(generated, server, "--raw", *words, key=fastapi_app.API_KEY)
    assert allowed.returncode == 0, allowed.stderr
    assert json.loads(allowed.stdout) == {"key_suffix": fastapi_app.API_KEY[-4:]}


# --------------------------------------------------------------------------------------------
# Item 8: error bodies; 404 and 422


def put_task(server: Server, **fields: Any) -> fastapi_app.Task:
    """A task placed in the store directly (these tests do not depend on the create path)."""
    task = fastapi_app.Task(
        id=uuid.uuid4(), created_at=datetime.datetime.now(UTC), name="stored", **fields
    )
    server.store.tasks[task.id] = task
    return task


def test_404_names_the_task(driver: Driver, pkg: ModuleType) -> None:
    missing = str(uuid.uuid4())
    with pytest.raises(pkg.NotFoundError) as info:
        driver("GET /tasks/{task_id}", task_id=missing)
    assert str(info.value) == f"404 Not Found: task {missing} not found"
    assert info.value.body == {"detail": f"task {missing} not found"}


def test_422_from_fastapi_validation_shows_where_and_why(
    driver: Driver, pkg: ModuleType, server: Server
) -> None:
    # a field validator: the schema cannot say it, so only the server's validation catches it
    with pytest.raises(pkg.UnprocessableEntityError) as info:
        driver("POST /tasks", name="reserved")
    assert str(info.value) == (
        "422 Unprocessable Entity: body.name: Value error, the name 'reserved' is reserved"
    )
    assert server.store.tasks == {}
    # the body fits the declared HTTPValidationError: decoded into it
    assert isinstance(info.value.body, pkg._runtime.Model)
    [detail] = info.value.body.to_dict()["detail"]
    assert detail["loc"] == ["body", "name"]


def test_422_whose_body_does_not_fit_the_declared_model(
    driver: Driver, pkg: ModuleType, server: Server
) -> None:
    task = put_task(server)
    with pytest.raises(pkg.UnprocessableEntityError) as info:
        driver("POST /tasks/{task_id}/archive", task_id=str(task.id))
    body = {"detail": {"code": "not_done", "hint": "finish the task before archiving it"}}
    assert info.value.body == body  # kept as received, not a half-empty HTTPValidationError
    message = str(info.value)
    assert message.startswith("422 Unprocessable Entity: ")
    assert "not_done" in message and "finish the task before archiving it" in message


def test_a_plain_text_error_is_quoted_and_kept(driver: Driver, pkg: ModuleType) -> None:
    with pytest.raises(pkg.InternalServerError) as info:
        driver("GET /health", fail=True)
    text = "upstream database unavailable\n" + "x" * 2000
    assert info.value.body == text
    message = str(info.value)
    assert message.startswith("503 Service Unavailable: upstream database unavailable xxx")
    assert message.endswith(f"... ({len(text)} characters)")
    assert len(message) < 450
