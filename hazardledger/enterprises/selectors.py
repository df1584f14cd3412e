"""Every read of enterprises starts here, scoped by org's one scoping rule."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hazardledger.org.permissions import get_in_scope_or_404
from hazardledger.org.selectors import restrict

from .models import Enterprise, EnterpriseAccount


def enterprises_visible_to(user: Any) -> QuerySet[Enterprise]:
    return restrict(
        Enterprise.objects.select_related("territory", "industry", "industry__regulator"),
        user,
        territory="territory",
        industry="industry",
        own_enterprise=Q(
            pk__in=EnterpriseAccount.objects.filter(user_id=user.pk).values("enterprise_id")
        ),
    )


def enterprise_get_for_user_or_404(user: Any, **lookup: Any) -> Enterprise:
    return get_in_scope_or_404(enterprises_visible_to(user), **lookup)
