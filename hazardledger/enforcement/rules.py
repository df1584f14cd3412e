"""The four "always" (四个一律, M11) as pure rules: findings and events → proposed measures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def proposals_for(
    *, kind: str, findings: Iterable[str], events: Iterable[str], rules: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """(rule key, proposed case kind) for every rule that fires; a case does not propose its
    own kind (a penalty case needs no proposal to penalise)."""
    present = set(findings) | set(events)
    return [
        (key, rule.proposes)
        for key, rule in rules.items()
        if rule.when in present and rule.proposes != kind
    ]
