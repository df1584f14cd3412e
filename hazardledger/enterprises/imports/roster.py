"""The roster importer run by `batch`: the roster's columns read through the sheets reader.

A roster is checked whole (one chunk): credit codes repeat across it and updates compare
with the registry. Industries match GB/T 4754 codes and names and the admin's aliases; a
blank cell in an update keeps the stored value unless the preview is told to clear blanks.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hazardledger.lib.sheets import Field, text_of
from hazardledger.lib.xlsx import Table as RosterTable

from .. import roster
from ..bulk import insert_many
from ..models import Enterprise, ImportKind, StatusChange
from .batch import RowResult
from .sheet import SheetRow, Table

FIELDS = (
    *tuple(Field(c.key, c.aliases, required=c.key in roster.REQUIRED) for c in roster.COLUMNS),
    Field("_regulator", ("行业主管部门",)),
    Field("_procedures", ("手续是否齐全",)),
)
LABELS = {c.key: c.title for c in roster.COLUMNS}


class RosterImporter:
    kind = ImportKind.ROSTER
    action = "enterprise.import"
    fields = FIELDS
    chunk = roster.MAX_ROWS

    def __init__(self, *, actor: Any, filename: str = "") -> None:
        self.actor, self.filename = actor, filename
        self.plan: roster.ImportPlan | None = None
        self.created_codes: list[str] = []
        self.updated: dict[str, Any] = {}

    def prepare(self, table: Table, *, clear_blanks: bool) -> None:
        self.table, self.clear_blanks = table, clear_blanks
        by_key = table.header.by_key()
        self.keys = [k for k in LABELS if k in by_key]
        self.headers = {k: by_key[k].header for k in self.keys}

    def check(self, rows: list[SheetRow]) -> list[RowResult]:
        table = RosterTable(
            sheet=self.table.header.sheet,
            header_row=self.table.header.row,
            columns={k: i for i, k in enumerate(self.keys)},
            headers=self.headers,
            rows=[(r.number, tuple(r.cells.get(k) for k in self.keys)) for r in rows],
        )
        self.plan = plan = roster.plan_import(self.actor, table, clear_blanks=self.clear_blanks)
        by_row: dict[int, list[tuple[str, str]]] = {}
        for error in plan.errors:
            by_row.setdefault(error.row or 0, []).append((error.column, error.message))
        results = []
        for row in rows:
            outcome, changed = plan.outcomes.get(row.number, ("error", []))
            result = RowResult(row.number, outcome, changed=changed)
            result.errors = by_row.get(row.number, [])
            result.shown = {LABELS[k]: text_of(row.cells.get(k)) for k in self.keys[:8]}
            results.append(result)
        return results

    def write(self, rows: list[SheetRow], results: list[RowResult]) -> None:
        from ..services import _apply_updates, _ids_by_code, _person

        plan = self.plan
        assert plan is not None
        now, person = timezone.now(), _person(self.actor)
        insert_many(Enterprise, plan.creates, now=now)
        created = _ids_by_code([e.credit_code for e in plan.creates])
        _apply_updates(plan.updates, now)
        history = [
            StatusChange(
                enterprise_id=created[e.credit_code],
                to_status=e.status,
                changed_by=person,
                changed_at=now,
                reason="批量导入建档",
            )
            for e in plan.creates
        ] + [
            StatusChange(
                enterprise_id=e.pk,
                from_status=ch["status"][0],
                to_status=ch["status"][1],
                changed_by=person,
                changed_at=now,
                reason="批量导入",
            )
            for e, ch in plan.updates
            if "status" in ch
        ]
        insert_many(StatusChange, history, now=now)
        self.created_codes = [e.credit_code for e in plan.creates]
        self.updated = {e.credit_code: ch for e, ch in plan.updates}

    def audit_changes(self) -> dict[str, Any]:
        return {"created": [None, self.created_codes], "updated": [None, self.updated]}
