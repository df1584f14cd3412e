"""What the inspections pages share: paging, refusals and spreadsheet answers."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

PAGE_SIZE = 50
MISSED_PAGE_SIZE = 100


def _refused(request: HttpRequest, message: str, back: str = "") -> HttpResponse:
    return render(
        request, "inspections/refused.html", {"message": message, "back": back}, status=409
    )


def _xlsx(filename: str, data: bytes) -> HttpResponse:
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _page(request: HttpRequest, qs: Any, size: int = PAGE_SIZE) -> Any:
    return Paginator(qs, size).get_page(request.GET.get("page"))
