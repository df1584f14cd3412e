"""The district's cross-territory, cross-department joint enforcement actions, counted from the
enforcement app. This is the one place that reads them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date


def count(start: date, end: date, must_cross: Iterable[str]) -> int | None:
    """Joint actions between the dates that cross what the policy asks (territories and/or
    departments); None while the enforcement app does not provide them."""
    try:
        from hazardledger.enforcement.selectors import joint_actions_between
    except ImportError:
        return None
    qs = joint_actions_between(start, end)
    filters = {f"crosses_{what}": True for what in must_cross}
    return qs.filter(**filters).count()
