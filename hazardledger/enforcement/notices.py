"""In-app messages of enforcement, through the one `notify` every app uses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hazardledger.hazards.notification_kinds import register_kind
from hazardledger.hazards.notifications import notify
from hazardledger.org.models import User

KINDS = {
    "enf_approval": _("强制措施待批准"),
    "enf_evaluation": _("复工验收待评估"),
    "enf_acceptance": _("复工验收待部门验收"),
    "enf_overdue": _("停产整顿期限已到"),
}


def register_kinds() -> None:
    for code, label in KINDS.items():
        register_kind(code, label)


def case_link(case_id: int) -> str:
    return reverse("enforcement:detail", args=[case_id])


def send(users: Iterable[User | int], *, kind: str, key: str, message: str, link: str) -> None:
    """After the change commits, one message per user (idempotent by `key`)."""
    ids = sorted({u if isinstance(u, int) else u.pk for u in users})

    def deliver() -> None:
        for user_id in ids:
            notify(user=user_id, kind=kind, key=f"{key}:{user_id}", message=message, link=link)

    transaction.on_commit(deliver)


def holders(roles: Iterable[str]) -> list[int]:
    return list(
        User.objects.filter(is_active=True, role_grants__role__in=list(roles))
        .values_list("pk", flat=True)
        .distinct()
    )


def regulators_of(case: Any) -> list[int]:
    """The enterprise's named regulating-department officer, else the department's officers."""
    enterprise = case.enterprise
    if enterprise is None:
        return []
    if enterprise.regulator_contact_id:
        return [enterprise.regulator_contact_id]
    if enterprise.industry is None or enterprise.industry.regulator_id is None:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            unit_id=enterprise.industry.regulator_id,
            role_grants__role="department_officer",
        )
        .values_list("pk", flat=True)
        .distinct()
    )
