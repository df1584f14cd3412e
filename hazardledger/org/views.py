from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Role, UnitKind
from .navigation import OFFICIAL_ROLES, home_actions_for
from .permissions import role_required
from .selectors import (
    industries_visible_to,
    roles_of,
    scope_for,
    territories_visible_to,
    units_visible_to,
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = roles_of(user)
    scope = scope_for(user)
    context = {
        "role_names": [Role(r).label for r in Role.values if r in roles],
        "scope": scope,
        "territories": [] if scope.everything else list(territories_visible_to(user)),
        "industries": [] if scope.everything else list(industries_visible_to(user)),
        "unit": user.unit,
        "actions": home_actions_for(roles),
    }
    return render(request, "org/home.html", context)


@role_required(*OFFICIAL_ROLES)
def directory(request: HttpRequest) -> HttpResponse:
    units = list(units_visible_to(request.user).order_by("sort_order", "code"))
    by_kind: dict[str, list] = {}
    for unit in units:
        by_kind.setdefault(unit.kind, []).append(unit)
    sections = [(kind.label, by_kind.get(kind.value, [])) for kind in UnitKind]
    industries = industries_visible_to(request.user).prefetch_related("committees")
    return render(
        request,
        "org/directory.html",
        {"sections": [s for s in sections if s[1]], "industries": industries},
    )
