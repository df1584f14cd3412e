"""Notification letters (告知信): generate, download, record distribution, coverage."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hazardledger.lib.workflow import WorkflowError
from hazardledger.org.models import Industry
from hazardledger.org.permissions import role_required
from hazardledger.org.selectors import has_role, industries_visible_to

from . import services
from .forms import DistributionForm, LetterForm
from .models import Distribution, Letter
from .services.letters import DISTRIBUTOR_ROLES, LETTER_ROLES, letter_enterprises

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _letters_for(user):
    letters = Letter.objects.select_related("enterprise", "industry")
    if has_role(user, *LETTER_ROLES):
        return letters
    return letters.filter(enterprise__in=letter_enterprises(user)) | letters.filter(
        industry__in=industries_visible_to(user)
    )


@role_required(*DISTRIBUTOR_ROLES)
@require_http_methods(["GET", "POST"])
def letters(request: HttpRequest) -> HttpResponse:
    industries = (
        Industry.objects.all()
        if has_role(request.user, *LETTER_ROLES)
        else industries_visible_to(request.user)
    )
    form = LetterForm(request.POST or None, industries=industries.order_by("name"))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = None
        if data.get("enterprise_id"):
            enterprise = letter_enterprises(request.user).filter(pk=data["enterprise_id"]).first()
            if enterprise is None:
                form.add_error("enterprise_id", _("未找到该企业"))
        if not form.errors:
            try:
                services.letter_create(
                    actor=request.user, enterprise=enterprise, industry=data.get("industry")
                )
            except WorkflowError as exc:
                form.add_error(None, "；".join(exc.messages))
            else:
                return redirect("tipoffs:letters")
        status = 422
    elif form.errors:
        status = 422
    return render(
        request,
        "tipoffs/letters.html",
        {
            "form": form,
            "letters": _letters_for(request.user).distinct().order_by("-pk")[:100],
            "by_territory": services.coverage(request.user, "territory"),
            "by_industry": services.coverage(request.user, "industry"),
            "can_create": has_role(request.user, *LETTER_ROLES),
            "distribution_form": DistributionForm(),
            "recent": Distribution.objects.filter(
                enterprise__in=letter_enterprises(request.user)
            ).select_related("enterprise")[:50],
        },
        status=status,
    )


@role_required(*DISTRIBUTOR_ROLES)
def letter_download(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letters_for(request.user).filter(pk=pk).first()
    if letter is None:
        raise Http404
    response = HttpResponse(services.letter_render(letter), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="gaozhixin-{letter.pk}.docx"'
    return response


@role_required(*DISTRIBUTOR_ROLES)
@require_POST
def distribute(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letters_for(request.user).filter(pk=pk).first()
    if letter is None:
        raise Http404
    form = DistributionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        enterprise = letter_enterprises(request.user).filter(pk=data["enterprise_id"]).first()
        if enterprise is None:
            form.add_error("enterprise_id", _("未找到该企业"))
        else:
            try:
                services.distribution_record(
                    actor=request.user,
                    letter=letter,
                    enterprise=enterprise,
                    distributed_on=data["distributed_on"],
                    copies=data["copies"],
                    workers_reached=data["workers_reached"],
                )
            except WorkflowError as exc:
                for name, message in exc.fields.items():
                    form.add_error(name if name in form.fields else None, message)
            else:
                return redirect("tipoffs:letters")
    return render(
        request,
        "tipoffs/action.html",
        {"tipoff": None, "form": form, "label": _("登记发放")},
        status=422,
    )
