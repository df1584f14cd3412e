"""Pure rules of the expert pool, tested without a database."""

from __future__ import annotations

import calendar
from datetime import date


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier; the month's last day where it is shorter (31 → 30/28)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def conflict_cutoff(today: date, lookback_months: int) -> date:
    """Engagements that ended on or after this day are within the policy's period."""
    return months_before(today, lookback_months)


def same_name(a: str, b: str) -> bool:
    """Two unit names are the same once spaces and full-width brackets are normalised."""

    def norm(text: str) -> str:
        return "".join(text.split()).replace("（", "(").replace("）", ")")

    return bool(norm(a)) and norm(a) == norm(b)


def names_person(provider: str, name: str) -> bool:
    """A service record's provider text names the person (a full name of two characters or
    more appears in it), e.g. "王建国（注册安全工程师）" names 王建国."""
    name = "".join(name.split())
    return len(name) >= 2 and name in "".join(provider.split())
