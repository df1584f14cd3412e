"""The ledger import pages: upload, preview (with the mapping to correct), apply, template."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hazardledger.enterprises.imports.views import mapping_from_post, preview_context

from ..forms import ImportForm
from .fields import FIELDS
from .services import batch_for, can_import, ledger_confirm, ledger_remap, ledger_upload
from .template import template_bytes


def _require(request: HttpRequest) -> None:
    if not can_import(request.user):
        raise PermissionDenied


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        batch = ledger_upload(actor=request.user, filename=file.name, data=file.read())
        return redirect("hazards:import_batch", batch.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "hazards/import.html", {"form": form}, status=status)


@login_required
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    found = batch_for(request.user, pk)
    context = preview_context(
        found,
        FIELDS,
        title=_("导入隐患台账"),
        remap_url=reverse("hazards:import_remap", args=[pk]),
        apply_url=reverse("hazards:import_apply", args=[pk]),
        back_url=reverse("hazards:import"),
    )
    return render(request, "enterprises/import_preview.html", context)


@login_required
@require_POST
def remap(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    found = batch_for(request.user, pk)
    mapping = mapping_from_post(request, found, FIELDS)
    ledger_remap(
        actor=request.user, batch_id=pk, mapping=mapping, save=bool(request.POST.get("save"))
    )
    return redirect("hazards:import_batch", pk)


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    ledger_confirm(actor=request.user, batch_id=pk)
    return redirect("hazards:import_batch", pk)


@login_required
def template(request: HttpRequest) -> HttpResponse:
    _require(request)
    response = HttpResponse(
        template_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E9%9A%90%E6%82%A3%E5%8F%B0%E8%B4%A6%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response
