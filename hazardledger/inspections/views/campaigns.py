"""Campaign pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.org.models import TERRITORY_KINDS, Industry, Role, Unit, UnitKind, User
from hazardledger.org.permissions import role_required
from hazardledger.org.selectors import has_role
from hazardledger.policy.services import active_policy

from .. import exports, rules, selectors, services
from ..forms import (
    CampaignForm,
    apply_errors,
)
from ..models import Checklist, ChecklistStatus
from ..selectors import (
    CAMPAIGN_MANAGER_ROLES,
    CAMPAIGN_READER_ROLES,
)
from .common import _page, _xlsx

# ---- campaigns ----------------------------------------------------------------------------


@role_required(*CAMPAIGN_READER_ROLES)
def campaigns(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    rows = (
        selectors.campaigns_visible_to(user)
        .annotate(inspection_count=Count("inspections", distinct=True))
        .order_by("-starts_on", "-pk")
    )
    page = _page(request, rows)
    for campaign in page:
        campaign.phase = rules.PHASE_LABELS[
            rules.campaign_phase(campaign.starts_on, campaign.ends_on, today)
        ]
    return render(
        request,
        "inspections/campaigns.html",
        {
            "page": page,
            "can_manage": has_role(user, *CAMPAIGN_MANAGER_ROLES),
            "leaders": selectors.leader_inspections(user),
        },
    )


def _campaign_form(request: HttpRequest, **kwargs: Any) -> CampaignForm:
    user = request.user
    committees = Unit.objects.filter(kind=UnitKind.PROFESSIONAL_COMMITTEE, is_active=True)
    if not has_role(user, Role.DISTRICT_ADMIN):
        committees = committees.filter(pk=getattr(user.unit, "pk", None))
    leader_ids = User.objects.filter(role_grants__role=Role.DISTRICT_LEADER, is_active=True)
    return CampaignForm(
        request.POST or None,
        leaders=User.objects.filter(pk__in=leader_ids.values("pk")).select_related("unit"),
        committees=committees,
        territories=Unit.objects.filter(kind__in=TERRITORY_KINDS).order_by("sort_order", "code"),
        industries=Industry.objects.order_by("sort_order", "code"),
        checklists=Checklist.objects.filter(versions__status=ChecklistStatus.LIVE).distinct(),
        **kwargs,
    )


def _save_campaign(request: HttpRequest, form: CampaignForm, campaign: Any = None) -> Any:
    try:
        return services.campaign_save(actor=request.user, data=form.cleaned_data, campaign=campaign)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None


@role_required(*CAMPAIGN_MANAGER_ROLES)
def campaign_create(request: HttpRequest) -> HttpResponse:
    policy = active_policy().inspections
    form = _campaign_form(
        request,
        initial={
            "starts_on": timezone.localdate(),
            "ends_on": policy.coverage_deadline,
            "committee": request.user.unit
            if has_role(request.user, Role.COMMITTEE_MEMBER)
            else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        campaign = _save_campaign(request, form)
        if campaign is not None:
            messages.success(request, _("已建立大检查“%s”。") % campaign.name)
            return redirect("inspections:campaign", pk=campaign.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/campaign_form.html", {"form": form}, status=status)


@role_required(*CAMPAIGN_MANAGER_ROLES)
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get_for_user_or_404(request.user, pk)
    initial = {
        "name": campaign.name,
        "description": campaign.description,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "leader": campaign.leader,
        "committee": campaign.committee,
        "territories": list(campaign.territories.all()),
        "industries": list(campaign.industries.all()),
        "categories": campaign.categories,
        "checklist": campaign.checklist,
    }
    form = _campaign_form(request, initial=initial)
    saved = request.method == "POST" and form.is_valid() and _save_campaign(request, form, campaign)
    if saved:
        messages.success(request, _("已保存。"))
        return redirect("inspections:campaign", pk=campaign.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "inspections/campaign_form.html",
        {"form": form, "campaign": campaign},
        status=status,
    )


@role_required(*CAMPAIGN_READER_ROLES)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = selectors.campaign_get_for_user_or_404(user, pk)
    today = timezone.localdate()
    deadline = active_policy().inspections.coverage_deadline
    total = selectors.coverage_total(user, campaign)
    return render(
        request,
        "inspections/campaign_detail.html",
        {
            "campaign": campaign,
            "phase": rules.PHASE_LABELS[
                rules.campaign_phase(campaign.starts_on, campaign.ends_on, today)
            ],
            "total": total,
            "deadline": deadline,
            "deadline_passed": today > deadline and total.not_inspected > 0,
            "sections": [
                (_("按镇街"), selectors.coverage_by(user, campaign, "territory")),
                (_("按行业主管部门"), selectors.coverage_by(user, campaign, "department")),
                (_("按行业"), selectors.coverage_by(user, campaign, "industry")),
            ],
            "leaders": selectors.leader_inspections(user, campaign),
            "territories": list(campaign.territories.all()),
            "industries": list(campaign.industries.all()),
            "can_manage": has_role(user, *CAMPAIGN_MANAGER_ROLES),
            "can_inspect": bool(services.allowed_kinds(user))
            and not has_role(user, Role.ENTERPRISE_USER),
        },
    )


TARGET_STATES = {
    "not_inspected": _("未检查"),
    "inspected": _("已检查"),
    "with_hazards": _("发现隐患"),
    "all": _("全部"),
}


@role_required(*CAMPAIGN_READER_ROLES)
def campaign_targets(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = selectors.campaign_get_for_user_or_404(user, pk)
    state = request.GET.get("state", "not_inspected")
    if state not in TARGET_STATES:
        state = "not_inspected"
    page = _page(request, selectors.target_rows(user, campaign, state))
    return render(
        request,
        "inspections/campaign_targets.html",
        {
            "campaign": campaign,
            "page": page,
            "state": state,
            "states": [(k, str(v)) for k, v in TARGET_STATES.items()],
            "state_label": TARGET_STATES[state],
            "can_inspect": bool(services.allowed_kinds(user))
            and not has_role(user, Role.ENTERPRISE_USER),
        },
    )


@role_required(*CAMPAIGN_READER_ROLES)
def campaign_export(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get_for_user_or_404(request.user, pk)
    data = exports.campaign_workbook(request.user, campaign)
    return _xlsx(f"coverage-{campaign.pk}-{timezone.localdate():%Y%m%d}.xlsx", data)
