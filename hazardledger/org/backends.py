"""Authentication backend: the signed-in user comes with their unit, which every page shows,
and with their role codes, which every page checks: one query instead of three."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Aggregate, CharField, OuterRef, Subquery

from .models import RoleGrant


class _JoinedCodes(Aggregate):
    """The role codes of one user joined by commas (codes are identifiers, never commas)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def _role_codes() -> Subquery:
    grants = RoleGrant.objects.filter(user=OuterRef("pk")).order_by().values("user")
    return Subquery(grants.annotate(codes=_JoinedCodes("role")).values("codes"))


class UnitModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.select_related("unit")
        user = users.filter(pk=user_id).annotate(role_codes=_role_codes()).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        # What `org.selectors.roles_of` would read for this request.
        user._role_codes = frozenset(filter(None, (user.role_codes or "").split(",")))
        return user
