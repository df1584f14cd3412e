"""Hazard pages: thin wrappers around selectors (reads) and services (writes)."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hazardledger.experts.selectors import assigned_targets
from hazardledger.lib.workflow import ActionNotAvailable, ConcurrentChange, GuardFailed
from hazardledger.org.models import Role
from hazardledger.org.selectors import has_role, roles_of, scope_for
from hazardledger.policy.services import active_policy

from . import rules, selectors
from .forms import ACTION_FORMS, HazardForm, LedgerFilterForm, PlanForm
from .ledger_table import LEDGER_COLUMNS, card_url_prefix, ledger_rows_html
from .models import ExtensionStatus, FileKind, Hazard, HazardLevel, HazardStatus
from .notifications import mark_read
from .services import PLAN_FIELDS, hazard_perform, hazard_register, stored_plan
from .workflow import ACTIONS, HAZARD_WORKFLOW, OFFICERS, REGISTER_ROLES
from .xlsx import export_to_tempfile

PLAN_ACTIONS = ("save_plan", "submit_plan")
ROLE_LABELS = dict(Role.choices)


def add_guard_errors(form: Form, exc: GuardFailed) -> None:
    if not exc.fields:
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, message in exc.fields.items():
        form.add_error(name if name in form.fields else None, str(message))


def _refused(request: HttpRequest, hazard: Hazard, message: str) -> HttpResponse:
    return render(
        request, "hazards/refused.html", {"hazard": hazard, "message": message}, status=409
    )


def bound_data(request: HttpRequest) -> tuple[Any, Any]:
    """Form data for a POST (even an empty one), nothing for a GET."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _flags(hazard: Hazard, policy: Any = None) -> dict[str, Any]:
    policy = policy or active_policy().hazards
    now = timezone.now()
    today = timezone.localdate()
    return {
        "overdue": rules.is_overdue(hazard.status, hazard.deadline, today),
        "due_soon": rules.is_due_soon(hazard.status, hazard.deadline, today, policy),
        "acceptance_late": rules.is_acceptance_late(
            hazard.status, hazard.acceptance_applied_at, now, policy
        ),
        "acceptance_due": rules.acceptance_due(hazard.acceptance_applied_at, policy),
    }


# ---- the ledger ---------------------------------------------------------------------------


def _ledger_query(request: HttpRequest):
    form = LedgerFilterForm(request.GET or None, user=request.user)
    base = selectors.hazards_visible_to(request.user)
    return form, base, form.filters()


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    form, base, filters = _ledger_query(request)
    qs = selectors.ledger_filter(base, filters)
    rows, next_cursor = selectors.ledger_page(
        qs,
        sort=form.sort_key(),
        cursor=request.GET.get("after", ""),
        size=form.page_size(),
        values=LEDGER_COLUMNS,
    )
    today = timezone.localdate()
    table = ledger_rows_html(rows, today)
    first_page = not request.GET.get("after")
    # Later pages leave the counts out: the first page shows them for the same filters.
    counts = None
    if first_page:
        counts = selectors.status_counts_cached(
            selectors.ledger_filter(base, filters, with_status=False),
            today=today,
            status=filters.status,
        )
    query = request.GET.copy()
    query.pop("after", None)
    status_query = query.copy()
    status_query.pop("status", None)
    return render(
        request,
        "hazards/ledger.html",
        {
            "form": form,
            "rows": rows,
            "table": table,
            "next_cursor": next_cursor,
            "counts": counts,
            "query": query.urlencode(),
            "scope_key": scope_for(request.user).key,
            "status_query": status_query.urlencode(),
            "can_register": has_role(request.user, *REGISTER_ROLES),
            "first_page": first_page,
        },
    )


@login_required
def export(request: HttpRequest) -> FileResponse:
    _form, base, filters = _ledger_query(request)
    qs = selectors.ledger_filter(base, filters)
    filename = f"隐患排查治理台账-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        export_to_tempfile(qs),
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# ---- one card -----------------------------------------------------------------------------


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = selectors.hazard_get_for_user_or_404(request.user, pk)
    roles = roles_of(request.user)
    policy = active_policy().hazards
    extensions = list(hazard.extensions.select_related("requested_by", "decided_by"))
    pending = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
    available = [
        t
        for t in HAZARD_WORKFLOW.available(hazard.status, roles)
        if t.action not in PLAN_ACTIONS and _offered(t.action, hazard, request.user, pending)
    ]
    files = list(hazard.files.all())
    has_plan_file = any(f.kind == FileKind.EMERGENCY_PLAN for f in files)
    plan_values = stored_plan(hazard, has_plan_file=has_plan_file)
    return render(
        request,
        "hazards/detail.html",
        {
            "hazard": hazard,
            "files": files,
            "events": list(selectors.history_of(hazard)),
            "extensions": extensions,
            "transfers": list(hazard.transfers.all()),
            "actions": [
                (t.action, ACTIONS[t.action], t.action in PRIMARY_ACTIONS) for t in available
            ],
            "can_plan": any(HAZARD_WORKFLOW.allows(hazard.status, a, roles) for a in PLAN_ACTIONS),
            "missing_plan": rules.missing_plan_items(policy, hazard.level, plan_values),
            "steps": [
                HazardStatus(s).label for s in rules.steps_after_rectified(policy, hazard.level)
            ],
            "flags": _flags(hazard, policy),
            "state_labels": dict(HazardStatus.choices),
            "action_labels": ACTIONS | {"register": _("登记")},
            "role_labels": ROLE_LABELS,
        },
    )


# Forward steps get the primary button; refusals, voiding and overlays do not.
PRIMARY_ACTIONS = frozenset(
    {
        "confirm",
        "rectify_immediately",
        "mark_rectified",
        "apply_acceptance",
        "assign_expert",
        "evaluation_pass",
        "accept",
        "approve_extension",
    }
)


def _offered(action: str, hazard: Hazard, user: Any, pending: Any) -> bool:
    """Whether to show the button: hides actions whose guard would refuse outright."""
    return {
        "list_supervised": not hazard.is_supervised,
        "delist_supervised": hazard.is_supervised,
        "suspend_production": not hazard.production_suspended,
        "resume_production": hazard.production_suspended,
        "approve_extension": pending is not None,
        "reject_extension": pending is not None,
        "request_extension": pending is None,
        "evaluation_pass": hazard.expert_id == user.pk,
        "evaluation_fail": hazard.expert_id == user.pk,
    }.get(action, True)


def _action_initial(hazard: Hazard, action: str) -> dict[str, Any]:
    if action == "confirm":
        return {
            name: getattr(hazard, name)
            for name in (
                "level",
                "criteria_standard",
                "criteria_article",
                "criteria_item",
                "harm_analysis",
            )
        }
    if action in PLAN_ACTIONS:
        return {name: getattr(hazard, name) for name in PLAN_FIELDS}
    return {}


def _perform(request: HttpRequest, hazard: Hazard, action: str, form: Form) -> HttpResponse | None:
    """Run the service; None when the form now carries the refusal."""
    try:
        hazard_perform(actor=request.user, hazard=hazard, action=action, **form.service_kwargs())
    except GuardFailed as exc:
        add_guard_errors(form, exc)
        return None
    except (ActionNotAvailable, ConcurrentChange) as exc:
        return _refused(request, hazard, "；".join(exc.messages))
    messages.success(request, _("已完成：%s") % ACTIONS[action])
    if not selectors.hazards_visible_to(request.user).filter(pk=hazard.pk).exists():
        return redirect("hazards:mywork")  # e.g. an expert's assignment ends with the evaluation
    return redirect("hazards:detail", pk=hazard.pk)


@login_required
def action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTION_FORMS or action in PLAN_ACTIONS:
        raise Http404
    hazard = selectors.hazard_get_for_user_or_404(request.user, pk)
    transition = HAZARD_WORKFLOW.find(hazard.status, action)
    if transition is None:
        return _refused(
            request,
            hazard,
            str(
                ActionNotAvailable(
                    _("当前状态“%(s)s”下不能执行“%(a)s”")
                    % {"s": hazard.get_status_display(), "a": ACTIONS[action]}
                )
            ),
        )
    if not transition.roles & roles_of(request.user):
        raise PermissionDenied
    form = ACTION_FORMS[action](*bound_data(request), initial=_action_initial(hazard, action))
    if hasattr(form, "for_hazard"):
        form.for_hazard(hazard)  # the expert pool's suggestions for this card
    status = 200
    if request.method == "POST":
        if form.is_valid():
            response = _perform(request, hazard, action, form)
            if response is not None:
                return response
            status = 422
        else:
            status = 400
    return render(
        request,
        "hazards/action.html",
        {
            "hazard": hazard,
            "form": form,
            "action": action,
            "label": ACTIONS[action],
            "condition": transition.condition,
            "pending": selectors.pending_extension(hazard),
        },
        status=status,
    )


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = selectors.hazard_get_for_user_or_404(request.user, pk)
    roles = roles_of(request.user)
    allowed = [a for a in PLAN_ACTIONS if HAZARD_WORKFLOW.allows(hazard.status, a, roles)]
    if not allowed:
        if any(HAZARD_WORKFLOW.find(hazard.status, a) for a in PLAN_ACTIONS):
            raise PermissionDenied
        return _refused(
            request, hazard, _("当前状态“%s”下不能修改整改方案") % hazard.get_status_display()
        )
    form = PlanForm(*bound_data(request), initial=_action_initial(hazard, "save_plan"))
    status = 200
    if request.method == "POST":
        act = "submit_plan" if "submit" in request.POST else "save_plan"
        if act not in allowed:
            raise PermissionDenied
        if form.is_valid():
            response = _perform(request, hazard, act, form)
            if response is not None:
                return response
            status = 422
        else:
            status = 400
    policy = active_policy().hazards
    return render(
        request,
        "hazards/plan.html",
        {
            "hazard": hazard,
            "form": form,
            "can_submit": "submit_plan" in allowed,
            "required": [
                str(rules.PLAN_ITEM_LABELS[k])
                for k in rules.required_plan_items(policy, hazard.level)
            ],
        },
        status=status,
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, *REGISTER_ROLES):
        raise PermissionDenied
    initial = {"found_on": timezone.localdate()}
    if not has_role(request.user, *OFFICERS):
        initial["source"] = "self_inspection"
    form = HazardForm(*bound_data(request), user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            enterprise, photos = data.pop("enterprise"), data.pop("photos")
            done = register_card(request, form, enterprise=enterprise, data=data, photos=photos)
            if done is not None:
                return done
            status = 422
    return render(request, "hazards/create.html", {"form": form}, status=status)


def register_card(
    request: HttpRequest, form: Form, *, enterprise: Any, data: dict[str, Any], photos: Any
) -> HttpResponse | None:
    """Register through the service: the card page, or None with the refusal on the form."""
    try:
        hazard = hazard_register(
            actor=request.user, enterprise=enterprise, data=data, photos=photos
        )
    except GuardFailed as exc:
        add_guard_errors(form, exc)
        return None
    messages.success(request, _("已登记隐患 %s") % hazard.card_no)
    return redirect("hazards:detail", pk=hazard.pk)


@login_required
def file(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    hazard = selectors.hazard_get_for_user_or_404(request.user, pk)
    stored = hazard.files.filter(pk=file_id).first()
    if stored is None or not default_storage.exists(stored.file.name):
        raise Http404
    return FileResponse(
        default_storage.open(stored.file.name, "rb"),
        content_type=stored.content_type,
        as_attachment=not stored.is_photo,
        filename=stored.original_name,
    )


@login_required
def print_card(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = selectors.hazard_get_for_user_or_404(request.user, pk)
    url = request.build_absolute_uri(reverse("hazards:detail", args=[hazard.pk]))
    qr = segno.make(url, error="m")
    return render(
        request,
        "hazards/print.html",
        {
            "hazard": hazard,
            "url": url,
            "qr": qr.svg_data_uri(scale=3, border=2),
            "photos": [f for f in hazard.files.all() if f.is_photo][:4],
            "extensions": list(hazard.extensions.all()),
            "flags": _flags(hazard),
        },
    )


# ---- work lists ---------------------------------------------------------------------------

MYWORK_LIMIT = 10


def _section(title: str, qs, link: str = "") -> dict[str, Any]:
    # Plain values, not cards: a town officer's page lists up to 160 cards in eight sections.
    columns = ("id", "card_no", "enterprise__name", "level", "deadline")
    rows = list(qs.order_by("deadline", "pk").values(*columns)[: MYWORK_LIMIT + 1])
    detail = card_url_prefix()
    levels = dict(HazardLevel.choices)
    for row in rows:
        row["url"] = f"{detail}{row['id']}/"
        row["level_label"] = levels[row["level"]]
    return {
        "title": title,
        "rows": rows[:MYWORK_LIMIT],
        "more": len(rows) > MYWORK_LIMIT,
        "link": link,
    }


def _ledger_link(**params: str) -> str:
    from urllib.parse import urlencode

    return reverse("hazards:ledger") + "?" + urlencode(params)


@login_required
def mywork(request: HttpRequest) -> HttpResponse:
    user = request.user
    visible = selectors.hazards_visible_to(user)
    policy = active_policy().hazards
    today = timezone.localdate()
    sections = []
    if has_role(user, *OFFICERS):
        sections += [
            _section(
                _("待确认定级"),
                visible.filter(status=HazardStatus.REGISTERED),
                _ledger_link(status="registered"),
            ),
            _section(
                _("待验收"),
                visible.filter(status=HazardStatus.ACCEPTANCE_PENDING),
                _ledger_link(status="acceptance_pending"),
            ),
            _section(
                _("待审批的延期申请"),
                visible.filter(
                    status=HazardStatus.RECTIFYING,
                    pk__in=selectors.HazardExtension.objects.filter(
                        status=ExtensionStatus.PENDING
                    ).values("hazard_id"),
                ),
            ),
            _section(
                _("待指派评估专家"),
                # No open pool assignment: never assigned, or the last evaluation is over.
                visible.filter(status=HazardStatus.EVALUATING).exclude(
                    pk__in=assigned_targets(Hazard)
                ),
            ),
        ]
    if has_role(user, Role.ENTERPRISE_USER):
        sections += [
            _section(
                _("待制定整改方案"),
                visible.filter(status__in=[HazardStatus.REGISTERED, HazardStatus.CONFIRMED]),
            ),
            _section(
                _("整改中"),
                visible.filter(status=HazardStatus.RECTIFYING),
                _ledger_link(status="rectifying"),
            ),
            _section(_("待申请验收"), visible.filter(status=HazardStatus.RECTIFIED)),
        ]
    if has_role(user, Role.EXPERT):
        sections.append(
            _section(_("待评估"), visible.filter(status=HazardStatus.EVALUATING, expert_id=user.pk))
        )
    if has_role(user, Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER, Role.SUPERVISOR):
        sections += [
            _section(
                _("挂牌督办中"),
                visible.filter(
                    is_supervised=True,
                    status__in=[
                        s.value
                        for s in HazardStatus
                        if s not in ("closed", "voided", "transferred")
                    ],
                ),
                _ledger_link(supervised="on"),
            ),
            _section(
                _("验收超期"),
                visible.filter(selectors.acceptance_late_q(timezone.now(), policy)),
                _ledger_link(acceptance_late="on"),
            ),
        ]
    sections += [
        _section(_("即将到期"), visible.filter(selectors.due_soon_q(today, policy))),
        _section(
            _("已逾期"), visible.filter(selectors.overdue_q(today)), _ledger_link(overdue="on")
        ),
    ]
    return render(request, "hazards/mywork.html", {"sections": sections})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    items = list(selectors.notifications_for(request.user)[:200])
    return render(request, "hazards/notifications.html", {"items": items})


@require_POST
@login_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    mark_read(user=request.user)
    return redirect("hazards:notifications")


@login_required
def workflow(request: HttpRequest) -> HttpResponse:
    policy = active_policy().hazards
    rows = HAZARD_WORKFLOW.rows()
    for row in rows:
        row["role_names"] = [ROLE_LABELS.get(r, r) for r in row["roles"]]
    levels = [
        {
            "label": label,
            "steps": [HazardStatus(s).label for s in rules.steps_after_rectified(policy, level)],
            "plan": [
                str(rules.PLAN_ITEM_LABELS[k]) for k in rules.required_plan_items(policy, level)
            ],
            "immediate": rules.can_rectify_immediately(policy, level),
        }
        for level, label in HazardLevel.choices
    ]
    return render(
        request,
        "hazards/workflow.html",
        {
            "rows": rows,
            "levels": levels,
            "policy": policy,
            "register_roles": [ROLE_LABELS[r] for r in sorted(REGISTER_ROLES)],
        },
    )
