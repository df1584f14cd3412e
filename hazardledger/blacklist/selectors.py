"""Every read of the blacklist (DESIGN.md §3.2), and the restriction answers other apps use.

Restricted-ness is a date condition computed here, never a stored flag: an entry restricts
on a day when it is in a listed state and listed_on ≤ day ≤ expires_on. So an entry whose
term ended yesterday restricts nothing today even if the expiry job has not run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hazardledger.enterprises.models import EnterpriseAccount
from hazardledger.lib.credit_code import normalize
from hazardledger.org.models import Role, User
from hazardledger.org.selectors import restrict, roles_of
from hazardledger.policy.services import active_policy

from .models import CheckLog, Entry, EntryStatus, PartnerNotice

S = EntryStatus
# What the public register and anonymous queries show. Under objection is left out (as the
# HSE register leaves out notices under appeal); a pending repair application is still listed.
PUBLIC_STATES = (S.PUBLISHED, S.REPAIRING)
# What signed-in officials (and department tokens) are answered from: decided, even if the
# publication has not happened yet.
OFFICIAL_STATES = (S.APPROVED, *PUBLIC_STATES)
PUBLIC_FIELDS = (
    "id",
    "credit_code",
    "enterprise__name",
    "grounds",
    "decision_no",
    "listed_on",
    "expires_on",
    "restriction_labels",
)


def effective_q(states: Iterable[str], on: date) -> Q:
    return Q(status__in=list(states), listed_on__lte=on, expires_on__gte=on)


def is_official(user: Any) -> bool:
    """A signed-in person with any role but the enterprise's own (a token user is a user)."""
    return bool(roles_of(user) - {Role.ENTERPRISE_USER})


def _own_enterprise(user: Any) -> Q:
    return Q(
        enterprise_id__in=EnterpriseAccount.objects.filter(user_id=user.pk).values("enterprise_id")
    )


def entries_visible_to(user: Any) -> QuerySet[Entry]:
    """Entries of enterprises in the user's scope; an enterprise user sees its own."""
    return restrict(
        Entry.objects.select_related("enterprise", "proposed_by", "approved_by"),
        user,
        territory="enterprise__territory",
        industry="enterprise__industry",
        own_enterprise=_own_enterprise(user),
    )


def entry_get_for_user_or_404(user: Any, pk: Any) -> Entry:
    try:
        return entries_visible_to(user).get(pk=int(pk))
    except (Entry.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def public_entries(on: date | None = None, query: str = "") -> QuerySet[Entry]:
    """The public register on a day: published, in term; by name or code when asked."""
    on = on or timezone.localdate()
    qs = Entry.objects.filter(effective_q(PUBLIC_STATES, on))
    query = query.strip()
    if query:
        code = normalize(query)
        qs = qs.filter(Q(enterprise__name__icontains=query) | Q(credit_code=code))
    return qs.order_by("-listed_on", "-pk")


def public_rows(on: date | None = None, query: str = "", limit: int = 200) -> list[dict]:
    return list(public_entries(on, query).values(*PUBLIC_FIELDS)[:limit])


# The check's one query, written out: the ORM's compilation costs as much as the query, and
# this is the path departments and banks call per application. Same condition as
# effective_q; served by the (credit_code, status) index.
CHECK_SQL = (
    "SELECT id, listed_on, grounds, restriction_labels FROM blacklist_entry"
    " WHERE credit_code = %s AND status IN ({states}) AND listed_on <= %s AND expires_on >= %s"
    " ORDER BY listed_on, id"
)
_CHECK_SQL = {
    official: CHECK_SQL.format(states=", ".join(["%s"] * len(states)))
    for official, states in ((True, OFFICIAL_STATES), (False, PUBLIC_STATES))
}


def _labels(value: Any) -> list[str]:
    # PostgreSQL hands jsonb back decoded; SQLite hands back the text.
    return json.loads(value) if isinstance(value, str) else list(value or [])


def check(credit_code: str, *, official: bool, on: date | None = None) -> dict[str, Any]:
    """The restriction answer for a (valid, normalised) code: one indexed query."""
    on = on or timezone.localdate()
    states = [str(s) for s in (OFFICIAL_STATES if official else PUBLIC_STATES)]
    with connection.cursor() as cursor:
        cursor.execute(_CHECK_SQL[official], [credit_code, *states, on, on])
        rows = cursor.fetchall()
    if not rows:
        return {
            "credit_code": credit_code,
            "restricted": False,
            "restrictions": [],
            "since": None,
            "grounds": "",
            "entry": None,
        }
    labels: list[str] = []
    for row in rows:
        labels.extend(label for label in _labels(row[3]) if label not in labels)
    latest = rows[-1]
    since = rows[0][1]
    return {
        "credit_code": credit_code,
        "restricted": True,
        "restrictions": labels,
        "since": since if isinstance(since, date) else date.fromisoformat(since),
        "grounds": latest[2],
        "entry": latest[0],
    }


def listed_enterprise_ids(enterprise_ids: Iterable[int], on: date | None = None) -> set[int]:
    """Which of these enterprises are restricted on the day (decided listings count)."""
    ids = set(enterprise_ids)
    if not ids:
        return set()
    on = on or timezone.localdate()
    return set(
        Entry.objects.filter(effective_q(OFFICIAL_STATES, on), enterprise_id__in=ids)
        .values_list("enterprise_id", flat=True)
        .distinct()
    )


def is_listed(enterprise: Any, on: date | None = None) -> bool:
    return bool(listed_enterprise_ids([enterprise.pk], on))


def is_vetoed(enterprise: Any, on: date) -> bool:
    """One-vote veto (一票否决) in assessments: listed on the day and the policy vetoes."""
    return active_policy().blacklist.one_vote_veto and is_listed(enterprise, on)


def inspection_frequency_factors(
    enterprise_ids: Iterable[int], on: date | None = None
) -> dict[int, float]:
    """The policy's inspection frequency factor for each listed enterprise (others are left
    out: their factor is 1)."""
    listed = listed_enterprise_ids(enterprise_ids, on)
    if not listed:
        return {}
    factor = active_policy().blacklist.inspection_frequency_factor
    return {pk: factor for pk in listed}


def inspection_frequency_factor(enterprise: Any, on: date | None = None) -> float:
    return inspection_frequency_factors([enterprise.pk], on).get(enterprise.pk, 1.0)


def enterprise_entries(user: Any, enterprise: Any) -> list[Entry]:
    return list(entries_visible_to(user).filter(enterprise_id=enterprise.pk).order_by("-pk"))


def partner_notices(entry: Entry) -> QuerySet[PartnerNotice]:
    return entry.partner_notices.select_related("recorded_by")


def check_log_visible_to(user: Any) -> QuerySet[CheckLog]:
    """The query log: the district office and leaders see every department's queries."""
    qs = CheckLog.objects.select_related("user", "unit")
    if roles_of(user) & {Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER, Role.SUPERVISOR}:
        return qs
    return qs.filter(user_id=user.pk)


def leaders_to_approve(entry: Entry) -> list[int]:
    """District leaders who may approve the entry (anyone but its proposer)."""
    return list(
        User.objects.filter(role_grants__role=Role.DISTRICT_LEADER, is_active=True)
        .exclude(pk=entry.proposed_by_id)
        .values_list("pk", flat=True)
    )
