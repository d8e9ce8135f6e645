"""`cache.Memo` (texts by content key, in shards) and `render.common.memo_file` (a whole file
recalled with the memo entries it used)."""

from __future__ import annotations

from pathlib import Path

from generator.cache import Memo, key_of
from generator.render.common import memo_file


def _key(first: str, n: int) -> str:
    """A content key whose first hex digit (its shard) is `first`."""
    return first + key_of(n)[1:]


def test_entries_come_back_and_only_changed_shards_are_written(tmp_path: Path) -> None:
    memo = Memo(tmp_path, "render-x")
    for first in "0a":
        for n in range(3):
            memo.put(_key(first, n), f"{first}{n}")
    memo.put("not-hex", "other")
    memo.save()
    assert memo.path is not None
    shards = {p.name: p.stat().st_ino for p in memo.path.iterdir()}
    assert set(shards) == {"0.json", "a.json", "_.json"}

    again = Memo(tmp_path, "render-x")
    assert again.get(_key("0", 1)) == "01" and again.get("not-hex") == "other"
    assert again.get(_key("a", 0)) == "a0"
    for n in range(3):  # shard 0 is used whole; shard a loses entries; a new entry in shard 5
        again.get(_key("0", n))
    again.put(_key("5", 9), "new")
    again.save()
    after = {p.name: p.stat().st_ino for p in again.path.iterdir()}  # type: ignore[union-attr]
    assert after["0.json"] == shards["0.json"]  # unchanged: not written again
    assert after["a.json"] != shards["a.json"] and "5.json" in after

    third = Memo(tmp_path, "render-x")
    assert third.get(_key("a", 1)) is None  # not asked for in the run before: dropped
    assert third.get(_key("a", 0)) == "a0" and third.get(_key("5", 9)) == "new"
    assert third.get("not-hex") == "other"  # asked for in the run before: kept


def test_memos_of_other_code_are_removed_on_save(tmp_path: Path) -> None:
    (tmp_path / "render-x-0123456789abcdef01234567").mkdir()
    (tmp_path / "render-x-0123456789abcdef01234567" / "0.json").write_text("{}")
    (tmp_path / "render-x-fedcba9876543210fedcba98.json").write_text("{}")  # the format before
    (tmp_path / "render-y-0123456789abcdef01234567").mkdir()  # another spec's memo: kept
    memo = Memo(tmp_path, "render-x")
    memo.put(_key("1", 1), "t")
    memo.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [memo.path.name, "render-y-0123456789abcdef01234567"]  # type: ignore[union-attr]
    )


def test_a_file_is_recalled_whole_with_the_entries_it_used(tmp_path: Path) -> None:
    inner = _key("3", 1)
    memo = Memo(tmp_path, "render-x")
    made: list[str] = []

    def make() -> str:
        made.append("file")
        return "code: " + (memo.get(inner) or memo.put(inner, "inner text"))

    assert memo_file(memo, "f" + key_of("whole")[1:], make) == "code: inner text"
    memo.save()
    again = Memo(tmp_path, "render-x")
    memo = again
    assert memo_file(again, "f" + key_of("whole")[1:], make) == "code: inner text"
    assert made == ["file"]  # recalled, not made
    again.save()
    # the inner entry was asked for with the file, so it is kept for the run whose key changes
    memo = Memo(tmp_path, "render-x")
    assert memo_file(memo, "e" + key_of("other")[1:], make) == "code: inner text"
    assert memo.get(inner) == "inner text" and made == ["file", "file"]
    assert memo_file(None, None, make) == "code: inner text"
