from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from hazardledger.lib.xlsx import Sheet, write_xlsx
from hazardledger.org.models import TERRITORY_KINDS, Role, Unit
from hazardledger.org.permissions import role_required
from hazardledger.org.selectors import (
    has_role,
    industries_visible_to,
    territories_visible_to,
)

from . import coverage as cov
from . import dossier, roster, services
from .forms import (
    EnterpriseForm,
    FilterForm,
    ProcedureForm,
    ProcedureKindForm,
    RuleForm,
    SelfServiceForm,
    ServiceRecordForm,
    StatusForm,
    apply_errors,
)
from .models import Enterprise, EnterpriseRule, ProcedureKind, ServiceRecord
from .selectors import (
    COVERAGE_ROLES,
    READER_ROLES,
    REGULATOR_ROLES,
    ListFilters,
    can_file_documents,
    can_regulate,
    editable_fields,
    enterprise_get_for_user_or_404,
    enterprises_filtered,
    enterprises_visible_to,
    missing_procedure_kinds,
    missing_rule_kinds,
)

PAGE_SIZE = 50
IMPORT_ERRORS_KEY = "enterprises:import_errors"


def _xlsx(filename: str, data: bytes) -> HttpResponse:
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _filters(request: HttpRequest) -> tuple[FilterForm, ListFilters, int]:
    user = request.user
    # Officials may filter by any territory (a department's enterprises lie in many); the
    # filter narrows the visible set, it never widens it.
    territories = (
        territories_visible_to(user)
        if not has_role(user, *COVERAGE_ROLES)
        else Unit.objects.filter(kind__in=TERRITORY_KINDS, is_active=True)
    )
    form = FilterForm(
        request.GET or None,
        territories=territories.order_by("sort_order", "code"),
        industries=industries_visible_to(user).order_by("sort_order", "code"),
    )
    if not form.is_bound or not form.is_valid():
        return form, ListFilters(), 1
    data = form.cleaned_data
    filters = ListFilters(
        q=data["q"],
        territory_id=data["territory"].pk if data["territory"] else None,
        industry_id=data["industry"].pk if data["industry"] else None,
        status=data["status"],
        category=data["category"],
        procedures=data["procedures"],
        key_project=data["key_project"],
    )
    return form, filters, data["page"] or 1


@role_required(*READER_ROLES)
def enterprise_list(request: HttpRequest) -> HttpResponse:
    form, filters, page = _filters(request)
    qs = enterprises_filtered(enterprises_visible_to(request.user), filters)
    # One row past the page tells whether there is a next page, without a COUNT(*).
    rows = list(qs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    # The registry is ~10^5 rows: an exact count of the filtered, scoped list stays cheap.
    total = qs.order_by().count()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/list.html",
        {
            "form": form,
            "enterprises": rows[:PAGE_SIZE],
            "page": page,
            "has_next": len(rows) > PAGE_SIZE,
            "total": total,
            "pages": max(1, -(-total // PAGE_SIZE)),
            "query": query.urlencode(),
            "can_create": has_role(request.user, *REGULATOR_ROLES),
            "can_import": has_role(request.user, *REGULATOR_ROLES),
            "is_admin": has_role(request.user, Role.DISTRICT_ADMIN),
        },
    )


@role_required(*READER_ROLES)
def enterprise_export(request: HttpRequest) -> HttpResponse:
    _form, filters, _page = _filters(request)
    qs = enterprises_filtered(enterprises_visible_to(request.user), filters)
    data = write_xlsx(
        [Sheet("企业名录", roster.export_headers(), roster.export_rows(qs), roster.export_widths())]
    )
    return _xlsx(f"企业名录-{timezone.localdate():%Y%m%d}.xlsx", data)


def _detail_context(request: HttpRequest, enterprise: Enterprise) -> dict[str, Any]:
    user = request.user
    regulator = can_regulate(user, enterprise)
    return {
        "e": enterprise,
        "procedures": list(enterprise.procedures.select_related("kind")),
        "missing_kinds": missing_procedure_kinds(enterprise),
        "rules": list(enterprise.rules.all()),
        "missing_rules": missing_rule_kinds(enterprise),
        "services": list(enterprise.services.all()),
        "history": list(enterprise.status_changes.select_related("changed_by")[:50]),
        "sections": dossier.render_sections(request, enterprise),
        "can_regulate": regulator,
        "can_file": regulator or can_file_documents(user, enterprise),
        "can_edit": bool(editable_fields(user, enterprise, services.REGISTRY_FIELDS)),
        "today": timezone.localdate(),
    }


def _get(request: HttpRequest, code: str) -> Enterprise:
    return enterprise_get_for_user_or_404(request.user, credit_code=code)


@role_required(*READER_ROLES)
def enterprise_detail(request: HttpRequest, code: str) -> HttpResponse:
    enterprise = _get(request, code)
    return render(request, "enterprises/detail.html", _detail_context(request, enterprise))


@role_required(*READER_ROLES)
def enterprise_print(request: HttpRequest, code: str) -> HttpResponse:
    enterprise = _get(request, code)
    context = _detail_context(request, enterprise) | {"printed_at": timezone.localtime()}
    return render(request, "enterprises/dossier_print.html", context)


@role_required(*REGULATOR_ROLES)
def enterprise_create(request: HttpRequest) -> HttpResponse:
    form = EnterpriseForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_create(actor=request.user, data=form.service_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已建档：%s") % enterprise.name)
            return redirect("enterprises:detail", code=enterprise.credit_code)
    status = 400 if request.method == "POST" else 200
    return render(request, "enterprises/form.html", {"form": form, "creating": True}, status=status)


@role_required(*READER_ROLES)
def enterprise_edit(request: HttpRequest, code: str) -> HttpResponse:
    enterprise = _get(request, code)
    allowed = editable_fields(request.user, enterprise, services.REGISTRY_FIELDS)
    if not allowed:
        raise PermissionDenied
    self_service = allowed != services.REGISTRY_FIELDS
    # The enterprise's form never sends other fields: a request that does is refused.
    if request.method == "POST" and set(request.POST) & (services.REGISTRY_FIELDS - allowed):
        raise PermissionDenied
    form_class = SelfServiceForm if self_service else EnterpriseForm
    form = form_class(request.POST or None, instance=enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_update(
                actor=request.user, enterprise=enterprise, data=form.service_data()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("enterprises:detail", code=enterprise.credit_code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "enterprises/form.html",
        {"form": form, "e": enterprise, "self_service": self_service},
        status=status,
    )


def _regulated(request: HttpRequest, code: str) -> Enterprise:
    """The enterprise, 404 outside the scope, 403 for those who may only read it."""
    enterprise = _get(request, code)
    if not can_regulate(request.user, enterprise):
        raise PermissionDenied
    return enterprise


@role_required(*READER_ROLES)
def enterprise_status(request: HttpRequest, code: str) -> HttpResponse:
    enterprise = _regulated(request, code)
    form = StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_change_status(
                actor=request.user, enterprise=enterprise, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("经营状态已变更。"))
            return redirect("enterprises:detail", code=enterprise.credit_code)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "enterprises/status.html", {"form": form, "e": enterprise}, status=status
    )


@role_required(*READER_ROLES)
def procedure_form(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    enterprise = _regulated(request, code)
    procedure = None
    if pk is not None:
        procedure = enterprise.procedures.filter(pk=pk).first()
        if procedure is None:
            raise Http404
    form = ProcedureForm(request.POST or None, instance=procedure)
    if request.method == "POST" and form.is_valid():
        try:
            if procedure is None:
                services.procedure_add(
                    actor=request.user, enterprise=enterprise, data=form.cleaned_data
                )
            else:
                services.procedure_update(
                    actor=request.user, procedure=procedure, data=form.cleaned_data
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("手续已保存。"))
            return redirect("enterprises:detail", code=enterprise.credit_code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "enterprises/simple_form.html",
        {"form": form, "e": enterprise, "title": _("编辑手续") if procedure else _("登记手续")},
        status=status,
    )


def _document_form(request: HttpRequest, code: str, form_class: Any, title: str) -> HttpResponse:
    enterprise = _get(request, code)
    if not can_file_documents(request.user, enterprise):
        raise PermissionDenied
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if form_class is RuleForm:
                services.rule_add(
                    actor=request.user,
                    enterprise=enterprise,
                    data=data,
                    document=data.pop("document"),
                )
            else:
                services.service_record_add(
                    actor=request.user, enterprise=enterprise, data=data, report=data.pop("report")
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记。"))
            return redirect("enterprises:detail", code=enterprise.credit_code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "enterprises/simple_form.html",
        {"form": form, "e": enterprise, "title": title, "multipart": True},
        status=status,
    )


@role_required(*READER_ROLES)
def rule_add(request: HttpRequest, code: str) -> HttpResponse:
    return _document_form(request, code, RuleForm, _("登记企业制度"))


@role_required(*READER_ROLES)
def service_add(request: HttpRequest, code: str) -> HttpResponse:
    return _document_form(request, code, ServiceRecordForm, _("登记技术服务/专家诊断"))


@role_required(*READER_ROLES)
def attachment(request: HttpRequest, code: str, kind: str, pk: int) -> FileResponse:
    """Attached files are served only through the enterprise's scope, never from /media/."""
    enterprise = _get(request, code)
    model, name = {"rule": (EnterpriseRule, "document"), "service": (ServiceRecord, "report")}.get(
        kind, (None, "")
    )
    obj = model.objects.filter(enterprise=enterprise, pk=pk).first() if model else None
    file = getattr(obj, name, None)
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    suffix = file.name.rsplit(".", 1)[-1] if "." in file.name else "bin"
    return FileResponse(handle, as_attachment=True, filename=f"{enterprise.name}-{pk}.{suffix}")


@role_required(*COVERAGE_ROLES)
def coverage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "enterprises/coverage.html",
        {
            "c": cov.coverage_for(request.user),
            "limit": cov.LIST_LIMIT,
            "count_headers": cov.COUNT_HEADERS,
        },
    )


@role_required(*COVERAGE_ROLES)
def coverage_export(request: HttpRequest) -> HttpResponse:
    c = cov.coverage_for(request.user)
    count_headers = ["企业总数", *cov.COUNT_HEADERS, "手续不全"]
    data = write_xlsx(
        [
            Sheet(
                "监管盲区",
                ["类别", "对象", "统一社会信用代码", "所属镇街", "行业领域"],
                cov.gap_rows(request.user, c),
                [18, 30, 22, 16, 16],
            ),
            Sheet(
                "按镇街统计", ["镇街", *count_headers], (cov.count_row(r) for r in c.by_territory)
            ),
            Sheet(
                "按部门统计", ["部门", *count_headers], (cov.count_row(r) for r in c.by_department)
            ),
        ]
    )
    return _xlsx(f"监管盲区-{timezone.localdate():%Y%m%d}.xlsx", data)


@role_required(Role.DISTRICT_ADMIN)
def procedure_kinds(request: HttpRequest) -> HttpResponse:
    kinds: QuerySet[ProcedureKind] = ProcedureKind.objects.prefetch_related("industries")
    return render(request, "enterprises/procedure_kinds.html", {"kinds": kinds})


@role_required(Role.DISTRICT_ADMIN)
def procedure_kind_form(request: HttpRequest, code: str | None = None) -> HttpResponse:
    kind = None
    if code is not None:
        kind = ProcedureKind.objects.filter(code=code).first()
        if kind is None:
            raise Http404
    form = ProcedureKindForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if kind is None and ProcedureKind.objects.filter(code=data["code"]).exists():
            form.add_error("code", _("该代码已存在"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.procedure_kind_upsert(
                actor=request.user,
                code=kind.code if kind else data["code"],
                name=data["name"],
                industries=data["industries"],
                sort_order=data["sort_order"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("手续种类已保存。"))
            return redirect("enterprises:procedure_kinds")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "enterprises/simple_form.html",
        {"form": form, "title": _("手续种类"), "back": "enterprises:procedure_kinds"},
        status=status,
    )
