"""Quick registration of a 一般隐患 on a phone (快速登记): few questions, the rest derived.

The card goes through `services.hazard_register`, the same service as the full form, so the
card number, the audit record and the notifications are shared.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hazardledger.enterprises.models import Enterprise
from hazardledger.enterprises.selectors import (
    enterprise_get_for_user_or_404,
    enterprises_visible_to,
)
from hazardledger.org.models import User
from hazardledger.org.selectors import has_role

from .forms import QuickHazardForm
from .models import HazardCategory, HazardLevel, HazardNature, HazardSource
from .views import bound_data, register_card
from .workflow import ENTERPRISE, OFFICERS, REGISTER_ROLES

# The select stays usable on a phone; a longer scope is narrowed with the search box.
MAX_OPTIONS = 100
SEARCH_FROM = 15
FOUND_BY_MAX = 100

# 基础管理类 items (systems, training, records) are management defects by definition; site
# findings are mostly unsafe conditions of things. The person may pick another nature.
NATURE_BY_CATEGORY = {
    HazardCategory.BASIC_MANAGEMENT: HazardNature.MANAGEMENT,
    HazardCategory.SITE_MANAGEMENT: HazardNature.THING,
}


def source_for(user: User) -> str:
    """Officers find hazards on inspections; an enterprise user on its own self-inspection."""
    if has_role(user, *OFFICERS):
        return HazardSource.GOVERNMENT_INSPECTION
    return HazardSource.SELF_INSPECTION


def card_data(user: User, cleaned: dict[str, Any]) -> dict[str, Any]:
    """The registration data of the service: the answers plus everything derived."""
    return {
        "location": cleaned["location"],
        "description": cleaned["description"],
        "category": cleaned["category"],
        "nature": cleaned.get("nature") or NATURE_BY_CATEGORY[cleaned["category"]],
        "level": HazardLevel.GENERAL,
        "source": source_for(user),
        "found_by": user.display_name[:FOUND_BY_MAX],
        "found_on": timezone.localdate(),
    }


def fixed_enterprise(user: User, visible: QuerySet[Enterprise]) -> Enterprise | None:
    """An enterprise user's only enterprise, which the page does not ask for."""
    if has_role(user, *OFFICERS) or not has_role(user, *ENTERPRISE):
        return None
    own = list(visible[:2])
    return own[0] if len(own) == 1 else None


def enterprise_options(visible: QuerySet[Enterprise], search: str) -> list[tuple[int, str]]:
    """At most MAX_OPTIONS + 1 enterprises matching the search (one more tells it was cut)."""
    if search:
        visible = visible.filter(Q(name__icontains=search) | Q(credit_code__icontains=search))
    rows = visible.order_by("name", "pk").values_list("pk", "name")[: MAX_OPTIONS + 1]
    return list(rows)


def _preselected(request: HttpRequest) -> dict[str, Any]:
    """`?enterprise=<pk>` (a link or QR code may name it); outside the scope is a 404."""
    pk = request.GET.get("enterprise", "")
    if not pk:
        return {}
    enterprise = enterprise_get_for_user_or_404(request.user, pk=pk)
    return {"enterprise": enterprise.pk}


def _options(
    visible: QuerySet[Enterprise], search: str, initial: dict[str, Any]
) -> tuple[list[tuple[int, str]], bool]:
    """The select's enterprises (the preselected one included) and whether the list was cut."""
    options = enterprise_options(visible, search)
    cut = len(options) > MAX_OPTIONS
    options = options[:MAX_OPTIONS]
    chosen = initial.get("enterprise")
    if chosen and chosen not in dict(options):
        options.insert(0, visible.values_list("pk", "name").get(pk=chosen))
    return options, cut


def _form_context(request: HttpRequest) -> tuple[QuickHazardForm, dict[str, Any]]:
    user = request.user
    visible = enterprises_visible_to(user)
    fixed = fixed_enterprise(user, visible)
    search = request.GET.get("q", "").strip()[:100]
    initial = _preselected(request)
    options, cut = (None, False) if fixed else _options(visible, search, initial)
    form = QuickHazardForm(
        *bound_data(request), user=user, fixed=fixed, options=options, initial=initial
    )
    context = {
        "form": form,
        "fixed": fixed,
        "search": search,
        "show_search": options is not None and (bool(search) or cut or len(options) > SEARCH_FROM),
        "cut": cut,
        "max_options": MAX_OPTIONS,
        "no_match": bool(search) and not options,
        "source_label": HazardSource(source_for(user)).label,
        "today": timezone.localdate(),
    }
    return form, context


@login_required
def quick(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, *REGISTER_ROLES):
        raise PermissionDenied
    form, context = _form_context(request)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            done = register_card(
                request,
                form,
                enterprise=data["enterprise"],
                data=card_data(request.user, data),
                photos=data["photos"],
            )
            if done is not None:
                return done
            status = 422
    return render(request, "hazards/quick.html", context, status=status)
