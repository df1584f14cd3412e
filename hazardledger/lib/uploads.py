"""Files in storage that no record points at: left behind when a transaction that saved an
upload rolled back (a refused step, two people acting at once) or a process died mid-way.

Stored files are named once and never overwritten, so a file is an orphan exactly when no
FileField of any model holds its name. Only files older than a grace period are considered:
a file saved a moment ago may belong to a transaction still running.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models

BATCH = 500


@dataclass
class Sweep:
    examined: int = 0
    removed: int = 0
    bytes_removed: int = 0


def _file_fields() -> list[tuple[type[models.Model], str]]:
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def _old_files(root: Path, older_than: float) -> Iterator[tuple[str, int]]:
    """(storage name, size) of every file under `root` last changed before `older_than`."""
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            stat = path.stat()
            if stat.st_mtime < older_than:
                yield path.relative_to(root).as_posix(), stat.st_size


def _referenced(names: list[str], fields: list[tuple[type[models.Model], str]]) -> set[str]:
    found: set[str] = set()
    for model, field in fields:
        rows = model._default_manager.filter(**{f"{field}__in": names})
        found.update(rows.values_list(field, flat=True))
    return found


def sweep_orphans(*, grace_hours: float, dry_run: bool) -> Sweep:
    """Remove (or with `dry_run` only count) orphaned files older than `grace_hours`."""
    root = Path(default_storage.location)
    result = Sweep()
    if not root.exists():
        return result
    fields = _file_fields()
    batch: list[tuple[str, int]] = []

    def flush() -> None:
        kept = _referenced([name for name, _size in batch], fields)
        for name, size in batch:
            if name not in kept:
                if not dry_run:
                    default_storage.delete(name)
                result.removed += 1
                result.bytes_removed += size
        batch.clear()

    for item in _old_files(root, time.time() - grace_hours * 3600):
        result.examined += 1
        batch.append(item)
        if len(batch) >= BATCH:
            flush()
    flush()
    return result
