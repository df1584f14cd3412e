"""Self-inspection schedules and missed self-inspections."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hazardledger.enterprises.selectors import (
    enterprise_get_for_user_or_404,
)
from hazardledger.org.models import Role
from hazardledger.org.permissions import role_required
from hazardledger.org.selectors import has_role, industries_visible_to, territories_visible_to
from hazardledger.policy.services import active_policy

from .. import exports, selectors, services
from ..forms import (
    BulkScheduleForm,
    ScheduleForm,
    SelfFilterForm,
    apply_errors,
)
from ..models import Checklist
from ..selectors import (
    CAMPAIGN_READER_ROLES,
    INSPECTION_READER_ROLES,
    SCHEDULE_MANAGER_ROLES,
)
from .common import MISSED_PAGE_SIZE, _xlsx

# ---- self-inspection ----------------------------------------------------------------------


def _self_filters(request: HttpRequest) -> tuple[SelfFilterForm, dict[str, Any]]:
    user = request.user
    form = SelfFilterForm(
        request.GET or None,
        territories=territories_visible_to(user).order_by("sort_order", "code"),
        industries=industries_visible_to(user).order_by("sort_order", "code"),
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, {
            "territory_id": data["territory"].pk if data["territory"] else None,
            "industry_id": data["industry"].pk if data["industry"] else None,
        }
    return form, {}


@role_required(*INSPECTION_READER_ROLES)
def self_inspection(request: HttpRequest) -> HttpResponse:
    user = request.user
    cadence = active_policy().inspections.self_inspection_cadence_days
    today = timezone.localdate()
    if has_role(user, Role.ENTERPRISE_USER) and not has_role(user, *CAMPAIGN_READER_ROLES):
        schedules = list(selectors.schedules_visible_to(user))
        return render(
            request,
            "inspections/self_enterprise.html",
            {
                "states": selectors.schedule_states(schedules, cadence, today),
                "cadence": cadence,
            },
        )
    form, filters = _self_filters(request)
    rows = selectors.missed_self_inspections(user, cadence, today, **filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "inspections/self_inspection.html",
        {
            "form": form,
            "page": Paginator(rows, MISSED_PAGE_SIZE).get_page(request.GET.get("page")),
            "missed_total": len(rows),
            "missed_enterprises": len({r.state.schedule.enterprise_id for r in rows}),
            "cadence": cadence,
            "query": query.urlencode(),
            "without_schedule": selectors.enterprises_without_schedule(user).count()
            if has_role(user, *SCHEDULE_MANAGER_ROLES)
            else None,
            "bulk_form": BulkScheduleForm(),
        },
    )


@role_required(*CAMPAIGN_READER_ROLES)
def self_export(request: HttpRequest) -> HttpResponse:
    _form, filters = _self_filters(request)
    cadence = active_policy().inspections.self_inspection_cadence_days
    rows = selectors.missed_self_inspections(request.user, cadence, timezone.localdate(), **filters)
    return _xlsx(
        f"missed-self-inspections-{timezone.localdate():%Y%m%d}.xlsx", exports.missed_workbook(rows)
    )


@require_POST
@role_required(*SCHEDULE_MANAGER_ROLES)
def schedules_create(request: HttpRequest) -> HttpResponse:
    form = BulkScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(m for errs in form.errors.values() for m in errs))
        return redirect("inspections:self")
    count = services.schedules_create_missing(
        actor=request.user, starts_on=form.cleaned_data["starts_on"]
    )
    messages.success(request, _("已为 %d 家企业建立自查计划。") % count)
    return redirect("inspections:self")


@role_required(*SCHEDULE_MANAGER_ROLES)
def schedule_edit(request: HttpRequest, enterprise_pk: int) -> HttpResponse:
    enterprise = enterprise_get_for_user_or_404(request.user, pk=enterprise_pk)
    schedule = selectors.schedule_for_enterprise(enterprise)
    initial = {"starts_on": timezone.localdate(), "is_active": True}
    if schedule is not None:
        initial = {
            "starts_on": schedule.starts_on,
            "cadence_days": schedule.cadence_days,
            "checklist": schedule.checklist,
            "is_active": schedule.is_active,
        }
    form = ScheduleForm(request.POST or None, initial=initial, checklists=Checklist.objects.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_save(actor=request.user, enterprise=enterprise, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存 %s 的自查计划。") % enterprise.name)
            return redirect("inspections:self")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "inspections/schedule_form.html",
        {
            "form": form,
            "enterprise": enterprise,
            "cadence": active_policy().inspections.self_inspection_cadence_days,
        },
        status=status,
    )
