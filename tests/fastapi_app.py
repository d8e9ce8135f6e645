"""A small FastAPI application written for the tests (issue 12): a real server that parses
what the generated client sends, validates it with pydantic, and keeps what it accepted in an
in-memory store the tests read directly.

Its models use what pydantic users write: a discriminated union tagged by a `Literal` field with
no `discriminator` keyword (`Action`) and one with `Field(discriminator=...)` (`Trigger`),
`Optional`, `UUID`, `datetime`, `date`, `Decimal`, `bytes`, nested lists and dicts, enums and
defaults.
Its routes take path, query, body and header parameters, answer 404 for an unknown task, 422
from FastAPI's own validation (a field validator the schema cannot express) and 422 with a body
that does not fit the declared error model, and declare an API key both where it is enforced
(401 without it) and where it is not (a local server that declares auth but does not check it).

`make_app()` returns a fresh application and its `Store`; nothing is shared between apps.
"""

# `Optional[...]` and `Union[...]` on purpose: what most pydantic code is written with
# ruff: noqa: UP007, UP045

import dataclasses
import datetime
import enum
import uuid
from decimal import Decimal
from typing import Annotated, Literal, Optional, Union

from fastapi import FastAPI, Header, HTTPException, Query, Security
from fastapi.responses import PlainTextResponse, Response
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, Field, field_validator

API_KEY = "test-key-1234"


class Priority(str, enum.Enum):
    low = "low"
    normal = "normal"
    high = "high"


# A union tagged by a Literal field, without `Field(discriminator=...)`: pydantic emits an
# `anyOf` of the members, each tag a `const` with the same `default`.
class DoNothing(BaseModel):
    type: Literal["do-nothing"] = "do-nothing"


class Pause(BaseModel):
    type: Literal["pause"] = "pause"
    reason: str
    minutes: Optional[int] = None


class Notify(BaseModel):
    type: Literal["notify"] = "notify"
    channels: list[str]
    retries: dict[str, int] = {}


Action = Union[DoNothing, Pause, Notify]


# A union with `Field(discriminator=...)`: `oneOf` plus a `discriminator` with a mapping.
class CronTrigger(BaseModel):
    kind: Literal["cron"] = "cron"
    cron: str
    timezone: str = "UTC"


class IntervalTrigger(BaseModel):
    kind: Literal["interval"] = "interval"
    seconds: int = Field(ge=1)
    anchor: Optional[datetime.datetime] = None


Trigger = Annotated[Union[CronTrigger, IntervalTrigger], Field(discriminator="kind")]


class TaskIn(BaseModel):
    """What a client sends to create a task."""

    name: str = Field(min_length=1, max_length=80)
    priority: Priority = Priority.normal
    due: Optional[datetime.date] = None
    budget: Optional[Decimal] = None
    owner: Optional[uuid.UUID] = None
    tags: list[str] = []
    labels: dict[str, str] = {}
    matrix: list[list[int]] = []
    limits: dict[str, list[float]] = {}
    actions: list[Action] = []
    trigger: Optional[Trigger] = None
    notes: Optional[str] = None
    attachment: Optional[bytes] = None  # pydantic's default: UTF-8 text on the wire

    @field_validator("name")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        # a rule the schema cannot express: only the server's validation (a 422) catches it
        if value.strip().lower() == "reserved":
            raise ValueError("the name 'reserved' is reserved")
        return value


class TaskPatch(BaseModel):
    """A partial update: only the fields sent change."""

    name: Optional[str] = Field(default=None, min_length=1, max_length=80)
    priority: Optional[Priority] = None
    due: Optional[datetime.date] = None
    budget: Optional[Decimal] = None
    tags: Optional[list[str]] = None
    actions: Optional[list[Action]] = None
    trigger: Optional[Trigger] = None
    done: Optional[bool] = None


class Task(TaskIn):
    """A stored task."""

    id: uuid.UUID
    created_at: datetime.datetime
    done: bool = False
    source: Optional[str] = None


class Stats(BaseModel):
    count: int
    by_priority: dict[str, int]


class Whoami(BaseModel):
    key_suffix: str


@dataclasses.dataclass
class Store:
    """The server's state: what it accepted, as pydantic models (the tests read it directly)."""

    tasks: dict[uuid.UUID, Task] = dataclasses.field(default_factory=dict)
    # the headers of the last request each route saw (to check what was, or was not, sent)
    seen_headers: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)

    def clear(self) -> None:
        self.tasks.clear()
        self.seen_headers.clear()


def make_app() -> tuple[FastAPI, Store]:
    app = FastAPI(title="Tasks", version="1.0.0")
    store = Store()
    enforced_key = APIKeyHeader(name="X-API-Key", auto_error=True)
    optional_key = APIKeyHeader(name="X-API-Key", auto_error=False)

    def find(task_id: uuid.UUID) -> Task:
        task = store.tasks.get(task_id)
        if task is None:
            raise HTTPException(status_code=404, detail=f"task {task_id} not found")
        return task

    @app.post("/tasks", status_code=201)
    def create_task(
        task: TaskIn,
        x_source: Annotated[Optional[str], Header()] = None,
    ) -> Task:
        stored = Task(
            **task.model_dump(),
            id=uuid.uuid4(),
            created_at=datetime.datetime.now(datetime.timezone.utc),
            source=x_source,
        )
        store.tasks[stored.id] = stored
        return stored

    @app.get("/tasks/{task_id}", responses={404: {"description": "No such task"}})
    def read_task(task_id: uuid.UUID) -> Task:
        return find(task_id)

    @app.patch("/tasks/{task_id}", responses={404: {"description": "No such task"}})
    def update_task(task_id: uuid.UUID, patch: TaskPatch) -> Task:
        task = find(task_id)
        changes = patch.model_dump(exclude_unset=True)
        updated = Task.model_validate({**task.model_dump(), **changes})
        store.tasks[task_id] = updated
        return updated

    @app.get("/tasks")
    def list_tasks(
        priority: Optional[Priority] = None,
        tag: Annotated[Optional[list[str]], Query()] = None,
        due_before: Optional[datetime.date] = None,
        min_budget: Optional[Decimal] = None,
        done: Optional[bool] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 50,
    ) -> list[Task]:
        found = []
        for task in store.tasks.values():
            if priority is not None and task.priority != priority:
                continue
            if tag and not set(tag) <= set(task.tags):
                continue
            if due_before is not None and (task.due is None or task.due >= due_before):
                continue
            if min_budget is not None and (task.budget is None or task.budget < min_budget):
                continue
            if done is not None and task.done != done:
                continue
            found.append(task)
        return sorted(found, key=lambda t: t.created_at)[:limit]

    @app.delete(
        "/tasks/{task_id}", status_code=204, responses={404: {"description": "No such task"}}
    )
    def delete_task(task_id: uuid.UUID) -> Response:
        find(task_id)
        del store.tasks[task_id]
        return Response(status_code=204)

    @app.get("/stats")
    def read_stats(
        key: Annotated[Optional[str], Security(optional_key)] = None,
    ) -> Stats:
        """Declares the API key, does not check it (a local server that does not enforce auth)."""
        store.seen_headers["stats"] = {"x-api-key": key or ""}
        counts: dict[str, int] = {}
        for task in store.tasks.values():
            counts[task.priority.value] = counts.get(task.priority.value, 0) + 1
        return Stats(count=len(store.tasks), by_priority=counts)

    @app.get("/whoami")
    def whoami(key: Annotated[str, Security(enforced_key)]) -> Whoami:
        """Enforces the API key: 401 without it, 403 with a wrong one."""
        if key != API_KEY:
            raise HTTPException(status_code=403, detail="invalid API key")
        return Whoami(key_suffix=key[-4:])

    @app.post("/tasks/{task_id}/archive", responses={404: {"description": "No such task"}})
    def archive_task(task_id: uuid.UUID) -> Task:
        """Answers 422 with a body that does not fit the declared `HTTPValidationError`."""
        task = find(task_id)
        if not task.done:
            raise HTTPException(
                status_code=422,
                detail={"code": "not_done", "hint": "finish the task before archiving it"},
            )
        return task

    @app.get("/health", response_class=PlainTextResponse)
    def health(fail: bool = False) -> PlainTextResponse:
        """Plain text; `fail=true` answers a 503 in plain text (an error that is not JSON)."""
        if fail:
            return PlainTextResponse("upstream database unavailable\n" + "x" * 2000, 503)
        return PlainTextResponse("ok")

    return app, store
