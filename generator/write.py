"""Write: formatted `{path: text}` in, files on disk out (or, with `--check`, a diff).

The only stage that touches the output folder. It keeps a manifest (`.oagen-manifest.json`)
of the files oagen owns with their hashes, and:
- stages every new file in a temporary folder first, then moves each into place with
  `os.replace` (atomic per file), keeping the previous version aside until the manifest is
  written last; if anything fails or the run is interrupted on the way, every file is put back
  as it was (a hard kill can still leave a mix: each file is then whole, old or new);
- never overwrites or deletes a file it does not own (not in the manifest), unless its content
  is already exactly what would be written;
- overwrites an owned file that was edited by hand, with a warning naming it;
- deletes its own files that are no longer generated;
- leaves unchanged files untouched.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, SpecError, error, warning

MANIFEST = ".oagen-manifest.json"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_manifest(out_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("files"), dict) else {}


def _disk_text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


@dataclass
class Plan:
    write: dict[str, str] = field(default_factory=dict)  # path -> new text (changed or new)
    delete: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)


def plan(out_dir: Path, files: dict[str, str], diffs: bool = True) -> Plan:
    """Compare what should be on disk with what is; nothing is written.

    `diffs=False` skips the unified diffs (only `--check` prints them; on a large output they
    cost more than the rest of the plan).
    """
    manifest = read_manifest(out_dir)
    owned: dict[str, str] = {
        k: v for k, v in manifest.get("files", {}).items() if isinstance(v, str)
    }
    result = Plan()
    refused = []
    for rel, text in sorted(files.items()):
        target = out_dir / rel
        current = _disk_text(target) if target.exists() else None
        if current == text:
            result.unchanged.append(rel)
            continue
        if target.exists() and target.is_dir():
            refused.append(
                error(
                    f"{target} is a folder where oagen writes a file; move it away",
                    file=str(target),
                )
            )
            continue
        if current is not None or target.exists():
            if rel not in owned:
                refused.append(
                    error(
                        f"refusing to overwrite {target}: oagen did not write it "
                        f"(not in {MANIFEST}); move or delete it first",
                        file=str(target),
                    )
                )
                continue
            if current is None or sha256(current) != owned[rel]:
                result.diagnostics.append(
                    warning(
                        f"{target} was edited by hand; the edit is overwritten", file=str(target)
                    )
                )
        result.write[rel] = text
        if diffs:
            result.diffs.append(_diff(rel, current or "", text))
    for rel in sorted(set(owned) - set(files)):
        target = out_dir / rel
        if target.is_file():
            current = _disk_text(target)
            if current is not None and sha256(current) != owned[rel]:
                result.diagnostics.append(
                    warning(
                        f"{target} is no longer generated and was edited by hand; removed",
                        file=str(target),
                    )
                )
            result.delete.append(rel)
            if diffs:
                result.diffs.append(_diff(rel, current or "", ""))
    if refused:
        raise SpecError(refused)
    return result


def _diff(rel: str, old: str, new: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{rel}", f"b/{rel}", n=2
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def apply(out_dir: Path, files: dict[str, str], the_plan: Plan, meta: dict[str, Any]) -> None:
    """Carry out `the_plan`: stage, move into place, delete stale files, write the manifest."""
    manifest = {**meta, "files": {rel: sha256(text) for rel, text in sorted(files.items())}}
    manifest_text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    if (
        not the_plan.write
        and not the_plan.delete
        and _disk_text(out_dir / MANIFEST) == manifest_text
    ):
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".oagen-tmp-", dir=out_dir))
    backup = stage / ".previous"
    moved: list[tuple[Path, Path | None]] = []  # (target, its backup or None if it was new)
    try:
        for rel, text in the_plan.write.items():
            staged = stage / "new" / rel
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_bytes(text.encode("utf-8"))
        (stage / MANIFEST).write_bytes(manifest_text.encode("utf-8"))
        try:
            for rel in [*the_plan.write, *the_plan.delete]:
                target = out_dir / rel
                saved: Path | None = None
                if target.is_file():
                    saved = backup / rel
                    saved.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(target, saved)
                moved.append((target, saved))
                if rel in the_plan.write:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(stage / "new" / rel, target)
            os.replace(stage / MANIFEST, out_dir / MANIFEST)
        except BaseException:
            _roll_back(moved)
            raise
        for rel in the_plan.delete:
            _prune_empty((out_dir / rel).parent, out_dir)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _roll_back(moved: list[tuple[Path, Path | None]]) -> None:
    """Put every file touched so far back as it was (new files are removed)."""
    for target, saved in reversed(moved):
        if saved is not None and saved.exists():
            os.replace(saved, target)
        elif saved is None:
            target.unlink(missing_ok=True)


def _prune_empty(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
