"""In-app messages of the blacklist, behind one function."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

KIND = "blacklist"


def tell(user_ids: Iterable[int], entry: Any, step: str, message: str, link: str) -> None:
    """One message per person, entry and step, sent once the change is committed."""
    ids = sorted(set(user_ids))
    if not ids:
        return

    def send() -> None:
        from hazardledger.hazards.notifications import notify

        for user_id in ids:
            notify(
                user=user_id,
                kind=KIND,
                key=f"blacklist:{entry.pk}:{entry.version}:{step}:{user_id}",
                message=message,
                link=link,
            )

    transaction.on_commit(send)
