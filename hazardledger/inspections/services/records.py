"""Inspection records, their confirmation, and cards raised from failed items."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.audit.services import record
from hazardledger.enterprises.models import Enterprise
from hazardledger.enterprises.selectors import enterprises_visible_to, is_own_enterprise
from hazardledger.hazards.models import Hazard, HazardLevel
from hazardledger.hazards.services import hazard_register
from hazardledger.lib import files
from hazardledger.org.models import Role, User
from hazardledger.org.selectors import has_role
from hazardledger.policy.services import active_policy

from .. import rules
from ..models import (
    GOVERNMENT_KINDS,
    Campaign,
    ChecklistItem,
    ChecklistStatus,
    ChecklistVersion,
    Inspection,
    InspectionItem,
    InspectionKind,
    ItemResult,
)
from ..selectors import (
    INSPECTOR_ROLES,
    campaigns_visible_to,
    enterprise_in_campaign,
)
from .core import Conflict, _raise_if

# ---- inspections --------------------------------------------------------------------------


@dataclass
class ItemInput:
    result: str = ""
    note: str = ""
    location: str = ""
    photo: Any = None  # an UploadedFile


def allowed_kinds(actor: Any) -> list[str]:
    kinds = []
    if has_role(actor, *INSPECTOR_ROLES):
        kinds += [InspectionKind.GOVERNMENT, InspectionKind.JOINT, InspectionKind.EXPERT]
    if has_role(actor, Role.ENTERPRISE_USER):
        kinds += [InspectionKind.SELF, InspectionKind.EXPERT]
    return list(dict.fromkeys(kinds))


def _check_access(actor: Any, kind: str, enterprise: Any) -> None:
    if not allowed_kinds(actor):
        raise PermissionDenied(_("您的角色无权录入检查记录"))
    if not isinstance(enterprise, Enterprise):
        return  # reported as a field error
    if not enterprises_visible_to(actor).filter(pk=enterprise.pk).exists():
        raise PermissionDenied(_("该企业不在您的管辖范围内"))
    if kind in (InspectionKind.SELF,) and not is_own_enterprise(actor, enterprise):
        raise PermissionDenied(_("企业自查只能由本企业录入"))


def _header_errors(actor: Any, data: Mapping[str, Any], today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    kind = data.get("kind")
    if kind not in allowed_kinds(actor):
        errors["kind"] = _("请选择您可以录入的检查类型")
    if not isinstance(data.get("enterprise"), Enterprise):
        errors["enterprise"] = _("请选择受检企业")
    day = data.get("inspected_on")
    if not isinstance(day, date):
        errors["inspected_on"] = _("请填写检查日期")
    elif day > today:
        errors["inspected_on"] = _("检查日期不能晚于今天")
    version = data.get("checklist_version")
    # A form opened before a newer version went live may still be sent with the one it shows.
    if not isinstance(version, ChecklistVersion) or version.status == ChecklistStatus.DRAFT:
        errors["checklist_version"] = _("请选择已启用的检查表")
    if (
        data.get("representative_confirmed")
        and not str(data.get("representative_name") or "").strip()
    ):
        errors["representative_name"] = _("企业当场确认时须填写确认人姓名")
    return errors


def _team_errors(actor: Any, data: Mapping[str, Any]) -> dict[str, str]:
    kind, lead = data.get("kind"), data.get("lead")
    inspectors = set(data.get("inspectors") or ())
    errors: dict[str, str] = {}
    if kind in GOVERNMENT_KINDS:
        if not isinstance(lead, User):
            errors["lead"] = _("请选择带队人")
        else:
            inspectors.add(lead)
        if any(has_role(u, Role.ENTERPRISE_USER) or not u.is_active for u in inspectors):
            errors["inspectors"] = _("检查人员须为在职的监管人员")
        minimum = active_policy().inspections.government_min_inspectors
        problem = rules.inspector_problem(kind, len(inspectors), minimum)
        if problem and "inspectors" not in errors:
            errors["inspectors"] = problem
    elif not isinstance(lead, User) and not str(data.get("lead_name") or "").strip():
        errors["lead_name"] = _("请填写负责人姓名")
    if kind == InspectionKind.EXPERT and not (
        str(data.get("agency") or "").strip() or str(data.get("other_participants") or "").strip()
    ):
        errors["agency"] = _("专家诊断须填写技术服务机构或专家姓名")
    return errors


def _campaign_errors_for(actor: Any, data: Mapping[str, Any]) -> dict[str, str]:
    campaign, enterprise, day = (
        data.get("campaign"),
        data.get("enterprise"),
        data.get("inspected_on"),
    )
    if campaign is None:
        return {}
    if (
        not isinstance(campaign, Campaign)
        or not campaigns_visible_to(actor).filter(pk=campaign.pk).exists()
    ):
        return {"campaign": _("请选择您可见的大检查")}
    if data.get("kind") not in GOVERNMENT_KINDS:
        return {"campaign": _("只有政府检查或联合检查可以计入大检查")}
    if isinstance(day, date) and not campaign.starts_on <= day <= campaign.ends_on:
        return {"inspected_on": _("检查日期不在该大检查的时间范围内")}
    if isinstance(enterprise, Enterprise) and not enterprise_in_campaign(campaign, enterprise):
        return {"campaign": _("该企业不在该大检查的检查范围内")}
    return {}


@dataclass(frozen=True)
class _CheckedItem:
    checklist_item: ChecklistItem
    data: ItemInput
    photo: files.CheckedFile | None


def _item_inputs(
    version: ChecklistVersion, items: Mapping[int, ItemInput]
) -> tuple[list[_CheckedItem], dict[str, str]]:
    errors: dict[str, str] = {}
    checked = []
    checklist_items = list(version.items.all())
    known = {ci.pk for ci in checklist_items}
    if set(items) - known:
        errors["items"] = _("提交的检查项与检查表不符，请刷新后重新填写")
    for ci in checklist_items:
        given = items.get(ci.pk) or ItemInput()
        field = f"item_{ci.pk}"
        if given.result not in ItemResult.values:
            errors[f"{field}_result"] = _("请选择检查结果")
        elif given.result == ItemResult.FAIL and not given.note.strip():
            errors[f"{field}_note"] = _("不合格项须说明存在的问题")
        if len(given.note) > 2000 or len(given.location) > 200:
            errors[f"{field}_note"] = _("说明或部位过长")
        photo = None
        if given.photo:
            try:
                photo = files.check_photo(given.photo)
            except ValidationError as exc:
                errors[f"{field}_photo"] = exc.messages[0]
        checked.append(_CheckedItem(ci, given, photo))
    return checked, errors


def _existing(submission_key: uuid.UUID, actor: Any) -> Inspection | None:
    found = Inspection.objects.filter(submission_key=submission_key).first()
    if found is not None and found.recorded_by_id != getattr(actor, "pk", None):
        raise Conflict(_("该提交标识已被他人使用，请刷新页面后重新填写"))
    return found


def _validate(
    actor: Any, data: Mapping[str, Any], items: Mapping[int, ItemInput]
) -> tuple[dict[str, str], list[_CheckedItem]]:
    errors = _header_errors(actor, data, timezone.localdate())
    errors.update(_team_errors(actor, data))
    errors.update(_campaign_errors_for(actor, data))
    checked: list[_CheckedItem] = []
    if "checklist_version" not in errors:
        checked, item_errors = _item_inputs(data["checklist_version"], items)
        errors.update(item_errors)
    return errors, checked


def inspection_problems(
    *, actor: Any, data: Mapping[str, Any], items: Mapping[int, ItemInput]
) -> dict[str, str]:
    """Every field problem `inspection_record` would refuse, without writing anything.

    The form asks for them when its own checks already failed, so that a person on a phone
    sees all the problems at once instead of one round at a time.
    """
    return _validate(actor, data, items)[0]


@transaction.atomic
def inspection_record(
    *,
    actor: Any,
    submission_key: uuid.UUID,
    data: Mapping[str, Any],
    items: Mapping[int, ItemInput],
) -> tuple[Inspection, bool]:
    """Record an inspection with one result per checklist item; returns (inspection, created).

    Sending the same `submission_key` again returns the inspection already recorded and
    changes nothing, so a form resubmitted after a dropped connection makes no duplicate.
    """
    existing = _existing(submission_key, actor)
    if existing is not None:
        return existing, False
    _check_access(actor, data.get("kind", ""), data.get("enterprise"))
    errors, checked = _validate(actor, data, items)
    _raise_if(errors)
    stored: list[str] = []
    try:
        with transaction.atomic():
            inspection = _create_inspection(actor, submission_key, data)
            stored = _create_items(inspection, checked)
    except IntegrityError:
        files.discard(stored)
        # Two copies of one form raced: the first one won, hand its inspection back.
        existing = _existing(submission_key, actor)
        if existing is None:
            raise
        return existing, False
    except Exception:
        files.discard(stored)
        raise
    failed = sum(1 for c in checked if c.data.result == ItemResult.FAIL)
    record(
        actor=actor,
        action="inspection.record",
        obj=inspection,
        changes={
            "kind": [None, inspection.kind],
            "enterprise": [None, inspection.enterprise_id],
            "campaign": [None, inspection.campaign_id],
            "checklist_version": [None, inspection.checklist_version_id],
            "items": [None, len(checked)],
            "failed": [None, failed],
        },
    )
    return inspection, True


def _create_inspection(
    actor: Any, submission_key: uuid.UUID, data: Mapping[str, Any]
) -> Inspection:
    lead = data.get("lead") if isinstance(data.get("lead"), User) else None
    confirmed = bool(data.get("representative_confirmed"))
    inspection = Inspection.objects.create(
        submission_key=submission_key,
        kind=data["kind"],
        enterprise=data["enterprise"],
        campaign=data.get("campaign"),
        checklist_version=data["checklist_version"],
        inspected_on=data["inspected_on"],
        lead=lead,
        lead_name=(lead.display_name if lead else str(data.get("lead_name") or "").strip())[:50],
        other_participants=str(data.get("other_participants") or "").strip()[:200],
        agency=str(data.get("agency") or "").strip()[:100],
        summary=str(data.get("summary") or "").strip(),
        representative_name=str(data.get("representative_name") or "").strip()[:50],
        confirmed_at=timezone.now() if confirmed else None,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    team = set(data.get("inspectors") or ())
    if lead is not None:
        team.add(lead)
    if data["kind"] == InspectionKind.SELF:
        team.add(actor)
    inspection.inspectors.set(sorted(team, key=lambda u: u.pk))
    return inspection


def _create_items(inspection: Inspection, checked: Sequence[_CheckedItem]) -> list[str]:
    stored: list[str] = []
    rows = []
    for c in checked:
        row = InspectionItem(
            inspection=inspection,
            checklist_item=c.checklist_item,
            result=c.data.result,
            note=c.data.note.strip(),
            location=c.data.location.strip(),
        )
        if c.photo is not None:
            row.photo = files.store(c.photo, "inspections")
            stored.append(row.photo.name)
            row.photo_content_type = c.photo.content_type
            row.photo_size = c.photo.size
            row.photo_sha256 = c.photo.sha256
        rows.append(row)
    InspectionItem.objects.bulk_create(rows)
    return stored


@transaction.atomic
def inspection_confirm(
    *, actor: Any, inspection: Inspection, representative_name: str, remark: str = ""
) -> Inspection:
    """The enterprise's representative confirms the inspection record in the system."""
    if not (
        has_role(actor, Role.ENTERPRISE_USER) and is_own_enterprise(actor, inspection.enterprise)
    ):
        raise PermissionDenied(_("只有受检企业可以确认检查记录"))
    _raise_if(
        {"representative_name": _("请填写确认人姓名")} if not representative_name.strip() else {}
    )
    now = timezone.now()
    updated = Inspection.objects.filter(pk=inspection.pk, confirmed_at__isnull=True).update(
        confirmed_at=now,
        confirmed_by=actor,
        representative_name=representative_name.strip()[:50],
        representative_remark=remark.strip()[:300],
    )
    if not updated:
        raise Conflict(_("该检查记录已确认"))
    inspection.refresh_from_db()
    record(
        actor=actor,
        action="inspection.confirm",
        obj=inspection,
        reason=remark,
        changes={"confirmed_at": [None, now], "representative_name": [None, representative_name]},
    )
    return inspection


HAZARD_OVERRIDES = (
    "location",
    "description",
    "cause",
    "level",
    "nature",
    "category",
    "criteria_standard",
    "criteria_article",
    "criteria_item",
    "harm_analysis",
)


def hazard_prefill(item: InspectionItem) -> dict[str, Any]:
    """The hazard card's fields taken from a failed item, for the one-step registration."""
    inspection = item.inspection
    ci = item.checklist_item
    team = [inspection.lead_name, *(u.display_name for u in inspection.inspectors.all())]
    found_by = "、".join(dict.fromkeys(n for n in team if n))
    return {
        "location": item.location,
        "description": _("检查项“%(text)s”不合格：%(note)s") % {"text": ci.text, "note": item.note},
        "category": ci.category,
        "nature": ci.nature,
        "level": HazardLevel.GENERAL,
        "source": rules.HAZARD_SOURCES[inspection.kind],
        "source_ref": _("检查记录 %(number)s 第 %(code)s 项")
        % {
            "number": inspection.number,
            "code": ci.code,
        },
        "found_by": found_by[:100] or inspection.lead_name,
        "found_on": inspection.inspected_on,
        "legal_basis": ci.basis,
    }


def _item_photo(item: InspectionItem) -> File:
    """The item's photo, named after the inspection (the card shows the name; the stored path
    is the server's business)."""
    ext = PurePosixPath(item.photo.name).suffix.lower()
    handle = default_storage.open(item.photo.name, "rb")
    return File(
        handle,
        name=_("检查记录%(number)s-第%(code)s项%(ext)s")
        % {"number": item.inspection.number, "code": item.checklist_item.code, "ext": ext},
    )


@transaction.atomic
def inspection_item_raise_hazard(
    *, actor: Any, item: InspectionItem, data: Mapping[str, Any] | None = None
) -> Hazard:
    """Register the hazard card for a failed item in one step and link the two both ways.

    The card is registered by the hazards app's own service (its permission and validation
    rules apply); the origin travels in `source` and `source_ref`.
    """
    if item.result != ItemResult.FAIL:
        raise Conflict(_("只有不合格项可以登记为隐患"))
    if item.hazard_id is not None:
        raise Conflict(_("该检查项已登记隐患卡"))
    values = hazard_prefill(item)
    # Fields sent replace the prefill, even when emptied on purpose (the card rules then apply).
    values.update(
        {k: v for k, v in (data or {}).items() if k in HAZARD_OVERRIDES and v is not None}
    )
    photos = [_item_photo(item)] if item.photo else []
    try:
        hazard = hazard_register(
            actor=actor, enterprise=item.inspection.enterprise, data=values, photos=photos
        )
    finally:
        for photo in photos:
            photo.close()
    if not InspectionItem.objects.filter(pk=item.pk, hazard__isnull=True).update(hazard=hazard):
        raise Conflict(_("该检查项已登记隐患卡"))
    item.hazard = hazard
    record(
        actor=actor,
        action="inspection.raise_hazard",
        obj=item.inspection,
        changes={"item": [None, item.pk], "hazard": [None, hazard.card_no]},
    )
    return hazard
