"""Pure domain rules of the enterprise file, tested without a database."""

from __future__ import annotations

from datetime import date

from .models import OperatingStatus, ProcedureStatus

# Demolished is the end: the premises no longer exist, so no status can follow it.
TERMINAL_STATUSES = frozenset({OperatingStatus.DEMOLISHED})


def status_change_problem(current: str, new: str) -> str | None:
    """Why the operating status may not go from `current` to `new`, in Chinese; None if it may."""
    if new not in OperatingStatus.values:
        return "经营状态不在允许范围内"
    if new == current:
        return "经营状态未变化"
    if current in TERMINAL_STATUSES:
        return "企业已拆除，不能再变更经营状态"
    return None


def procedure_is_current(status: str, expires_on: date | None, today: date) -> bool:
    """A procedure counts towards completeness while valid and not expired."""
    return status == ProcedureStatus.VALID and (expires_on is None or expires_on >= today)


def procedure_dates_problem(issued_on: date | None, expires_on: date | None) -> str | None:
    if issued_on and expires_on and expires_on < issued_on:
        return "有效期截止日期不能早于发证日期"
    return None


def missing_kinds(required: set[int], held_current: set[int]) -> set[int]:
    """The required procedure kinds that have no current procedure."""
    return required - held_current
