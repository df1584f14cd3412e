"""The ledger import on the task runner: a big file is applied by the worker, not the request."""

from __future__ import annotations

from django_tasks import task


@task()
def apply_ledger_batch(batch_id: int) -> str:
    from hazardledger.enterprises.models import ImportBatch

    from .services import ledger_apply

    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    done = ledger_apply(actor=batch.created_by, batch_id=batch_id)
    return f"{done.get_status_display()}：新建 {done.created}，更新 {done.updated}"
