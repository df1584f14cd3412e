"""Scheduled reminders (run daily by `manage.py send_meeting_reminders`; safe to re-run):

- the day(s) before a unit's meeting for the current period is due, when none is recorded;
- the day(s) after a period passed without one (to the unit and the district admins);
- overdue follow-up items, to their owner.

Each message has a key naming what it is about and whom it is for, so a second run the same
day, or a run that catches up after days without one, sends nothing twice.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.org.models import Role, Unit, User

from . import cadence
from .models import FollowUpItem, Meeting
from .selectors import RECORDER_ROLES, overdue_q
from .workflow import CLOSE_ROLES

# A missed-meeting reminder is still sent this many days after its day, for a job that did
# not run that day; later than that it would be news to no one.
CATCH_UP_DAYS = 6


def deliver(*, user_id: int, kind: str, key: str, message: str, link: str) -> bool:
    """The one place messages leave this app."""
    from hazardledger.hazards.notifications import notify

    return notify(user=user_id, kind=kind, key=key, message=message, link=link)


def _unit_people(unit_ids: set[int], roles: frozenset[str]) -> dict[int, set[int]]:
    """The unit's active people holding one of `roles`, and its head."""
    people: dict[int, set[int]] = {u: set() for u in unit_ids}
    rows = User.objects.filter(
        unit_id__in=unit_ids, is_active=True, role_grants__role__in=roles
    ).values_list("unit_id", "pk")
    for unit_id, user_id in rows:
        people[unit_id].add(user_id)
    for unit_id, head_id in Unit.objects.filter(pk__in=unit_ids, head__isnull=False).values_list(
        "pk", "head_id"
    ):
        people[unit_id].add(head_id)
    return people


def _admins() -> set[int]:
    return set(
        User.objects.filter(is_active=True, role_grants__role=Role.DISTRICT_ADMIN).values_list(
            "pk", flat=True
        )
    )


def _due_periods(today: date) -> list[tuple[str, Unit, cadence.Period]]:
    """(reminder kind, unit, period) for every reminder that today may send."""
    profiles = cadence.stored_profiles()
    by_code = {p.code: p for p in profiles}
    kinds = {k for p in profiles for k in p.rules.unit_kinds}
    found = []
    periods = {k: cadence.periods_for_kind(profiles, k) for k in kinds}
    for unit in Unit.objects.filter(kind__in=kinds, is_active=True):
        for period in periods[unit.kind]:
            if unit.established_on and period.start < unit.established_on:
                continue
            rules = by_code[period.profile_code].rules
            before = period.due - timedelta(days=rules.remind_days_before_due)
            after = period.due + timedelta(days=rules.remind_days_after_missed)
            if max(before, period.start) <= today <= period.due:
                found.append(("meeting_due", unit, period))
            elif after <= today <= after + timedelta(days=CATCH_UP_DAYS):
                found.append(("meeting_missed", unit, period))
    return found


def _held(unit: Unit, period: cadence.Period) -> bool:
    return Meeting.objects.filter(
        convener=unit, held_on__gte=period.start, held_on__lte=period.due
    ).exists()


def _meeting_reminders(today: date, sent: Counter) -> None:
    due = [(k, u, p) for k, u, p in _due_periods(today) if not _held(u, p)]
    people = _unit_people({u.pk for _k, u, _p in due}, RECORDER_ROLES)
    admins = _admins()
    link = reverse("meetings:create")
    for kind, unit, period in due:
        names = {"unit": unit.name, "week": period.iso_label, "due": period.due.isoformat()}
        if kind == "meeting_due":
            text = _("%(unit)s 本期（%(week)s）联席会议须于 %(due)s 前召开，尚未录入") % names
            recipients = people[unit.pk]
        else:
            text = _("%(unit)s %(week)s 的联席会议未按期召开（截止 %(due)s）") % names
            recipients = people[unit.pk] | admins
        for user_id in recipients:
            key = f"{kind}:{unit.pk}:{period.start.isoformat()}:{user_id}"
            if deliver(user_id=user_id, kind=kind, key=key, message=text, link=link):
                sent[kind] += 1


def _item_reminders(today: date, sent: Counter) -> None:
    items = FollowUpItem.objects.filter(overdue_q(today)).select_related("owner_unit")
    owners = {i.owner_unit_id for i in items if i.owner_person_id is None}
    people = _unit_people(owners, CLOSE_ROLES)
    for item in items:
        recipients = {item.owner_person_id} if item.owner_person_id else people[item.owner_unit_id]
        text = _("督办事项“%(title)s”已超过办结时限 %(due)s") % {
            "title": item.title[:60],
            "due": item.due_on.isoformat(),
        }
        link = reverse("meetings:item", args=[item.pk])
        for user_id in recipients:
            key = f"item_overdue:{item.pk}:{item.due_on.isoformat()}:{user_id}"
            if deliver(user_id=user_id, kind="item_overdue", key=key, message=text, link=link):
                sent["item_overdue"] += 1


def scheduled_reminders(period: str) -> str:
    """The daily scheduled job: `period` is the local date it runs for (a missed day is run
    once later with its own date, and the reminder windows are judged from that date)."""
    from hazardledger.hazards.notification_kinds import kind_label

    sent = send_meeting_reminders(date.fromisoformat(period))
    return "、".join(f"{kind_label(k)} {n} 条" for k, n in sorted(sent.items())) or "没有新的提醒"


def send_meeting_reminders(today: date | None = None) -> dict[str, int]:
    """Send every reminder due today that was not sent before; returns counts by kind."""
    today = today or timezone.localdate()
    sent: Counter = Counter()
    _meeting_reminders(today, sent)
    _item_reminders(today, sent)
    return dict(sent)
