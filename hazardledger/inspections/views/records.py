"""Inspection record pages and cards raised from failed items."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hazardledger.enterprises.models import INACTIVE_STATUSES
from hazardledger.enterprises.selectors import (
    enterprises_visible_to,
)
from hazardledger.hazards.workflow import REGISTER_ROLES
from hazardledger.lib.workflow import WorkflowError
from hazardledger.org.models import Role, User
from hazardledger.org.permissions import role_required
from hazardledger.org.selectors import has_role
from hazardledger.policy.services import active_policy

from .. import selectors, services
from ..forms import (
    ConfirmForm,
    HazardFromItemForm,
    InspectionFilterForm,
    InspectionForm,
    apply_errors,
    new_submission_key,
    people_choices,
)
from ..models import ChecklistStatus, ChecklistVersion, ItemResult
from ..selectors import (
    INSPECTION_READER_ROLES,
)
from .common import _page, _refused

# ---- inspections --------------------------------------------------------------------------


@role_required(*INSPECTION_READER_ROLES)
def inspection_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = InspectionFilterForm(request.GET or None, campaigns=selectors.campaigns_visible_to(user))
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "kind": data["kind"],
            "campaign_id": data["campaign"].pk if data["campaign"] else None,
        }
    # `?enterprise=<pk>` comes from the enterprise page; the list is scoped whatever it names.
    enterprise = request.GET.get("enterprise", "")
    only = None
    if enterprise.isdigit():
        filters["enterprise_id"] = int(enterprise)
        only = enterprises_visible_to(user).filter(pk=int(enterprise)).first()
    page = _page(request, selectors.inspection_list(user, **filters))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "inspections/inspection_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "only": only,
            "can_record": bool(services.allowed_kinds(user)),
        },
    )


def _version_for(request: HttpRequest, enterprise: Any, campaign: Any) -> ChecklistVersion | None:
    wanted = request.POST.get("checklist_version") or request.GET.get("checklist")
    if wanted:
        qs = ChecklistVersion.objects.exclude(status=ChecklistStatus.DRAFT)
        if request.method == "GET":
            qs = qs.filter(status=ChecklistStatus.LIVE)
        found = qs.filter(pk=wanted).first() if str(wanted).isdigit() else None
        if found is not None:
            return found
    return selectors.live_version_for(enterprise, campaign.checklist if campaign else None)


def _inspection_form(request: HttpRequest, kinds: list[str]) -> InspectionForm:
    user = request.user
    enterprises = (
        enterprises_visible_to(user).exclude(status__in=INACTIVE_STATUSES).order_by("name")
    )
    campaigns = selectors.campaigns_visible_to(user)
    source = request.POST if request.method == "POST" else request.GET
    enterprise = _pick(enterprises, source.get("enterprise"))
    campaign = _pick(campaigns, source.get("campaign"))
    version = _version_for(request, enterprise, campaign)
    official = not has_role(user, Role.ENTERPRISE_USER) or has_role(
        user, *selectors.INSPECTOR_ROLES
    )
    kind = request.GET.get("kind") if request.GET.get("kind") in kinds else kinds[0]
    initial = {
        "submission_key": new_submission_key(),
        "checklist_version": version,
        "kind": kind,
        "enterprise": enterprise,
        "campaign": campaign,
        "inspected_on": timezone.localdate(),
        "lead": user if official else None,
        "lead_name": "" if official else user.display_name,
    }
    return InspectionForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        kinds=kinds,
        enterprises=enterprises,
        campaigns=campaigns,
        versions=ChecklistVersion.objects.exclude(status=ChecklistStatus.DRAFT),
        version=version,
        officials=people_choices() if official else User.objects.none(),
    )


def _pick(qs: Any, pk: Any) -> Any:
    return qs.filter(pk=pk).first() if pk and str(pk).isdigit() else None


def _add_service_problems(request: HttpRequest, form: InspectionForm) -> None:
    """The service's own checks on what did parse, for fields the form found no fault with."""
    problems = services.inspection_problems(
        actor=request.user, data=form.header(), items=form.items(request.FILES)
    )
    for name, message in problems.items():
        if name in form.fields and name not in form.errors:
            form.add_error(name, message)


@role_required(*INSPECTION_READER_ROLES)
def inspection_create(request: HttpRequest) -> HttpResponse:
    kinds = services.allowed_kinds(request.user)
    if not kinds:
        raise PermissionDenied
    form = _inspection_form(request, kinds)
    if form.version is None:
        return _refused(request, _("尚无启用的检查表，请联系区安委办管理员。"))
    if request.method == "POST" and not form.is_valid():
        _add_service_problems(request, form)
    elif request.method == "POST":
        try:
            inspection, created = services.inspection_record(
                actor=request.user,
                submission_key=form.cleaned_data["submission_key"],
                data=form.header(),
                items=form.items(request.FILES),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except services.Conflict as exc:
            return _refused(request, exc.message)
        else:
            if created:
                messages.success(request, _("检查记录已保存。"))
            else:
                messages.info(request, _("该检查记录此前已提交成功，本次未重复保存。"))
            return redirect("inspections:detail", pk=inspection.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "inspections/inspection_form.html",
        {
            "form": form,
            "live_versions": selectors.live_versions(),
            "min_inspectors": active_policy().inspections.government_min_inspectors,
        },
        status=status,
    )


@role_required(*INSPECTION_READER_ROLES)
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection = selectors.inspection_get_for_user_or_404(user, pk)
    items = selectors.inspection_items(inspection)
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(item.checklist_item.get_category_display(), []).append(item)
    own = has_role(
        user, Role.ENTERPRISE_USER
    ) and inspection.enterprise_id in selectors.own_enterprise_ids(user)
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "groups": list(groups.items()),
            "inspectors": list(inspection.inspectors.select_related("unit").order_by("pk")),
            "failed": sum(1 for i in items if i.result == ItemResult.FAIL),
            "can_raise": has_role(user, *REGISTER_ROLES),
            "can_confirm": own and inspection.confirmed_at is None,
            "confirm_form": ConfirmForm(),
        },
    )


@require_POST
@role_required(Role.ENTERPRISE_USER)
def inspection_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get_for_user_or_404(request.user, pk)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.inspection_confirm(
                actor=request.user,
                inspection=inspection,
                representative_name=form.cleaned_data["representative_name"],
                remark=form.cleaned_data["remark"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except services.Conflict as exc:
            return _refused(request, exc.message)
        else:
            messages.success(request, _("已确认检查记录。"))
            return redirect("inspections:detail", pk=inspection.pk)
    messages.error(request, "；".join(m for errs in form.errors.values() for m in errs))
    return redirect("inspections:detail", pk=inspection.pk)


@role_required(*REGISTER_ROLES)
def item_hazard(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The failed item's hazard card, prefilled: one submit registers it and links both ways."""
    item = selectors.item_get_for_user_or_404(request.user, pk, item_pk)
    if item.hazard_id or item.result != ItemResult.FAIL:
        return _refused(request, _("该检查项已登记隐患卡或不是不合格项。"))
    prefill = services.hazard_prefill(item)
    form = HazardFromItemForm(request.POST or None, initial=prefill)
    if request.method == "POST" and form.is_valid():
        try:
            hazard = services.inspection_item_raise_hazard(
                actor=request.user, item=item, data=form.cleaned_data
            )
        except WorkflowError as exc:
            for name, message in (exc.fields or {"": "；".join(exc.messages)}).items():
                form.add_error(name if name in form.fields else None, str(message))
        except services.Conflict as exc:
            return _refused(request, exc.message)
        else:
            messages.success(request, _("已登记隐患卡 %s，并与检查项关联。") % hazard.card_no)
            return redirect("hazards:detail", pk=hazard.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "inspections/item_hazard.html",
        {"form": form, "item": item, "inspection": item.inspection, "prefill": prefill},
        status=status,
    )


@role_required(*INSPECTION_READER_ROLES)
def item_photo(request: HttpRequest, pk: int, item_pk: int) -> FileResponse:
    item = selectors.item_get_for_user_or_404(request.user, pk, item_pk)
    if not item.photo or not default_storage.exists(item.photo.name):
        raise Http404
    return FileResponse(
        default_storage.open(item.photo.name, "rb"),
        content_type=item.photo_content_type or "application/octet-stream",
    )
