"""The hazards section of the enterprise page and its printed dossier (一企一档)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from hazardledger.org.selectors import has_role

from . import selectors
from .ledger_table import LEDGER_COLUMNS, ledger_rows_html
from .workflow import REGISTER_ROLES

# The newest cards shown on the page; the ledger, filtered to the enterprise, has them all.
SECTION_ROWS = 20


def render_hazard_section(request: HttpRequest, enterprise: Any) -> str:
    cards = selectors.hazards_visible_to(request.user).filter(enterprise_id=enterprise.pk)
    today = timezone.localdate()
    rows, more = selectors.ledger_page(
        cards, sort="-found_on", cursor="", size=SECTION_ROWS, values=LEDGER_COLUMNS
    )
    ledger = reverse("hazards:ledger") + f"?enterprise={enterprise.pk}"
    context = {
        "counts": selectors.status_counts(cards, today=today),
        "table": ledger_rows_html(rows, today, one_enterprise=True),
        "rows": rows,
        "more": more is not None,
        "ledger_url": ledger,
        "open_url": ledger + "&overdue=on",
        "quick_url": reverse("hazards:quick") + f"?enterprise={enterprise.pk}",
        "can_register": has_role(request.user, *REGISTER_ROLES),
    }
    return render_to_string("hazards/_enterprise_section.html", context, request=request)
