"""Pages of enforcement cases: list, group worklist, 流程说明, open, detail, actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.lib.workflow import ActionNotAvailable, ConcurrentChange, GuardFailed
from hazardledger.org.models import Role
from hazardledger.org.selectors import roles_of

from . import documents, forms, selectors, services
from .models import (
    FINAL_CASE_STATUSES,
    Case,
    CaseKind,
    CaseStatus,
    Document,
    MeasureStatus,
    ProposalStatus,
)
from .workflow import OPEN_ROLES, RESUMPTION_WORKFLOW, WORKFLOWS, workflow_for

PAGE = 50


def handle(form: Any, call: Callable[[], Any]) -> tuple[Any, int]:
    """Run a service for a valid form; its refusals become field messages (nothing changed)."""
    try:
        return call(), 200
    except ValidationError as exc:
        for field, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
        return None, 422
    except GuardFailed as exc:
        for field, message in exc.fields.items():
            form.add_error(field if field in form.fields else None, message)
        if not exc.fields:
            for message in exc.messages:
                form.add_error(None, message)
        return None, 422
    except (ActionNotAvailable, ConcurrentChange) as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None, 409
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    except IntegrityError:
        form.add_error(None, _("该记录刚刚已被他人处理，请刷新页面后重试"))
        return None, 409


def submit(
    request: HttpRequest, form: Any, call: Callable[[dict[str, Any]], Any]
) -> tuple[Any, int]:
    """A step page's POST: validate the form, run the service on its data, keep a refusal on
    the form. Returns (the service's result or None, status): 400 for invalid input, 422 for
    a refused step."""
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 400
    return handle(form, lambda: call(form.cleaned_data))


def posted(request: HttpRequest, files: bool = False) -> tuple[Any, ...]:
    """Form data when the request is a POST (even an empty one), None otherwise."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def case_or_404(request: HttpRequest, pk: int) -> Case:
    return selectors.case_get_for_user_or_404(request.user, pk=pk)


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    qs = selectors.cases_visible_to(request.user)
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    if kind in CaseKind.values:
        qs = qs.filter(kind=kind)
    if status == "open":
        qs = qs.exclude(status__in=FINAL_CASE_STATUSES)
    elif status in CaseStatus.values:
        qs = qs.filter(status=status)
    enterprise = request.GET.get("enterprise", "")
    if enterprise.isdigit() and len(enterprise) < 12:
        qs = qs.filter(enterprise_id=int(enterprise))
    before = request.GET.get("before", "")
    if before.isdigit() and len(before) < 12:
        qs = qs.filter(pk__lt=int(before))
    rows = list(qs.order_by("-pk")[: PAGE + 1])
    more = rows[PAGE].pk if len(rows) > PAGE else None
    return render(
        request,
        "enforcement/cases.html",
        {
            "rows": rows[:PAGE],
            "more": rows[PAGE - 1].pk if more else None,
            "kinds": CaseKind.choices,
            "kind": kind,
            "status": status,
            "can_open": bool(roles_of(request.user) & OPEN_ROLES),
        },
    )


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    """M20: the closure/demolition group's caseload."""
    allowed = {Role.ENFORCEMENT_OFFICER, Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER}
    if not roles_of(request.user) & allowed:
        raise PermissionDenied
    visible = selectors.cases_visible_to(request.user)
    open_cases = visible.exclude(status__in=FINAL_CASE_STATUSES).order_by("-pk")
    today = timezone.localdate()
    context = {
        "open_cases": list(open_cases[:100]),
        "proposals": list(
            selectors.proposals_visible_to(request.user)
            .filter(status=ProposalStatus.PENDING)
            .order_by("-pk")[:100]
        ),
        "measures": _labelled(
            selectors.measures_visible_to(request.user)
            .filter(status=MeasureStatus.PLANNED)
            .order_by("pk")[:100]
        ),
        "overdue": list(
            open_cases.filter(
                Q(period_end__lt=today)
                & Q(status__in=[CaseStatus.EXECUTED, CaseStatus.REINSPECTION_FAILED])
            )[:100]
        ),
        "resumptions": list(
            selectors.resumptions_visible_to(request.user)
            .exclude(status__in=["accepted", "withdrawn"])
            .order_by("pk")[:100]
        ),
        "today": today,
    }
    return render(request, "enforcement/worklist.html", context)


@login_required
def workflow(request: HttpRequest) -> HttpResponse:
    role_names = dict(Role.choices)
    tables = []
    for kind, flow in WORKFLOWS.items():
        rows = flow.rows()
        for row in rows:
            row["role_names"] = [str(role_names[r]) for r in row["roles"]]
        tables.append({"label": CaseKind(kind).label, "rows": rows})
    rows = RESUMPTION_WORKFLOW.rows()
    for row in rows:
        row["role_names"] = [str(role_names[r]) for r in row["roles"]]
    tables.append({"label": _("复工验收"), "rows": rows})
    from hazardledger.policy.services import active_policy

    return render(
        request,
        "enforcement/workflow.html",
        {"tables": tables, "policy": active_policy().enforcement, "role_names": role_names},
    )


def _origin(request: HttpRequest) -> Any:
    """The record a case is opened from (?origin_type=app.model&origin_id=N), if visible."""
    label, pk = request.GET.get("origin_type", ""), request.GET.get("origin_id", "")
    if not label or not pk.isdigit() or len(pk) > 12 or label.count(".") != 1:
        return None
    try:
        ct = ContentType.objects.get_by_natural_key(*label.split("."))
        return ct.get_object_for_this_type(pk=int(pk))
    except Exception as exc:
        raise Http404 from exc


@login_required
def open_case(request: HttpRequest) -> HttpResponse:
    if not roles_of(request.user) & OPEN_ROLES:
        raise PermissionDenied
    origin = _origin(request)
    enterprises = selectors.enterprises_for_cases(request.user)
    initial = {k: request.GET.get(k) for k in ("kind", "enterprise", "project", "structure")}
    form = forms.CaseOpenForm(
        posted(request)[0],
        initial=initial,
        enterprises=enterprises,
        projects=selectors.projects_visible_to(request.user),
        structures=selectors.structures_visible_to(request.user),
    )
    case, status = submit(
        request,
        form,
        lambda d: services.case_open(
            actor=request.user,
            kind=d["kind"],
            enterprise=d["enterprise"],
            project=d["project"],
            structure=d["structure"],
            facts=d["facts"],
            legal_basis=d["legal_basis"],
            findings=d["findings"],
            origin=origin,
        ),
    )
    if case is not None:
        return redirect("enforcement:detail", case.pk)
    return render(request, "enforcement/open.html", {"form": form, "origin": origin}, status=status)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk)
    roles = roles_of(request.user)
    flow = workflow_for(case.kind)
    from .experts_link import assigned_experts

    resumptions = list(case.resumptions.all())
    for r in resumptions:
        r.actions = [
            (t.action, RESUMPTION_WORKFLOW.actions[t.action])
            for t in RESUMPTION_WORKFLOW.available(r.status, roles)
        ]
        r.experts = assigned_experts(r)
    context = {
        "case": case,
        "actions": [(t.action, flow.actions[t.action]) for t in flow.available(case.status, roles)],
        "measures": list(case.measures.select_related("executing_unit", "approved_by")),
        "proposals": list(case.proposals.select_related("resulting_case", "decided_by")),
        "resumptions": resumptions,
        "documents": list(case.documents.all()),
        "checklists": list(case.checklists.select_related("recorded_by")),
        "events": list(case.events.select_related("actor")),
        "can_handle": bool(roles & OPEN_ROLES),
        "can_apply": case.kind in (CaseKind.SUSPENSION, CaseKind.STOP_WORK)
        and case.status in (CaseStatus.RECTIFIED, CaseStatus.EXECUTED)
        and bool(roles & (OPEN_ROLES | {Role.ENTERPRISE_USER})),
        "origin_label": case.origin_text(),
        "measure_labels": _measure_labels(),
        "is_open": case.status not in FINAL_CASE_STATUSES,
    }
    return render(request, "enforcement/detail.html", context)


def _labelled(measures: Any) -> list[Any]:
    labels = _measure_labels()
    rows = list(measures)
    for m in rows:
        m.label = labels.get(m.kind, m.kind)
    return rows


def _measure_labels() -> dict[str, str]:
    from hazardledger.policy.services import active_policy

    return dict(active_policy().enforcement.coercive_measures)


@login_required
def action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = case_or_404(request, pk)
    flow = workflow_for(case.kind)
    if action not in flow.actions:
        raise Http404
    transition = flow.find(case.status, action)
    if transition is None:
        return render(
            request,
            "enforcement/refused.html",
            {"case": case, "message": _("当前状态下不能执行该操作")},
            status=409,
        )
    if not transition.roles & roles_of(request.user):
        raise PermissionDenied
    form = forms.action_form(action, case.kind, posted(request)[0])

    def perform(data: dict[str, Any]) -> Any:
        if case.kind == CaseKind.PENALTY and action == "decide":
            data = forms.penalty_args(dict(data))
        return services.case_perform(actor=request.user, case=case, action=action, **data)

    done, status = submit(request, form, perform)
    if done is not None:
        return redirect("enforcement:detail", case.pk)
    return render(
        request,
        "enforcement/form.html",
        {
            "case": case,
            "form": form,
            "label": flow.actions[action],
            "condition": transition.condition,
            "confirm": True,
        },
        status=status,
    )


@login_required
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk)
    if not roles_of(request.user) & OPEN_ROLES:
        raise PermissionDenied
    form = forms.ChecklistForm(posted(request)[0], initial={"step": request.GET.get("step")})
    done, status = submit(
        request,
        form,
        lambda d: services.checklist_record(
            actor=request.user,
            case=case,
            step=d["step"],
            checked=d["checked"],
            note=d["note"],
        ),
    )
    if done is not None:
        return redirect("enforcement:detail", case.pk)
    return render(
        request,
        "enforcement/form.html",
        {"case": case, "form": form, "label": _("次生事故防范检查")},
        status=status,
    )


@login_required
def document_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk)
    if not roles_of(request.user) & set(documents.WRITER_ROLES):
        raise PermissionDenied
    form = forms.DocumentForm(posted(request)[0])
    done, status = submit(
        request,
        form,
        lambda d: documents.document_generate(actor=request.user, case=case, kind=d["kind"]),
    )
    if done is not None:
        return redirect("enforcement:detail", case.pk)
    return render(
        request,
        "enforcement/form.html",
        {"case": case, "form": form, "label": _("制作文书")},
        status=status,
    )


def _document_or_404(request: HttpRequest, doc_id: int) -> Document:
    visible = Document.objects.filter(case__in=selectors.cases_visible_to(request.user))
    try:
        return visible.select_related("case").get(pk=doc_id)
    except Document.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def document_file(request: HttpRequest, doc_id: int) -> FileResponse:
    doc = _document_or_404(request, doc_id)
    try:
        handle_ = doc.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle_, as_attachment=True, filename=f"{doc.title}-{doc.number}.docx")


@login_required
def document_serve(request: HttpRequest, doc_id: int) -> HttpResponse:
    doc = _document_or_404(request, doc_id)
    if not roles_of(request.user) & set(documents.WRITER_ROLES):
        raise PermissionDenied
    form = forms.ServeForm(posted(request)[0])
    done, status = submit(
        request,
        form,
        lambda d: documents.document_serve(actor=request.user, document=doc, **d),
    )
    if done is not None:
        return redirect("enforcement:detail", doc.case_id)
    return render(
        request,
        "enforcement/form.html",
        {"case": doc.case, "form": form, "label": _("登记送达：") + doc.title},
        status=status,
    )
