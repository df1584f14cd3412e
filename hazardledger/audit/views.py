from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hazardledger.org.permissions import role_required

from .display import attach_rows
from .forms import AuditFilterForm
from .selectors import AUDIT_READER_ROLES, events_filtered, events_visible_to

PAGE_SIZE = 50


@role_required(*AUDIT_READER_ROLES)
def event_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events: list = []
    next_before = None
    if form.is_bound and not form.is_valid():
        pass
    else:
        data = form.cleaned_data if form.is_bound else {}
        qs = events_filtered(
            events_visible_to(request.user),
            object_type=data.get("object_type") or "",
            object_id=data.get("object_id") or "",
            actor=data.get("actor") or "",
            action=data.get("action") or "",
            since=data.get("since"),
            until=data.get("until"),
            before_id=data.get("before"),
        )
        events = list(qs.select_related("actor")[: PAGE_SIZE + 1])
        if len(events) > PAGE_SIZE:
            events = events[:PAGE_SIZE]
            next_before = events[-1].pk
        attach_rows(events)
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "events": events, "next_before": next_before, "query": query.urlencode()},
    )
