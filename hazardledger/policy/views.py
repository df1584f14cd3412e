from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hazardledger.org.models import Role
from hazardledger.org.navigation import OFFICIAL_ROLES
from hazardledger.org.permissions import role_required
from hazardledger.org.selectors import has_role

from .forms import PolicyUploadForm
from .models import PolicyProfile
from .services import NoActivePolicy, PolicyFileError, active_policy, parse_policy, policy_store

WEEKDAYS = [
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
]


@role_required(*OFFICIAL_ROLES)
def overview(request: HttpRequest) -> HttpResponse:
    try:
        policy = active_policy()
    except NoActivePolicy:
        policy = None
    profiles = PolicyProfile.objects.only("code", "name", "valid_from", "valid_until", "is_active")
    return render(
        request,
        "policy/overview.html",
        {
            "policy": policy,
            "profiles": profiles,
            "can_upload": has_role(request.user, Role.DISTRICT_ADMIN),
            "bulletin_weekday": WEEKDAYS[policy.reporting.weekly_bulletin_weekday - 1]
            if policy
            else "",
        },
    )


@role_required(Role.DISTRICT_ADMIN)
def upload(request: HttpRequest) -> HttpResponse:
    form = PolicyUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            data = parse_policy(raw)
        except PolicyFileError as exc:
            errors = exc.messages
        else:
            profile = policy_store(
                actor=request.user, data=data, source=raw, activate=form.cleaned_data["activate"]
            )
            messages.success(request, _("已载入政策参数方案“%s”。") % profile.name)
            return redirect("policy:overview")
    status = 400 if request.method == "POST" else 200
    return render(request, "policy/upload.html", {"form": form, "errors": errors}, status=status)
