"""POST /api/v1/hazards/import: the ledger import as the page runs it, in one call."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from hazardledger.enterprises.imports.api import ImportErrorOut, ImportOut
from hazardledger.enterprises.imports.api import run as import_run

from .services import ledger_apply, ledger_upload


def register(router: Router) -> None:
    @router.post(
        "/import",
        response={200: ImportOut, 401: ImportErrorOut, 403: ImportErrorOut, 422: ImportOut},
        summary="导入隐患台账（.xlsx）",
        operation_id="hazard_import",
    )
    def import_ledger(
        request: HttpRequest,
        file: File[UploadedFile],
        dry_run: Form[bool] = False,
        mapping: Form[str] = "",
    ) -> Status:
        """Check every row and (unless `dry_run`) write them all, or none (422 with errors).

        A row matching an existing card (number, original number, or enterprise +
        description + found date) updates it or is reported; it never creates a second card.
        """

        def upload(data: bytes, name: str, overrides: dict | None) -> Any:
            return ledger_upload(actor=request.user, filename=name, data=data, mapping=overrides)

        def apply(batch: Any) -> Any:
            return ledger_apply(actor=request.user, batch_id=batch.pk)

        try:
            return Status(
                *import_run(file=file, dry_run=dry_run, mapping=mapping, upload=upload, apply=apply)
            )
        except PermissionDenied as exc:
            return Status(403, {"detail": str(exc) or "无权操作"})
