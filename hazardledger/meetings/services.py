"""Every write of the meetings app: recording a meeting, creating, closing and reopening
follow-up items. Each checks permission, validates, changes state and writes one audit event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.audit.services import record
from hazardledger.lib import files
from hazardledger.lib.workflow import ActionForbidden
from hazardledger.org.models import Role, Unit, User
from hazardledger.org.selectors import has_role, roles_of

from . import links, selectors
from .models import Decision, FollowUpItem, ItemLink, Meeting, MeetingKind
from .workflow import ITEM_WORKFLOW

MAX_DECISIONS = 50
MAX_LINKS = 30


class DuplicateSubmission(Exception):
    """The same form was sent twice; the first meeting stands."""

    def __init__(self, meeting: Meeting) -> None:
        self.meeting = meeting
        super().__init__(meeting.pk)


@dataclass
class MeetingInput:
    convener: Unit
    held_on: date
    problems: str
    units_present: list[Unit]
    kind: str = MeetingKind.REGULAR
    units_absent: list[Unit] = field(default_factory=list)
    people_present: list[User] = field(default_factory=list)
    other_attendees: str = ""
    place: str = ""
    chair: str = ""
    decisions: list[str] = field(default_factory=list)


def _nul_errors(**texts: str) -> dict[str, str]:
    """Text with NUL characters, which no database column takes."""
    return {name: _("含有不可见的非法字符") for name, text in texts.items() if "\x00" in text}


def _validate_meeting(data: MeetingInput, today: date) -> dict[str, str]:
    errors = _nul_errors(
        place=data.place,
        chair=data.chair,
        other_attendees=data.other_attendees,
        problems=data.problems,
        decisions="".join(data.decisions),
    )
    if data.held_on > today:
        errors["held_on"] = _("召开日期不能晚于今天：会议召开后再录入")
    others = {u.pk for u in data.units_present} - {data.convener.pk}
    if not others:
        errors["units_present"] = _("联席会议须有召集单位以外的单位参加")
    if {u.pk for u in data.units_present} & {u.pk for u in data.units_absent}:
        errors["units_absent"] = _("同一单位不能既参会又缺席")
    if not data.problems.strip():
        errors["problems"] = _("请填写会议研究的突出问题")
    if len(data.decisions) > MAX_DECISIONS:
        errors["decisions"] = _("议定事项最多 %(n)s 条") % {"n": MAX_DECISIONS}
    if any(len(d) > 1000 for d in data.decisions):
        errors["decisions"] = _("每条议定事项不超过 1000 字")
    if data.kind not in MeetingKind.values:
        errors["kind"] = _("会议类型不正确")
    return errors


@transaction.atomic
def meeting_record(
    *, actor: User, data: MeetingInput, submission_key: str | None = None
) -> Meeting:
    """Record a meeting that was held, with its decisions. A meeting for a past week counts
    for that week (flagged as entered late where it was entered after the week was due)."""
    if not selectors.may_record_for(actor, data.convener):
        raise PermissionDenied(_("您无权为该单位录入联席会议"))
    if submission_key:
        earlier = Meeting.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            raise DuplicateSubmission(earlier)
    errors = _validate_meeting(data, timezone.localdate())
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(
        convener=data.convener,
        kind=data.kind,
        held_on=data.held_on,
        place=data.place.strip(),
        chair=data.chair.strip(),
        other_attendees=data.other_attendees.strip(),
        problems=data.problems.strip(),
        entered_by=actor,
        submission_key=submission_key or None,
    )
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        raise DuplicateSubmission(Meeting.objects.get(submission_key=submission_key)) from None
    meeting.units_present.set(data.units_present)
    meeting.units_absent.set(data.units_absent)
    meeting.people_present.set(data.people_present)
    texts = [d.strip() for d in data.decisions if d.strip()]
    Decision.objects.bulk_create(
        Decision(meeting=meeting, seq=i, text=t) for i, t in enumerate(texts, 1)
    )
    record(
        actor=actor,
        action="meeting.record",
        obj=meeting,
        changes={
            "convener": [None, data.convener.name],
            "held_on": [None, data.held_on.isoformat()],
            "units_present": [None, sorted(u.name for u in data.units_present)],
            "decisions": [None, len(texts)],
        },
    )
    return meeting


@dataclass
class ItemInput:
    decision: Decision
    title: str
    owner_unit: Unit
    due_on: date
    owner_person: User | None = None
    hazard_numbers: list[str] = field(default_factory=list)
    enterprise_codes: list[str] = field(default_factory=list)
    case_numbers: list[str] = field(default_factory=list)


def _resolve_links(actor: User, data: ItemInput) -> tuple[list[Any], dict[str, str]]:
    targets: list[Any] = []
    errors: dict[str, str] = {}
    for field_name, kind, keys in (
        ("hazard_numbers", "hazard", data.hazard_numbers),
        ("enterprise_codes", "enterprise", data.enterprise_codes),
        ("case_numbers", "case", data.case_numbers),
    ):
        keys = [k for k in keys if "\x00" not in k]  # refused by _validate_item
        if not keys:
            continue
        found, missing = links.resolve(actor, kind, keys)
        if missing:
            errors[field_name] = _("找不到或无权查看：%(keys)s") % {"keys": "、".join(missing)}
        targets += found
    if len(targets) > MAX_LINKS:
        errors["hazard_numbers"] = _("关联对象最多 %(n)s 个") % {"n": MAX_LINKS}
    return targets, errors


def _validate_item(data: ItemInput) -> dict[str, str]:
    errors = _nul_errors(
        title=data.title,
        hazard_numbers="".join(data.hazard_numbers),
        enterprise_codes="".join(data.enterprise_codes),
        case_numbers="".join(data.case_numbers),
    )
    if not data.title.strip():
        errors["title"] = _("请填写督办内容")
    if data.owner_person is not None and data.owner_person.unit_id != data.owner_unit.pk:
        errors["owner_person"] = _("责任人应为责任单位的人员")
    if data.owner_person is not None and not data.owner_person.is_active:
        errors["owner_person"] = _("该人员已停用")
    if data.due_on < data.decision.meeting.held_on:
        errors["due_on"] = _("办结时限不能早于会议召开日期")
    return errors


@transaction.atomic
def item_create(*, actor: User, data: ItemInput) -> FollowUpItem:
    """A follow-up item from one decision, owned by a unit (and optionally a person)."""
    meeting = data.decision.meeting
    if not selectors.may_record_for(actor, meeting.convener):
        raise PermissionDenied(_("只有召集单位或区安委办可以下达督办事项"))
    errors = _validate_item(data)
    targets, link_errors = _resolve_links(actor, data)
    errors |= link_errors
    if errors:
        raise ValidationError(errors)
    item = FollowUpItem.objects.create(
        decision=data.decision,
        meeting=meeting,
        convener=meeting.convener,
        title=data.title.strip(),
        owner_unit=data.owner_unit,
        owner_person=data.owner_person,
        due_on=data.due_on,
    )
    seen = set()
    for target in targets:
        content_type = ContentType.objects.get_for_model(target)
        if (content_type.pk, target.pk) in seen:
            continue
        seen.add((content_type.pk, target.pk))
        kind = links.kind_for_model(type(target))
        ItemLink.objects.create(
            item=item,
            content_type=content_type,
            object_id=target.pk,
            label=kind.describe(target)[:200] if kind else str(target)[:200],
        )
    record(
        actor=actor,
        action="meeting_item.create",
        obj=item,
        changes={
            "owner_unit": [None, data.owner_unit.name],
            "owner_person": [None, data.owner_person.display_name if data.owner_person else None],
            "due_on": [None, data.due_on.isoformat()],
            "links": [None, len(seen)],
        },
    )
    return item


def _context(actor: User, item: FollowUpItem, **values: Any) -> dict[str, Any]:
    return {
        "is_owner": selectors.is_owner(actor, item),
        "is_convener": selectors.is_convener(actor, item),
        "is_admin": has_role(actor, Role.DISTRICT_ADMIN),
        **values,
    }


def _check(actor: User, item: FollowUpItem, action: str, context: dict[str, Any]) -> None:
    try:
        ITEM_WORKFLOW.check(item.status, action, roles_of(actor), item, context)
    except ActionForbidden as exc:
        raise PermissionDenied(str(exc)) from exc


@transaction.atomic
def item_close(
    *, actor: User, item: FollowUpItem, evidence: str, evidence_file: Any = None
) -> FollowUpItem:
    """Close an item with what was done (and optionally a document or photo as proof)."""
    if errors := _nul_errors(evidence=evidence):
        raise ValidationError(errors)
    _check(actor, item, "close", _context(actor, item, evidence=evidence))
    stored = ""
    if evidence_file is not None:
        checked = files.check_document(evidence_file)
        stored = files.store(checked, "meetings")
    before = item.status
    values = {
        "evidence": evidence.strip(),
        "closed_at": timezone.now(),
        "closed_by": actor,
    }
    if stored:
        values["evidence_file"] = stored
    try:
        ITEM_WORKFLOW.apply(item, target="closed", values=values)
    except Exception:
        if stored:
            files.discard([stored])
        raise
    record(
        actor=actor,
        action="meeting_item.close",
        obj=item,
        changes={"status": [before, item.status], "evidence_file": [None, bool(stored)]},
        reason=evidence.strip()[:500],
    )
    return item


@transaction.atomic
def item_reopen(*, actor: User, item: FollowUpItem, reason: str) -> FollowUpItem:
    """Send a closed item back to its owner: its evidence did not hold."""
    if errors := _nul_errors(reason=reason):
        raise ValidationError(errors)
    _check(actor, item, "reopen", _context(actor, item, reason=reason))
    before = item.status
    ITEM_WORKFLOW.apply(item, target="open", values={"closed_at": None, "closed_by": None})
    record(
        actor=actor,
        action="meeting_item.reopen",
        obj=item,
        changes={"status": [before, item.status]},
        reason=reason.strip()[:500],
    )
    return item
