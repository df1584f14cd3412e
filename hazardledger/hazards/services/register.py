"""Registering, confirming and transferring a card."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.enterprises.models import Enterprise
from hazardledger.enterprises.selectors import enterprises_visible_to
from hazardledger.lib import files
from hazardledger.org.models import Role, Unit, User
from hazardledger.org.selectors import has_role
from hazardledger.policy.services import active_policy

from .. import rules
from ..models import (
    FileKind,
    Hazard,
    HazardLevel,
    HazardSource,
    HazardStatus,
)
from ..workflow import REGISTER_ROLES
from .core import (
    CARD_FIELDS,
    PLAN_FIELDS,
    REQUIRED_CARD_FIELDS,
    Upload,
    _checked,
    _field_errors,
    _log,
    _next_card_no,
    _role_for,
    _store_files,
    _transition,
)
from .plan import plan_field_errors


def card_field_errors(data: Mapping[str, Any], today: date) -> dict[str, str]:
    """Field errors of a card's registration data (required fields, dates, 重大 extras)."""
    errors = {
        name: str(message)
        for name, message in REQUIRED_CARD_FIELDS.items()
        if not str(data.get(name) or "").strip()
    }
    found_on = data.get("found_on")
    if found_on and not isinstance(found_on, date):
        errors["found_on"] = _("发现时间格式不正确")
    elif isinstance(found_on, date) and found_on > today:
        errors["found_on"] = _("发现时间不能晚于今天")
    if data.get("level") and data["level"] not in HazardLevel.values:
        errors["level"] = _("隐患级别不正确")
    rules_ = active_policy().hazards
    for name, message in rules.major_problems(rules_, data.get("level", ""), data).items():
        errors.setdefault(name, message)
    return errors


@transaction.atomic
def hazard_register(
    *,
    actor: User,
    enterprise: Enterprise,
    data: Mapping[str, Any],
    photos: Sequence[Upload] = (),
    plan: Mapping[str, Any] | None = None,
) -> Hazard:
    """Register a card for an enterprise in the actor's scope; returns it as 待确认.

    Enterprise users register their own self-inspection findings; officers any source.
    """
    if not has_role(actor, *REGISTER_ROLES):
        raise PermissionDenied(_("您的角色无权登记隐患"))
    if not enterprises_visible_to(actor).filter(pk=enterprise.pk).exists():
        raise PermissionDenied(_("该企业不在您的管辖范围内"))
    data = {name: data.get(name, "") for name in CARD_FIELDS}
    if has_role(actor, Role.ENTERPRISE_USER) and not has_role(
        actor, Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER
    ):
        data["source"] = HazardSource.SELF_INSPECTION
    now = timezone.now()
    errors = card_field_errors(data, timezone.localdate())
    errors.update(plan_field_errors(plan or {}, timezone.localdate()))
    _field_errors(errors)
    checked = _checked(photos, "photos", files.check_photo)
    regulator = enterprise.industry.regulator if enterprise.industry_id else None
    hazard = Hazard.objects.create(
        card_no=_next_card_no(active_policy().district.code, timezone.localdate().year),
        enterprise=enterprise,
        territory_id=enterprise.territory_id,
        industry_id=enterprise.industry_id,
        department=regulator,
        status=HazardStatus.REGISTERED,
        stage_started_at=now,
        registered_at=now,
        registered_by=actor,
        **{k: v for k, v in data.items() if v is not None},
        **{k: v for k, v in (plan or {}).items() if k in PLAN_FIELDS and v not in (None, "")},
    )
    _store_files(actor=actor, hazard=hazard, kind=FileKind.BEFORE_PHOTO, checked=checked, now=now)
    _log(
        actor=actor,
        hazard=hazard,
        action="register",
        from_status="",
        role=_role_for(actor, REGISTER_ROLES),
        changes={"card_no": [None, hazard.card_no], "status": [None, hazard.status]},
    )
    return hazard


# ---- 定级 and 抄告 -------------------------------------------------------------------------


@transaction.atomic
def hazard_confirm(
    *,
    actor: User,
    hazard: Hazard,
    level: str | None = None,
    criteria_standard: str | None = None,
    criteria_article: str | None = None,
    criteria_item: str | None = None,
    harm_analysis: str | None = None,
    comment: str = "",
) -> Hazard:
    """Confirm the card and fix its level; 重大 needs the criterion and the harm analysis."""
    given = {
        "level": level,
        "criteria_standard": criteria_standard,
        "criteria_article": criteria_article,
        "criteria_item": criteria_item,
        "harm_analysis": harm_analysis,
    }
    values = {k: v for k, v in given.items() if v is not None}
    if values.get("level") and values["level"] not in HazardLevel.values:
        _field_errors({"level": _("隐患级别不正确")})
    values["confirmed_at"] = timezone.now()
    _transition(
        actor=actor,
        hazard=hazard,
        action="confirm",
        data=values,
        values=values,
        comment=comment,
    )
    return hazard


@transaction.atomic
def hazard_transfer(*, actor: User, hazard: Hazard, department: Unit | None, reason: str) -> Hazard:
    """抄告: hand the card to the competent department; returns the receiving side's card."""
    if department is not None and department.kind != "department":
        _field_errors({"department": _("接收方必须是部门")})
    if not (reason or "").strip():
        _field_errors({"reason": _("请填写抄告理由")})
    _transition(
        actor=actor,
        hazard=hazard,
        action="transfer",
        data={"department": department},
        values={"transfer_department": department},
        comment=reason,
    )
    now = timezone.now()
    copy = Hazard.objects.create(
        card_no=_next_card_no(active_policy().district.code, timezone.localdate().year),
        enterprise_id=hazard.enterprise_id,
        territory_id=hazard.territory_id,
        industry_id=hazard.industry_id,
        department=department,
        **{n: getattr(hazard, n) for n in CARD_FIELDS if n not in ("source", "source_ref")},
        source=HazardSource.TRANSFER,
        source_ref=hazard.card_no,
        transferred_from=hazard,
        status=HazardStatus.REGISTERED,
        stage_started_at=now,
        registered_at=now,
        registered_by=actor,
    )
    _log(
        actor=actor,
        hazard=copy,
        action="register",
        from_status="",
        role=_role_for(actor, REGISTER_ROLES),
        comment=reason,
        changes={"card_no": [None, copy.card_no], "transferred_from": [None, hazard.card_no]},
    )
    return copy


# ---- 五落实 --------------------------------------------------------------------------------
