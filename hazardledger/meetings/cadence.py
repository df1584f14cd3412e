"""Which units must meet in which period, by the policy profile in force on each day.

The profile in force on a day is the active profile when its validity contains that day;
otherwise the stored profile whose validity contains the day and that starts latest. So the
weeks before a new profile took over keep the cadence of the profile that governed them, and
loading a draft profile without activating it changes nothing the active one covers.

A profile's cadence runs from `cadence_from` (or the document's start) to `cadence_until`,
within the document's validity. Periods of `cadence_days` begin on the profile's
`week_starts_on` weekday: the first begins on the first such day inside the window, and the
last may end early, its meeting due by the window's end. A period belongs to the profile in
force on its first day.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from hazardledger.org.models import TERRITORY_KINDS, UnitKind
from hazardledger.policy.models import PolicyProfile
from hazardledger.policy.schema import JointMeetings, PolicyData


@dataclass(frozen=True)
class Profile:
    code: str
    name: str
    valid_from: date
    valid_until: date
    is_active: bool
    rules: JointMeetings

    def covers(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_until

    @property
    def window(self) -> tuple[date, date]:
        start = max(self.rules.cadence_from or self.valid_from, self.valid_from)
        return start, min(self.rules.cadence_until, self.valid_until)

    def cadence_days(self, unit_kind: str) -> int | None:
        """Days per period for units of this kind, or None when the kind need not meet."""
        if unit_kind not in self.rules.unit_kinds:
            return None
        if unit_kind == UnitKind.PROFESSIONAL_COMMITTEE:
            return self.rules.committee_cadence_days
        if unit_kind in TERRITORY_KINDS:
            return self.rules.territory_cadence_days
        return None


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # the last day of the period as cut (start + cadence - 1)
    due: date  # the last day a meeting counts: `end`, or the window's end if earlier
    cadence_days: int
    profile_code: str

    @property
    def iso_label(self) -> str:
        first, last = self.start.isocalendar(), self.due.isocalendar()
        label = f"{first.year}-W{first.week:02d}"
        if (first.year, first.week) != (last.year, last.week):
            label += (
                f"–W{last.week:02d}"
                if first.year == last.year
                else f"–{last.year}-W{last.week:02d}"
            )
        return label


@lru_cache(maxsize=64)
def _parsed(document: str) -> JointMeetings:
    return PolicyData.model_validate(json.loads(document)).joint_meetings


def stored_profiles() -> list[Profile]:
    """Every stored profile with its joint-meeting rules (profiles are few)."""
    rows = PolicyProfile.objects.values(
        "code", "name", "valid_from", "valid_until", "is_active", "data"
    )
    return [
        Profile(
            code=r["code"],
            name=r["name"],
            valid_from=r["valid_from"],
            valid_until=r["valid_until"],
            is_active=r["is_active"],
            rules=_parsed(json.dumps(r["data"], sort_keys=True)),
        )
        for r in rows
    ]


def in_force(profiles: Iterable[Profile], day: date) -> Profile | None:
    covering = [p for p in profiles if p.covers(day)]
    for profile in covering:
        if profile.is_active:
            return profile
    return max(covering, key=lambda p: (p.valid_from, p.code), default=None)


def _first_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.isoweekday()) % 7)


def profile_periods(profile: Profile, cadence_days: int) -> list[Period]:
    start, end = profile.window
    periods = []
    current = _first_weekday(start, profile.rules.week_starts_on)
    while current <= end:
        last = current + timedelta(days=cadence_days - 1)
        periods.append(Period(current, last, min(last, end), cadence_days, profile.code))
        current += timedelta(days=cadence_days)
    return periods


def periods_for_kind(profiles: list[Profile], unit_kind: str) -> list[Period]:
    """Every period in which a unit of this kind must meet, across all stored profiles."""
    found = []
    for profile in profiles:
        days = profile.cadence_days(unit_kind)
        if days is None:
            continue
        for period in profile_periods(profile, days):
            governing = in_force(profiles, period.start)
            if governing is not None and governing.code == profile.code:
                found.append(period)
    found.sort(key=lambda p: p.start)
    # A later profile's first period may begin before an earlier one's last period ends:
    # the earlier one then stops the day before, so no day counts twice.
    trimmed: list[Period] = []
    for period in found:
        if trimmed and trimmed[-1].due >= period.start:
            prev = trimmed[-1]
            cut = period.start - timedelta(days=1)
            trimmed[-1] = Period(
                prev.start, min(prev.end, cut), cut, prev.cadence_days, prev.profile_code
            )
        trimmed.append(period)
    return trimmed


def period_containing(periods: list[Period], day: date) -> Period | None:
    for period in periods:
        if period.start <= day <= period.due:
            return period
    return None
