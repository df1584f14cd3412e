"""What a listing does elsewhere: the section on the enterprise page and printed dossier."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from . import selectors
from .rules import is_restricting


def render_section(request: HttpRequest, enterprise: Any) -> str | None:
    """The enterprise's entries the viewer may see; nothing when it was never proposed."""
    entries = selectors.enterprise_entries(request.user, enterprise)
    if not entries:
        return None
    today = timezone.localdate()
    rows = [
        {
            "entry": e,
            "restricting": is_restricting(
                e.status, e.listed_on, e.expires_on, today, selectors.OFFICIAL_STATES
            ),
        }
        for e in entries
    ]
    return render_to_string(
        "blacklist/_enterprise_section.html",
        {"rows": rows, "listed": any(r["restricting"] for r in rows)},
        request=request,
    )
