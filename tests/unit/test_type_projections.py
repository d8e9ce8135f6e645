"""The type projections of `generator/render/types.py`, one `TypeRef` at a time.

Each projection (`annotation`, `descriptor`, `type_label`, `annotation_says_all`) is checked on
every `TypeRef` case, together with the imports it records; the generated packages that use
them are tested in tests/generated/.
"""

from __future__ import annotations

import ast

import pytest

from generator.model import (
    AnyType,
    Const,
    Enum,
    EnumMember,
    EnumRef,
    ListOf,
    MapOf,
    ModelRef,
    Nullable,
    Primitive,
    TypeRef,
    UnionOf,
)
from generator.render.types import (
    Imports,
    annotation,
    annotation_says_all,
    descriptor,
    type_label,
)

STATUS = Enum(
    "Status", "str", (EnumMember("OPEN", "open"), EnumMember("SHUT", 'sh"ut'))
)

# (type, annotation with prefix "models.", imports it records, descriptor, label, says all)
CASES: list[tuple[TypeRef, str, str, str, str, bool]] = [
    (Primitive("str"), "str", "", '"str"', "string", True),
    (Primitive("int"), "int", "", '"int"', "integer", True),
    (Primitive("str", "email"), "str", "", '"str"', "string (email)", True),
    (
        Primitive("datetime", "date-time"),
        "datetime.datetime",
        "import datetime",
        '"datetime"',
        "string (date-time)",
        True,
    ),
    (
        Primitive("uuid", "uuid"),
        "uuid.UUID",
        "import uuid",
        '"uuid"',
        "string (uuid)",
        True,
    ),
    (Primitive("bytes", "byte"), "bytes", "", '"base64"', "base64 bytes", False),
    (Primitive("bytes", "binary"), "bytes", "", '"bytes"', "binary", True),
    (
        Primitive("decimal", "number"),
        "decimal.Decimal",
        "import decimal",
        '"decimal_number"',
        "number (decimal)",
        False,
    ),
    (
        ListOf(ModelRef("Pet")),
        "list[models.Pet]",
        "from . import _runtime as rt\nfrom . import models",
        'rt.list_of(rt.model("Pet"))',
        "list of Pet",
        True,
    ),
    (
        MapOf(AnyType()),
        "dict[str, Any]",
        "from typing import Any\n\nfrom . import _runtime as rt",
        'rt.map_of("any")',
        "map of any",
        True,
    ),
    (
        UnionOf((ModelRef("Cat"), ModelRef("Dog")), "kind", (("cat", "Cat"),)),
        "models.Cat | models.Dog",
        "from . import _runtime as rt\nfrom . import models",
        'rt.union(rt.model("Cat"), rt.model("Dog"), discriminator="kind", '
        'mapping={"cat": "Cat"})',
        "Cat or Dog",
        False,
    ),
    (
        UnionOf((Primitive("int"), Primitive("int"), Primitive("str"))),
        "int | str",
        "from . import _runtime as rt",
        'rt.union("int", "int", "str")',
        "integer or integer or string",
        True,
    ),
    (
        Const("card"),
        'Literal["card"]',
        "from typing import Literal\n\nfrom . import _runtime as rt",
        'rt.const("card")',
        '"card"',
        True,
    ),
    (
        Const(1.5),
        "Literal[1.5]",
        "from typing import Literal\n\nfrom . import _runtime as rt",
        "rt.const(1.5)",
        "1.5",
        False,
    ),
    (
        Const(None),
        "None",
        "from . import _runtime as rt",
        "rt.const(None)",
        "null",
        True,
    ),
    (
        Nullable(EnumRef("Status")),
        "models.Status | None",
        "from . import _runtime as rt\nfrom . import models",
        'rt.nullable(rt.enum_of("Status"))',
        "Status or null",
        True,
    ),
    (
        Nullable(AnyType()),
        "Any",
        "from typing import Any\n\nfrom . import _runtime as rt",
        'rt.nullable("any")',
        "any or null",
        True,
    ),
]


@pytest.mark.parametrize(("t", "ann", "imports", "desc", "label", "says_all"), CASES)
def test_each_projection_of_each_case(
    t: TypeRef, ann: str, imports: str, desc: str, label: str, says_all: bool
) -> None:
    collected = Imports()
    assert annotation(t, collected, "models.") == ann
    assert descriptor(t, collected) == desc
    assert collected.block() == imports
    assert type_label(t) == label
    assert annotation_says_all(t) is says_all
    ast.parse(ann, mode="eval")  # both are Python expressions
    ast.parse(desc, mode="eval")


def test_an_argument_accepts_enum_values_and_scalar_text() -> None:
    imports = Imports()
    loose = {"Status": STATUS}
    text = annotation(
        Nullable(EnumRef("Status")), imports, "models.", loose_enums=loose
    )
    assert text == 'models.Status | Literal["open", \'sh"ut\'] | None'
    assert imports.has("typing", "Literal") and imports.has(".", "models")
    assert annotation(Primitive("datetime"), imports, loose_enums=loose) == (
        "datetime.datetime | str"
    )
    assert annotation(Primitive("decimal"), imports, loose_enums=loose) == (
        "decimal.Decimal | float | str"
    )
    files = Imports()
    assert annotation(Primitive("bytes"), files, loose_enums=loose) == "FileInput | str"
    assert files.block() == "from ._runtime import FileInput"


def test_an_aliased_module_is_imported_under_its_alias() -> None:
    imports = Imports()
    assert (
        annotation(Primitive("uuid"), imports, aliases={"uuid": "_uuid"})
        == "_uuid.UUID"
    )
    assert imports.block() == "import uuid as _uuid"


def test_no_prefix_records_no_models_import() -> None:
    imports = Imports()
    assert annotation(ListOf(ModelRef("Pet")), imports) == "list[Pet]"
    assert imports.block() == ""


def test_imports_are_sorted_by_section_as_isort_has_them() -> None:
    imports = Imports()
    imports.add("typing", "Literal", "Any").add("dataclasses").add("httpx")
    imports.add(".", "models").add("._runtime", "Op").add("datetime")
    assert imports.block() == (
        "import dataclasses\nimport datetime\nfrom typing import Any, Literal\n\n"
        "import httpx\n\nfrom . import models\nfrom ._runtime import Op"
    )
    merged = Imports(imports, Imports().add("uuid"))
    assert merged.has("uuid") and not imports.has("uuid")
