"""Notification letters (告知信) to workers, per enterprise or per industry, the record of
their distribution, and coverage per territory and industry."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate

from hazardledger.audit.services import record
from hazardledger.enterprises.models import INACTIVE_STATUSES, Enterprise
from hazardledger.enterprises.selectors import enterprises_visible_to
from hazardledger.org.models import Industry, Role
from hazardledger.org.selectors import district_name, has_role

from .. import rules
from ..models import Distribution, Letter, LetterScope
from .common import field_errors, policy

TEMPLATE = Path(__file__).resolve().parents[1] / "doc_templates" / "notification_letter.docx"
LETTER_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.HOTLINE_OPERATOR})
DISTRIBUTOR_ROLES = LETTER_ROLES | {Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER}


def letter_enterprises(user: Any):
    """Enterprises whose letters a person handles: the office (admin, hotline) the whole
    district, officers their scope."""
    if has_role(user, *LETTER_ROLES):
        return Enterprise.objects.select_related("territory", "industry")
    return enterprises_visible_to(user)


@transaction.atomic
def letter_create(
    *, actor: Any, enterprise: Enterprise | None = None, industry: Industry | None = None
) -> Letter:
    if not has_role(actor, *LETTER_ROLES):
        raise PermissionDenied(_("您的角色无权生成告知信"))
    if (enterprise is None) == (industry is None):
        field_errors({"enterprise": _("请选择一家企业或一个行业")})
    scope = LetterScope.ENTERPRISE if enterprise else LetterScope.INDUSTRY
    letter = Letter.objects.create(
        scope=scope, enterprise=enterprise, industry=industry, created_by=actor
    )
    record(
        actor=actor,
        action="tipoff.letter_create",
        obj=letter,
        changes={"scope": scope, "target": str(enterprise or industry)},
        counted=False,
    )
    return letter


def letter_context(letter: Letter) -> dict[str, Any]:
    data = policy()
    addressee = letter.enterprise.name if letter.enterprise else f"{letter.industry.name}行业"
    return {
        "district": district_name() or data.district.name,
        "addressee": addressee,
        "hotline": data.hotline.number,
        "hours": data.hotline.hours_per_day,
        "free": data.hotline.free_of_charge,
        "reportable": list(data.tipoffs.reportable) or list(data.rewards.natures.values()),
        "reward_lines": rules.describe_scheme(data.rewards),
        "promise": data.tipoffs.confidentiality_promise,
        "issuer": data.document.issuer,
        "date": timezone.localdate().strftime("%Y年%m月%d日"),
    }


def letter_render(letter: Letter, template: Path = TEMPLATE) -> bytes:
    """The letter as .docx from the office-editable template."""
    document = DocxTemplate(str(template))
    document.render(letter_context(letter), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _count(value: Any, label: str, field: str, errors: dict) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1_000_000:
        errors[field] = _("%(label)s应为 0–1000000 的整数") % {"label": label}
        return 0
    return value


@transaction.atomic
def distribution_record(
    *,
    actor: Any,
    letter: Letter,
    enterprise: Enterprise,
    distributed_on: Any,
    copies: Any,
    workers_reached: Any,
) -> Distribution:
    if not has_role(actor, *DISTRIBUTOR_ROLES):
        raise PermissionDenied(_("您的角色无权登记告知信发放"))
    if not letter_enterprises(actor).filter(pk=enterprise.pk).exists():
        raise PermissionDenied(_("该企业不在您的管辖范围内"))
    errors: dict[str, str] = {}
    if letter.enterprise_id and letter.enterprise_id != enterprise.pk:
        errors["enterprise"] = _("该告知信是发给另一家企业的")
    if letter.industry_id and letter.industry_id != enterprise.industry_id:
        errors["enterprise"] = _("该企业不属于告知信的行业")
    if not isinstance(distributed_on, dt.date):
        errors["distributed_on"] = _("请填写发放日期")
    elif distributed_on > timezone.localdate():
        errors["distributed_on"] = _("发放日期不能晚于今天")
    copies = _count(copies, _("份数"), "copies", errors)
    workers = _count(workers_reached, _("覆盖从业人员数"), "workers_reached", errors)
    field_errors(errors)
    row = Distribution.objects.create(
        letter=letter,
        enterprise=enterprise,
        distributed_on=distributed_on,
        copies=copies,
        workers_reached=workers,
        recorded_by=actor,
    )
    record(
        actor=actor,
        action="tipoff.letter_distribute",
        obj=letter,
        changes={"enterprise": enterprise.name, "copies": copies, "workers": workers},
        counted=False,
    )
    return row


def coverage(user: Any, by: str) -> list[dict[str, Any]]:
    """Per territory (`by="territory"`) or industry: active enterprises, how many received a
    letter, and the workers reached — counted in SQL."""
    reached = Distribution.objects.filter(enterprise=OuterRef("pk"))
    qs = (
        letter_enterprises(user)
        .exclude(status__in=INACTIVE_STATUSES)
        .annotate(reached=Exists(reached))
        .values(f"{by}__name")
        .annotate(total=Count("pk"), covered=Count("pk", filter=Q(reached=True)))
        .order_by(f"{by}__name")
    )
    workers = dict(
        Distribution.objects.filter(enterprise__in=letter_enterprises(user))
        .values(f"enterprise__{by}__name")
        .annotate(n=Sum("workers_reached"))
        .values_list(f"enterprise__{by}__name", "n")
    )
    return [
        {
            "name": row[f"{by}__name"] or _("（未填）"),
            "total": row["total"],
            "covered": row["covered"],
            "percent": round(100 * row["covered"] / row["total"]) if row["total"] else 0,
            "workers": workers.get(row[f"{by}__name"], 0),
        }
        for row in qs
    ]
