"""Demo joint meetings: the latest five policy weeks that have begun, with gaps (some units
skip a week, one meeting is entered late), two district committee meetings, and follow-up
items open, closed and overdue, linked to demo cards and enterprises.

Deterministic (random.Random(2014)) and idempotent: meetings carry a submission key made of
unit and week, items are found by their decision and title, so a second run creates nothing.
Meetings and items go through the services; their entry times are then set to the days they
would have been entered, which a demo made today could not otherwise show.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from hazardledger.enforcement.models import Case
from hazardledger.enterprises.models import Enterprise
from hazardledger.hazards.models import Hazard
from hazardledger.meetings import cadence, services
from hazardledger.meetings.models import FollowUpItem, Meeting, MeetingKind
from hazardledger.org.models import Unit, UnitKind, User

SEED = 2014
WEEKS = 5
SKIP_SHARE = 0.25  # a unit skips about one week in four
PROBLEMS = [
    "部分建筑工地临边防护、洞口防护不到位",
    "小化工企业储存场所与员工宿舍未有效隔离",
    "沿街商铺“三合一”场所仍有人员住宿",
    "燃气经营点钢瓶露天存放，无防晒措施",
    "部分企业隐患整改方案“五落实”不全",
]
DECISIONS = [
    "由属地镇街牵头，联合住建、安监部门三日内完成复查",
    "对逾期未整改的隐患，提请区安委办挂牌督办",
    "组织开展燃气经营点专项执法检查",
]


def _at(day: date, hour: int = 17) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _past_periods(today: date) -> list[cadence.Period]:
    profiles = cadence.stored_profiles()
    periods = cadence.periods_for_kind(profiles, UnitKind.TOWN)
    return [p for p in periods if p.start <= today][-WEEKS:]


def _units() -> list[Unit]:
    kinds = [UnitKind.TOWN, UnitKind.STREET, UnitKind.PROFESSIONAL_COMMITTEE]
    return list(Unit.objects.filter(kind__in=kinds, is_active=True).order_by("sort_order", "code"))


def _departments() -> list[Unit]:
    return list(Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("sort_order")[:4])


def _record(admin: User, convener: Unit, held_on: date, key: str, rng, others) -> Meeting | None:
    # Draw every random value before looking the meeting up, so that a second run draws the
    # same sequence and finds the same meetings.
    problems, decisions = rng.choice(PROBLEMS), rng.sample(DECISIONS, 2)
    if Meeting.objects.filter(submission_key=key).exists():
        return None
    data = services.MeetingInput(
        convener=convener,
        kind=MeetingKind.REGULAR,
        held_on=held_on,
        place=f"{convener.short_name or convener.name}会议室",
        chair=f"{convener.short_name or convener.name}主要负责人",
        units_present=[convener, *others[:2]],
        units_absent=others[2:3],
        people_present=list(User.objects.filter(unit__in=[convener, *others[:2]])[:6]),
        problems=problems,
        decisions=decisions,
    )
    return services.meeting_record(actor=admin, data=data, submission_key=key)


def _meetings(admin: User, today: date, rng: random.Random) -> list[Meeting]:
    periods = _past_periods(today)
    departments = _departments()
    units = _units()
    made = []
    late_made = Meeting.objects.filter(submission_key__startswith="demo-").exists()
    for unit in units:
        for n, period in enumerate(periods):
            current = period.due >= today
            skip = rng.random() < SKIP_SHARE
            if skip or (current and rng.random() < 0.5):
                continue  # a gap (or the current week's meeting not yet held)
            last = min(period.due, today)
            held_on = period.start + timedelta(days=rng.randint(0, (last - period.start).days))
            key = f"demo-{unit.code}-{period.start.isoformat()}"
            meeting = _record(admin, unit, held_on, key, rng, rng.sample(departments, 3))
            if meeting is None:
                continue
            # Entered the same evening; the first meeting of the second week only nine days
            # later, after its week was due: a late entry.
            late = n == 1 and not late_made
            late_made = late_made or late
            entered = held_on + timedelta(days=9 if late else 0)
            Meeting.objects.filter(pk=meeting.pk).update(entered_at=_at(min(entered, today)))
            made.append(meeting)
    office = Unit.objects.filter(kind=UnitKind.SAFETY_OFFICE).first()
    towns = [u for u in units if u.kind != UnitKind.PROFESSIONAL_COMMITTEE]
    for period in periods[1:4:2]:  # two district committee meetings
        if office is None or period.due >= today:
            continue
        key = f"demo-{office.code}-{period.start.isoformat()}"
        others = rng.sample(towns, 3) + departments[:1]
        meeting = _record(admin, office, period.start + timedelta(days=2), key, rng, others)
        if meeting is not None:
            Meeting.objects.filter(pk=meeting.pk).update(entered_at=_at(meeting.held_on))
            made.append(meeting)
    return made


def _item(admin, meeting, title, owner, due_on, links) -> FollowUpItem:
    decision = meeting.decisions.first()
    existing = FollowUpItem.objects.filter(decision=decision, title=title).first()
    if existing:
        return existing
    item = services.item_create(
        actor=admin,
        data=services.ItemInput(
            decision=decision,
            title=title,
            owner_unit=owner,
            owner_person=owner.people.filter(is_active=True).order_by("pk").first(),
            due_on=due_on,
            **links,
        ),
    )
    FollowUpItem.objects.filter(pk=item.pk).update(created_at=_at(meeting.held_on))
    return item


def _items(admin: User, today: date) -> int:
    meetings = list(Meeting.objects.filter(submission_key__startswith="demo-").order_by("held_on"))
    if not meetings:
        return 0
    departments = _departments()
    town = Unit.objects.filter(code="T-BJZ").first() or departments[0]
    enterprise = Enterprise.objects.filter(territory=town).order_by("credit_code").first()
    hazard = Hazard.objects.filter(territory=town).order_by("pk").first()
    case = Case.objects.filter(territory=town).order_by("pk").first()
    links = {
        "hazard_numbers": [hazard.card_no] if hazard else [],
        "enterprise_codes": [enterprise.credit_code] if enterprise else [],
        "case_numbers": [case.number] if case else [],
    }
    first, middle, last = meetings[0], meetings[len(meetings) // 2], meetings[-1]
    week, ten = first.held_on + timedelta(days=7), first.held_on + timedelta(days=10)
    plan = [
        (first, "复查临边防护隐患整改情况", town, week, links, True),
        (first, "燃气经营点专项执法检查", departments[0], ten, {}, True),
        (middle, "逾期隐患提请挂牌督办", departments[1], today - timedelta(days=5), links, False),
        (middle, "“三合一”场所人员清退", town, today - timedelta(days=2), {}, False),
        (last, "化工企业储存场所隔离整改", departments[2], today + timedelta(days=10), {}, False),
        (last, "补齐整改方案“五落实”", town, today + timedelta(days=14), links, False),
    ]
    count = 0
    for meeting, title, owner, due_on, item_links, close in plan:
        before = FollowUpItem.objects.count()
        item = _item(admin, meeting, title, owner, max(due_on, meeting.held_on), item_links)
        count += FollowUpItem.objects.count() - before
        if close and item.status == "open":
            services.item_close(actor=admin, item=item, evidence="已现场复查，整改到位，附照片")
    return count


def build() -> tuple[int, int]:
    """Create the demo meetings and items unless they exist; returns how many were created."""
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return 0, 0
    today = timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311 (demo data)
    made = _meetings(admin, today, rng)
    return len(made), _items(admin, today)
