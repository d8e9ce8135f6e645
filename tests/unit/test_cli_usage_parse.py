"""generator/cli_usage.py: reading a documented usage line into positionals (issue 15)."""

from __future__ import annotations

import pytest

from generator import cli_usage
from generator.cli_usage import Placeholder
from generator.model import Parameter, Primitive


def param(name: str, location: str = "body", wire: str | None = None) -> Parameter:
    return Parameter(
        name=name,
        wire=wire or name,
        location=location,  # type: ignore[arg-type]
        type=Primitive("str"),
        required=location == "path",
    )


@pytest.mark.parametrize(
    ("usage", "expected", "flags"),
    [
        (
            "vastai create env-var <key> <value>",
            [Placeholder("key", "required"), Placeholder("value", "required")],
            set(),
        ),
        (
            "vastai change bid <id> --price <price>",
            [Placeholder("id", "required")],
            {"price"},
        ),
        (
            "vastai get endpoint logs <endpoint_name> [--tail <num_lines>]",
            [Placeholder("endpoint_name", "required")],
            {"tail"},
        ),
        (
            "vastai metrics gpu-trends [GPU_NAMES] [options]",
            [Placeholder("GPU_NAMES", "optional")],
            set(),
        ),
        ("vastai show env-vars [-s]", [], {"s"}),
        ("vastai show instances [OPTIONS] [--api-key API_KEY] [--raw]", [], {"api_key", "raw"}),
        (
            "vastai execute <instance_id> <command>",
            [Placeholder("instance_id", "required"), Placeholder("command", "rest")],
            set(),
        ),
        ("tool run <args...>", [Placeholder("args", "rest")], set()),
        ("vastai search offers --order=dph_total", [], {"order"}),
    ],
)
def test_placeholders(usage: str, expected: list[Placeholder], flags: set[str]) -> None:
    found, mentioned = cli_usage.placeholders(usage)
    assert list(found) == expected
    assert set(mentioned) == flags


def test_command_words_and_usage_line() -> None:
    description = "Does it.\n\nCLI Usage: `vastai  create   env-var <key> <value>`"
    usage = cli_usage.usage_line(description)
    assert usage == "vastai create env-var <key> <value>"
    assert cli_usage.command_words(usage) == ("create", "env-var")
    assert cli_usage.usage_line(description, "`tool put pair <k>`") == "tool put pair <k>"
    assert cli_usage.usage_line("no usage here") == ""


def test_matching_by_name_first_words_and_the_single_path_parameter() -> None:
    params = [param("id", "path"), param("ssh_key_id", "path")]
    spec, unmatched = cli_usage.read("vastai detach <instance_id> <ssh_key_id>", params)
    assert spec.positional == (("id", "required"), ("ssh_key_id", "required"))  # documented order
    assert unmatched == []
    spec, _ = cli_usage.read("t set defjob <machine_id>", [param("machine")])
    assert spec.positional == (("machine", "required"),)
    spec, _ = cli_usage.read("t delete volume <volume_id>", [param("id_", wire="id")])
    assert spec.positional == (("id_", "required"),)
    spec, _ = cli_usage.read("t search volumes <query>", [param("q", "query")])
    assert spec.positional == (("q", "rest"),)


def test_an_unmatched_placeholder_is_reported_and_path_parameters_stay_positional() -> None:
    spec, unmatched = cli_usage.read("t show team-role <name>", [param("id", "path")])
    assert unmatched == ["name"]
    assert spec.positional == (("id", "required"),)
    spec, unmatched = cli_usage.read("t delete env-var <name>", [param("key")])
    assert unmatched == ["name"] and spec.positional == ()


def test_x_cli_positional_and_aliases() -> None:
    params = [param("key"), param("value")]
    spec, unmatched = cli_usage.read(
        "t put <x>", params, ["value", "key"], ["mk pair", ["add", "pair"]]
    )
    assert spec.positional == (("value", "required"), ("key", "required"))
    assert unmatched == []
    assert spec.aliases == (("mk", "pair"), ("add", "pair"))
    _, unmatched = cli_usage.read("", params, ["colour"])
    assert unmatched == ["colour"]
