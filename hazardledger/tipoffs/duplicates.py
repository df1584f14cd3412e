"""Duplicate suggestions: similar text (pg_trgm on PostgreSQL, character n-grams elsewhere)
plus the same matched enterprise. They only suggest; a person confirms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection

from . import rules
from .models import Status, TipOff

LIMIT = 10
THRESHOLD = 0.3
SCAN_RECENT = 3000  # SQLite: compare with the newest tip-offs in Python
SAME_ENTERPRISE_BONUS = 0.2


@dataclass(frozen=True)
class Candidate:
    tipoff: TipOff
    score: float
    same_enterprise: bool


def _trigram_ids(tipoff: TipOff) -> list[tuple[int, float]]:
    # Nearest neighbours by trigram distance, read from the GiST index in order.
    sql = (
        "SELECT id, 1 - (match_text <-> %s) AS s FROM tipoffs_tipoff "
        "WHERE id <> %s ORDER BY match_text <-> %s LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [tipoff.match_text, tipoff.pk, tipoff.match_text, LIMIT * 3])
        return [(pk, float(score)) for pk, score in cursor.fetchall() if score >= THRESHOLD]


def _ngram_ids(tipoff: TipOff, pool: Any) -> list[tuple[int, float]]:
    rows = pool.exclude(pk=tipoff.pk).order_by("-received_at").values_list("pk", "match_text")
    scored = [(pk, rules.similarity(tipoff.match_text, text)) for pk, text in rows[:SCAN_RECENT]]
    return [(pk, s) for pk, s in scored if s >= THRESHOLD]


def suggestions(tipoff: TipOff, visible: Any) -> list[Candidate]:
    """Up to ten likely duplicates among the tip-offs `visible` to the user, best first."""
    pool = visible.exclude(status=Status.REJECTED)
    if connection.vendor == "postgresql":
        scored = dict(_trigram_ids(tipoff))
    else:
        scored = dict(_ngram_ids(tipoff, pool))
    if tipoff.enterprise_id:
        same = pool.filter(enterprise_id=tipoff.enterprise_id).exclude(pk=tipoff.pk)
        for pk, text in same.order_by("-received_at").values_list("pk", "match_text")[:LIMIT]:
            scored[pk] = scored.get(pk, rules.similarity(tipoff.match_text, text))
    found = {t.pk: t for t in pool.filter(pk__in=list(scored))}
    candidates = []
    for pk, score in scored.items():
        other = found.get(pk)
        if other is None:
            continue
        same = bool(tipoff.enterprise_id) and other.enterprise_id == tipoff.enterprise_id
        total = min(1.0, score + (SAME_ENTERPRISE_BONUS if same else 0))
        candidates.append(Candidate(other, round(total, 2), same))
    candidates.sort(key=lambda c: (-c.score, c.tipoff.received_at))
    return candidates[:LIMIT]
