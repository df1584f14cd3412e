"""Checklist pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hazardledger.org.models import Industry
from hazardledger.org.permissions import role_required
from hazardledger.org.selectors import has_role

from .. import selectors, services
from ..forms import (
    ChecklistCreateForm,
    ChecklistItemFormSet,
    VersionNoteForm,
    apply_errors,
    item_initial,
)
from ..models import ChecklistStatus
from ..selectors import (
    CHECKLIST_EDITOR_ROLES,
    INSPECTION_READER_ROLES,
)
from .common import _refused

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
