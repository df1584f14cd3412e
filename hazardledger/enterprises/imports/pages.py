"""The roster import pages: upload, preview with mapping and aliases, apply, report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hazardledger.lib.sheets.template import TemplateColumn, write_template
from hazardledger.lib.xlsx import Sheet, write_xlsx
from hazardledger.org.models import TERRITORY_KINDS, Industry, Role, Unit
from hazardledger.org.permissions import role_required
from hazardledger.org.selectors import has_role
from hazardledger.org.services import industry_alias_add

from .. import roster, services
from ..forms import ImportForm
from ..models import Category, ImportBatch, ImportKind, OperatingStatus, Scale
from ..selectors import REGULATOR_ROLES
from . import batch as batches
from .roster import FIELDS, RosterImporter
from .views import mapping_from_post, preview_context

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(name: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _batch(request: HttpRequest, pk: int) -> ImportBatch:
    qs = ImportBatch.objects.filter(pk=pk, kind=ImportKind.ROSTER)
    if not has_role(request.user, Role.DISTRICT_ADMIN):
        qs = qs.filter(created_by=request.user)
    found = qs.first()
    if found is None:
        raise Http404
    return found


@role_required(*REGULATOR_ROLES)
def upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        batch = services.roster_upload(
            actor=request.user,
            filename=file.name,
            source=file.read(),
            clear_blanks=bool(request.POST.get("clear_blanks")),
        )
        return redirect("enterprises:import_batch", batch.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "enterprises/import.html", {"form": form, "columns": roster.COLUMNS}, status=status
    )


@role_required(*REGULATOR_ROLES)
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    found = _batch(request, pk)
    context = preview_context(
        found,
        FIELDS,
        title=_("导入企业名录"),
        remap_url=reverse("enterprises:import_remap", args=[pk]),
        apply_url=reverse("enterprises:import_apply", args=[pk]),
        back_url=reverse("enterprises:import"),
        report_url=reverse("enterprises:import_errors", args=[pk]),
        show_clear_blanks=True,
        alias_url=reverse("enterprises:import_alias", args=[pk]),
        can_alias=has_role(request.user, Role.DISTRICT_ADMIN),
        industries=Industry.objects.order_by("code").values_list("pk", "code", "name"),
    )
    return render(request, "enterprises/import_preview.html", context)


def _recheck(request: HttpRequest, found: ImportBatch) -> None:
    importer = RosterImporter(actor=found.created_by, filename=found.filename)
    batches.check(batch=found, importer=importer)


@role_required(*REGULATOR_ROLES)
@require_POST
def remap(request: HttpRequest, pk: int) -> HttpResponse:
    found = _batch(request, pk)
    found.mapping = mapping_from_post(request, found, FIELDS)
    found.clear_blanks = bool(request.POST.get("clear_blanks"))
    if request.POST.get("save"):
        batches.save_mapping(actor=request.user, kind=ImportKind.ROSTER, mapping=found.mapping)
    _recheck(request, found)
    return redirect("enterprises:import_batch", pk)


@role_required(*REGULATOR_ROLES)
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    found = _batch(request, pk)
    try:
        services.roster_apply(actor=found.created_by, batch=found)
    except roster.ImportRejected as exc:
        messages.error(request, exc.errors[0].message)
    return redirect("enterprises:import_batch", pk)


@role_required(Role.DISTRICT_ADMIN)
@require_POST
def alias(request: HttpRequest, pk: int) -> HttpResponse:
    """把“餐饮业”视为 H62 餐饮业: the alias applies to this and every later import."""
    found = _batch(request, pk)
    industry = Industry.objects.filter(pk=request.POST.get("industry") or 0).first()
    if industry is None:
        messages.error(request, _("请选择行业领域"))
        return redirect("enterprises:import_batch", pk)
    try:
        industry_alias_add(
            actor=request.user, alias=request.POST.get("alias", ""), industry=industry
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        _recheck(request, found)
    return redirect("enterprises:import_batch", pk)


@role_required(*REGULATOR_ROLES)
def errors(request: HttpRequest, pk: int) -> HttpResponse:
    found = _batch(request, pk)
    if not found.errors:
        raise Http404
    rows = [[e["row"], e["column"], e["message"]] for e in found.errors]
    data = write_xlsx([Sheet("错误报告", ["行号", "列", "问题"], rows, [8, 24, 60])])
    return _xlsx("企业名录导入错误报告.xlsx", data)


def _labels(choices) -> list[str]:
    return [str(label) for _v, label in choices]


@role_required(*REGULATOR_ROLES)
def template(request: HttpRequest) -> HttpResponse:
    towns = list(
        Unit.objects.filter(kind__in=TERRITORY_KINDS, is_active=True).values_list("name", flat=True)
    )
    industries = list(Industry.objects.order_by("code").values_list("name", flat=True))
    choices = {
        "territory": towns,
        "industry": industries,
        "category": _labels(Category.choices),
        "scale": _labels(Scale.choices),
        "status": _labels(OperatingStatus.choices),
        "is_key_project": ["是", "否"],
    }
    examples = {
        "credit_code": "91370306MA3C000001",
        "name": "示例企业有限公司",
        "territory": towns[0] if towns else "",
        "industry": industries[0] if industries else "",
        "status": str(OperatingStatus.OPERATING.label),
        "staff_count": 20,
    }
    helps = {
        "credit_code": "18 位，已登记的信用代码更新该企业，其余新建",
        "industry": "行业领域名称，或国民经济行业分类（GB/T 4754-2017）代码或名称，"
        "如 C33、金属制品业",
        "territory_contact": "所属镇街的人员姓名或用户名",
        "regulator_contact": "行业主管部门的人员姓名或用户名",
    }
    columns = [
        TemplateColumn(
            c.title,
            helps.get(c.key, "可识别的列名：" + " / ".join(c.aliases)),
            examples.get(c.key, ""),
            choices.get(c.key, ()),
            c.width,
            required=c.key in roster.REQUIRED,
        )
        for c in roster.COLUMNS
    ]
    return _xlsx("企业名录模板.xlsx", write_template("企业名录", columns))
