"""The inspections section of the enterprise page and its printed dossier (一企一档)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from hazardledger.org.selectors import has_role

from . import selectors, services

# The newest records shown on the page; the record list, filtered to the enterprise, has all.
SECTION_ROWS = 10


def render_inspection_section(request: HttpRequest, enterprise: Any) -> str | None:
    user = request.user
    if not has_role(user, *selectors.INSPECTION_READER_ROLES):
        return None
    records = list(selectors.inspection_list(user, enterprise_id=enterprise.pk)[: SECTION_ROWS + 1])
    context = {
        "records": records[:SECTION_ROWS],
        "more": len(records) > SECTION_ROWS,
        "list_url": reverse("inspections:list") + f"?enterprise={enterprise.pk}",
        "create_url": reverse("inspections:create") + f"?enterprise={enterprise.pk}",
        "can_record": bool(services.allowed_kinds(user)),
    }
    return render_to_string("inspections/_enterprise_section.html", context, request=request)
