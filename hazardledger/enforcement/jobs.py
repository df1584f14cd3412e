"""Scheduled enforcement work: tell the group when a suspension period has run out."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.org.models import Role

from . import notices
from .models import Case, CaseKind, CaseStatus


def remind_overdue(today=None) -> int:
    """One message per overdue suspension case and group member; running twice sends nothing
    new. Returns how many cases are overdue."""
    today = today or timezone.localdate()
    overdue = list(
        Case.objects.filter(
            kind=CaseKind.SUSPENSION,
            status__in=[CaseStatus.EXECUTED, CaseStatus.REINSPECTION_FAILED],
            period_end__lt=today,
        ).values_list("pk", "number", "period_end")
    )
    group = notices.holders([Role.ENFORCEMENT_OFFICER])
    for pk, number, period_end in overdue:
        notices.send(
            group,
            kind="enf_overdue",
            key=f"enf-overdue:{pk}",
            message=_("停产整顿案件%(no)s的整顿期限（%(d)s）已到，请复查或依法处置")
            % {"no": number, "d": period_end.isoformat()},
            link=notices.case_link(pk),
        )
    return len(overdue)


def scheduled(period: str) -> str:
    return _("整顿期限已到的案件 %(n)s 件") % {"n": remind_overdue()}
