"""The district's cross-territory, cross-department joint enforcement actions, counted from the
enforcement app's `JointAction`. This is the one place that reads them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from hazardledger.enforcement.selectors import joint_actions_between


def count(start: date, end: date, must_cross: Iterable[str]) -> int:
    """Joint actions dated between the days that cross what the policy asks (territories
    and/or departments: more than one of each took part)."""
    filters = {f"crosses_{what}": True for what in must_cross}
    return joint_actions_between(start, end).filter(**filters).count()
