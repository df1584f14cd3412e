"""Entry points of the ledger import: who may import, upload (preview) and apply."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from hazardledger.enterprises.imports import batch as batches
from hazardledger.enterprises.models import BatchStatus, ImportBatch, ImportKind
from hazardledger.org.models import Role
from hazardledger.org.selectors import has_role

from .ledger import LedgerImporter

# The district admin consolidates the towns' ledgers; officers import within their scope.
IMPORT_ROLES = (Role.DISTRICT_ADMIN, Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER)


def can_import(user: Any) -> bool:
    return has_role(user, *IMPORT_ROLES)


def _require(actor: Any) -> None:
    if not can_import(actor):
        raise PermissionDenied(_("您的角色无权导入隐患台账"))


def ledger_upload(
    *,
    actor: Any,
    filename: str,
    data: bytes,
    mapping: dict[str, str] | None = None,
    progress: batches.Progress | None = None,
) -> ImportBatch:
    """Store and check a ledger file (the preview); nothing is written to the ledger."""
    _require(actor)
    importer = LedgerImporter(actor=actor)
    return batches.upload(
        actor=actor,
        importer=importer,
        filename=filename,
        data=data,
        mapping=mapping,
        progress=progress,
    )


def batch_for(actor: Any, batch_id: int) -> ImportBatch:
    """A person's own ledger batch (the district admin's: any); others answer 404."""
    qs = ImportBatch.objects.filter(pk=batch_id, kind=ImportKind.HAZARDS)
    if not has_role(actor, Role.DISTRICT_ADMIN):
        qs = qs.filter(created_by=actor)
    found = qs.first()
    if found is None:
        raise Http404
    return found


def ledger_apply(
    *, actor: Any, batch_id: int, progress: batches.Progress | None = None
) -> ImportBatch:
    """Check the stored file again and write every row, or none (one audit event)."""
    _require(actor)
    batch = batch_for(actor, batch_id)
    owner = batch.created_by
    importer = LedgerImporter(actor=owner, batch=batch)
    return batches.apply(actor=owner, batch=batch, importer=importer, progress=progress)


# Files longer than this are applied by the background worker; the page shows the progress.
BACKGROUND_ROWS = 2000


def ledger_confirm(*, actor: Any, batch_id: int) -> ImportBatch:
    """Apply now, or hand a long file to the task runner (the batch shows 排队中, then 导入中)."""
    _require(actor)
    batch = batch_for(actor, batch_id)
    if batch.rows_total <= BACKGROUND_ROWS:
        return ledger_apply(actor=actor, batch_id=batch_id)
    from .tasks import apply_ledger_batch

    queued = ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.PREVIEWED).update(
        status=BatchStatus.QUEUED
    )
    if queued:
        transaction.on_commit(lambda: apply_ledger_batch.enqueue(batch.pk))
    batch.refresh_from_db()
    return batch


def ledger_remap(*, actor: Any, batch_id: int, mapping: dict[str, str], save: bool) -> ImportBatch:
    """Correct the mapping of a previewed batch (and keep it for next time if asked)."""
    _require(actor)
    batch = batch_for(actor, batch_id)
    batch.mapping = mapping
    if save:
        batches.save_mapping(actor=actor, kind=ImportKind.HAZARDS, mapping=mapping)
    return batches.check(batch=batch, importer=LedgerImporter(actor=batch.created_by))
