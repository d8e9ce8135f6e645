"""The layers of `generator/` as `docs/architecture.md` states them, and the size rules.

The layer list lives only in the ```layers block of docs/architecture.md; this test reads it and
the imports of every module (by AST), and fails on a module the list does not place, an import
of a later layer, an import cycle, or a module or function over the size limits.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
while not (ROOT / "pyproject.toml").is_file():  # the test may live in a subfolder of tests/
    ROOT = ROOT.parent
GENERATOR = ROOT / "generator"
RUNTIME = ROOT / "templates" / "runtime"


def layers() -> dict[str, int]:
    """Module -> layer index, from the ```layers block."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = re.search(r"^```layers\n(.*?)^```", text, re.S | re.M)
    assert block, "docs/architecture.md has no ```layers block"
    out: dict[str, int] = {}
    for index, line in enumerate(block.group(1).splitlines()):
        _, _, names = line.partition(":")
        for name in names.split():
            assert name not in out, f"{name} is listed twice"
            out[name] = index
    return out


def module_name(path: Path) -> str:
    """`generator/render/text.py` -> `render.text`; `generator/cli.py` -> `cli`."""
    parts = path.relative_to(GENERATOR).with_suffix("").parts
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """The `generator` modules `path` imports (dotted, relative to `generator`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("generator."):
                    out.add(alias.name.removeprefix("generator."))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module == "generator" or (node.module or "").startswith("generator."):
                module = node.module.removeprefix("generator").lstrip(".")
            else:
                continue
            for alias in node.names:  # `from generator import naming` imports a module
                candidate = f"{module}.{alias.name}" if module else alias.name
                known = GENERATOR / Path(*candidate.split("."))
                if known.with_suffix(".py").is_file() or (known / "__init__.py").is_file():
                    out.add(candidate)
                else:
                    out.add(module or "__init__")
    return out


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports(p) - {module_name(p)} for p in sorted(GENERATOR.rglob("*.py"))}


def top(module: str) -> str:
    return module.split(".")[0]


def test_every_module_is_placed_in_a_layer() -> None:
    placed = layers()
    missing = sorted({top(m) for m in graph()} - set(placed))
    assert not missing, f"add these modules to the ```layers block of docs/architecture.md: {missing}"
    gone = sorted(set(placed) - {top(m) for m in graph()})
    assert not gone, f"the layers block lists modules that do not exist: {gone}"


def test_no_module_imports_a_later_layer() -> None:
    placed = layers()
    wrong = [
        f"{module} ({top(module)}: layer {placed[top(module)]}) imports {dep} "
        f"({top(dep)}: layer {placed[top(dep)]})"
        for module, deps in graph().items()
        for dep in sorted(deps)
        if placed.get(top(dep), -1) > placed.get(top(module), -1)
    ]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(edges.get(node, ())):
            # a submodule's import of its own package's __init__ is how packages re-export
            if node.startswith(dep + "."):
                continue
            if state.get(dep) == 1:
                return stack[stack.index(dep) :] + [dep]
            if dep not in state and (found := visit(dep)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            pytest.fail("import cycle: " + " -> ".join(cycle))


def _too_long(path: Path, module_limit: int, function_limit: int) -> list[str]:
    text = path.read_text(encoding="utf-8")
    out = []
    lines = text.count("\n")
    if lines > module_limit:
        out.append(f"{path.relative_to(ROOT)}: {lines} lines (limit {module_limit})")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > function_limit:
                out.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length} lines")
    return out


def test_generator_modules_and_functions_stay_small() -> None:
    found = [x for p in sorted(GENERATOR.rglob("*.py")) for x in _too_long(p, 500, 80)]
    assert not found, "\n".join(found)


def test_runtime_private_modules_stay_small() -> None:
    found = [x for p in sorted(RUNTIME.glob("_*.py")) for x in _too_long(p, 599, 80)]
    found = [x for x in found if "__init__" not in x]
    assert not found, "\n".join(found)


def test_the_layer_reader_sees_imports_of_every_form(tmp_path: Path) -> None:
    """The checker itself: absolute, `from generator import x` and relative imports count."""
    edges = graph()
    assert "pointer" in edges["load"]  # from generator.pointer import ...
    assert "naming" in edges["build"]  # from generator import naming
    assert "render.text" in edges["render.client"]  # from generator.render.text import ...
    assert any(dep.startswith("render.") for dep in edges["render"])  # the package's __init__
