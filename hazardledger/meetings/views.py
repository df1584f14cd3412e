"""Meeting pages: thin wrappers around selectors (reads) and services (writes)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hazardledger.lib.workflow import WorkflowError
from hazardledger.org.models import Role
from hazardledger.org.permissions import role_required
from hazardledger.org.selectors import has_role, roles_of

from . import compliance, documents, links, selectors, services
from .forms import CloseForm, ItemForm, MeetingForm, RangeForm, ReopenForm, apply_errors
from .models import FollowUpItem, ItemStatus
from .selectors import MEETING_READER_ROLES, RECORDER_ROLES
from .workflow import ITEM_WORKFLOW

PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(filename: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@role_required(*MEETING_READER_ROLES)
def meeting_list(request: HttpRequest) -> HttpResponse:
    rows = (
        selectors.meetings_visible_to(request.user)
        .select_related("convener")
        .prefetch_related("units_present")
        .order_by("-held_on", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/list.html",
        {"page": page, "can_record": has_role(request.user, *RECORDER_ROLES)},
    )


@role_required(*RECORDER_ROLES)
def meeting_create(request: HttpRequest) -> HttpResponse:
    conveners = selectors.conveners_for(request.user)
    form = MeetingForm(request.POST or None, conveners=conveners)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.MeetingInput(
            convener=d["convener"],
            kind=d["kind"],
            held_on=d["held_on"],
            place=d["place"],
            chair=d["chair"],
            units_present=list(d["units_present"]),
            units_absent=list(d["units_absent"]),
            people_present=list(d["people_present"]),
            other_attendees=d["other_attendees"],
            problems=d["problems"],
            decisions=form.decision_lines(),
        )
        try:
            meeting = services.meeting_record(
                actor=request.user, data=data, submission_key=str(d["submission_key"])
            )
        except services.DuplicateSubmission as dup:
            return redirect("meetings:detail", dup.meeting.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("联席会议已录入"))
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/form.html", {"form": form})


@role_required(*MEETING_READER_ROLES)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = selectors.meeting_get_for_user_or_404(user, pk)
    visible_items = selectors.items_visible_to(user).select_related("owner_unit", "owner_person")
    decisions = meeting.decisions.prefetch_related(
        Prefetch("items", queryset=visible_items, to_attr="visible_items")
    )
    period, late = compliance.meeting_standing(meeting)
    can_assign = selectors.may_record_for(user, meeting.convener)
    form = ItemForm(decisions=meeting.decisions.all()) if can_assign else None
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "decisions": decisions,
            "period": period,
            "late": late,
            "form": form,
            "today": timezone.localdate(),
        },
    )


@role_required(*RECORDER_ROLES)
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user_or_404(request.user, pk)
    if not selectors.may_record_for(request.user, meeting.convener):
        raise PermissionDenied
    form = ItemForm(request.POST or None, decisions=meeting.decisions.all())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.ItemInput(
            decision=d["decision"],
            title=d["title"],
            owner_unit=d["owner_unit"],
            owner_person=d["owner_person"],
            due_on=d["due_on"],
            hazard_numbers=d["hazard_numbers"],
            enterprise_codes=d["enterprise_codes"],
            case_numbers=d["case_numbers"],
        )
        try:
            item = services.item_create(actor=request.user, data=data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("督办事项已下达"))
            return redirect("meetings:item", item.pk)
    return render(request, "meetings/item_form.html", {"form": form, "meeting": meeting})


@role_required(*MEETING_READER_ROLES)
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user_or_404(request.user, pk)
    return _docx(f"会议纪要-{meeting.held_on:%Y%m%d}.docx", documents.minutes_docx(meeting))


@role_required(*MEETING_READER_ROLES)
def signin(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user_or_404(request.user, pk)
    return _docx(f"签到表-{meeting.held_on:%Y%m%d}.docx", documents.signin_docx(meeting))


# ---- follow-up items ----------------------------------------------------------------------


@role_required(*MEETING_READER_ROLES)
def item_list(request: HttpRequest) -> HttpResponse:
    """The person's work list (items they answer for, overdue first) and the items their unit
    convened; district-wide readers also see every overdue item."""
    user = request.user
    today = timezone.localdate()
    visible = selectors.items_visible_to(user).select_related(
        "owner_unit", "owner_person", "convener", "meeting"
    )
    mine = visible.filter(selectors.owned_by(user), status=ItemStatus.OPEN).order_by("due_on")
    convened = (
        visible.filter(convener_id=user.unit_id).order_by("status", "due_on")
        if user.unit_id
        else visible.none()
    )
    overdue = (
        visible.filter(selectors.overdue_q(today)).order_by("due_on")
        if selectors.sees_everything(user)
        else visible.none()
    )
    return render(
        request,
        "meetings/items.html",
        {
            "mine": mine[:200],
            "convened": convened[:200],
            "overdue": overdue[:200],
            "today": today,
        },
    )


@role_required(*MEETING_READER_ROLES)
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = selectors.item_get_for_user_or_404(user, pk)
    roles = roles_of(user)
    can_close = ITEM_WORKFLOW.allows(item.status, "close", roles) and (
        selectors.is_owner(user, item) or has_role(user, Role.DISTRICT_ADMIN)
    )
    can_reopen = ITEM_WORKFLOW.allows(item.status, "reopen", roles) and (
        selectors.is_convener(user, item) or has_role(user, Role.DISTRICT_ADMIN)
    )
    return render(
        request,
        "meetings/item.html",
        {
            "item": item,
            "links": links.visible_links(user, list(item.links.all())),
            "close_form": CloseForm() if can_close else None,
            "reopen_form": ReopenForm() if can_reopen else None,
            "overdue": item.status == ItemStatus.OPEN and item.due_on < timezone.localdate(),
        },
    )


def _refused(request: HttpRequest, message: str, item: FollowUpItem, status: int) -> HttpResponse:
    return render(
        request, "meetings/refused.html", {"message": message, "item": item}, status=status
    )


@require_POST
@role_required(*MEETING_READER_ROLES)
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    item = selectors.item_get_for_user_or_404(user, pk)
    if action not in ("close", "reopen"):
        raise Http404
    form = (CloseForm if action == "close" else ReopenForm)(request.POST, request.FILES)
    if not form.is_valid():
        message = "；".join(e for errs in form.errors.values() for e in errs)
        return _refused(request, message, item, 422)
    try:
        if action == "close":
            services.item_close(
                actor=user,
                item=item,
                evidence=form.cleaned_data["evidence"],
                evidence_file=form.cleaned_data.get("evidence_file"),
            )
        else:
            services.item_reopen(actor=user, item=item, reason=form.cleaned_data["reason"])
    except WorkflowError as exc:
        return _refused(request, "；".join(exc.messages), item, exc.status_code)
    except ValidationError as exc:
        return _refused(request, "；".join(exc.messages), item, 422)
    messages.success(request, _("督办事项已办结") if action == "close" else _("已退回重办"))
    return redirect("meetings:item", item.pk)


@role_required(*MEETING_READER_ROLES)
def item_file(request: HttpRequest, pk: int) -> FileResponse:
    item = selectors.item_get_for_user_or_404(request.user, pk)
    if not item.evidence_file or not default_storage.exists(item.evidence_file.name):
        raise Http404
    return FileResponse(default_storage.open(item.evidence_file.name, "rb"), as_attachment=True)


@role_required(*MEETING_READER_ROLES)
def workflow(request: HttpRequest) -> HttpResponse:
    rows = ITEM_WORKFLOW.rows()
    for row in rows:
        row["role_names"] = [Role(code).label for code in row["roles"]]
    return render(request, "meetings/workflow.html", {"rows": rows})


# ---- cadence compliance -------------------------------------------------------------------


@role_required(*MEETING_READER_ROLES)
def compliance_table(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    start, end = compliance.default_range(today)
    form = RangeForm(request.GET or None, initial={"start": start, "end": end})
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        if end < start:
            start = end
    figures = compliance.compute(start=start, end=end, user=request.user, today=today)
    return render(
        request,
        "meetings/compliance.html",
        {"form": form, "c": figures, "labels": compliance.STATUS_LABELS},
    )
