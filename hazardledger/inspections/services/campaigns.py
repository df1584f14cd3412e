"""Dragnet inspection campaigns."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from hazardledger.audit.services import diff, record, snapshot
from hazardledger.enterprises.models import Category
from hazardledger.org.models import TERRITORY_KINDS, Role, Unit, UnitKind, User
from hazardledger.org.selectors import has_role

from ..models import (
    Campaign,
)
from ..selectors import (
    CAMPAIGN_MANAGER_ROLES,
    campaigns_visible_to,
)
from .core import _raise_if, _require, _user

# ---- campaigns ----------------------------------------------------------------------------

CAMPAIGN_FIELDS = (
    "name",
    "description",
    "starts_on",
    "ends_on",
    "leader",
    "committee",
    "checklist",
)


def _campaign_errors(actor: Any, data: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not str(data.get("name") or "").strip():
        errors["name"] = _("请填写大检查名称")
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts_on, date):
        errors["starts_on"] = _("请填写开始日期")
    if not isinstance(ends_on, date):
        errors["ends_on"] = _("请填写结束日期")
    elif isinstance(starts_on, date) and ends_on < starts_on:
        errors["ends_on"] = _("结束日期不能早于开始日期")
    leader = data.get("leader")
    if not isinstance(leader, User) or not has_role(leader, Role.DISTRICT_LEADER):
        errors["leader"] = _("带队领导须为区领导")
    committee = data.get("committee")
    if not isinstance(committee, Unit) or committee.kind != UnitKind.PROFESSIONAL_COMMITTEE:
        errors["committee"] = _("请选择组织大检查的专业安委会")
    elif not has_role(actor, Role.DISTRICT_ADMIN) and committee.pk != getattr(
        actor.unit, "pk", None
    ):
        errors["committee"] = _("专业安委会成员只能为本专委会组织大检查")
    if any(t.kind not in TERRITORY_KINDS for t in data.get("territories") or ()):
        errors["territories"] = _("检查镇街只能选择镇、街道或开发区")
    if any(c not in Category.values for c in data.get("categories") or ()):
        errors["categories"] = _("企业类别不正确")
    return errors


@transaction.atomic
def campaign_save(
    *, actor: Any, data: Mapping[str, Any], campaign: Campaign | None = None
) -> Campaign:
    """Create a campaign or change one. Only the scope is stored; targets follow from it."""
    _require(actor, CAMPAIGN_MANAGER_ROLES, _("您的角色无权组织大检查"))
    if campaign is not None and not campaigns_visible_to(actor).filter(pk=campaign.pk).exists():
        raise PermissionDenied(_("该大检查不在您的管辖范围内"))
    _raise_if(_campaign_errors(actor, data))
    created = campaign is None
    campaign = campaign or Campaign(created_by=_user(actor))
    scope_fields = ("territories", "industries")
    before = snapshot(campaign, [*CAMPAIGN_FIELDS, "categories"]) if not created else {}
    if not created:
        for name in scope_fields:
            before[name] = sorted(getattr(campaign, name).values_list("pk", flat=True))
    for name in CAMPAIGN_FIELDS:
        value = data.get(name)
        setattr(campaign, name, value.strip() if isinstance(value, str) else value)
    campaign.categories = sorted(set(data.get("categories") or ()))
    campaign.save()
    after = snapshot(campaign, [*CAMPAIGN_FIELDS, "categories"])
    for name in scope_fields:
        getattr(campaign, name).set(list(data.get(name) or ()))
        after[name] = sorted(getattr(campaign, name).values_list("pk", flat=True))
    record(
        actor=actor,
        action="campaign.create" if created else "campaign.update",
        obj=campaign,
        changes=diff(before, after),
    )
    return campaign
