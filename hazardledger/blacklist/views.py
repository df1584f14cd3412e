"""Blacklist pages for officials and enterprises: thin wrappers around selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hazardledger.audit.models import AuditEvent
from hazardledger.enterprises.selectors import enterprises_visible_to
from hazardledger.lib import credit_code
from hazardledger.lib.workflow import ActionNotAvailable, ConcurrentChange, GuardFailed
from hazardledger.org.models import Role
from hazardledger.org.permissions import role_required
from hazardledger.org.selectors import has_role, roles_of
from hazardledger.policy.services import active_policy

from . import documents, selectors
from .forms import ACTION_FORMS, PartnerNoticeForm, ProposeForm
from .models import EntryStatus
from .rules import is_restricting
from .services import entry_perform, entry_propose, partner_notice_add
from .workflow import ACTIONS, ENTRY_WORKFLOW, PROPOSE_ROLES, SYSTEM

ROLE_LABELS = dict(Role.choices) | {SYSTEM: _("系统（每日任务）")}
DATA_ROLES = frozenset(Role.values) - {
    Role.EXPERT,
    Role.HOTLINE_OPERATOR,
    Role.IDENTITY_CUSTODIAN,
    Role.ENFORCEMENT_OFFICER,
}
LIST_LIMIT = 200


def _add_errors(form: Form, exc: GuardFailed) -> None:
    if not exc.fields:
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, message in exc.fields.items():
        form.add_error(name if name in form.fields else None, str(message))


@role_required(*DATA_ROLES)
def entry_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = selectors.entries_visible_to(request.user)
    if status in EntryStatus.values:
        qs = qs.filter(status=status)
    today = timezone.localdate()
    entries = list(qs[:LIST_LIMIT])
    rows = [
        {
            "entry": e,
            "restricting": is_restricting(
                e.status, e.listed_on, e.expires_on, today, selectors.OFFICIAL_STATES
            ),
        }
        for e in entries
    ]
    return render(
        request,
        "blacklist/list.html",
        {
            "rows": rows,
            "status": status,
            "statuses": EntryStatus.choices,
            "can_propose": has_role(request.user, *PROPOSE_ROLES),
            "more": len(entries) == LIST_LIMIT,
        },
    )


def _record_from(request: HttpRequest, enterprise: Any) -> Any:
    """The record named by ?record=app_label.model:pk (e.g. a penalty) if it is the
    enterprise's own; the listing rests on it."""
    ref = (request.POST.get("record") or request.GET.get("record") or "").strip()
    if not ref:
        return None
    try:
        label, pk = ref.split(":", 1)
        app_label, model = label.split(".", 1)
        model_class = ContentType.objects.get(app_label=app_label, model=model).model_class()
        obj = model_class._default_manager.get(pk=pk)
    except (ValueError, ContentType.DoesNotExist, AttributeError, TypeError, OverflowError):
        raise Http404 from None
    except Exception as exc:  # the model's DoesNotExist or a bad pk type
        raise Http404 from exc
    if enterprise is not None and getattr(obj, "enterprise_id", enterprise.pk) != enterprise.pk:
        raise Http404
    return obj


@role_required(*PROPOSE_ROLES)
def entry_create(request: HttpRequest) -> HttpResponse:
    initial = {"enterprise": request.GET.get("enterprise", "")}
    form = ProposeForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            code = credit_code.normalize(form.cleaned_data["enterprise"])
            enterprise = enterprises_visible_to(request.user).filter(credit_code=code).first()
            if enterprise is None:
                form.add_error("enterprise", _("在您的管辖范围内没有该统一社会信用代码的企业"))
            else:
                record = _record_from(request, enterprise)
                try:
                    entry = entry_propose(
                        actor=request.user,
                        enterprise=enterprise,
                        grounds=form.cleaned_data["grounds"],
                        legal_basis=form.cleaned_data["legal_basis"],
                        restrictions=form.cleaned_data["restrictions"],
                        records=[record] if record is not None else [],
                    )
                except GuardFailed as exc:
                    _add_errors(form, exc)
                    status = 422
                else:
                    messages.success(request, _("已提出拟列入，请告知企业"))
                    return redirect("blacklist:detail", pk=entry.pk)
    record = None
    if request.GET.get("record"):
        record = _record_from(request, None)
    return render(
        request,
        "blacklist/create.html",
        {"form": form, "record": record, "record_ref": request.GET.get("record", "")},
        status=status,
    )


EXTRA_LABELS = {"propose": _("提出拟列入"), "partner_notice": _("登记通报")}


def _history(entry: Any) -> list[dict[str, Any]]:
    events = (
        AuditEvent.objects.filter(object_type="blacklist.entry", object_id=str(entry.pk))
        .select_related("actor")
        .order_by("pk")
    )
    labels = {**ACTIONS, **EXTRA_LABELS}
    return [
        {
            "at": e.at,
            "actor": e.actor,
            "action_label": labels.get(e.action.removeprefix("blacklist."), _("变更")),
            "reason": e.reason,
        }
        for e in events
    ]


@role_required(*DATA_ROLES)
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get_for_user_or_404(request.user, pk)
    roles = roles_of(request.user)
    actions = [
        {"code": t.action, "label": ACTIONS[t.action], "condition": t.condition}
        for t in ENTRY_WORKFLOW.available(entry.status, roles)
    ]
    today = timezone.localdate()
    return render(
        request,
        "blacklist/detail.html",
        {
            "entry": entry,
            "actions": actions,
            "grounds": list(entry.ground_links.select_related("content_type")),
            "notices": list(selectors.partner_notices(entry)),
            "history": _history(entry),
            "restricting": is_restricting(
                entry.status, entry.listed_on, entry.expires_on, today, selectors.OFFICIAL_STATES
            ),
            "public": is_restricting(
                entry.status, entry.listed_on, entry.expires_on, today, selectors.PUBLIC_STATES
            ),
            "can_notify_partners": has_role(request.user, *PROPOSE_ROLES, Role.DISTRICT_LEADER),
            "partner_form": PartnerNoticeForm(initial={"sent_on": today}),
        },
    )


def _action_data(action: str, form: Form) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "", [])}


@role_required(*DATA_ROLES)
def entry_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTION_FORMS:
        raise Http404
    entry = selectors.entry_get_for_user_or_404(request.user, pk)
    transition = ENTRY_WORKFLOW.find(entry.status, action)
    if transition is None:
        message = _("当前状态“%(s)s”下不能执行“%(a)s”") % {
            "s": entry.get_status_display(),
            "a": ACTIONS[action],
        }
        return render(
            request, "blacklist/refused.html", {"entry": entry, "message": message}, status=409
        )
    if not transition.roles & roles_of(request.user):
        raise PermissionDenied
    form = ACTION_FORMS[action](request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                entry_perform(
                    actor=request.user, entry=entry, action=action, data=_action_data(action, form)
                )
            except GuardFailed as exc:
                _add_errors(form, exc)
                status = 422
            except (ActionNotAvailable, ConcurrentChange) as exc:
                return render(
                    request,
                    "blacklist/refused.html",
                    {"entry": entry, "message": str(exc)},
                    status=409,
                )
            else:
                messages.success(request, _("已%(a)s") % {"a": ACTIONS[action]})
                return redirect("blacklist:detail", pk=entry.pk)
    return render(
        request,
        "blacklist/action.html",
        {
            "entry": entry,
            "form": form,
            "action": action,
            "label": ACTIONS[action],
            "condition": transition.condition,
        },
        status=status,
    )


@require_POST
@role_required(*PROPOSE_ROLES, Role.DISTRICT_LEADER)
def partner_notice_create(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get_for_user_or_404(request.user, pk)
    form = PartnerNoticeForm(request.POST)
    if form.is_valid():
        try:
            partner_notice_add(actor=request.user, entry=entry, **form.cleaned_data)
        except GuardFailed as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("已登记通报"))
            return redirect("blacklist:detail", pk=entry.pk)
    return render(
        request, "blacklist/partner_form.html", {"entry": entry, "form": form}, status=422
    )


@role_required(*DATA_ROLES)
def notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get_for_user_or_404(request.user, pk)
    data = documents.notice_docx(entry)
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="blacklist-notice-{entry.pk}.docx"'
    return response


@role_required(*DATA_ROLES)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    qs = selectors.entries_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in EntryStatus.values:
        qs = qs.filter(status=status)
    data = documents.list_xlsx(qs)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="blacklist.xlsx"'
    return response


@login_required
def workflow(request: HttpRequest) -> HttpResponse:
    rows = ENTRY_WORKFLOW.rows()
    for row in rows:
        row["role_names"] = [ROLE_LABELS.get(r, r) for r in row["roles"]]
    return render(
        request,
        "blacklist/workflow.html",
        {
            "rows": rows,
            "policy": active_policy().blacklist,
            "propose_roles": [ROLE_LABELS[r] for r in sorted(PROPOSE_ROLES)],
        },
    )


@role_required(*DATA_ROLES)
def check_log(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.check_log_visible_to(request.user)[:LIST_LIMIT])
    return render(request, "blacklist/check_log.html", {"rows": rows})
