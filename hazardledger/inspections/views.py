"""Inspection pages: thin wrappers around selectors (reads) and services (writes)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hazardledger.enterprises.models import INACTIVE_STATUSES
from hazardledger.enterprises.selectors import (
    enterprise_get_for_user_or_404,
    enterprises_visible_to,
)
from hazardledger.hazards.workflow import REGISTER_ROLES
from hazardledger.lib.workflow import WorkflowError
from hazardledger.org.models import TERRITORY_KINDS, Industry, Role, Unit, UnitKind, User
from hazardledger.org.permissions import role_required
from hazardledger.org.selectors import has_role, industries_visible_to, territories_visible_to
from hazardledger.policy.services import active_policy

from . import exports, rules, selectors, services
from .forms import (
    BulkScheduleForm,
    CampaignForm,
    ChecklistCreateForm,
    ChecklistItemFormSet,
    ConfirmForm,
    HazardFromItemForm,
    InspectionFilterForm,
    InspectionForm,
    ScheduleForm,
    SelfFilterForm,
    VersionNoteForm,
    apply_errors,
    item_initial,
    new_submission_key,
    people_choices,
)
from .models import Checklist, ChecklistStatus, ChecklistVersion, ItemResult
from .selectors import (
    CAMPAIGN_MANAGER_ROLES,
    CAMPAIGN_READER_ROLES,
    CHECKLIST_EDITOR_ROLES,
    INSPECTION_READER_ROLES,
    SCHEDULE_MANAGER_ROLES,
)

PAGE_SIZE = 50
MISSED_PAGE_SIZE = 100


def _refused(request: HttpRequest, message: str, back: str = "") -> HttpResponse:
    return render(
        request, "inspections/refused.html", {"message": message, "back": back}, status=409
    )


def _xlsx(filename: str, data: bytes) -> HttpResponse:
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _page(request: HttpRequest, qs: Any, size: int = PAGE_SIZE) -> Any:
    return Paginator(qs, size).get_page(request.GET.get("page"))


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


# ---- checklists ---------------------------------------------------------------------------


@role_required(*INSPECTION_READER_ROLES)
def checklists(request: HttpRequest) -> HttpResponse:
    user = request.user
    versions = (
        selectors.checklist_versions_visible_to(user)
        .annotate(
            item_count=Count("items", distinct=True),
            inspection_count=Count("inspections", distinct=True),
        )
        .order_by("-number")
    )
    rows = selectors.checklists_visible_to(user).prefetch_related(
        Prefetch("versions", queryset=versions, to_attr="visible_versions")
    )
    return render(
        request,
        "inspections/checklists.html",
        {
            "checklists": rows,
            "can_edit": has_role(user, *CHECKLIST_EDITOR_ROLES),
        },
    )


@role_required(*CHECKLIST_EDITOR_ROLES)
def checklist_create(request: HttpRequest) -> HttpResponse:
    form = ChecklistCreateForm(request.POST or None, industries=Industry.objects.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.checklist_create(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                industries=data["industries"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("inspections:checklist_edit", pk=version.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/checklist_create.html", {"form": form}, status=status)


@role_required(*INSPECTION_READER_ROLES)
def checklist_version(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.checklist_version_get_for_user_or_404(request.user, pk)
    groups: dict[str, list] = {}
    for item in version.items.all():
        groups.setdefault(item.get_category_display(), []).append(item)
    return render(
        request,
        "inspections/checklist_version.html",
        {
            "version": version,
            "groups": list(groups.items()),
            "other_versions": selectors.checklist_versions_visible_to(request.user)
            .filter(checklist=version.checklist)
            .exclude(pk=version.pk),
            "can_edit": has_role(request.user, *CHECKLIST_EDITOR_ROLES),
            "inspection_count": version.inspections.count(),
        },
    )


@role_required(*CHECKLIST_EDITOR_ROLES)
def checklist_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.checklist_version_get_for_user_or_404(request.user, pk)
    if version.status == ChecklistStatus.ARCHIVED:
        return _refused(request, _("已停用的版本不能修改。"))
    formset = ChecklistItemFormSet(
        request.POST or None, initial=item_initial(list(version.items.all()))
    )
    note = VersionNoteForm(request.POST or None)
    if request.method == "POST" and formset.is_valid() and note.is_valid():
        specs = [s for s in (f.spec() for f in formset.forms) if s is not None]
        try:
            saved = services.checklist_version_save(
                actor=request.user, version=version, items=specs, note=note.cleaned_data["note"]
            )
        except ValidationError as exc:
            for messages_ in exc.message_dict.values():
                for message in messages_:
                    note.add_error(None, message)
        except services.Conflict as exc:
            return _refused(request, exc.message)
        else:
            if saved.pk != version.pk:
                messages.success(
                    request,
                    _("已生成新版本草稿（第 %d 版）；原启用版本和历史检查记录保持不变。")
                    % saved.number,
                )
            else:
                messages.success(request, _("草稿已保存。"))
            return redirect("inspections:checklist_version", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "inspections/checklist_edit.html",
        {"version": version, "formset": formset, "note": note},
        status=status,
    )


@require_POST
@role_required(*CHECKLIST_EDITOR_ROLES)
def checklist_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.checklist_version_get_for_user_or_404(request.user, pk)
    try:
        services.checklist_publish(actor=request.user, version=version)
    except ValidationError as exc:
        return _refused(request, "；".join(exc.messages))
    except services.Conflict as exc:
        return _refused(request, exc.message)
    messages.success(request, _("第 %d 版已启用，原启用版本已停用。") % version.number)
    return redirect("inspections:checklist_version", pk=version.pk)


@require_POST
@role_required(*CHECKLIST_EDITOR_ROLES)
def checklist_archive(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.checklist_version_get_for_user_or_404(request.user, pk)
    try:
        services.checklist_archive(actor=request.user, version=version)
    except services.Conflict as exc:
        return _refused(request, exc.message)
    messages.success(request, _("已停用。"))
    return redirect("inspections:checklist_version", pk=version.pk)


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
