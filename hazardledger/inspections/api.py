"""The inspections API (/api/v1/inspections/): campaigns, coverage figures, checklists and
inspections (created with their items), calling the same selectors and services as the pages."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import Field

from hazardledger.enterprises.selectors import enterprises_visible_to
from hazardledger.hazards.workflow import REGISTER_ROLES
from hazardledger.lib.workflow import WorkflowError
from hazardledger.org.models import User
from hazardledger.org.selectors import has_role
from hazardledger.policy.services import active_policy

from . import rules, selectors, services
from .models import Campaign, ChecklistStatus, ChecklistVersion, Inspection, InspectionItem
from .selectors import CAMPAIGN_READER_ROLES, INSPECTION_READER_ROLES

router = Router(tags=["inspections"], auth=django_auth)
MAX_LIMIT = 200


class InspError(Schema):
    detail: str


class InspFieldErrors(Schema):
    detail: str
    errors: Any = None


READ_ERRORS = {401: InspError, 403: InspError, 404: InspError, 422: InspFieldErrors}
WRITE_ERRORS = {**READ_ERRORS, 409: InspError}


class CampaignOut(Schema):
    id: int
    name: str
    description: str
    starts_on: date
    ends_on: date
    phase: str
    leader_id: int
    leader_name: str
    committee_id: int
    committee_name: str
    territory_ids: list[int]
    industry_ids: list[int]
    categories: list[str]
    checklist_id: int | None


class CoverageLineOut(Schema):
    key: int | None = None
    name: str
    in_scope: int
    inspected: int
    with_hazards: int
    not_inspected: int
    rate: float | None


class LeaderOut(Schema):
    id: int
    name: str
    inspections_led: int
    enterprises: int
    last_led_on: date | None


class CoverageOut(Schema):
    campaign_id: int
    coverage_deadline: date
    total: CoverageLineOut
    by_territory: list[CoverageLineOut]
    by_department: list[CoverageLineOut]
    by_industry: list[CoverageLineOut]
    leaders: list[LeaderOut]


class ChecklistItemOut(Schema):
    id: int
    category: str
    code: str
    text: str
    basis: str
    nature: str


class ChecklistVersionOut(Schema):
    id: int
    checklist_code: str
    name: str
    number: int
    status: str
    items: list[ChecklistItemOut]


class ItemOut(Schema):
    id: int
    checklist_item_id: int
    code: str
    text: str
    category: str
    result: str
    note: str
    location: str
    has_photo: bool
    hazard_id: int | None
    hazard_card_no: str | None


class InspectionOut(Schema):
    id: int
    number: str
    submission_key: uuid.UUID
    kind: str
    enterprise_id: int
    enterprise_name: str
    campaign_id: int | None
    checklist_version_id: int
    inspected_on: date
    lead_id: int | None
    lead_name: str
    inspector_ids: list[int]
    summary: str
    confirmed_at: datetime | None
    representative_name: str
    items: list[ItemOut]


class InspectionSummaryOut(Schema):
    id: int
    number: str
    kind: str
    enterprise_id: int
    enterprise_name: str
    campaign_id: int | None
    inspected_on: date
    lead_name: str
    failed_items: int


class ItemIn(Schema):
    checklist_item_id: int
    result: str = Field(description="pass 合格 / fail 不合格 / na 不适用")
    note: str = Field("", max_length=2000)
    location: str = Field("", max_length=200)


class InspectionIn(Schema):
    submission_key: uuid.UUID = Field(
        description="客户端生成的 UUID；重复提交同一标识不会产生第二条记录"
    )
    kind: str = Field(description="government / joint / self / expert")
    enterprise_id: int
    campaign_id: int | None = None
    checklist_version_id: int
    inspected_on: date
    lead_id: int | None = None
    inspector_ids: list[int] = Field(default_factory=list, max_length=50)
    lead_name: str = Field("", max_length=50)
    other_participants: str = Field("", max_length=200)
    agency: str = Field("", max_length=100)
    summary: str = Field("", max_length=5000)
    representative_name: str = Field("", max_length=50)
    representative_confirmed: bool = False
    items: list[ItemIn] = Field(max_length=500)


class HazardIn(Schema):
    location: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    level: str = ""
    nature: str = ""
    category: str = ""
    cause: str = Field("", max_length=5000)
    criteria_standard: str = Field("", max_length=200)
    criteria_article: str = Field("", max_length=50)
    harm_analysis: str = Field("", max_length=5000)


class HazardLinkOut(Schema):
    hazard_id: int
    card_no: str
    inspection_id: int
    item_id: int


def _require(request: HttpRequest, roles: frozenset[str]) -> None:
    if not has_role(request.user, *roles):
        raise HttpError(403, "您的角色无权访问")


def _not_found(exc: Exception) -> HttpError:
    return HttpError(404, "未找到，或不在您的管辖范围内")


class _Invalid(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors


def _campaign_out(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "description": c.description,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "phase": rules.campaign_phase(c.starts_on, c.ends_on, timezone.localdate()),
        "leader_id": c.leader_id,
        "leader_name": c.leader.display_name,
        "committee_id": c.committee_id,
        "committee_name": c.committee.name,
        "territory_ids": sorted(t.pk for t in c.territories.all()),
        "industry_ids": sorted(i.pk for i in c.industries.all()),
        "categories": list(c.categories),
        "checklist_id": c.checklist_id,
    }


def _line(key: Any, name: str, c: rules.Coverage) -> dict[str, Any]:
    return {
        "key": key,
        "name": name,
        "in_scope": c.in_scope,
        "inspected": c.inspected,
        "with_hazards": c.with_hazards,
        "not_inspected": c.not_inspected,
        "rate": c.rate,
    }


@router.get("/campaigns", response={200: list[CampaignOut], **READ_ERRORS})
def campaign_list(request: HttpRequest, limit: int = 50, offset: int = 0):
    """Campaigns whose scope overlaps the caller's."""
    _require(request, CAMPAIGN_READER_ROLES)
    qs = selectors.campaigns_visible_to(request.user).prefetch_related("territories", "industries")
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    return [_campaign_out(c) for c in qs[offset : offset + limit]]


@router.get("/campaigns/{int:campaign_id}", response={200: CampaignOut, **READ_ERRORS})
def campaign_detail(request: HttpRequest, campaign_id: int):
    _require(request, CAMPAIGN_READER_ROLES)
    try:
        return _campaign_out(selectors.campaign_get_for_user_or_404(request.user, campaign_id))
    except Http404 as exc:
        raise _not_found(exc) from exc


@router.get("/campaigns/{int:campaign_id}/coverage", response={200: CoverageOut, **READ_ERRORS})
def campaign_coverage(request: HttpRequest, campaign_id: int):
    """In scope, inspected, with hazards and not inspected: in total and per territory,
    regulating department and industry, within the caller's scope; and leaders' inspections."""
    _require(request, CAMPAIGN_READER_ROLES)
    user = request.user
    try:
        campaign = selectors.campaign_get_for_user_or_404(user, campaign_id)
    except Http404 as exc:
        raise _not_found(exc) from exc
    by = {
        f"by_{name}": [
            _line(x.key, x.name, x.coverage) for x in selectors.coverage_by(user, campaign, name)
        ]
        for name in ("territory", "department", "industry")
    }
    leaders = [
        {
            "id": u.pk,
            "name": u.display_name,
            "inspections_led": u.led_count,
            "enterprises": u.enterprise_count,
            "last_led_on": u.last_led_on,
        }
        for u in selectors.leader_inspections(user, campaign)
    ]
    return {
        "campaign_id": campaign.pk,
        "coverage_deadline": active_policy().inspections.coverage_deadline,
        "total": _line(None, campaign.name, selectors.coverage_total(user, campaign)),
        **by,
        "leaders": leaders,
    }


def _version_out(v: ChecklistVersion) -> dict[str, Any]:
    return {
        "id": v.pk,
        "checklist_code": v.checklist.code,
        "name": v.checklist.name,
        "number": v.number,
        "status": v.status,
        "items": [
            {
                "id": i.pk,
                "category": i.category,
                "code": i.code,
                "text": i.text,
                "basis": i.basis,
                "nature": i.nature,
            }
            for i in v.items.all()
        ],
    }


@router.get("/checklists", response={200: list[ChecklistVersionOut], **READ_ERRORS})
def checklist_list(request: HttpRequest):
    """The live checklist versions with their items (what a new inspection uses)."""
    _require(request, INSPECTION_READER_ROLES)
    return [_version_out(v) for v in selectors.live_versions().prefetch_related("items")]


@router.get("/checklists/{int:version_id}", response={200: ChecklistVersionOut, **READ_ERRORS})
def checklist_detail(request: HttpRequest, version_id: int):
    _require(request, INSPECTION_READER_ROLES)
    try:
        return _version_out(
            selectors.checklist_version_get_for_user_or_404(request.user, version_id)
        )
    except Http404 as exc:
        raise _not_found(exc) from exc


def _inspection_out(i: Inspection) -> dict[str, Any]:
    items = selectors.inspection_items(i)
    return {
        "id": i.pk,
        "number": i.number,
        "submission_key": i.submission_key,
        "kind": i.kind,
        "enterprise_id": i.enterprise_id,
        "enterprise_name": i.enterprise.name,
        "campaign_id": i.campaign_id,
        "checklist_version_id": i.checklist_version_id,
        "inspected_on": i.inspected_on,
        "lead_id": i.lead_id,
        "lead_name": i.lead_name,
        "inspector_ids": sorted(i.inspectors.values_list("pk", flat=True)),
        "summary": i.summary,
        "confirmed_at": i.confirmed_at,
        "representative_name": i.representative_name,
        "items": [_item_out(item) for item in items],
    }


def _item_out(item: InspectionItem) -> dict[str, Any]:
    ci = item.checklist_item
    return {
        "id": item.pk,
        "checklist_item_id": ci.pk,
        "code": ci.code,
        "text": ci.text,
        "category": ci.category,
        "result": item.result,
        "note": item.note,
        "location": item.location,
        "has_photo": bool(item.photo),
        "hazard_id": item.hazard_id,
        "hazard_card_no": item.hazard.card_no if item.hazard else None,
    }


@router.get("/", response={200: list[InspectionSummaryOut], **READ_ERRORS})
def inspection_list(
    request: HttpRequest,
    campaign_id: int | None = None,
    kind: str = "",
    enterprise_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
):
    """Inspections in the caller's scope, newest first."""
    _require(request, INSPECTION_READER_ROLES)
    qs = selectors.inspection_list(
        request.user, campaign_id=campaign_id, kind=kind, enterprise_id=enterprise_id
    )
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    return [
        {
            "id": i.pk,
            "number": i.number,
            "kind": i.kind,
            "enterprise_id": i.enterprise_id,
            "enterprise_name": i.enterprise.name,
            "campaign_id": i.campaign_id,
            "inspected_on": i.inspected_on,
            "lead_name": i.lead_name,
            "failed_items": i.failed_count,
        }
        for i in qs[offset : offset + limit]
    ]


@router.get("/{int:inspection_id}", response={200: InspectionOut, **READ_ERRORS})
def inspection_detail(request: HttpRequest, inspection_id: int):
    _require(request, INSPECTION_READER_ROLES)
    try:
        return _inspection_out(
            selectors.inspection_get_for_user_or_404(request.user, inspection_id)
        )
    except Http404 as exc:
        raise _not_found(exc) from exc


def _resolve(payload: InspectionIn, user: Any) -> dict[str, Any]:
    """Turn ids into objects; unknown or invisible ids are field errors (422), not 500s."""
    errors: dict[str, list[str]] = {}
    enterprise = enterprises_visible_to(user).filter(pk=payload.enterprise_id).first()
    if enterprise is None:
        errors["enterprise_id"] = ["企业不存在或不在您的管辖范围内"]
    campaign = None
    if payload.campaign_id is not None:
        campaign = selectors.campaigns_visible_to(user).filter(pk=payload.campaign_id).first()
        if campaign is None:
            errors["campaign_id"] = ["大检查不存在或不在您的管辖范围内"]
    version = (
        ChecklistVersion.objects.exclude(status=ChecklistStatus.DRAFT)
        .filter(pk=payload.checklist_version_id)
        .first()
    )
    if version is None:
        errors["checklist_version_id"] = ["检查表版本不存在或未启用"]
    people = {
        u.pk: u for u in User.objects.filter(pk__in=[*payload.inspector_ids, payload.lead_id or 0])
    }
    if payload.lead_id is not None and payload.lead_id not in people:
        errors["lead_id"] = ["带队人不存在"]
    if any(pk not in people for pk in payload.inspector_ids):
        errors["inspector_ids"] = ["检查人员不存在"]
    if errors:
        raise _Invalid(errors)
    return {
        "kind": payload.kind,
        "enterprise": enterprise,
        "campaign": campaign,
        "checklist_version": version,
        "inspected_on": payload.inspected_on,
        "lead": people.get(payload.lead_id) if payload.lead_id else None,
        "inspectors": [people[pk] for pk in payload.inspector_ids],
        "lead_name": payload.lead_name,
        "other_participants": payload.other_participants,
        "agency": payload.agency,
        "summary": payload.summary,
        "representative_name": payload.representative_name,
        "representative_confirmed": payload.representative_confirmed,
    }


FIELD_NAMES = {
    "enterprise": "enterprise_id",
    "campaign": "campaign_id",
    "lead": "lead_id",
    "inspectors": "inspector_ids",
    "checklist_version": "checklist_version_id",
}


def _api_field(name: str) -> str:
    if name.startswith("item_"):
        return "items." + name.removeprefix("item_")
    return FIELD_NAMES.get(name, name)


def _invalid(errors: dict[str, list[str]]) -> Status:
    return Status(
        422, {"detail": "请求数据有误", "errors": {_api_field(k): v for k, v in errors.items()}}
    )


@router.post("/", response={200: InspectionOut, 201: InspectionOut, **WRITE_ERRORS})
def inspection_create(request: HttpRequest, payload: InspectionIn):
    """Record an inspection with its items. The same `submission_key` sent again answers 200
    with the inspection already recorded, and creates nothing."""
    _require(request, INSPECTION_READER_ROLES)
    user = request.user
    found = Inspection.objects.filter(submission_key=payload.submission_key).first()
    if found is not None and found.recorded_by_id == user.pk:
        return Status(200, _inspection_out(found))
    try:
        data = _resolve(payload, user)
        if len({i.checklist_item_id for i in payload.items}) != len(payload.items):
            raise _Invalid({"items": ["同一检查项只能提交一次"]})
        items = {
            i.checklist_item_id: services.ItemInput(i.result, i.note, i.location)
            for i in payload.items
        }
        inspection, created = services.inspection_record(
            actor=user, submission_key=payload.submission_key, data=data, items=items
        )
    except _Invalid as exc:
        return _invalid(exc.errors)
    except ValidationError as exc:
        return _invalid(exc.message_dict)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "您无权执行此操作") from exc
    except services.Conflict as exc:
        raise HttpError(409, exc.message) from exc
    return Status(201 if created else 200, _inspection_out(inspection))


@router.post(
    "/{int:inspection_id}/items/{int:item_id}/hazard",
    response={201: HazardLinkOut, **WRITE_ERRORS},
)
def item_raise_hazard(request: HttpRequest, inspection_id: int, item_id: int, payload: HazardIn):
    """Register the hazard card of a failed item in one step (prefilled from the item; the
    fields given here override the prefill) and link card and item both ways."""
    _require(request, REGISTER_ROLES)
    try:
        item = selectors.item_get_for_user_or_404(request.user, inspection_id, item_id)
    except Http404 as exc:
        raise _not_found(exc) from exc
    try:
        hazard = services.inspection_item_raise_hazard(
            actor=request.user, item=item, data=payload.dict(exclude_unset=True)
        )
    except WorkflowError as exc:
        if exc.status_code == 422:
            return Status(422, {"detail": "；".join(exc.messages), "errors": exc.fields})
        raise HttpError(409, "；".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "您无权执行此操作") from exc
    except services.Conflict as exc:
        raise HttpError(409, exc.message) from exc
    return Status(
        201,
        {
            "hazard_id": hazard.pk,
            "card_no": hazard.card_no,
            "inspection_id": item.inspection_id,
            "item_id": item.pk,
        },
    )
