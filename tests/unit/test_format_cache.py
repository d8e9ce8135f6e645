"""The black cache: a hit returns exactly what black would, and it can never serve stale output."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from generator import format as fmt


def test_cache_hits_equal_fresh_formatting_and_changed_text_misses(tmp_path: Path) -> None:
    files = {"p/a.py": "x  =  1\n", "p/b.py": "def f( a ):\n  return a\n", "p/R.md": "text   \n"}
    fresh = fmt.format_files(files, cache=None)
    assert fresh["p/a.py"] == "x = 1\n"
    assert fresh["p/R.md"] == "text\n"
    first = fmt.format_files(files, cache=tmp_path)
    assert first == fresh
    entries = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(entries) == 2  # one per Python file
    # a poisoned entry proves later runs read the cache (and only for the identical text)
    key = fmt._key(files["p/a.py"], importlib.metadata.version("black"))
    (tmp_path / key[:2] / key).write_text("POISON = 1\n")
    assert fmt.format_files(files, cache=tmp_path)["p/a.py"] == "POISON = 1\n"
    changed = {**files, "p/a.py": "x  =  2\n"}
    assert fmt.format_files(changed, cache=tmp_path)["p/a.py"] == "x = 2\n"


def test_key_depends_on_black_version_and_text() -> None:
    assert fmt._key("a", "26.10.1") != fmt._key("a", "26.10.2")
    assert fmt._key("a", "26.10.1") != fmt._key("b", "26.10.1")


def test_parallel_path_gives_the_same_result(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    files = {f"p/m{i}.py": f"def f{i}( a ):\n  return  a*{i}\n" for i in range(6)}
    serial = fmt.format_files(files, cache=None)
    monkeypatch.setattr(fmt, "_PARALLEL_MIN_CHARS", 1)
    assert fmt.format_files(files, cache=None) == serial


def test_the_header_is_outside_the_cache_key(tmp_path: Path) -> None:
    body = '"""Doc."""\n\nx  =  1\n'
    one = fmt.format_files({"p/a.py": "# Spec sha256: 111\n" + body}, cache=tmp_path)
    assert one["p/a.py"] == '# Spec sha256: 111\n"""Doc."""\n\nx = 1\n'
    key = fmt._key(body, importlib.metadata.version("black"))
    (tmp_path / key[:2] / key).write_text("HIT = 1\n")  # proves the second run is a cache hit
    two = fmt.format_files({"p/a.py": "# Spec sha256: 222\n" + body}, cache=tmp_path)
    assert two["p/a.py"] == "# Spec sha256: 222\nHIT = 1\n"


def test_split_header_only_splits_a_comment_block_followed_by_code() -> None:
    assert fmt.split_header("# a\n# b\nx = 1\n") == ("# a\n# b\n", "x = 1\n")
    assert fmt.split_header("# a\n\nx = 1\n") == ("", "# a\n\nx = 1\n")
    assert fmt.split_header("x = 1\n") == ("", "x = 1\n")


def test_verbatim_files_are_not_formatted() -> None:
    files = {"p/_runtime.py": "x  =  1\n", "p/a.py": "y  =  2\n"}
    out = fmt.format_files(files, cache=None, verbatim={"p/_runtime.py"})
    assert out == {"p/_runtime.py": "x  =  1\n", "p/a.py": "y = 2\n"}
