"""Cadence compliance: for each period and each unit that must meet, held / missed / not yet
due, computed from the meetings and the profiles in force (cadence.py); nothing is stored.

A meeting counts for the period of its convener that contains its date, whatever the day it
was entered; one entered after that period was due is flagged as entered late. A unit with an
`established_on` date must meet from the first period that begins on or after that date.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hazardledger.org.models import Unit, User

from . import cadence, joint_actions
from .models import Meeting
from .selectors import sees_everything

HELD, LATE, MISSED, PENDING, NOT_REQUIRED = "held", "held_late", "missed", "pending", "not_required"
STATUS_LABELS = {
    HELD: _("已召开"),
    LATE: _("已召开（补录）"),
    MISSED: _("未召开"),
    PENDING: _("未到期"),
    NOT_REQUIRED: _("尚未设立"),
}


@dataclass
class Cell:
    period: cadence.Period
    status: str
    meeting_ids: list[int] = field(default_factory=list)
    continued: bool = False  # the row lies inside a longer period that began earlier

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class Row:
    start: date
    due: date
    iso_label: str
    week_no: int
    profile_code: str
    cells: list[Cell | None]


@dataclass
class UnitTotals:
    unit: Unit
    held: int = 0
    late: int = 0
    missed: int = 0
    pending: int = 0
    not_required: int = 0

    @property
    def required(self) -> int:
        return self.held + self.missed


@dataclass
class DistrictWindow:
    profile_code: str
    start: date
    end: date
    min_meetings: int
    meetings: int
    min_joint_actions: int
    joint_actions: int

    @property
    def is_open(self) -> bool:
        return timezone.localdate() <= self.end

    @property
    def meetings_met(self) -> bool:
        return self.meetings >= self.min_meetings

    @property
    def joint_actions_met(self) -> bool:
        return self.joint_actions >= self.min_joint_actions


@dataclass
class Compliance:
    start: date
    end: date
    today: date
    units: list[Unit]
    rows: list[Row]
    totals: list[UnitTotals]
    district: list[DistrictWindow]

    @property
    def behind(self) -> list[UnitTotals]:
        """Units that missed at least one period in the range, the most missed first."""
        late = [t for t in self.totals if t.missed]
        return sorted(late, key=lambda t: (-t.missed, t.unit.sort_order, t.unit.code))


def _meeting_units(profiles: list[cadence.Profile], user: User | None) -> list[Unit]:
    kinds = {k for p in profiles for k in p.rules.unit_kinds}
    qs = Unit.objects.filter(kind__in=kinds, is_active=True).order_by("kind", "sort_order", "code")
    if user is not None and not sees_everything(user):
        qs = qs.filter(pk=user.unit_id)
    return list(qs)


def _week_numbers(profiles: list[cadence.Profile], kind: str) -> dict[date, int]:
    """Each period's number within its profile (第 N 周), counted from the profile's first."""
    numbers: dict[date, int] = {}
    counters: dict[str, int] = defaultdict(int)
    for period in cadence.periods_for_kind(profiles, kind):
        counters[period.profile_code] += 1
        numbers[period.start] = counters[period.profile_code]
    return numbers


def _status(period, unit, found, today) -> Cell:
    if unit.established_on and period.start < unit.established_on:
        return Cell(period, NOT_REQUIRED)
    if found:
        on_time = [pk for pk, entered in found if entered <= period.due]
        return Cell(period, HELD if on_time else LATE, [pk for pk, _e in found])
    return Cell(period, PENDING if today <= period.due else MISSED)


def compute(
    *, start: date, end: date, user: User | None = None, today: date | None = None
) -> Compliance:
    """The week × unit table and its figures for the periods overlapping [start, end]."""
    today = today or timezone.localdate()
    profiles = cadence.stored_profiles()
    units = _meeting_units(profiles, user)
    periods = {
        kind: [
            p for p in cadence.periods_for_kind(profiles, kind) if p.start <= end and p.due >= start
        ]
        for kind in {u.kind for u in units}
    }
    numbers = {kind: _week_numbers(profiles, kind) for kind in periods}
    held = _meetings_by_unit(units, periods)
    starts = sorted({p.start for ps in periods.values() for p in ps})
    totals = {u.pk: UnitTotals(u) for u in units}
    rows = []
    for row_start in starts:
        cells: list[Cell | None] = []
        row_period = None
        for unit in units:
            period = cadence.period_containing(periods[unit.kind], row_start)
            if period is None:
                cells.append(None)
                continue
            found = held.get((unit.pk, period.start), [])
            cell = _status(period, unit, found, today)
            cell.continued = period.start != row_start
            if not cell.continued:
                _add(totals[unit.pk], cell.status)
                row_period = row_period or (period, numbers[unit.kind][period.start])
            cells.append(cell)
        if row_period is not None:
            period, week_no = row_period
            rows.append(
                Row(row_start, period.due, period.iso_label, week_no, period.profile_code, cells)
            )
    return Compliance(
        start,
        end,
        today,
        units,
        rows,
        list(totals.values()),
        district_windows(profiles, start, end),
    )


def _add(totals: UnitTotals, status: str) -> None:
    if status in (HELD, LATE):
        totals.held += 1
        totals.late += status == LATE
    elif status == MISSED:
        totals.missed += 1
    elif status == PENDING:
        totals.pending += 1
    else:
        totals.not_required += 1


def _meetings_by_unit(units, periods) -> dict[tuple[int, date], list[tuple[int, date]]]:
    """(unit, period start) → [(meeting id, day entered)] for the meetings in the periods."""
    all_periods = [p for ps in periods.values() for p in ps]
    if not units or not all_periods:
        return {}
    first, last = min(p.start for p in all_periods), max(p.due for p in all_periods)
    by_kind = {u.pk: u.kind for u in units}
    found: dict[tuple[int, date], list[tuple[int, date]]] = defaultdict(list)
    rows = Meeting.objects.filter(
        convener_id__in=by_kind, held_on__gte=first, held_on__lte=last
    ).values_list("pk", "convener_id", "held_on", "entered_at")
    for pk, convener_id, held_on, entered_at in rows.order_by("held_on", "pk"):
        period = cadence.period_containing(periods[by_kind[convener_id]], held_on)
        if period is not None:
            found[(convener_id, period.start)].append((pk, timezone.localdate(entered_at)))
    return found


def district_windows(
    profiles: list[cadence.Profile], start: date, end: date
) -> list[DistrictWindow]:
    """The district committee's minimums, one window per profile that sets them."""
    windows = []
    for profile in profiles:
        rules = profile.rules
        if not rules.district_min_meetings and not rules.district_min_joint_actions:
            continue
        first = profile.window[0]
        last = min(rules.district_minimums_until, profile.valid_until)
        governing = cadence.in_force(profiles, first)
        if governing is None or governing.code != profile.code or last < start or first > end:
            continue
        meetings = Meeting.objects.filter(
            convener__kind__in=rules.district_convener_kinds, held_on__gte=first, held_on__lte=last
        ).count()
        windows.append(
            DistrictWindow(
                profile.code,
                first,
                last,
                rules.district_min_meetings,
                meetings,
                rules.district_min_joint_actions,
                joint_actions.count(first, last, rules.joint_action_must_cross),
            )
        )
    return sorted(windows, key=lambda w: w.start)


def standings(meetings: list[Meeting]) -> dict[int, tuple[cadence.Period | None, bool]]:
    """For each meeting, the period it counts for and whether it was entered after that period
    was due (the profiles are read once for all of them)."""
    profiles = cadence.stored_profiles()
    periods: dict[str, list[cadence.Period]] = {}
    found: dict[int, tuple[cadence.Period | None, bool]] = {}
    for meeting in meetings:
        kind = meeting.convener.kind
        if kind not in periods:
            periods[kind] = cadence.periods_for_kind(profiles, kind)
        period = cadence.period_containing(periods[kind], meeting.held_on)
        late = period is not None and timezone.localdate(meeting.entered_at) > period.due
        found[meeting.pk] = (period, late)
    return found


def meeting_standing(meeting: Meeting) -> tuple[cadence.Period | None, bool]:
    """The period a meeting counts for, and whether it was entered after that period was due."""
    return standings([meeting])[meeting.pk]


def default_range(today: date, weeks: int = 12) -> tuple[date, date]:
    """The last `weeks` periods that began by today (or the latest ones before a pause)."""
    profiles = cadence.stored_profiles()
    starts = sorted(
        {
            p.start
            for kind in {k for pr in profiles for k in pr.rules.unit_kinds}
            for p in cadence.periods_for_kind(profiles, kind)
            if p.start <= today
        }
    )
    if not starts:
        return today, today
    # Periods of a profile from years ago are no part of the default view.
    recent = [s for s in starts if s >= starts[-1] - timedelta(days=366)]
    return recent[-weeks:][0], today
