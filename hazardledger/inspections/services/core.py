"""What every inspections service shares: the conflict error and role and field checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from hazardledger.org.models import User
from hazardledger.org.selectors import has_role


class Conflict(Exception):
    """The record is not in a state that allows the action (answered as 409)."""

    status_code = 409

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def _require(actor: Any, roles: Iterable[str], message: str) -> None:
    if not has_role(actor, *roles):
        raise PermissionDenied(message)


def _raise_if(errors: Mapping[str, str]) -> None:
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})


def _user(actor: Any) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None
