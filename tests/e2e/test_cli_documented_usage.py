"""The generated CLI accepts the command lines the vastai spec documents (issue 15).

Every operation of ../shared/specs/vastai/vastai-full.yaml with a "CLI Usage: `vastai ...`" line:
the documented argv, its placeholders filled with typical values, is run through the generated
CLI against a loopback HTTP server that parses what it receives; the request must be the
operation's (method and path template) and carry every value typed in (in the path, the query or
the JSON body). The few the CLI cannot take as documented are listed, with the reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
import yaml
from cli_loopback import Recorder, loopback
from conftest import SHARED_SPECS, generate_package, requires_shared

SPEC = SHARED_SPECS / "vastai" / "vastai-full.yaml"
pytestmark = requires_shared()

# The documented commands the CLI cannot take as written, and why (checked exactly).
CANNOT = {
    "vastai delete env-var <name>": "<name> is the body field `key`: nothing names it",
    "vastai search offers 'reliability > 0.99 num_gpus>=4' --order=dph_total": (
        "a query language the API does not take: its body has one object per filter"
    ),
    "vastai search volumes <query> [options]": (
        '<query> is the query parameter `q`, an object ({"limit": 100}), not query text'
    ),
    "vastai set user --file <file_path>": "the body has no `file` field (it takes its fields)",
    "vastai create api-key --name <name> --permission_file <permissions_file> "
    "[--key_params <params>]": "the body field is `permissions` (JSON), not a file",
    "vastai change bid <id> --price <price>": (
        "the body's required `client_id` is not in the usage line (`x-cli-default: me` would "
        "fill it in)"
    ),
    "vastai show instance [--api-key <api_key>] [--raw]": (
        "the usage line leaves out the required path parameter `id`"
    ),
    "vastai show earnings [options]": "the usage leaves out the path parameter `user_id`",
    "vastai show ipaddrs": "the usage leaves out the required path parameter `user_id`",
    "vastai show machines [--user_id <user_id>]": (
        "the spec makes the query parameter `user_id` required, the usage optional"
    ),
}


def typical(name: str) -> str:
    """A value a user would type for `<name>`."""
    key = name.lower().strip("<>[]")
    if "json" in key or "permissions" in key:
        return '{"api": {}}'
    if "email" in key:
        return "user@example.com"
    if key in ("command", "cmd"):
        return "ls -l"
    if key in ("src", "dst", "src_path", "dst_path"):
        return "/workspace/" + key
    if key == "sdate":
        return "2026-01-02T03:04:05+00:00"
    if re.search(r"(^|_)(id|amount|price|cost|size|size_gb|num_lines|lines|duration)$", key):
        return {"amount": "2.5", "price": "0.3", "cost": "0.4"}.get(key, "4242")
    if key == "gpu_names":
        return "RTX_4090"
    return f"v_{key}"


def documented_argv(usage: str) -> tuple[list[str], list[str]]:
    """(argv, the values typed in) for a usage line: placeholders filled, optional parts left out."""
    tokens = re.findall(r"\[[^\]]*\]|\S+", usage)[1:]
    argv: list[str] = []
    values: list[str] = []
    for token in tokens:
        if token.startswith("["):
            continue  # [options], [--tail <n>], [GPU_NAMES]: optional, left out
        if token.startswith("<"):
            value = typical(token)
            argv.append(value)
            values.append(value)
        else:
            argv.append(token)
    return argv, values


def documented_operations() -> list[tuple[str, str, str]]:
    """(usage line, method, path) of every operation with a CLI Usage line."""
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    out = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict):
                continue
            match = re.search(r"CLI Usage:\s*`([^`]+)`", op.get("description") or "")
            if match:
                out.append((" ".join(match.group(1).split()), method.upper(), path))
    return out


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with loopback() as url:
        yield url


@pytest.fixture(scope="module")
def vastai_full(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    if not SPEC.is_file():
        pytest.skip(f"{SPEC} is absent")
    pkg, _ = generate_package(tmp_path_factory.mktemp("vastai-full"), SPEC.read_text("utf-8"))
    return pkg


def send(pkg: ModuleType, server: str, argv: list[str], capsys: Any) -> tuple[int, str, dict]:
    cli = __import__(pkg.__name__ + "._cli", fromlist=["main"])
    Recorder.seen.clear()
    code = cli.main(["--url", server, "--api-key", "k-123", "--max-retries", "0", *argv])
    out, err = capsys.readouterr()
    return code, err, (Recorder.seen[-1] if Recorder.seen else {})


def path_matches(template: str, path: str) -> bool:
    pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
    return re.fullmatch(pattern, path) is not None


def carried(value: str, request: dict[str, Any]) -> bool:
    """Whether a typed value reached the request: a path segment, a query value, a body value."""

    def same(x: Any) -> bool:
        if isinstance(x, (dict, list)):
            try:
                return x == json.loads(value) or any(same(v) for v in _values(x))
            except ValueError:
                return any(same(v) for v in _values(x))
        if isinstance(x, bool) or x is None:
            return False
        if isinstance(x, (int, float)):
            try:
                return float(value) == float(x)
            except ValueError:
                return False
        return str(x) == value

    return (
        value in request["path"].split("/")
        or any(same(v) for v in request["query"].values())
        or same(request["body"])
    )


def _values(x: Any) -> list[Any]:
    return list(x.values()) if isinstance(x, dict) else list(x)


def test_every_documented_command_sends_the_documented_request(
    vastai_full: ModuleType, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    passed, failed = [], {}
    operations = documented_operations()
    for usage, method, path in operations:
        argv, values = documented_argv(usage)
        code, err, request = send(vastai_full, server, argv, capsys)
        if code != 0:
            failed[usage] = f"exit {code}: {err.strip().splitlines()[-1] if err else ''}"
        elif request.get("method") != method or not path_matches(path, request["path"]):
            failed[usage] = (
                f"sent {request.get('method')} {request.get('path')}, not {method} {path}"
            )
        elif missing := [v for v in values if not carried(v, request)]:
            failed[usage] = f"{missing} not in {request}"
        else:
            passed.append(usage)
    print(f"{len(passed)} of {len(operations)} documented commands pass")
    assert len(operations) == 88
    assert {u: failed[u] for u in failed if u not in CANNOT} == {}
    assert set(failed) == set(CANNOT), "a listed command now works: remove it from CANNOT"


# --------------------------------------------------------------------------------------------
# The defects of issue 15, each against the loopback server


def run(pkg: ModuleType, server: str, capsys: Any, *argv: str) -> tuple[int, str, dict]:
    cli = __import__(pkg.__name__ + "._cli", fromlist=["main"])
    Recorder.seen.clear()
    code = cli.main(["--url", server, "--max-retries", "0", *argv])
    out, err = capsys.readouterr()
    return code, err, (Recorder.seen[-1] if Recorder.seen else {})


@pytest.mark.parametrize("before", [True, False])
def test_a_body_field_api_key_never_takes_the_global_key(
    vastai_full: ModuleType, server: str, capsys: pytest.CaptureFixture[str], before: bool
) -> None:
    key = ["--api-key", "sk-global"]
    argv = ["cloud", "copy", "7", "/a", "/b"]
    code, err, request = run(vastai_full, server, capsys, *(key + argv if before else argv + key))
    assert code == 0, err
    assert request["headers"]["Authorization"] == "Bearer sk-global"
    assert request["body"] == {"instance_id": "7", "src": "/a", "dst": "/b"}


def test_the_body_field_api_key_has_its_own_flag(
    vastai_full: ModuleType, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--api-key", "sk-global", "cloud", "copy", "7", "/a", "/b", "--body-api_key", "sk-b"]
    code, err, request = run(vastai_full, server, capsys, *argv)
    assert code == 0, err
    assert request["headers"]["Authorization"] == "Bearer sk-global"
    assert request["body"]["api_key"] == "sk-b"


def test_a_command_that_is_also_a_parent_does_not_impose_its_flags_on_its_child(
    vastai_full: ModuleType, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["create", "team", "role", "--name", "ops", "--permissions", '{"api": {}}']
    code, err, request = run(vastai_full, server, capsys, *argv)
    assert code == 0, err
    assert request["method"] == "POST" and request["path"] == "/api/v0/team/roles/"
    assert request["body"] == {"name": "ops", "permissions": {"api": {}}}
    code, err, request = run(vastai_full, server, capsys, "create", "team", "--team_name", "t")
    assert code == 0, err
    assert request["body"] == {"team_name": "t"}
    code, err, _ = run(vastai_full, server, capsys, "create", "team")
    assert code == 2 and "required: --team_name" in err


@pytest.mark.parametrize(
    ("argv", "field", "value"),
    [
        (["cloud", "copy", "--instance", "7", "--src", "/a", "--dst", "/b"], "instance_id", "7"),
        (["create", "ssh-key", "--ssh", "ssh-ed25519 AAA"], "ssh_key", "ssh-ed25519 AAA"),
        (["create", "endpoint", "--endpoint", "e1"], "endpoint_name", "e1"),
    ],
)
def test_an_abbreviation_of_both_spellings_of_one_option_means_that_option(
    vastai_full: ModuleType,
    server: str,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    field: str,
    value: str,
) -> None:
    code, err, request = run(vastai_full, server, capsys, *argv)
    assert code == 0, err
    assert request["body"][field] == value


def test_a_positional_and_its_flag_both_work_but_not_together(
    vastai_full: ModuleType, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (["create", "env-var", "A_KEY", "v"], ["create", "env-var", "--key", "A_KEY", "v"]):
        code, err, request = run(vastai_full, server, capsys, *argv)
        assert code == 0, err
        assert request["body"] == {"key": "A_KEY", "value": "v"}
    code, err, _ = run(vastai_full, server, capsys, "create", "env-var", "A", "v", "--key", "B")
    assert code == 2 and "unrecognized arguments: v" in err
    code, err, _ = run(vastai_full, server, capsys, "prepay", "instance", "5", "lots")
    assert code == 2 and "argument AMOUNT: " in err
    code, err, _ = run(vastai_full, server, capsys, "create", "env-var", "A_KEY")
    assert code == 2 and "required: VALUE" in err


def test_a_trailing_command_placeholder_takes_the_rest_of_the_argv(
    vastai_full: ModuleType, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err, request = run(vastai_full, server, capsys, "execute", "42", "ls", "/workspace")
    assert code == 0, err
    assert request["path"] == "/api/v0/instances/command/42/"
    assert request["body"] == {"command": "ls /workspace"}


def test_two_path_parameters_in_the_documented_order(
    vastai_full: ModuleType, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err, request = run(vastai_full, server, capsys, "detach", "11", "22")
    assert code == 0, err
    assert request["method"] == "DELETE"
    assert request["path"] == "/api/v0/instances/11/ssh/22/"


def test_one_documented_command_for_two_operations_dispatches_on_its_arguments(
    vastai_full: ModuleType, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # `show ssh-keys` (the user's keys) and `show ssh-keys <instance_id>` (an instance's)
    code, err, request = run(vastai_full, server, capsys, "show", "ssh-keys")
    assert code == 0, err
    assert request["method"] == "GET" and request["path"] == "/api/v0/ssh/"
    code, err, request = run(vastai_full, server, capsys, "show", "ssh-keys", "4242")
    assert code == 0, err
    assert request["method"] == "GET" and request["path"] == "/api/v0/instances/4242/ssh/"
