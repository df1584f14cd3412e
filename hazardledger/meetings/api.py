"""The meetings API (/api/v1/meetings/): meetings, follow-up items and compliance figures,
through the same selectors and services as the pages."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.security import django_auth
from pydantic import Field

from hazardledger.lib.workflow import WorkflowError
from hazardledger.org.models import Unit, User
from hazardledger.org.selectors import has_role

from . import compliance, selectors, services
from .models import Decision, FollowUpItem, ItemStatus, Meeting, MeetingKind
from .selectors import MEETING_READER_ROLES, RECORDER_ROLES

router = Router(tags=["meetings"], auth=django_auth)


class Error(Schema):
    detail: str


class FieldErrors(Schema):
    detail: str
    errors: Any = None


ERRORS = {401: Error, 403: Error, 404: Error, 409: Error, 422: FieldErrors}
READ_ERRORS = {401: Error, 403: Error, 404: Error, 422: FieldErrors}
ID = Field(ge=1, le=2**62)
TEXT = Field(max_length=5000)


class DecisionOut(Schema):
    id: int
    seq: int
    text: str


class MeetingOut(Schema):
    id: int
    convener_id: int
    convener: str
    kind: str
    kind_label: str
    held_on: date
    entered_at: datetime
    place: str
    chair: str
    units_present: list[str]
    units_absent: list[str]
    problems: str
    decisions: list[DecisionOut]
    counts_for_period: str | None
    entered_late: bool


class MeetingIn(Schema):
    convener_id: int = ID
    kind: MeetingKind = MeetingKind.REGULAR
    held_on: date
    place: str = Field(default="", max_length=100)
    chair: str = Field(default="", max_length=50)
    units_present: list[int] = Field(min_length=1, max_length=200)
    units_absent: list[int] = Field(default=[], max_length=200)
    people_present: list[int] = Field(default=[], max_length=500)
    other_attendees: str = Field(default="", max_length=500)
    problems: str = Field(min_length=1, max_length=5000)
    decisions: list[str] = Field(default=[], max_length=services.MAX_DECISIONS)
    submission_key: str | None = Field(default=None, max_length=40, pattern=r"^[A-Za-z0-9-]+$")


class ItemOut(Schema):
    id: int
    meeting_id: int
    decision_id: int
    title: str
    convener: str
    owner_unit_id: int
    owner_unit: str
    owner_person: str | None
    due_on: date
    status: str
    status_label: str
    overdue: bool
    evidence: str
    closed_at: datetime | None


class ItemIn(Schema):
    decision_id: int = ID
    title: str = Field(min_length=1, max_length=500)
    owner_unit_id: int = ID
    owner_person_id: int | None = Field(default=None, ge=1, le=2**62)
    due_on: date
    hazard_numbers: list[str] = Field(default=[], max_length=30)
    enterprise_codes: list[str] = Field(default=[], max_length=30)
    case_numbers: list[str] = Field(default=[], max_length=30)


class CloseIn(Schema):
    evidence: str = Field(min_length=1, max_length=5000)


class ReopenIn(Schema):
    reason: str = Field(min_length=1, max_length=1000)


class ItemQuery(Schema):
    status: ItemStatus | None = None
    overdue: bool = False
    mine: bool = False


class RangeQuery(Schema):
    start: date | None = None
    end: date | None = None


class CellOut(Schema):
    unit_id: int
    status: str
    status_label: str
    meeting_ids: list[int]
    continued: bool


class RowOut(Schema):
    start: date
    due: date
    iso_week: str
    week_no: int
    profile: str
    cells: list[CellOut]


class TotalsOut(Schema):
    unit_id: int
    unit: str
    required: int
    held: int
    held_late: int
    missed: int
    pending: int
    not_required: int


class DistrictOut(Schema):
    profile: str
    start: date
    end: date
    meetings: int
    min_meetings: int
    joint_actions: int
    min_joint_actions: int


class ComplianceOut(Schema):
    start: date
    end: date
    rows: list[RowOut]
    totals: list[TotalsOut]
    behind: list[str]
    district: list[DistrictOut]


def _refuse(code: int, message: str) -> Status:
    return Status(code, {"detail": message})


def _readable(request: HttpRequest) -> Status | None:
    if not has_role(request.user, *MEETING_READER_ROLES):
        return _refuse(403, "您的角色无权查看联席会议")
    return None


def _meeting_out(meeting: Meeting, standing=None) -> dict[str, Any]:
    period, late = standing or compliance.meeting_standing(meeting)
    return {
        "id": meeting.pk,
        "convener_id": meeting.convener_id,
        "convener": meeting.convener.name,
        "kind": meeting.kind,
        "kind_label": meeting.get_kind_display(),
        "held_on": meeting.held_on,
        "entered_at": meeting.entered_at,
        "place": meeting.place,
        "chair": meeting.chair,
        "units_present": [u.name for u in meeting.units_present.all()],
        "units_absent": [u.name for u in meeting.units_absent.all()],
        "problems": meeting.problems,
        "decisions": [{"id": d.pk, "seq": d.seq, "text": d.text} for d in meeting.decisions.all()],
        "counts_for_period": period.iso_label if period else None,
        "entered_late": late,
    }


def _item_out(item: FollowUpItem, today: date) -> dict[str, Any]:
    return {
        "id": item.pk,
        "meeting_id": item.meeting_id,
        "decision_id": item.decision_id,
        "title": item.title,
        "convener": item.convener.name,
        "owner_unit_id": item.owner_unit_id,
        "owner_unit": item.owner_unit.name,
        "owner_person": item.owner_person.display_name if item.owner_person else None,
        "due_on": item.due_on,
        "status": item.status,
        "status_label": item.get_status_display(),
        "overdue": item.status == ItemStatus.OPEN and item.due_on < today,
        "evidence": item.evidence,
        "closed_at": item.closed_at,
    }


@router.get("/", response={200: list[MeetingOut], **READ_ERRORS})
def list_meetings(request: HttpRequest, limit: int = Query(50, ge=1, le=200)):
    """Meetings the caller may see, newest first."""
    if refused := _readable(request):
        return refused
    rows = list(
        selectors.meetings_visible_to(request.user)
        .select_related("convener")
        .prefetch_related("units_present", "units_absent", "decisions")
        .order_by("-held_on", "-pk")[:limit]
    )
    standing = compliance.standings(rows)
    return [_meeting_out(m, standing[m.pk]) for m in rows]


@router.get("/compliance", response={200: ComplianceOut, **READ_ERRORS})
def compliance_figures(request: HttpRequest, q: Query[RangeQuery]):
    """Held / missed / not yet due per period and unit, totals, the units behind and the
    district committee's minimums."""
    if refused := _readable(request):
        return refused
    today = timezone.localdate()
    start, end = compliance.default_range(today)
    start, end = q.start or start, q.end or end
    if end < start or (end - start).days > 800:
        return Status(
            422, {"detail": "请求数据有误", "errors": {"end": "日期范围不正确（最长两年）"}}
        )
    c = compliance.compute(start=start, end=end, user=request.user, today=today)
    return {
        "start": c.start,
        "end": c.end,
        "rows": [
            {
                "start": r.start,
                "due": r.due,
                "iso_week": r.iso_label,
                "week_no": r.week_no,
                "profile": r.profile_code,
                "cells": [
                    {
                        "unit_id": unit.pk,
                        "status": cell.status,
                        "status_label": cell.label,
                        "meeting_ids": cell.meeting_ids,
                        "continued": cell.continued,
                    }
                    for unit, cell in zip(c.units, r.cells, strict=True)
                    if cell is not None
                ],
            }
            for r in c.rows
        ],
        "totals": [
            {
                "unit_id": t.unit.pk,
                "unit": t.unit.name,
                "required": t.required,
                "held": t.held,
                "held_late": t.late,
                "missed": t.missed,
                "pending": t.pending,
                "not_required": t.not_required,
            }
            for t in c.totals
        ],
        "behind": [t.unit.name for t in c.behind],
        "district": [
            {
                "profile": w.profile_code,
                "start": w.start,
                "end": w.end,
                "meetings": w.meetings,
                "min_meetings": w.min_meetings,
                "joint_actions": w.joint_actions,
                "min_joint_actions": w.min_joint_actions,
            }
            for w in c.district
        ],
    }


@router.get("/items", response={200: list[ItemOut], **READ_ERRORS})
def list_items(request: HttpRequest, q: Query[ItemQuery]):
    """Follow-up items the caller may see (owner, convener, district-wide roles)."""
    if refused := _readable(request):
        return refused
    today = timezone.localdate()
    qs = selectors.items_visible_to(request.user).select_related(
        "convener", "owner_unit", "owner_person"
    )
    if q.status:
        qs = qs.filter(status=q.status)
    if q.overdue:
        qs = qs.filter(selectors.overdue_q(today))
    if q.mine:
        qs = qs.filter(selectors.owned_by(request.user))
    return [_item_out(i, today) for i in qs.order_by("due_on", "pk")[:500]]


@router.get("/items/{item_id}", response={200: ItemOut, **READ_ERRORS})
def get_item(request: HttpRequest, item_id: int):
    if refused := _readable(request):
        return refused
    item = selectors.items_visible_to(request.user).select_related(
        "convener", "owner_unit", "owner_person"
    )
    found = item.filter(pk=item_id).first() if 0 < item_id < 2**62 else None
    if found is None:
        return _refuse(404, "找不到该督办事项")
    return _item_out(found, timezone.localdate())


def _field_errors(exc: ValidationError) -> Status:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return Status(422, {"detail": "；".join(exc.messages), "errors": errors})


def _units(ids: list[int]) -> list[Unit] | None:
    units = list(Unit.objects.filter(pk__in=[i for i in ids if 0 < i < 2**62]))
    return units if len(units) == len(set(ids)) else None


@router.post("/", response={201: MeetingOut, **ERRORS})
def record_meeting(request: HttpRequest, payload: MeetingIn):
    """Record a held meeting with its decisions. The same submission_key twice answers 409."""
    if not has_role(request.user, *RECORDER_ROLES):
        return _refuse(403, "您的角色无权录入联席会议")
    convener = Unit.objects.filter(pk=payload.convener_id).first()
    present, absent = _units(payload.units_present), _units(payload.units_absent)
    if convener is None or present is None or absent is None:
        return Status(422, {"detail": "请求数据有误", "errors": {"units": "单位不存在"}})
    people = list(User.objects.filter(pk__in=payload.people_present, is_active=True))
    data = services.MeetingInput(
        convener=convener,
        kind=payload.kind,
        held_on=payload.held_on,
        place=payload.place,
        chair=payload.chair,
        units_present=present,
        units_absent=absent,
        people_present=people,
        other_attendees=payload.other_attendees,
        problems=payload.problems,
        decisions=payload.decisions,
    )
    try:
        meeting = services.meeting_record(
            actor=request.user, data=data, submission_key=payload.submission_key
        )
    except PermissionDenied as exc:
        return _refuse(403, str(exc) or "无权操作")
    except services.DuplicateSubmission:
        return _refuse(409, "该会议已录入（重复提交）")
    except ValidationError as exc:
        return _field_errors(exc)
    return Status(201, _meeting_out(meeting))


@router.get("/{meeting_id}", response={200: MeetingOut, **READ_ERRORS})
def get_meeting(request: HttpRequest, meeting_id: int):
    if refused := _readable(request):
        return refused
    visible = selectors.meetings_visible_to(request.user).select_related("convener")
    meeting = visible.filter(pk=meeting_id).first() if 0 < meeting_id < 2**62 else None
    if meeting is None:
        return _refuse(404, "找不到该会议")
    return _meeting_out(meeting)


@router.post("/items", response={201: ItemOut, **ERRORS})
def create_item(request: HttpRequest, payload: ItemIn):
    """A follow-up item from one decision of a meeting the caller convened."""
    if not has_role(request.user, *RECORDER_ROLES):
        return _refuse(403, "您的角色无权下达督办事项")
    decision = (
        Decision.objects.filter(
            pk=payload.decision_id,
            meeting__in=selectors.meetings_visible_to(request.user),
        )
        .select_related("meeting__convener")
        .first()
    )
    if decision is None:
        return _refuse(404, "找不到该议定事项")
    owner_unit = Unit.objects.filter(pk=payload.owner_unit_id).first()
    person = (
        User.objects.filter(pk=payload.owner_person_id).first() if payload.owner_person_id else None
    )
    if owner_unit is None or (payload.owner_person_id and person is None):
        return Status(422, {"detail": "请求数据有误", "errors": {"owner": "单位或人员不存在"}})
    data = services.ItemInput(
        decision=decision,
        title=payload.title,
        owner_unit=owner_unit,
        owner_person=person,
        due_on=payload.due_on,
        hazard_numbers=[k[:64] for k in payload.hazard_numbers],
        enterprise_codes=[k[:64].upper() for k in payload.enterprise_codes],
        case_numbers=[k[:64] for k in payload.case_numbers],
    )
    try:
        item = services.item_create(actor=request.user, data=data)
    except PermissionDenied as exc:
        return _refuse(403, str(exc) or "无权操作")
    except ValidationError as exc:
        return _field_errors(exc)
    return Status(201, _item_out(item, timezone.localdate()))


def _perform(request: HttpRequest, item_id: int, action: str, text: str):
    item = (
        selectors.items_visible_to(request.user).filter(pk=item_id).first()
        if 0 < item_id < 2**62
        else None
    )
    if item is None:
        return _refuse(404, "找不到该督办事项")
    try:
        if action == "close":
            services.item_close(actor=request.user, item=item, evidence=text)
        else:
            services.item_reopen(actor=request.user, item=item, reason=text)
    except PermissionDenied as exc:
        return _refuse(403, str(exc) or "无权操作")
    except WorkflowError as exc:
        return Status(exc.status_code, {"detail": "；".join(exc.messages), "errors": exc.fields})
    except ValidationError as exc:
        return _field_errors(exc)
    item.refresh_from_db()
    return Status(200, _item_out(item, timezone.localdate()))


@router.post("/items/{item_id}/close", response={200: ItemOut, **ERRORS})
def close_item(request: HttpRequest, item_id: int, payload: CloseIn):
    """Close an open item with what was done (the owner, the owner unit or the admin)."""
    return _perform(request, item_id, "close", payload.evidence)


@router.post("/items/{item_id}/reopen", response={200: ItemOut, **ERRORS})
def reopen_item(request: HttpRequest, item_id: int, payload: ReopenIn):
    """Send a closed item back (the convener or the admin)."""
    return _perform(request, item_id, "reopen", payload.reason)
