"""Pieces both import pages use: the preview context and reading a corrected mapping."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest

from hazardledger.lib.sheets import Field, normalize_header

from ..models import BatchStatus, ImportBatch

OUTCOME_LABELS = {
    "created": "新建",
    "updated": "更新",
    "unchanged": "无变化",
    "duplicate": "重复",
    "error": "错误",
}


def mapping_from_post(request: HttpRequest, batch: ImportBatch, fields: Sequence[Field]) -> dict:
    """The columns as the person mapped them: normalized header → field key ("" = ignore)."""
    known = {f.key for f in fields}
    mapping = dict(batch.mapping)
    for column in batch.columns:
        chosen = request.POST.get(f"map-{column['letter']}", column["key"])
        chosen = chosen if chosen in known else ""
        if chosen != column["key"]:  # only the person's corrections are kept
            mapping[normalize_header(column["header"])] = chosen
    return mapping


def preview_context(batch: ImportBatch, fields: Sequence[Field], **extra: Any) -> dict[str, Any]:
    outcomes = [
        {"row": row, "outcome": OUTCOME_LABELS.get(kind, kind), "detail": detail}
        for row, kind, detail in batch.outcomes[:500]
    ]
    preview = [
        {**p, "outcome": OUTCOME_LABELS.get(p["outcome"], p["outcome"])} for p in batch.preview
    ]
    keys = list(preview[0]["values"]) if preview else []
    running = batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING)
    return {
        "batch": batch,
        "fields": [(f.key, f.label) for f in fields],
        "outcomes": outcomes,
        "preview": preview,
        "preview_keys": keys,
        "errors": batch.errors[:200],
        "can_apply": batch.status == BatchStatus.PREVIEWED,
        "running": running,
        "total": max(batch.rows_total, batch.rows_read, 1),
        **extra,
    }
