"""Unit tests of generator/naming.py: identifiers, keywords, collisions, CLI words."""

from __future__ import annotations

import keyword

import pytest

from generator import cli_usage, naming


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("createEndpoint", "create_endpoint"),
        ("create-endpoint", "create_endpoint"),
        ("Create Endpoint", "create_endpoint"),
        ("HTTPServerURL", "http_server_url"),
        ("min_load", "min_load"),
        ("assignee.any", "assignee_any"),
        ("Parameter1.Name", "parameter1_name"),
        ("$ref", "ref"),
        ("@odata.type", "odata_type"),
        ("x-rate-limit", "x_rate_limit"),
    ],
)
def test_snake(text: str, expected: str) -> None:
    assert naming.snake(text) == expected


@pytest.mark.parametrize(
    "word", ["in", "class", "from", "import", "def", "lambda", "match", "type", "print"]
)
def test_keywords_get_a_trailing_underscore(word: str) -> None:
    name = naming.snake(word)
    assert name == word.lower() + "_"
    assert name.isidentifier() and not keyword.iskeyword(name)


def test_capitalised_keywords_become_plain_lower_case_names() -> None:
    assert naming.snake("None") == "none"
    assert naming.snake("True") == "true"
    assert naming.pascal("True") == "True_"


def test_names_the_generated_code_uses_are_escaped() -> None:
    for word in (
        "self",
        "timeout",
        "extra_headers",
        "max_retries",
        "additional_properties",
        "to_dict",
    ):
        assert naming.snake(word) == word + "_"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123abc", "value_123abc"),
        ("2fa_code", "value_2fa_code"),
        ("", "value"),
        ("!!!", "value"),
        ("___", "value"),
    ],
)
def test_snake_never_starts_with_a_digit_or_is_empty(text: str, expected: str) -> None:
    assert naming.snake(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pet", "Pet"),
        ("File--Full", "FileFull"),
        ("io.k8s.api.apps.v1.Deployment", "IoK8sApiAppsV1Deployment"),
        ("api.v2010.account", "ApiV2010Account"),
        ("404error", "Model404error"),
        ("", "Model"),
        ("None", "None_"),
    ],
)
def test_pascal(text: str, expected: str) -> None:
    assert naming.pascal(text) == expected


def test_unicode_is_folded_or_dropped() -> None:
    assert naming.snake("café_crème") == "cafe_creme"
    assert naming.snake("様") == "value"  # nothing ASCII left: the fallback
    assert naming.pascal("Ünïcode") == "Unicode"
    assert naming.snake("名前", fallback="field") == "field"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("active", "ACTIVE"),
        ("in-progress", "IN_PROGRESS"),
        ("1x", "VALUE_1X"),
        ("", "VALUE_"),
        ("name", "NAME_"),
    ],
)
def test_constant(text: str, expected: str) -> None:
    assert naming.constant(text) == expected


def test_namer_disambiguates_stably() -> None:
    namer = naming.Namer({"taken"})
    assert [namer.claim(n) for n in ("a", "a", "taken", "a", "b")] == [
        "a",
        "a_2",
        "taken_2",
        "a_3",
        "b",
    ]
    assert "a_2" in namer
    assert naming.Namer().claim("X", sep="") == "X"


def test_namer_with_empty_separator_for_classes() -> None:
    namer = naming.Namer({"Pet"})
    assert namer.claim("Pet", sep="") == "Pet2"


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("Creates one.\n\nCLI Usage: `vastai create endpoint [options]`", ("create", "endpoint")),
        (
            "CLI Usage: `vastai show instances [OPTIONS] [--api-key API_KEY] [--raw]`",
            ("show", "instances"),
        ),
        ("CLI Usage: `vastai show ssh-keys <instance_id>`", ("show", "ssh-keys")),
        ("CLI Usage: `vastai create team role --name <role_name>`", ("create", "team", "role")),
        ("CLI Usage: `vastai metrics gpu-trends [GPU_NAMES] [options]`", ("metrics", "gpu-trends")),
        (
            "CLI Usage: `vastai search offers 'reliability > 0.99' --order=dph_total`",
            ("search", "offers"),
        ),
        ("CLI Usage: `vastai reports <machine_id>`", ("reports",)),
        ("CLI Usage: `vastai <id>`", None),
        ("no usage line here", None),
        ("", None),
    ],
)
def test_cli_words_from_usage(description: str, expected: tuple[str, ...] | None) -> None:
    usage = cli_usage.usage_line(description)
    assert (cli_usage.command_words(usage) if usage else None) == expected


def test_cli_words_from_names_and_routes() -> None:
    assert naming.cli_words_from_name("get-board") == ("get", "board")
    assert naming.cli_words_from_name("listPets") == ("list", "pets")
    assert naming.cli_words_from_name("!!!") == ("call",)
    assert naming.cli_words_from_route("GET", "/users/{id}/") == ("get", "users", "id")
    assert naming.cli_words_from_route("POST", "/") == ("post", "root")
    assert naming.cli_words_from_text("create  Endpoint") == ("create", "endpoint")
    assert naming.cli_words_from_text("  ") is None
    assert naming.cli_word("ssh_keys") == "ssh-keys"


def test_unique_commands() -> None:
    commands = [
        (("show", "ssh-keys"), False),
        (("show", "ssh_keys"), True),  # the same words once normalised: second gets -2
        (("create", "team"), False),  # a prefix without positionals may stay
        (("create", "team", "role"), False),
        (("get", "endpoint"), True),  # a prefix with positionals is renamed
        (("get", "endpoint", "logs"), True),
        (("show", "ssh-keys"), False),
    ]
    assert naming.unique_commands(commands) == [
        ("show", "ssh-keys"),
        ("show", "ssh-keys-2"),
        ("create", "team"),
        ("create", "team", "role"),
        ("get", "endpoint-2"),
        ("get", "endpoint", "logs"),
        ("show", "ssh-keys-3"),
    ]


def test_command_name_follows_the_words() -> None:
    assert naming.command_name(("show", "instances")) == "show_instances"
    assert naming.command_name(("show", "ssh-keys-2")) == "show_ssh_keys_2"
    assert naming.command_name(("import",)) == "import_"
    assert naming.command_name(()) == "call"


def test_attribute_and_parameter_keep_builtin_names() -> None:
    for word in ("id", "type", "object", "list", "format", "match", "print", "input"):
        assert naming.attribute(word) == word
        assert naming.parameter(word) == word
    assert naming.attribute("class") == "class_"
    assert naming.attribute("to_dict") == "to_dict_"
    assert naming.attribute("rt") == "rt_"  # `rt.` in the class body's `_descriptors`
    assert naming.attribute("2fa") == "field_2fa"
    assert naming.parameter("timeout") == "timeout_"
    assert naming.parameter("locals") == "locals_"  # the method's body calls `locals()`
    assert naming.escape_parameter("timeout") == "timeout_"
    assert naming.escape_parameter("id") == "id"


def test_field_names_rename_a_builtin_only_where_a_later_annotation_needs_it() -> None:
    from generator.model import ListOf, MapOf, Nullable, Primitive

    text, number = Primitive("str"), Primitive("int")
    props = [
        ("list", Primitive("int")),  # `list[...]` below: renamed
        ("int", text),  # `int` below: renamed
        ("items", Nullable(ListOf(number))),
        ("float", text),  # no `float` below: kept
        ("bool", text),
        ("tuple", text),  # the `_discriminator` ClassVar says `tuple[...]`
        ("str", ListOf(text)),  # the ClassVars say `dict[str, str]`
        ("labels", MapOf(text)),
    ]
    named = naming.field_names(props)
    assert [n for n, _ in named] == [
        "list_",
        "int_",
        "items",
        "float",
        "bool",
        "tuple_",
        "str_",
        "labels",
    ]
    assert named[0][1] is not None and "`list`" in named[0][1].reason
    assert named[2][1] is None


def test_field_names_keep_inherited_names_and_report_clashes() -> None:
    from generator.model import Primitive

    text = Primitive("str")
    named = naming.field_names(
        [("id", text), ("ID", text), ("Id2", text), ("kind", text)], {"kind": "kind_"}
    )
    assert [n for n, _ in named] == ["id", "id_2", "id2", "kind_"]
    why = named[1][1]
    assert why is not None and why.other == "id"
    assert why.message("ID", "id_2", {"id": "#/p/id"}) == (
        "property 'ID' is attribute `id_2`: `id` is also the name of property 'id' at #/p/id"
    )


def test_settle_commands_names_the_command_each_clashed_with() -> None:
    settled = naming.settle_commands(
        [
            (("get", "thing"), True),  # `get thing <id>` is the start of `get thing logs`
            (("get", "thing", "logs"), True),
            (("list", "things"), False),
            (("list", "things"), False),
        ]
    )
    assert settled == [
        (("get", "thing-2"), 1),
        (("get", "thing", "logs"), None),
        (("list", "things"), None),
        (("list", "things-2"), 2),
    ]


def test_operation_stems() -> None:
    stems = naming.operation_stems(
        [
            ("read_items_items_get", "get", "/items"),
            ("create_item_items_post", "post", "/items"),
            ("get_x_a__id__get", "get", "/a/{id}"),
            ("get_x_b__id__get", "get", "/b/{id}"),  # both would be `get_x`
            ("getThing", "get", "/things/{id}"),
            (None, "get", "/none"),
            (42, "get", "/number"),
        ]
    )
    assert stems == [
        "read_items",
        "create_item",
        "get_x_a__id__get",
        "get_x_b__id__get",
        "getThing",
        None,
        None,
    ]
