"""View and API guards: 404 outside the scope, 403 without the role (DESIGN.md §3.2)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from .selectors import has_role

M = TypeVar("M", bound=Model)
View = Callable[..., Any]


def require_role(user: Any, *roles: str) -> None:
    """Raise PermissionDenied (403) unless the user holds one of the roles."""
    if not has_role(user, *roles):
        raise PermissionDenied


def role_required(*roles: str) -> Callable[[View], View]:
    """Decorate a view: anonymous users go to login, users without the role get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            require_role(request.user, *roles)
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def get_in_scope_or_404(visible: QuerySet[M], **lookup: Any) -> M:
    """Fetch one object from the user's visible queryset; outside scope is the same as missing."""
    try:
        return visible.get(**lookup)
    except (visible.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
