"""The responsibility matrix's gaps (监管盲区), scoped to the viewer, counted in SQL.

A gap is: an enterprise without a territory, an industry, a regulator (its industry has
none), a named territorial responsible person or a named regulator responsible person; an
industry without a regulating department; a territory, or a department that regulates an
industry, with no active officer.
Closed and demolished enterprises are no longer supervised and are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hazardledger.org.models import Industry, Role, Unit, UnitKind, User
from hazardledger.org.selectors import (
    industries_visible_to,
    territories_visible_to,
)

from .models import INACTIVE_STATUSES, Enterprise
from .selectors import enterprises_visible_to, missing_procedure_exists

# key, label, condition on Enterprise
ENTERPRISE_GAPS: tuple[tuple[str, Any, Q], ...] = (
    ("no_territory", _("未划分所属镇街"), Q(territory__isnull=True)),
    ("no_industry", _("未确定行业领域"), Q(industry__isnull=True)),
    (
        "no_regulator",
        _("所属行业无主管部门"),
        Q(industry__isnull=False, industry__regulator__isnull=True),
    ),
    (
        "no_territory_contact",
        _("无属地责任人"),
        Q(territory__isnull=False, territory_contact__isnull=True),
    ),
    (
        "no_regulator_contact",
        _("无行业监管责任人"),
        Q(industry__regulator__isnull=False, regulator_contact__isnull=True),
    ),
)
LIST_LIMIT = 200


@dataclass
class GapList:
    key: str
    label: str
    count: int
    enterprises: list[Enterprise]


@dataclass
class Coverage:
    gaps: list[GapList] = field(default_factory=list)
    industries_without_regulator: list[Industry] = field(default_factory=list)
    territories_without_people: list[Unit] = field(default_factory=list)
    departments_without_people: list[Unit] = field(default_factory=list)
    by_territory: list[dict[str, Any]] = field(default_factory=list)
    by_department: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (
            sum(g.count for g in self.gaps)
            + len(self.industries_without_regulator)
            + len(self.territories_without_people)
            + len(self.departments_without_people)
        )


def supervised_enterprises(user: Any) -> QuerySet[Enterprise]:
    return enterprises_visible_to(user).exclude(status__in=INACTIVE_STATUSES)


def _gap_counts(qs: QuerySet[Enterprise]) -> dict[str, int]:
    return qs.aggregate(**{key: Count("pk", filter=cond) for key, _label, cond in ENTERPRISE_GAPS})


def gap_enterprises(user: Any, key: str) -> QuerySet[Enterprise]:
    condition = {k: c for k, _l, c in ENTERPRISE_GAPS}[key]
    return supervised_enterprises(user).filter(condition).order_by("name", "pk")


def _without_officer(units: QuerySet[Unit], role: str) -> list[Unit]:
    officers = User.objects.filter(unit=OuterRef("pk"), is_active=True, role_grants__role=role)
    return list(
        units.filter(is_active=True).exclude(Exists(officers)).order_by("sort_order", "code")
    )


def departments_visible_to(user: Any) -> QuerySet[Unit]:
    """Departments that regulate an industry in the user's scope (the others supervise none)."""
    return Unit.objects.filter(
        kind=UnitKind.DEPARTMENT,
        pk__in=industries_visible_to(user).filter(regulator__isnull=False).values("regulator_id"),
    )


def _counts(qs: QuerySet[Enterprise], group: str) -> dict[Any, dict[str, int]]:
    rows = qs.values(group).annotate(
        total=Count("pk"),
        **{key: Count("pk", filter=cond) for key, _label, cond in ENTERPRISE_GAPS},
        procedures_incomplete=Count("pk", filter=missing_procedure_exists()),
    )
    return {row.pop(group): row for row in rows}


def _table(units: list[Any], counts: dict[Any, dict[str, int]], none_label: Any) -> list[dict]:
    empty = {"total": 0, "procedures_incomplete": 0} | {k: 0 for k, _l, _c in ENTERPRISE_GAPS}
    table = [{"unit": u, "name": u.name} | counts.get(u.pk, empty) for u in units]
    if counts.get(None, {}).get("total"):
        table.append({"unit": None, "name": str(none_label)} | counts[None])
    return table


def coverage_for(user: Any) -> Coverage:
    """Every gap the user's scope contains, and per-territory and per-department counts."""
    qs = supervised_enterprises(user)
    counts = _gap_counts(qs)
    gaps = [
        GapList(key, str(label), counts[key], list(gap_enterprises(user, key)[:LIST_LIMIT]))
        for key, label, _cond in ENTERPRISE_GAPS
    ]
    territories = territories_visible_to(user).filter(is_active=True)
    departments = departments_visible_to(user).filter(is_active=True)
    return Coverage(
        gaps=gaps,
        industries_without_regulator=list(
            industries_visible_to(user).filter(regulator__isnull=True)
        ),
        territories_without_people=_without_officer(territories, Role.TERRITORY_OFFICER),
        departments_without_people=_without_officer(departments, Role.DEPARTMENT_OFFICER),
        by_territory=_table(
            list(territories.order_by("sort_order", "code")),
            _counts(qs, "territory_id"),
            _("未划分镇街"),
        ),
        by_department=_table(
            list(departments.order_by("sort_order", "code")),
            _counts(qs, "industry__regulator_id"),
            _("无主管部门"),
        ),
    )


COUNT_HEADERS = [str(label) for _k, label, _c in ENTERPRISE_GAPS]


def count_row(row: dict[str, Any]) -> list[Any]:
    return [
        row["name"],
        row["total"],
        *(row[k] for k, _l, _c in ENTERPRISE_GAPS),
        row["procedures_incomplete"],
    ]


def gap_rows(user: Any, coverage: Coverage) -> Iterator[list[Any]]:
    """Every gap as a spreadsheet row: kind, object, credit code, territory, industry."""
    for key, label, _cond in ENTERPRISE_GAPS:
        for e in gap_enterprises(user, key).iterator(chunk_size=2000):
            yield [
                str(label),
                e.name,
                e.credit_code,
                e.territory.name if e.territory else "",
                e.industry.name if e.industry else "",
            ]
    for industry in coverage.industries_without_regulator:
        yield [str(_("行业领域无主管部门")), industry.name, "", "", industry.name]
    for unit in coverage.territories_without_people:
        yield [str(_("镇街无监管人员")), unit.name, "", unit.name, ""]
    for unit in coverage.departments_without_people:
        yield [str(_("部门无监管人员")), unit.name, "", "", ""]
