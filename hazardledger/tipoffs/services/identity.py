"""Reporter identity: requests to reveal, the custodian's decision, each reading logged, and
re-encryption under a new key. The identity itself never enters an audit payload."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.audit.services import record
from hazardledger.lib.workflow import ConcurrentChange, GuardFailed
from hazardledger.org.selectors import has_role

from .. import vault
from ..models import IdentityRecord, IdentityView, RevealRequest, RevealStatus, TipOff
from ..selectors import can_handle, open_grant
from ..workflow import CUSTODIANS, REVEAL_REQUESTERS
from .common import audit, field_errors, role_of, text


@transaction.atomic
def reveal_request(*, actor: Any, tipoff: TipOff, reason: str) -> RevealRequest:
    """Ask to see who reported; the custodian decides."""
    if not has_role(actor, *REVEAL_REQUESTERS):
        raise PermissionDenied(_("您的角色无权申请查看举报人身份"))
    if not can_handle(actor, tipoff):
        raise PermissionDenied(_("该举报不在您的办理范围内"))
    if not IdentityRecord.objects.filter(tipoff=tipoff).exists():
        raise GuardFailed(_("匿名举报，没有可查看的身份信息"))
    errors: dict[str, str] = {}
    reason = text(
        reason, limit=500, field="reason", label=_("申请理由"), required=True, errors=errors
    )
    field_errors(errors)
    if RevealRequest.objects.filter(
        tipoff=tipoff, requested_by=actor, status=RevealStatus.PENDING
    ).exists():
        raise GuardFailed(_("您已有一项待审批的申请"))
    request = RevealRequest.objects.create(tipoff=tipoff, requested_by=actor, reason=reason)
    audit(
        actor=actor,
        tipoff=tipoff,
        action="reveal_request",
        changes={"request": [None, request.pk]},
        reason=reason,
        role=role_of(actor, REVEAL_REQUESTERS),
        counted=False,
    )
    return request


@transaction.atomic
def reveal_decide(
    *, actor: Any, request: RevealRequest, approve: bool, note: str = ""
) -> RevealRequest:
    """The identity custodian approves or denies; never their own request."""
    if not has_role(actor, *CUSTODIANS):
        raise PermissionDenied(_("只有举报人身份保管人可以审批"))
    if request.requested_by_id == actor.pk:
        raise PermissionDenied(_("不能审批本人提出的申请"))
    errors: dict[str, str] = {}
    note = text(
        note, limit=500, field="note", label=_("审批意见"), required=not approve, errors=errors
    )
    field_errors(errors)
    status = RevealStatus.APPROVED if approve else RevealStatus.DENIED
    done = RevealRequest.objects.filter(pk=request.pk, status=RevealStatus.PENDING).update(
        status=status, decided_by=actor, decided_at=timezone.now(), decision_note=note
    )
    if not done:
        raise ConcurrentChange(_("该申请已审批"))
    request.refresh_from_db()
    audit(
        actor=actor,
        tipoff=request.tipoff,
        action="reveal_decide",
        changes={"request": request.pk, "decision": [RevealStatus.PENDING, status]},
        reason=note,
        role=role_of(actor, CUSTODIANS),
        counted=False,
    )
    return request


@transaction.atomic
def identity_read(*, actor: Any, tipoff: TipOff) -> dict[str, str]:
    """Decrypt the identity for the holder of an approved request, and log the reading."""
    grant = open_grant(actor, tipoff)
    if grant is None:
        raise PermissionDenied(_("查看举报人身份须经身份保管人批准"))
    row = IdentityRecord.objects.get(tipoff=tipoff)
    identity = vault.decrypt(
        key=row.key_id,
        nonce=row.nonce,
        ciphertext=row.ciphertext,
        associated=f"tipoff:{tipoff.pk}",
    )
    IdentityView.objects.create(request=grant, viewed_by=actor)
    audit(
        actor=actor,
        tipoff=tipoff,
        action="identity_view",
        changes={"request": grant.pk},
        role=role_of(actor, REVEAL_REQUESTERS),
        counted=False,
    )
    return identity


def vault_rotate(*, actor: Any = None, batch: int = 500) -> int:
    """Re-encrypt every identity not under the current key; returns how many. Idempotent:
    one transaction per batch, so an interrupted run continues where it stopped."""
    current = vault.keyring().current
    total = 0
    while True:
        with transaction.atomic():
            rows = list(IdentityRecord.objects.exclude(key_id=current).order_by("pk")[:batch])
            if not rows:
                break
            for row in rows:
                associated = f"tipoff:{row.tipoff_id}"
                plain = vault.decrypt(
                    key=row.key_id,
                    nonce=row.nonce,
                    ciphertext=row.ciphertext,
                    associated=associated,
                )
                row.key_id, row.nonce, row.ciphertext = vault.encrypt(plain, associated=associated)
                row.save(update_fields=["key_id", "nonce", "ciphertext", "updated_at"])
            total += len(rows)
    record(
        actor=actor,
        action="tipoff.vault_rotate",
        object_type="tipoffs.identityrecord",
        changes={"key_id": [None, current], "records": [None, total]},
        counted=False,
    )
    return total
