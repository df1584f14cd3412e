"""Pool pages: the district admin keeps the pool; readers browse it; an expert sees their own
assignments, and only while they are open."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hazardledger.org.models import Role
from hazardledger.org.permissions import role_required
from hazardledger.org.selectors import has_role
from hazardledger.policy.services import active_policy

from . import pool, selectors, services
from .forms import (
    CertificateForm,
    ConflictCheckForm,
    EngagementForm,
    ExpertForm,
    FilterForm,
    UnavailabilityForm,
    apply_errors,
)
from .models import Expert, ExpertAssignment

PAGE_SIZE = 50
BROWSE_ROLES = selectors.READER_ROLES | selectors.ASSIGNER_ROLES


def target_url(assignment: ExpertAssignment) -> str:
    """The page of an assignment's target: its own URL, or `<app>:detail` with `pk`."""
    target = assignment.target
    if target is None:
        return ""
    if hasattr(target, "get_absolute_url"):
        return target.get_absolute_url()
    try:
        return reverse(
            f"{assignment.content_type.app_label}:detail", kwargs={"pk": assignment.object_id}
        )
    except NoReverseMatch:
        return ""


def _rows(assignments: Any) -> list[dict[str, Any]]:
    out = []
    for a in assignments:
        target: Model | None = a.target
        out.append(
            {
                "a": a,
                "kind": a.content_type.model_class()._meta.verbose_name
                if a.content_type.model_class()
                else "",
                "label": str(target) if target is not None else _("（已删除）"),
                "url": target_url(a) if a.is_open else "",
            }
        )
    return out


@role_required(*BROWSE_ROLES)
def pool_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = filters.get("page") or 1
    start = (page - 1) * PAGE_SIZE
    rows = list(selectors.experts_listed(request.user, filters)[start : start + PAGE_SIZE + 1])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "experts/list.html",
        {
            "form": form,
            "experts": rows[:PAGE_SIZE],
            "page": page,
            "has_next": len(rows) > PAGE_SIZE,
            "query": query.urlencode(),
            "can_manage": has_role(request.user, *selectors.MANAGER_ROLES),
            "rules": active_policy().experts,
        },
    )


@role_required(*BROWSE_ROLES)
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    expert = selectors.expert_get_for_user_or_404(request.user, pk=pk)
    check = ConflictCheckForm(request.GET if "enterprise" in request.GET else None)
    reasons: list[str] | None = None
    if check.is_bound and check.is_valid():
        reasons = selectors.refusal_reasons(expert, check.cleaned_data["enterprise"])
    assignments = selectors.assignments_visible_to(request.user).filter(expert=expert)[:50]
    certificates = list(expert.certificates.all())
    today = timezone.localdate()
    for certificate in certificates:
        certificate.expired = certificate.valid_until < today
    return render(
        request,
        "experts/detail.html",
        {
            "expert": expert,
            "specialties": list(expert.specialties.all()),
            "certificates": certificates,
            "engagements": list(expert.engagements.select_related("enterprise")),
            "periods": list(expert.unavailable.all()),
            "assignments": _rows(assignments),
            "problems": selectors.availability_problems(expert),
            "check": check,
            "reasons": reasons,
            "can_manage": has_role(request.user, *selectors.MANAGER_ROLES),
            "can_release": has_role(request.user, *selectors.ASSIGNER_ROLES),
        },
    )


@role_required(*selectors.MANAGER_ROLES)
def expert_create(request: HttpRequest) -> HttpResponse:
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            expert = pool.expert_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已加入专家库：%s") % expert)
            return redirect("experts:detail", pk=expert.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "experts/form.html", {"form": form, "title": _("添加专家")}, status=status
    )


@role_required(*selectors.MANAGER_ROLES)
def expert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    expert = selectors.expert_get_for_user_or_404(request.user, pk=pk)
    form = ExpertForm(request.POST or None, expert=expert)
    if request.method == "POST" and form.is_valid():
        try:
            pool.expert_update(actor=request.user, expert=expert, **form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("experts:detail", pk=expert.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "experts/form.html",
        {"form": form, "expert": expert, "title": _("修改专家信息")},
        status=status,
    )


CHILD_FORMS = {
    "certificate": (CertificateForm, _("登记证书")),
    "engagement": (EngagementForm, _("登记受聘/服务记录")),
    "unavailable": (UnavailabilityForm, _("登记不可用时段")),
}


def _add_child(actor: Any, expert: Expert, kind: str, form: Any) -> None:
    data = dict(form.cleaned_data)
    if kind == "certificate":
        upload = data.pop("file", None)
        pool.certificate_add(actor=actor, expert=expert, data=data, upload=upload)
    elif kind == "engagement":
        pool.engagement_add(actor=actor, expert=expert, data=data)
    else:
        pool.unavailability_add(actor=actor, expert=expert, data=data)


@role_required(*selectors.MANAGER_ROLES)
def child_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in CHILD_FORMS:
        raise Http404
    expert = selectors.expert_get_for_user_or_404(request.user, pk=pk)
    form_class, title = CHILD_FORMS[kind]
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            _add_child(request.user, expert, kind, form)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记。"))
            return redirect("experts:detail", pk=expert.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "experts/form.html",
        {"form": form, "expert": expert, "title": title, "multipart": kind == "certificate"},
        status=status,
    )


@require_POST
@role_required(*selectors.MANAGER_ROLES)
def child_remove(request: HttpRequest, pk: int, kind: str, child: int) -> HttpResponse:
    expert = selectors.expert_get_for_user_or_404(request.user, pk=pk)
    related = {
        "certificate": (expert.certificates, pool.certificate_remove, "certificate"),
        "engagement": (expert.engagements, pool.engagement_remove, "engagement"),
        "unavailable": (expert.unavailable, pool.unavailability_remove, "period"),
    }.get(kind)
    if related is None:
        raise Http404
    manager, remove, argument = related
    obj = manager.filter(pk=child).first()
    if obj is None:
        raise Http404
    remove(actor=request.user, **{argument: obj})
    messages.success(request, _("已删除。"))
    return redirect("experts:detail", pk=expert.pk)


@role_required(*BROWSE_ROLES, Role.EXPERT)
def certificate_file(request: HttpRequest, pk: int, child: int) -> FileResponse:
    """Certificate scans are served only through the pool's scope, never from /media/."""
    expert = selectors.expert_get_for_user_or_404(request.user, pk=pk)
    certificate = expert.certificates.filter(pk=child).first()
    if certificate is None or not certificate.file:
        raise Http404
    try:
        handle = certificate.file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    suffix = certificate.file.name.rsplit(".", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=f"certificate-{child}.{suffix}")


@require_POST
@role_required(*selectors.ASSIGNER_ROLES)
def assignment_release(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignments_visible_to(request.user).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    try:
        services.expert_release(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已解除指派。"))
    return redirect("experts:detail", pk=assignment.expert_id)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The expert's own page: open assignments (what they may see now) and their record."""
    if not has_role(request.user, Role.EXPERT):
        raise PermissionDenied
    expert = selectors.expert_of(request.user)
    return render(
        request,
        "experts/mine.html",
        {
            "expert": expert,
            "assignments": _rows(selectors.assignments_for(request.user)),
            "certificates": list(expert.certificates.all()) if expert else [],
            "problems": selectors.availability_problems(expert) if expert else [],
        },
    )
