"""The generated package loads what a program uses, when it first uses it (issue 16).

`import <package>` and `Client()` import no model, no operation group and no CLI module; the
first call imports its group and the modules of the classes it decodes; the CLI's `--help` and
one command make and import only what they show. Checked structurally (which modules are in
`sys.modules` of a fresh interpreter), never by time. Type checkers see the same classes as
before: mypy --strict passes on the package and on code that uses it, and still rejects a name
the package does not have.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import generate_package

from generator import modules

SPEC = """
openapi: 3.1.0
info: {title: Lazy, version: "1"}
servers: [{url: "http://127.0.0.1:9"}]
paths:
  /pets/{id}:
    get:
      operationId: getPet
      tags: [pets]
      summary: Get a pet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}, description: the pet's id}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
        "404":
          description: missing
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Problem"}
  /stores:
    post:
      operationId: createStore
      tags: [stores]
      summary: Create a store
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Store"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Store"}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        owner: {$ref: "#/components/schemas/Owner"}
        tag: {$ref: "#/components/schemas/Tag"}
    Owner:
      type: object
      properties:
        name: {type: string}
    Tag: {type: string, enum: [good, bad]}
    Problem:
      type: object
      properties:
        detail: {type: string}
    Store:
      type: object
      properties:
        address: {$ref: "#/components/schemas/Address"}
        stock: {type: array, items: {$ref: "#/components/schemas/Item"}}
    Address:
      type: object
      properties:
        street: {type: string}
    Item:
      type: object
      properties:
        sku: {type: string}
        supplier: {$ref: "#/components/schemas/Supplier"}
    Supplier:
      type: object
      properties:
        name: {type: string}
    Shelf:
      type: object
      properties:
        height: {type: integer}
    Aisle:
      type: object
      properties:
        shelves: {type: array, items: {$ref: "#/components/schemas/Shelf"}}
"""

PET = {"name": "Rex", "owner": {"name": "Ann"}, "tag": "good", "legs": 4}


@pytest.fixture(scope="module", params=["split", "one-module"])
def package(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[ModuleType, Path]:
    """The package, its models spread over `_models_<n>` modules ("split", as a large API's
    are) or all in `models.py`."""
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "split":
            patch.setattr(modules, "CHUNK", 2)
        return generate_package(tmp_path_factory.mktemp(request.param), SPEC)


class _Pets(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        status, body = (200, PET) if self.path == "/pets/7" else (404, {"detail": "no"})
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pets)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _loaded(folder: Path, name: str, code: str) -> tuple[set[str], str]:
    """Run `code` in a fresh interpreter (the package importable, `name` bound to its name);
    the package's modules it loaded, and what it printed before."""
    script = (
        f"import json, sys\nname = {name!r}\n{code}\n"
        "print('\\nMODULES=' + json.dumps(sorted(m for m in sys.modules "
        "if m == name or m.startswith(name + '.'))))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=folder, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    out, _, listed = proc.stdout.rpartition("\nMODULES=")
    return {m.removeprefix(name + ".") for m in json.loads(listed)}, out.strip()


def _kinds(loaded: set[str]) -> set[str]:
    """The lazily loaded kinds of module among `loaded`."""
    kinds = {"models", "_ops", "_cli", "_cli_runtime"} & loaded
    kinds |= {m for m in loaded if m.startswith(("_models_", "_client_"))}
    return kinds


def test_import_and_client_load_no_model_group_or_cli(package: tuple[ModuleType, Path]) -> None:
    pkg, out = package
    loaded, printed = _loaded(
        out,
        pkg.__name__,
        "import importlib\n"
        "p = importlib.import_module(name)\n"
        "c = p.Client(api_key='k')\n"
        "a = p.AsyncClient(api_key='k')\n"
        "print(c._http_client is None, a._http_client is None)",
    )
    assert _kinds(loaded) == set(), loaded
    assert {"client", "_runtime", "_http"} <= loaded
    assert printed.split() == ["True", "True"]  # no httpx client until the first request
    # private modules are still attributes of the package (imported when first named)
    _, printed = _loaded(
        out,
        pkg.__name__,
        "import importlib\np = importlib.import_module(name)\nprint(p._ops.GET_PET.path)",
    )
    assert printed == "/pets/{id}"


def test_first_call_loads_its_group_and_the_classes_it_decodes(
    package: tuple[ModuleType, Path], server: str
) -> None:
    pkg, out = package
    loaded, printed = _loaded(
        out,
        pkg.__name__,
        "import importlib\n"
        "p = importlib.import_module(name)\n"
        f"c = p.Client(api_key='k', base_url={server!r})\n"
        "pet = c.get_pet(id='7')\n"
        "print(type(pet).__name__, type(pet.owner).__name__, pet.tag, pet.additional_properties)",
    )
    assert printed.split("\n")[-1] == "Pet Owner good {'legs': 4}"
    home = getattr(pkg.models, "_HOME", None)
    if home is None:  # all the models in one module
        assert _kinds(loaded) == {"models", "_ops", "_client_pets"}
        return
    # Pet, and the classes its annotations name (Owner, Tag); not Store's, not Problem's
    wanted = {home[n].lstrip(".") for n in ("Pet", "Owner", "Tag")}
    assert _kinds(loaded) == {"models", "_ops", "_client_pets", *wanted}, loaded
    assert wanted < {m.lstrip(".") for m in home.values()}  # some parts stay unloaded


def test_decoding_imports_only_the_classes_of_the_values_present(
    package: tuple[ModuleType, Path],
) -> None:
    pkg, out = package
    home = getattr(pkg.models, "_HOME", None)
    if home is None:
        pytest.skip("all the models are in models.py")
    code = (
        "import importlib\nm = importlib.import_module(name + '.models')\n"
        "a = m.Aisle.from_dict({data})\nprint(a.to_dict() == {data})"
    )
    loaded, printed = _loaded(out, pkg.__name__, code.format(data={}))
    assert printed == "True"
    assert {m for m in loaded if m.startswith("_models_")} == {home["Aisle"].lstrip(".")}
    data = {"shelves": [{"height": 2}]}
    loaded, printed = _loaded(out, pkg.__name__, code.format(data=data))
    assert printed == "True"
    parts = {m for m in loaded if m.startswith("_models_")}
    assert parts == {home["Aisle"].lstrip("."), home["Shelf"].lstrip(".")}


def test_error_body_class_loads_when_the_error_happens(
    package: tuple[ModuleType, Path], server: str
) -> None:
    pkg, out = package
    _, printed = _loaded(
        out,
        pkg.__name__,
        "import importlib\n"
        "p = importlib.import_module(name)\n"
        f"c = p.Client(api_key='k', base_url={server!r})\n"
        "try:\n    c.get_pet(id='8')\n"
        "except p.NotFoundError as e:\n    print(type(e.body).__name__, e.body.detail)",
    )
    assert printed.strip() == "Problem no"


def test_cli_help_loads_no_model_or_group(package: tuple[ModuleType, Path]) -> None:
    pkg, out = package
    run = (
        "import runpy\nsys.argv = [name] + {argv!r}\n"
        "try:\n    runpy.run_module(name, run_name='__main__', alter_sys=True)\n"
        "except SystemExit as e:\n    print('EXIT', e.code)"
    )
    loaded, printed = _loaded(out, pkg.__name__, run.format(argv=["--help"]))
    assert "EXIT 0" in printed and "get ..." in printed and "create ..." in printed
    assert _kinds(loaded) <= {"_ops", "_cli", "_cli_runtime"}, loaded
    # a group's help shows its commands' summaries: their group only
    loaded, printed = _loaded(out, pkg.__name__, run.format(argv=["get", "--help"]))
    assert "Get a pet" in printed and "EXIT 0" in printed
    assert not any(m.startswith("_models_") or m == "models" for m in loaded), loaded
    assert "_client_pets" in loaded and "_client_stores" not in loaded
    # one command's help: its flags and their help text
    loaded, printed = _loaded(out, pkg.__name__, run.format(argv=["get", "pet", "--help"]))
    assert "--id" in printed and "the pet's id" in printed and "EXIT 0" in printed
    assert "_client_stores" not in loaded and "models" not in loaded


def test_cli_command_runs_loading_only_its_group(
    package: tuple[ModuleType, Path], server: str
) -> None:
    pkg, out = package
    argv = ["--url", server, "--format", "json", "get", "pet", "--id", "7"]
    loaded, printed = _loaded(
        out,
        pkg.__name__,
        f"import runpy\nsys.argv = [name] + {argv!r}\n"
        "try:\n    runpy.run_module(name, run_name='__main__', alter_sys=True)\n"
        "except SystemExit as e:\n    print('EXIT', e.code)",
    )
    assert json.loads(printed.split("EXIT")[0]) == PET
    assert "EXIT 0" in printed
    assert "_client_pets" in loaded and "_client_stores" not in loaded, loaded


def test_cli_errors_and_completion_still_see_every_command(
    package: tuple[ModuleType, Path],
) -> None:
    pkg, out = package
    cli = [sys.executable, "-m", pkg.__name__]
    wrong = subprocess.run([*cli, "get", "pest"], cwd=out, capture_output=True, text=True)
    assert wrong.returncode == 2 and "invalid choice: 'pest'" in wrong.stderr
    assert "'pet'" in wrong.stderr
    script = subprocess.run(
        [*cli, "--completion", "bash"], cwd=out, capture_output=True, text=True
    )
    assert script.returncode == 0, script.stderr
    assert '"get pet") echo' in script.stdout and "--id" in script.stdout
    assert '"create store") echo' in script.stdout


def test_lazy_names_behave_as_before(package: tuple[ModuleType, Path]) -> None:
    pkg, _ = package
    models = pkg.models
    from_models = __import__(f"{pkg.__name__}.models", fromlist=["Pet"]).Pet
    assert from_models is models.Pet is pkg.Pet
    pet = models.Pet.from_dict(PET)
    assert isinstance(pet, pkg.Pet) and isinstance(pet.owner, models.Owner)
    again = pickle.loads(pickle.dumps(pet))
    assert again == pet and type(again) is models.Pet
    assert sorted(models.__all__) == sorted(
        ["Address", "Aisle", "Item", "Owner", "Pet", "Problem", "Shelf", "Store", "Supplier", "Tag"]
    )
    with pytest.raises(AttributeError):
        _ = models.Nope
    with pytest.raises(AttributeError):
        _ = pkg.Nope
    client = pkg.Client(api_key="k")
    assert "get_pet" in dir(client) and "create_store" in dir(pkg.Client)
    assert pkg.Client.get_pet.__doc__.startswith("Get a pet")
    assert client.with_raw_response.get_pet.__doc__
    with pytest.raises(AttributeError):
        _ = client.nope
    with pytest.raises(AttributeError):
        _ = client.with_raw_response.close  # only the operations are wrapped
    client.close()


def test_types_are_unchanged_for_mypy(package: tuple[ModuleType, Path]) -> None:
    pkg, out = package
    name = pkg.__name__
    (out / "use_it.py").write_text(
        f"import {name}\n"
        f"from {name} import AsyncClient, Client, Pet, models\n"
        f"from {name}.models import Owner, Tag\n\n"
        "def run(c: Client, a: AsyncClient) -> None:\n"
        "    pet = c.get_pet(id='7')\n"
        "    reveal_type(pet)\n"
        "    reveal_type(a.get_pet)\n"
        "    reveal_type(c.with_raw_response.get_pet(id='7'))\n"
        f"    o: Owner | None = None\n"
        f"    m: {name}.models.Store = models.Store()\n"
        "    t: Tag = Tag.GOOD\n"
        "    p: Pet = pet\n"
        "    print(o, m, t, p)\n",
        encoding="utf-8",
    )
    (out / "misuse.py").write_text(
        f"from {name} import models, Client\n"
        "x = models.NoSuchModel\n"
        "Client().no_such_method()\n",
        encoding="utf-8",
    )
    mypy = [str(Path(sys.executable).parent / "mypy"), "--strict", "--python-version", "3.10"]
    ok = subprocess.run(
        [*mypy, name, "use_it.py"], cwd=out, capture_output=True, text=True, timeout=600
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert f'Revealed type is "{name}._models_' in ok.stdout or (
        f'Revealed type is "{name}.models.Pet"' in ok.stdout
    )
    assert "Coroutine[Any, Any," in ok.stdout and "RawResponse[" in ok.stdout
    bad = subprocess.run(
        [*mypy, "misuse.py"], cwd=out, capture_output=True, text=True, timeout=600
    )
    assert bad.returncode == 1
    assert '"NoSuchModel"' in bad.stdout and '"no_such_method"' in bad.stdout, bad.stdout


def test_namespaces_load_on_first_use(
    tmp_path_factory: pytest.TempPathFactory, server: str
) -> None:
    """`group_by = "tag"`: `client.pets` imports its resource module when first used."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(modules, "CHUNK", 2)
        pkg, out = generate_package(tmp_path_factory.mktemp("ns"), SPEC, group_by="tag")
    loaded, printed = _loaded(
        out,
        pkg.__name__,
        "import importlib\n"
        "p = importlib.import_module(name)\n"
        f"c = p.Client(api_key='k', base_url={server!r})\n"
        "before = sorted(m for m in sys.modules if m.startswith(name + '._client_'))\n"
        "pet = c.pets.get(id='7')\n"
        "print(before, type(pet).__name__, pet.owner.name)",
    )
    assert printed == "[] Pet Ann"
    assert "_client_pets" in loaded and "_client_stores" not in loaded, loaded
