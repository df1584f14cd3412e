"""Pure date rules of a listing (domain-rules §1.5), tested without a database."""

from __future__ import annotations

from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has no such day (29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in range(day.day, 27, -1):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    return date(year, month, min(day.day, 28))


def expires_on(listed_on: date, years: int) -> date:
    """The last day on the list: a listing of three years from 2026-03-01 ends 2029-02-28."""
    return add_months(listed_on, 12 * years) - timedelta(days=1)


def earliest_repair_on(listed_on: date, months: int) -> date:
    return add_months(listed_on, months)


def objection_deadline(notified_on: date, window_days: int) -> date:
    """The last day on which the enterprise may state its case."""
    return notified_on + timedelta(days=window_days)


def is_restricting(
    status: str, listed_on: date | None, expires: date | None, on: date, states
) -> bool:
    """The one date condition; `selectors.effective_q` is the same in SQL."""
    return (
        status in states
        and listed_on is not None
        and expires is not None
        and listed_on <= on <= expires
    )
