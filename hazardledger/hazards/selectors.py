"""Every read of hazard cards starts here (DESIGN.md §3.2, §3.8).

Overdue and acceptance-late are computed from dates against the active policy, never stored.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import Count, F, Q, QuerySet
from django.db.models.fields.tuple_lookups import TupleGreaterThan, TupleLessThan
from django.utils import timezone

from hazardledger.audit.models import AuditHead
from hazardledger.enterprises.models import EnterpriseAccount
from hazardledger.experts.selectors import assigned_object_ids
from hazardledger.org.models import Role, Unit, UnitKind
from hazardledger.org.permissions import get_in_scope_or_404
from hazardledger.org.selectors import has_role, restrict
from hazardledger.policy.schema import HazardRules
from hazardledger.policy.services import active_policy

from .models import (
    ExtensionStatus,
    Hazard,
    HazardEvent,
    HazardExtension,
    HazardStatus,
    Notification,
)
from .rules import DEADLINE_RUNS


def _own_enterprise(user: Any) -> Q:
    return Q(
        enterprise_id__in=EnterpriseAccount.objects.filter(user_id=user.pk).values("enterprise_id")
    )


def user_department(user: Any) -> Unit | None:
    """The department a department officer works in (their unit or its nearest ancestor)."""
    unit, seen = user.unit, set()
    while unit is not None and unit.pk not in seen:
        if unit.kind == UnitKind.DEPARTMENT:
            return unit
        seen.add(unit.pk)
        unit = unit.parent
    return None


def hazards_visible_to(user: Any) -> QuerySet[Hazard]:
    """Cards in the user's scope, plus cards being evaluated by them as expert or transferred
    to their department."""
    base = Hazard.objects.all()
    visible = restrict(
        base,
        user,
        territory="territory",
        industry="industry",
        own_enterprise=_own_enterprise(user),
    )
    extra = Q(pk__in=[])
    if has_role(user, Role.EXPERT):
        # Experts see a card only while the pool assigns it to them (DESIGN.md §4).
        extra |= Q(pk__in=assigned_object_ids(user, Hazard))
    if has_role(user, Role.DEPARTMENT_OFFICER):
        department = user_department(user)
        if department is not None:
            extra |= Q(department_id=department.pk)
    return visible | base.filter(extra)


def hazard_get_for_user_or_404(user: Any, pk: Any) -> Hazard:
    # Four joins at most: PostgreSQL spends longer planning a ten-way join than running it,
    # so the people and the transfer links come by primary key in their own short queries.
    qs = (
        hazards_visible_to(user)
        .select_related("enterprise", "territory", "industry", "department")
        .prefetch_related(
            "expert", "accepted_by", "registered_by", "transferred_from", "transfer_department"
        )
    )
    return get_in_scope_or_404(qs, pk=pk)


def overdue_q(today: date) -> Q:
    return Q(status__in=DEADLINE_RUNS, deadline__lt=today)


def due_soon_q(today: date, rules: HazardRules) -> Q:
    return Q(
        status__in=DEADLINE_RUNS,
        deadline__gte=today,
        deadline__lte=today + timedelta(days=rules.due_soon_days),
    )


def acceptance_late_q(now: datetime, rules: HazardRules) -> Q:
    return Q(
        status=HazardStatus.ACCEPTANCE_PENDING,
        acceptance_applied_at__lt=now - timedelta(days=rules.acceptance_within_days),
    )


# ---- the ledger -------------------------------------------------------------------------

# Sort options: (field, descending). The deadline is the only nullable sort key: cards without
# one (not yet planned) come after the dated ones going up and before them going down, which is
# PostgreSQL's own order, so one ascending index serves both directions.
SORTS = {
    "deadline": ("deadline", False),
    "-deadline": ("deadline", True),
    "-found_on": ("found_on", True),
    "found_on": ("found_on", False),
    "-registered_at": ("registered_at", True),
    "registered_at": ("registered_at", False),
    "card_no": ("card_no", False),
    "-card_no": ("card_no", True),
}
DEFAULT_SORT = "-found_on"


@dataclass(frozen=True)
class LedgerFilters:
    territory: int | None = None
    department: int | None = None
    industry: int | None = None
    enterprise: int | None = None
    level: str = ""
    status: str = ""
    overdue: bool = False
    acceptance_late: bool = False
    supervised: bool = False
    source: str = ""
    found_from: date | None = None
    found_to: date | None = None
    deadline_from: date | None = None
    deadline_to: date | None = None
    q: str = ""


def ledger_filter(
    qs: QuerySet[Hazard],
    f: LedgerFilters,
    *,
    rules: HazardRules | None = None,
    with_status: bool = True,
) -> QuerySet[Hazard]:
    """Apply the ledger's filters; `with_status=False` leaves the status out (for counts).

    Only the acceptance-late filter depends on the policy: without `rules` the active policy
    is read when that filter is on, so other ledger pages save the read."""
    now = timezone.now()
    today = timezone.localdate()
    simple = {
        "territory_id": f.territory,
        "department_id": f.department,
        "industry_id": f.industry,
        "enterprise_id": f.enterprise,
        "level": f.level,
        "source": f.source,
        "found_on__gte": f.found_from,
        "found_on__lte": f.found_to,
        "deadline__gte": f.deadline_from,
        "deadline__lte": f.deadline_to,
    }
    qs = qs.filter(**{k: v for k, v in simple.items() if v not in (None, "")})
    if with_status and f.status:
        qs = qs.filter(status=f.status)
    if f.overdue:
        qs = qs.filter(overdue_q(today))
    if f.acceptance_late:
        qs = qs.filter(acceptance_late_q(now, rules or active_policy().hazards))
    if f.supervised:
        qs = qs.filter(is_supervised=True)
    if f.q:
        qs = qs.filter(Q(card_no__icontains=f.q) | Q(description__icontains=f.q))
    return qs


def encode_cursor(value: Any, pk: int) -> str:
    raw = json.dumps([value.isoformat() if hasattr(value, "isoformat") else value, pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, field: str) -> tuple[Any, int] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if field in ("found_on", "deadline") and value is not None:
            value = date.fromisoformat(value)
        elif field == "registered_at":
            value = datetime.fromisoformat(value)
        elif not isinstance(value, str) and not (field == "deadline" and value is None):
            return None
        return value, int(pk)
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError):
        return None


def _after(field: str, descending: bool, value: Any, pk: int) -> Q:
    """Rows after (value, pk) in the page order (a null deadline is the largest value)."""
    op = "lt" if descending else "gt"
    if value is None:
        after = Q(**{f"{field}__isnull": True, f"pk__{op}": pk})
        return after | Q(**{f"{field}__isnull": False}) if descending else after
    # A row comparison is one index range on PostgreSQL; where the database has no row values
    # Django spells it as ORs, and the redundant bound then gives the index its start, so a
    # deep page does not scan the rows before it.
    row = (TupleLessThan if descending else TupleGreaterThan)((F(field), F("pk")), (value, pk))
    after = Q(row, **{f"{field}__{op}e": value})
    if field == "deadline" and not descending:
        after |= Q(deadline__isnull=True)
    return after


def _order(field: str, descending: bool) -> tuple[Any, str]:
    if field != "deadline":
        return (f"-{field}", "-pk") if descending else (field, "pk")
    if descending:
        return F(field).desc(nulls_first=True), "-pk"
    return F(field).asc(nulls_last=True), "pk"


def ledger_page(
    qs: QuerySet[Hazard],
    *,
    sort: str,
    cursor: str,
    size: int,
    values: tuple[str, ...] = (),
) -> tuple[list[Any], str | None]:
    """One page by keyset (no OFFSET, no COUNT); returns the rows and the next cursor.

    With `values`, the rows are dicts of those fields (plus "id") instead of cards.
    """
    field, descending = SORTS.get(sort, SORTS[DEFAULT_SORT])
    after = _decode_cursor(cursor, field) if cursor else None
    if after is not None:
        qs = qs.filter(_after(field, descending, *after))
    qs = qs.order_by(*_order(field, descending))
    if values:
        qs = qs.values(*dict.fromkeys(("id", field, *values)))
    else:
        qs = qs.select_related("enterprise", "territory", "industry")
    rows = list(qs[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        if values:
            next_cursor = encode_cursor(last[field], last["id"])
        else:
            next_cursor = encode_cursor(getattr(last, field), last.pk)
    return rows, next_cursor


Raw = tuple[dict[str, int], dict[str, int]]


def _raw_counts(qs: QuerySet[Hazard], today: date) -> Raw:
    """(cards per status, overdue cards per status)."""
    rows = (
        qs.order_by()
        .values("status")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=overdue_q(today)))
    )
    return {r["status"]: r["n"] for r in rows}, {r["status"]: r["overdue"] for r in rows}


def _shape_counts(raw: Raw, status: str = "") -> dict[str, Any]:
    """The counts per status, and the totals of the selected status (or of all)."""
    counts, overdue = raw
    return {
        "by_status": [(s.value, s.label, counts.get(s.value, 0)) for s in HazardStatus],
        "all": sum(counts.values()),
        "total": counts.get(status, 0) if status else sum(counts.values()),
        "overdue": overdue.get(status, 0) if status else sum(overdue.values()),
    }


def status_counts(qs: QuerySet[Hazard], *, today: date, status: str = "") -> dict[str, Any]:
    """Cards per status and overdue cards, in one grouped SQL aggregate; `qs` is the set
    without its status filter, `status` the status selected (the totals are its own)."""
    return _shape_counts(_raw_counts(qs, today), status)


# The card fields the ledger counts by, filters on or scopes by. An audited change to a card
# that touches none of them (a progress note, a photo) leaves the cached counts valid.
COUNTED_FIELDS = frozenset(
    {
        "status",
        "card_no",
        "description",
        "level",
        "source",
        "found_on",
        "deadline",
        "acceptance_applied_at",
        "is_supervised",
        "enterprise",
        "territory",
        "industry",
        "department",
        "expert",
    }
)


def changes_counted_fields(changes: Any) -> bool:
    return any(name.removesuffix("_id") in COUNTED_FIELDS for name in changes)


def write_generation() -> int:
    """Moves on with every committed audited write that may change a count; every change to a
    card is audited, and only those that leave `COUNTED_FIELDS` alone are told apart."""
    head = AuditHead.objects.filter(pk=1).values_list("last_counted_event_id", flat=True)
    return head.first() or 0


COUNTS_TTL = 600
# A count that took this long is recomputed at most once per COUNTS_RECOUNT_SECONDS however
# often counted fields change: a province-wide count reads a million cards, and recounting it
# after every confirmation would take both cores. Cheaper counts stay exact after every write.
SLOW_COUNT_SECONDS = 0.05
COUNTS_RECOUNT_SECONDS = 10


@dataclass(frozen=True)
class _CachedCounts:
    generation: int
    computed_at: datetime
    seconds: float
    raw: Raw


def _current(entry: _CachedCounts | None, generation: int, now: datetime) -> bool:
    if entry is None:
        return False
    if entry.generation == generation:
        return True
    young = (now - entry.computed_at).total_seconds() < COUNTS_RECOUNT_SECONDS
    return young and entry.seconds >= SLOW_COUNT_SECONDS


def status_counts_cached(qs: QuerySet[Hazard], *, today: date, status: str = "") -> dict[str, Any]:
    """`status_counts`, remembered until a write changes a counted field (slow counts: and
    COUNTS_RECOUNT_SECONDS have passed) or the day changes; `as_of` says when it was counted.

    The key is the SQL itself, so the user's scope and every filter are part of it.
    """
    now = timezone.now()
    try:
        sql = str(qs.order_by().query)
    except EmptyResultSet:
        return {**_shape_counts(({}, {}), status), "as_of": now}
    key = "hazards:counts:" + hashlib.sha256(f"{today}|{sql}".encode()).hexdigest()
    generation = write_generation()
    entry = cache.get(key)
    if not _current(entry, generation, now):
        started = time.perf_counter()
        raw = _raw_counts(qs, today)
        entry = _CachedCounts(generation, now, time.perf_counter() - started, raw)
        cache.set(key, entry, COUNTS_TTL)
    return {**_shape_counts(entry.raw, status), "as_of": entry.computed_at}


def history_of(hazard: Hazard) -> QuerySet[HazardEvent]:
    return hazard.events.select_related("actor").order_by("at", "pk")


def pending_extension(hazard: Hazard) -> HazardExtension | None:
    return hazard.extensions.filter(status=ExtensionStatus.PENDING).first()


def notifications_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("hazard")
