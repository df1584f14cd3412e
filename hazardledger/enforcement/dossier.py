"""The enforcement section of the enterprise page and printed dossier (一企一档)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from .models import MeasureStatus, ProposalStatus
from .selectors import cases_visible_to

SECTION_ROWS = 20


def render_enforcement_section(request: HttpRequest, enterprise: Any) -> str | None:
    cases = list(
        cases_visible_to(request.user)
        .filter(enterprise_id=enterprise.pk)
        .prefetch_related("measures", "documents", "proposals")
        .order_by("-pk")[:SECTION_ROWS]
    )
    if not cases:
        return None
    measures = [m for c in cases for m in c.measures.all()]
    context = {
        "cases": cases,
        "measures": measures,
        "documents": [d for c in cases for d in c.documents.all()],
        "proposals": [
            p for c in cases for p in c.proposals.all() if p.status == ProposalStatus.PENDING
        ],
        "planned": MeasureStatus.PLANNED,
        "enterprise": enterprise,
    }
    return render_to_string("enforcement/_enterprise_section.html", context, request=request)
