"""Upload → preview → apply, for any importer (roster, hazard ledger).

`upload` stores the file as an ImportBatch and checks every row without writing (the
preview: which column feeds which field, the first rows as they will be stored, every
problem). `apply` checks again and writes in one transaction: all rows or none. Both run
through the file chunk by chunk, so memory stays flat however long the ledger; the counts
of rows read, checked and written are stored on the batch row as they grow.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from hazardledger.audit.services import record
from hazardledger.lib.sheets import Field, SheetError

from ..models import BatchStatus, ImportBatch, SavedMapping
from .sheet import SheetRow, Skipped, Table

ERROR_LIMIT = 5000
PREVIEW_ROWS = 10
Progress = Callable[[ImportBatch], None]


@dataclass
class RowResult:
    row: int
    outcome: str = "created"  # created / updated / unchanged / duplicate / error
    changed: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    notes: list[str] = field(default_factory=list)
    shown: dict[str, str] = field(default_factory=dict)

    def fail(self, column: str, message: str) -> None:
        self.errors.append((column, message))
        self.outcome = "error"


class Importer(Protocol):
    kind: str
    action: str  # the audit action of the whole import
    fields: Sequence[Field]
    chunk: int

    def prepare(self, table: Table, *, clear_blanks: bool) -> None: ...
    def check(self, rows: list[SheetRow]) -> list[RowResult]: ...
    def write(self, rows: list[SheetRow], results: list[RowResult]) -> None: ...
    def audit_changes(self) -> dict[str, Any]: ...


class Rejected(Exception):
    """Rows with errors were found while applying; nothing was written."""


def saved_mapping(kind: str, user: Any) -> dict[str, str]:
    row = SavedMapping.objects.filter(kind=kind, user=user).first()
    return dict(row.mapping) if row else {}


def _chunks(rows: Iterable[SheetRow | Skipped], size: int, skipped: list) -> Iterator[list]:
    chunk: list[SheetRow] = []
    for row in rows:
        if isinstance(row, Skipped):
            skipped.append({"row": row.number, "reason": row.reason})
            continue
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _column_titles(table: Table) -> dict[str, str]:
    return {c.key: c.header for c in table.header.columns if c.key}


def _columns_json(table: Table, fields: Sequence[Field]) -> list[dict[str, str]]:
    labels = {f.key: f.label for f in fields}
    return [
        {
            "letter": c.letter,
            "header": c.header,
            "key": c.key or "",
            "field": labels.get(c.key or "", ""),
            "unit": f"×{c.factor:,}" if c.factor != 1 else "",
            "note": c.note,
        }
        for c in table.header.columns
    ]


class _Tally:
    def __init__(self, batch: ImportBatch, titles: dict[str, str]) -> None:
        self.batch, self.titles = batch, titles
        self.errors: list[dict[str, Any]] = []
        self.outcomes: list[list[Any]] = []
        self.preview: list[dict[str, Any]] = []
        self.counts = dict.fromkeys(("created", "updated", "unchanged", "duplicate", "error"), 0)

    def add(self, results: list[RowResult]) -> None:
        for r in results:
            self.counts[r.outcome] += 1
            self.outcomes.append([r.row, r.outcome, "、".join(r.changed + r.notes)])
            for column, message in r.errors:
                if len(self.errors) < ERROR_LIMIT:
                    title = self.titles.get(column, column)
                    self.errors.append({"row": r.row, "column": title, "message": message})
            if len(self.preview) < PREVIEW_ROWS:
                self.preview.append({"row": r.row, "outcome": r.outcome, "values": r.shown})

    def store(self, batch: ImportBatch) -> None:
        batch.errors, batch.outcomes, batch.preview = self.errors, self.outcomes, self.preview
        batch.created = self.counts["created"]
        batch.updated = self.counts["updated"]
        batch.unchanged = self.counts["unchanged"]
        batch.duplicates = self.counts["duplicate"]
        batch.error_count = sum(len(o) for o in [self.errors]) if self.errors else 0
        batch.error_count = max(batch.error_count, self.counts["error"])


def _progress(batch: ImportBatch, progress: Progress | None) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        rows_read=batch.rows_read, rows_checked=batch.rows_checked, rows_written=batch.rows_written
    )
    if progress is not None:
        progress(batch)


def _file_error(batch: ImportBatch, message: str) -> ImportBatch:
    batch.status = BatchStatus.REJECTED
    batch.errors = [{"row": None, "column": "", "message": message}]
    batch.error_count = 1
    batch.save()
    return batch


def upload(
    *,
    actor: Any,
    importer: Importer,
    filename: str,
    data: bytes,
    mapping: dict[str, str] | None = None,
    clear_blanks: bool = False,
    progress: Progress | None = None,
) -> ImportBatch:
    """Store the file and check every row (nothing else is written): the preview."""
    overrides = saved_mapping(importer.kind, actor) if mapping is None else mapping
    batch = ImportBatch.objects.create(
        kind=importer.kind,
        created_by=actor,
        filename=filename[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content=data,
        mapping=overrides,
        clear_blanks=clear_blanks,
    )
    return check(batch=batch, importer=importer, progress=progress)


def _open(batch: ImportBatch, importer: Importer) -> Table:
    table = Table(bytes(batch.content), importer.fields, batch.mapping)
    batch.sheet, batch.header_row = table.header.sheet, table.header.row
    batch.columns = _columns_json(table, importer.fields)
    return table


def check(
    *, batch: ImportBatch, importer: Importer, progress: Progress | None = None
) -> ImportBatch:
    """(Re)check a stored batch against the registry as it is now, writing nothing."""
    try:
        table = _open(batch, importer)
        importer.prepare(table, clear_blanks=batch.clear_blanks)
        tally, skipped = _Tally(batch, _column_titles(table)), []
        batch.rows_read = batch.rows_checked = batch.rows_written = 0
        for chunk in _chunks(table.rows(), importer.chunk, skipped):
            batch.rows_read += len(chunk)
            tally.add(importer.check(chunk))
            batch.rows_checked += len(chunk)
            _progress(batch, progress)
    except SheetError as exc:
        return _file_error(batch, str(exc))
    tally.store(batch)
    batch.skipped, batch.rows_total = skipped, batch.rows_checked
    if batch.rows_total == 0 and not batch.errors:
        batch.errors = [{"row": None, "column": "", "message": "文件中没有数据行"}]
        batch.error_count = 1
    batch.status = BatchStatus.REJECTED if batch.error_count else BatchStatus.PREVIEWED
    batch.save()
    return batch


def apply(
    *, actor: Any, batch: ImportBatch, importer: Importer, progress: Progress | None = None
) -> ImportBatch:
    """Write every row of a previewed batch, or none; one audit event for the whole file."""
    claimed = ImportBatch.objects.filter(
        pk=batch.pk, status__in=[BatchStatus.PREVIEWED, BatchStatus.QUEUED]
    ).update(status=BatchStatus.RUNNING)
    if not claimed:
        batch.refresh_from_db()
        return batch
    try:
        _apply_all(actor=actor, batch=batch, importer=importer, progress=progress)
    except Rejected:
        batch.status = BatchStatus.REJECTED
        batch.rows_written = 0
    except SheetError as exc:
        return _file_error(batch, str(exc))
    except Exception:
        ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.PREVIEWED)
        raise
    batch.save()
    return batch


@transaction.atomic
def _apply_all(
    *, actor: Any, batch: ImportBatch, importer: Importer, progress: Progress | None
) -> None:
    table = _open(batch, importer)
    importer.prepare(table, clear_blanks=batch.clear_blanks)
    tally, skipped = _Tally(batch, _column_titles(table)), []
    batch.rows_read = batch.rows_checked = batch.rows_written = 0
    failed = False
    for chunk in _chunks(table.rows(), importer.chunk, skipped):
        batch.rows_read += len(chunk)
        results = importer.check(chunk)
        batch.rows_checked += len(chunk)
        tally.add(results)
        failed = failed or any(r.outcome == "error" for r in results)
        if not failed:
            importer.write(chunk, results)
            batch.rows_written += len(chunk)
        _progress(batch, progress)
    tally.store(batch)
    batch.skipped, batch.rows_total = skipped, batch.rows_checked
    if failed:
        transaction.set_rollback(True)
        raise Rejected
    batch.status, batch.applied_at = BatchStatus.APPLIED, timezone.now()
    record(
        actor=actor,
        action=importer.action,
        object_type=ImportBatch._meta.label_lower,
        object_id=str(batch.pk),
        object_repr=f"导入 {batch.filename}"[:200],
        changes={
            "file": [None, {"name": batch.filename, "sha256": batch.sha256}],
            **importer.audit_changes(),
        },
        reason=f"工作表“{batch.sheet}”，{batch.rows_total} 行：新建 {batch.created}，"
        f"更新 {batch.updated}，无变化 {batch.unchanged}，重复 {batch.duplicates}",
    )
    batch.save()


def save_mapping(*, actor: Any, kind: str, mapping: dict[str, str]) -> SavedMapping:
    """Keep a person's corrected mapping for their next upload of this kind."""
    row, _created = SavedMapping.objects.update_or_create(
        kind=kind, user=actor, defaults={"mapping": mapping}
    )
    return row
