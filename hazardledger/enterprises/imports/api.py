"""The import endpoints' shared shape: multipart `file`, `dry_run`, a saved `mapping`.

The answer is `{"created", "updated", "unchanged", "duplicates", "skipped_rows", "errors":
[{"row", "column", "message"}]}`; with errors nothing is written and the status is 422.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from ..models import BatchStatus, ImportBatch

MAX_BYTES = 20 * 1024 * 1024


class RowErrorOut(Schema):
    row: int | None
    column: str
    message: str


class SkippedOut(Schema):
    row: int
    reason: str


class ImportOut(Schema):
    detail: str = ""
    batch: int | None = None
    status: str = ""
    sha256: str = ""
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped_rows: list[SkippedOut] = []
    ignored_columns: list[str] = []
    errors: list[RowErrorOut] = []


class ImportErrorOut(Schema):
    detail: str


def body(batch: ImportBatch, *, dry_run: bool) -> dict[str, Any]:
    return {
        "batch": batch.pk,
        "status": batch.status,
        "sha256": batch.sha256,
        "dry_run": dry_run,
        "rows": batch.rows_total,
        "created": batch.created,
        "updated": batch.updated,
        "unchanged": batch.unchanged,
        "duplicates": batch.duplicates,
        "skipped_rows": batch.skipped,
        "ignored_columns": [c["header"] for c in batch.columns if not c["key"]],
        "errors": batch.errors,
    }


def _file_error(message: str) -> tuple[int, dict[str, Any]]:
    return 422, {
        "detail": message,
        "errors": [{"row": None, "column": "file", "message": message}],
    }


def run(
    *,
    file: Any,
    dry_run: bool,
    mapping: str,
    upload: Callable[[bytes, str, dict | None], ImportBatch],
    apply: Callable[[ImportBatch], ImportBatch],
) -> tuple[int, dict[str, Any]]:
    """Check the file (the preview); unless a dry run, apply it: 200, or 422 with the errors."""
    if file.size > MAX_BYTES:
        return _file_error("文件过大（上限 20 MB）")
    try:
        overrides = json.loads(mapping) if mapping else None
    except ValueError:
        return _file_error('mapping 应为 JSON 对象：{"列名": "字段"}')
    if overrides is not None and not (
        isinstance(overrides, dict) and all(isinstance(v, str) for v in overrides.values())
    ):
        return _file_error('mapping 应为 JSON 对象：{"列名": "字段"}')
    try:
        batch = upload(file.read(), file.name or "import.xlsx", overrides)
        if batch.status == BatchStatus.PREVIEWED and not dry_run:
            batch = apply(batch)
    except PermissionDenied:
        raise
    data = body(batch, dry_run=dry_run)
    if batch.status == BatchStatus.REJECTED:
        return 422, {**data, "detail": "文件有错误，未导入任何数据"}
    return 200, data


def register(router: Router) -> None:
    """POST /api/v1/enterprises/import."""
    from .. import services

    @router.post(
        "/import",
        response={200: ImportOut, 401: ImportErrorOut, 403: ImportErrorOut, 422: ImportOut},
        summary="导入企业名录（.xlsx）",
        operation_id="enterprise_import",
    )
    def import_roster(
        request: HttpRequest,
        file: File[UploadedFile],
        dry_run: Form[bool] = False,
        mapping: Form[str] = "",
        clear_blanks: Form[bool] = False,
    ) -> Status:
        """Check the roster and (unless `dry_run`) apply it whole; with errors nothing is written.

        `mapping` is a JSON object {"列名": "字段"} correcting the column mapping ("" ignores);
        a blank cell keeps the stored value unless `clear_blanks`.
        """

        def upload(data: bytes, name: str, overrides: dict | None) -> ImportBatch:
            return services.roster_upload(
                actor=request.user,
                filename=name,
                source=data,
                mapping=overrides,
                clear_blanks=clear_blanks,
            )

        def apply(batch: ImportBatch) -> ImportBatch:
            return services.roster_apply(actor=request.user, batch=batch)

        try:
            return Status(
                *run(file=file, dry_run=dry_run, mapping=mapping, upload=upload, apply=apply)
            )
        except PermissionDenied as exc:
            return Status(403, {"detail": str(exc) or "无权操作"})
