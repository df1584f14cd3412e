"""Pure rules of inspections: coverage arithmetic, inspector minimums, self-inspection periods.

No database here; selectors feed these functions numbers and dates counted in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

GOVERNMENT = "government"
JOINT = "joint"
SELF = "self"
EXPERT = "expert"
GOVERNMENT_KIND_VALUES = frozenset({GOVERNMENT, JOINT})

# The hazard card's source for each inspection kind.
HAZARD_SOURCES = {
    GOVERNMENT: "government_inspection",
    JOINT: "government_inspection",
    SELF: "self_inspection",
    EXPERT: "expert_diagnosis",
}
# Closed self-inspection periods older than this are no longer listed as missed.
MISSED_LOOKBACK_PERIODS = 12


@dataclass(frozen=True)
class Coverage:
    """One line of a coverage table (全覆盖): counts of enterprises."""

    in_scope: int
    inspected: int
    with_hazards: int

    @property
    def not_inspected(self) -> int:
        return self.in_scope - self.inspected

    @property
    def rate(self) -> float | None:
        """Inspected share in percent, one decimal; None when nothing is in scope."""
        if not self.in_scope:
            return None
        return round(100 * self.inspected / self.in_scope, 1)

    @property
    def complete(self) -> bool:
        return self.in_scope > 0 and self.inspected >= self.in_scope


def total(lines: Iterable[Coverage]) -> Coverage:
    lines = list(lines)
    return Coverage(
        in_scope=sum(line.in_scope for line in lines),
        inspected=sum(line.inspected for line in lines),
        with_hazards=sum(line.with_hazards for line in lines),
    )


def inspector_problem(kind: str, inspector_count: int, minimum: int) -> str | None:
    """Why a government inspection team is too small (行政检查须两名以上执法人员), or None."""
    if kind in GOVERNMENT_KIND_VALUES and inspector_count < minimum:
        return _("政府检查须至少 %(minimum)d 名检查人员（现有 %(count)d 名）") % {
            "minimum": minimum,
            "count": inspector_count,
        }
    return None


def campaign_phase(starts_on: date, ends_on: date, today: date) -> str:
    if today < starts_on:
        return "planned"
    if today > ends_on:
        return "finished"
    return "running"


PHASE_LABELS = {"planned": "未开始", "running": "进行中", "finished": "已结束"}


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def period_at(starts_on: date, cadence_days: int, day: date) -> Period | None:
    """The schedule period that contains `day` (None before the schedule starts)."""
    if day < starts_on:
        return None
    index = (day - starts_on).days // cadence_days
    start = starts_on + timedelta(days=index * cadence_days)
    return Period(start, start + timedelta(days=cadence_days - 1))


def closed_periods(
    starts_on: date, cadence_days: int, today: date, limit: int = MISSED_LOOKBACK_PERIODS
) -> list[Period]:
    """The most recent `limit` periods that ended before today, oldest first."""
    current = period_at(starts_on, cadence_days, today)
    if current is None:
        return []
    count = min(limit, (current.start - starts_on).days // cadence_days)
    return [
        Period(
            current.start - timedelta(days=k * cadence_days),
            current.start - timedelta(days=(k - 1) * cadence_days + 1),
        )
        for k in range(count, 0, -1)
    ]


def missed_periods(periods: Iterable[Period], inspected_on: Iterable[date]) -> list[Period]:
    """Periods with no self-inspection dated inside them."""
    days = sorted(set(inspected_on))
    return [p for p in periods if not any(p.contains(d) for d in days)]


def next_due(starts_on: date, cadence_days: int, today: date, inspected_on: Iterable[date]) -> date:
    """The last day by which the next self-inspection is due."""
    current = period_at(starts_on, cadence_days, today)
    if current is None:
        return starts_on + timedelta(days=cadence_days - 1)
    if any(current.contains(d) for d in inspected_on):
        return current.end + timedelta(days=cadence_days)
    return current.end
