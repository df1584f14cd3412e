"""Staff pages of the tip-off app: thin views over the selectors and services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms as djforms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hazardledger.enterprises.selectors import enterprises_visible_to
from hazardledger.lib.workflow import WorkflowError
from hazardledger.org.models import Role
from hazardledger.org.permissions import require_role, role_required
from hazardledger.org.selectors import has_role, roles_of
from hazardledger.policy.services import active_policy

from . import duplicates, receipt, rules, selectors, services
from .forms import (
    AssignForm,
    DecisionForm,
    DuplicateForm,
    HazardFromTipOffForm,
    HotlineForm,
    MessageForm,
    PayForm,
    ReasonForm,
    RewardProposeForm,
    VerifyForm,
)
from .headers import no_store
from .models import RevealStatus, Reward, Status, TipOffFile
from .workflow import CUSTODIANS, HANDLERS, INTAKE, REPORTER, REVEAL_REQUESTERS, REWARD, TIPOFF

READERS = selectors.ALL_SEEING | HANDLERS
PAGE = 50


def _errors_into(form: djforms.Form, exc: WorkflowError) -> None:
    placed = False
    for name, message in exc.fields.items():
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, "；".join(exc.messages))


@no_store
@role_required(*READERS)
def tipoff_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.tipoffs_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    before = request.GET.get("before", "")
    if before.isdigit() and len(before) < 19:
        qs = qs.filter(pk__lt=int(before))
    rows = list(qs.order_by("-pk")[: PAGE + 1])
    return render(
        request,
        "tipoffs/list.html",
        {
            "rows": rows[:PAGE],
            "more": rows[PAGE - 1].pk if len(rows) > PAGE else None,
            "statuses": Status.choices,
            "status": status,
            "can_intake": has_role(request.user, *INTAKE),
        },
    )


@no_store
@role_required(*INTAKE)
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    form = HotlineForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "files": None}
        try:
            done = services.tipoff_submit(
                actor=request.user, data=data, uploads=request.FILES.getlist("files")
            )
        except WorkflowError as exc:
            _errors_into(form, exc)
        else:
            return render(
                request,
                "tipoffs/intake_done.html",
                {"tipoff": done.tipoff, "code": receipt.grouped(done.receipt_code)},
            )
    return render(
        request, "tipoffs/intake.html", {"form": form}, status=422 if form.errors else 200
    )


def _deadlines(tipoff) -> dict[str, Any]:
    limits = active_policy().tipoffs
    out: dict[str, Any] = {"acceptance": rules.acceptance_due(tipoff.received_at, limits)}
    if tipoff.accepted_at:
        out["handling"] = rules.handling_due(tipoff.accepted_at, tipoff.extended, limits)
    if tipoff.verified_at:
        out["feedback"] = rules.feedback_due(tipoff.verified_at, limits)
    return out


def _reward_context(request: HttpRequest, tipoff) -> dict[str, Any]:
    reward = Reward.objects.filter(tipoff=tipoff).first()
    context: dict[str, Any] = {"reward": reward, "first": selectors.first_reporter(tipoff)}
    if tipoff.status in (Status.VERIFIED, Status.CLOSED):
        try:
            context["suggestion"] = services.suggestion(tipoff)
        except rules.RewardRuleError as exc:
            context["suggestion_error"] = str(exc)
    if reward:
        roles = roles_of(request.user)
        context["reward_actions"] = [
            {"action": t.action, "label": REWARD.actions[t.action]}
            for t in REWARD.available(reward.status, roles)
            if t.action != "claim"
        ]
        context["pay_form"] = PayForm()
    return context


@no_store
@role_required(*READERS)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    tipoff = selectors.tipoff_get_for_user_or_404(request.user, pk=pk)
    roles = roles_of(request.user)
    visible = selectors.tipoffs_visible_to(request.user)
    context = {
        "tipoff": tipoff,
        "actions": [
            {"action": t.action, "label": TIPOFF.actions[t.action]}
            for t in TIPOFF.available(tipoff.status, roles)
        ],
        "deadlines": _deadlines(tipoff),
        "messages_": tipoff.messages.select_related("staff"),
        "files": tipoff.files.all(),
        "hazards": tipoff.hazards.all(),
        "group": selectors.duplicate_group(tipoff).order_by("received_at", "pk"),
        "suggestions": duplicates.suggestions(tipoff, visible)
        if has_role(request.user, *INTAKE) and tipoff.status != Status.REJECTED
        else [],
        "same_reporter": visible.filter(reporter_key=tipoff.reporter_key)
        .exclude(pk=tipoff.pk)
        .count()
        if tipoff.reporter_key
        else 0,
        "has_identity": hasattr(tipoff, "identity"),
        "grant": selectors.open_grant(request.user, tipoff),
        "can_request_reveal": has_role(request.user, *REVEAL_REQUESTERS),
        "can_message": has_role(request.user, *(HANDLERS | INTAKE)),
        "can_raise": tipoff.status in (Status.VERIFYING, Status.VERIFIED)
        and has_role(request.user, *HANDLERS),
        "can_propose": has_role(request.user, *INTAKE),
        "message_form": MessageForm(),
        "hazard_form": HazardFromTipOffForm(
            initial={"description": tipoff.description[:500], "location": tipoff.location}
        ),
        "reveal_form": ReasonForm(),
        "propose_form": RewardProposeForm(),
        **_reward_context(request, tipoff),
    }
    return render(request, "tipoffs/detail.html", context)


def _action_form(action: str, data, files):
    if action in ("assign", "reassign"):
        return AssignForm(data)
    if action in ("reject", "send_back", "extend"):
        return ReasonForm(data)
    if action == "verify":
        return VerifyForm(data, files, rewards=active_policy().rewards)
    return djforms.Form(data)


def _run(request: HttpRequest, tipoff, action: str, form) -> None:
    user, data = request.user, form.cleaned_data
    if action in ("assign", "reassign"):
        enterprise = None
        if data.get("enterprise_id"):
            enterprise = enterprises_visible_to(user).filter(pk=data["enterprise_id"]).first()
            if enterprise is None:
                raise WorkflowError(_("未找到该企业"), fields={"enterprise_id": _("未找到该企业")})
        services.tipoff_assign(
            actor=user,
            tipoff=tipoff,
            territory=data.get("territory"),
            department=data.get("department"),
            enterprise=enterprise,
        )
    elif action == "reject":
        services.tipoff_reject(actor=user, tipoff=tipoff, reason=data["reason"])
    elif action == "send_back":
        services.tipoff_send_back(actor=user, tipoff=tipoff, reason=data["reason"])
    elif action == "extend":
        services.tipoff_extend(actor=user, tipoff=tipoff, reason=data["reason"])
    elif action == "accept":
        services.tipoff_accept(actor=user, tipoff=tipoff)
    elif action == "verify":
        services.tipoff_verify(
            actor=user, tipoff=tipoff, data=data, evidence=request.FILES.getlist("evidence")
        )
    elif action == "close":
        services.tipoff_close(actor=user, tipoff=tipoff)


@no_store
@role_required(*(HANDLERS | INTAKE))
@require_http_methods(["GET", "POST"])
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    tipoff = selectors.tipoff_get_for_user_or_404(request.user, pk=pk)
    if action not in TIPOFF.actions:
        raise Http404
    transition = TIPOFF.find(tipoff.status, action)
    if transition is not None and not transition.roles & roles_of(request.user):
        raise PermissionDenied
    form = _action_form(action, request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            _run(request, tipoff, action, form)
        except WorkflowError as exc:
            _errors_into(form, exc)
            status = exc.status_code
        else:
            return redirect("tipoffs:detail", pk=tipoff.pk)
    elif form.errors:
        status = 422
    return render(
        request,
        "tipoffs/action.html",
        {
            "tipoff": tipoff,
            "form": form,
            "label": TIPOFF.actions[action],
            "condition": transition.condition if transition else "",
        },
        status=status,
    )


def _post_form(request, pk, form_class, run, *, roles) -> HttpResponse:
    require_role(request.user, *roles)
    tipoff = selectors.tipoff_get_for_user_or_404(request.user, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            result = run(tipoff, form.cleaned_data)
        except WorkflowError as exc:
            _errors_into(form, exc)
        else:
            return result or redirect("tipoffs:detail", pk=tipoff.pk)
    return render(
        request,
        "tipoffs/action.html",
        {"tipoff": tipoff, "form": form, "label": _("提交")},
        status=422,
    )


@no_store
@login_required
@require_POST
def message(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_form(
        request,
        pk,
        MessageForm,
        lambda t, d: (
            services.tipoff_message(
                actor=request.user, tipoff=t, body=d["body"], is_feedback=d["is_feedback"]
            )
            and None
        ),
        roles=HANDLERS | INTAKE,
    )


@no_store
@login_required
@require_POST
def raise_hazard(request: HttpRequest, pk: int) -> HttpResponse:
    def run(tipoff, data):
        hazard = services.tipoff_raise_hazard(actor=request.user, tipoff=tipoff, data=data)
        return redirect("hazards:detail", pk=hazard.pk)

    return _post_form(request, pk, HazardFromTipOffForm, run, roles=HANDLERS)


@no_store
@login_required
@require_POST
def confirm_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    def run(tipoff, data):
        original = selectors.tipoff_get_for_user_or_404(request.user, pk=data["original"])
        services.tipoff_confirm_duplicate(actor=request.user, tipoff=tipoff, original=original)

    return _post_form(request, pk, DuplicateForm, run, roles=INTAKE)


@no_store
@login_required
@require_POST
def reveal_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_form(
        request,
        pk,
        ReasonForm,
        lambda t, d: (
            services.reveal_request(actor=request.user, tipoff=t, reason=d["reason"]) and None
        ),
        roles=REVEAL_REQUESTERS,
    )


@no_store
@role_required(*REVEAL_REQUESTERS)
@require_POST
def identity(request: HttpRequest, pk: int) -> HttpResponse:
    """Shown in the POST response only: no URL holds it and nothing caches it."""
    tipoff = selectors.tipoff_get_for_user_or_404(request.user, pk=pk)
    person = services.identity_read(actor=request.user, tipoff=tipoff)
    return render(request, "tipoffs/identity.html", {"tipoff": tipoff, "person": person})


@no_store
@login_required
@require_POST
def reward_propose_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_form(
        request,
        pk,
        RewardProposeForm,
        lambda t, d: (
            services.reward_propose(actor=request.user, tipoff=t, amount_yuan=d["amount_yuan"])
            and None
        ),
        roles=INTAKE,
    )


@no_store
@login_required
@require_POST
def reward_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    reward = selectors.rewards_visible_to(request.user).filter(pk=pk).first()
    if reward is None or action not in ("approve", "refuse", "pay"):
        raise Http404
    form = PayForm(request.POST) if action == "pay" else DecisionForm(request.POST)
    if form.is_valid():
        data, user = form.cleaned_data, request.user
        try:
            if action == "approve":
                services.reward_approve(actor=user, reward=reward, note=data["note"])
            elif action == "refuse":
                services.reward_refuse(actor=user, reward=reward, reason=data["note"])
            else:
                services.reward_pay(
                    actor=user,
                    reward=reward,
                    method=data["pay_method"],
                    paid_on=data["paid_on"],
                    voucher_no=data["voucher_no"],
                )
        except WorkflowError as exc:
            _errors_into(form, exc)
        else:
            return redirect("tipoffs:detail", pk=reward.tipoff_id)
    return render(
        request,
        "tipoffs/action.html",
        {"tipoff": reward.tipoff, "form": form, "label": REWARD.actions[action]},
        status=422,
    )


@no_store
@role_required(*(CUSTODIANS | {Role.SUPERVISOR, Role.DISTRICT_ADMIN} | REVEAL_REQUESTERS))
def reveal_log(request: HttpRequest) -> HttpResponse:
    reveals = selectors.reveals_visible_to(request.user)[:200]
    views_ = selectors.identity_views_visible_to(request.user)[:200]
    return render(
        request,
        "tipoffs/reveals.html",
        {
            "reveals": reveals,
            "views": views_,
            "pending": RevealStatus.PENDING,
            "can_decide": has_role(request.user, *CUSTODIANS),
            "form": DecisionForm(),
        },
    )


@no_store
@role_required(*CUSTODIANS)
@require_POST
def reveal_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    reveal = selectors.reveals_visible_to(request.user).filter(pk=pk).first()
    if reveal is None:
        raise Http404
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.reveal_decide(
                actor=request.user,
                request=reveal,
                approve=request.POST.get("decision") == "approve",
                note=form.cleaned_data["note"],
            )
        except WorkflowError as exc:
            _errors_into(form, exc)
        else:
            return redirect("tipoffs:reveals")
    return render(
        request,
        "tipoffs/action.html",
        {"tipoff": reveal.tipoff, "form": form, "label": _("审批")},
        status=422,
    )


@no_store
@role_required(*READERS)
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    row = TipOffFile.objects.filter(
        pk=pk, tipoff__in=selectors.tipoffs_visible_to(request.user)
    ).first()
    if row is None:
        raise Http404
    response = FileResponse(
        row.file.open("rb"),
        content_type=row.content_type,
        as_attachment=True,
        filename=f"{row.tipoff.number}-{row.pk}{Path(row.file.name).suffix}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _role_label(code: str) -> str:
    return _("举报人") if code == REPORTER else str(Role(code).label)


@role_required(*READERS)
def workflow_page(request: HttpRequest) -> HttpResponse:
    tables = []
    for title, workflow in ((_("举报办理"), TIPOFF), (_("举报奖励"), REWARD)):
        rows = [{**r, "role_labels": [_role_label(c) for c in r["roles"]]} for r in workflow.rows()]
        tables.append((title, rows))
    return render(request, "tipoffs/workflow.html", {"tables": tables})
