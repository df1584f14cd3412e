"""The public register (公示) without login: published entries in term, the rules, how to
repair credit. Nothing proposed, under objection or removed appears (selectors.PUBLIC_STATES).

Login is enforced per view (decorators), so these views simply carry none. They read no
session and set no cookie; answers may be cached briefly and send no referrer onwards.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hazardledger.policy.services import active_policy

from . import selectors
from .forms import SearchForm

# A removal leaves the page within this many seconds (and on the day of removal).
PUBLIC_MAX_AGE = 60


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return require_GET(wrapped)


@public_page
def register(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    if "\x00" in query:
        query = ""
    today = timezone.localdate()
    rows = selectors.public_rows(today, query)
    return render(
        request,
        "blacklist/public_list.html",
        {"form": form, "rows": rows, "query": query, "today": today},
    )


@public_page
def rules_page(request: HttpRequest) -> HttpResponse:
    return render(request, "blacklist/public_rules.html", {"policy": active_policy().blacklist})
