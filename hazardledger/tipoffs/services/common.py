"""Helpers shared by the tip-off services: validation, audit, the transition step."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.audit.services import record
from hazardledger.lib.workflow import GuardFailed, Workflow
from hazardledger.org.selectors import roles_of
from hazardledger.policy.services import active_policy

from ..models import TipOff
from ..selectors import can_handle
from ..workflow import TIPOFF


def field_errors(errors: Mapping[str, str]) -> None:
    if errors:
        raise GuardFailed(list(errors.values()), fields=errors)


def text(value: Any, *, limit: int, field: str, label: str, required: bool, errors: dict) -> str:
    """A clean single value: refuses non-strings, NUL bytes and over-long input by field."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = _("%(label)s格式不正确") % {"label": label}
        return ""
    if "\x00" in value:
        errors[field] = _("%(label)s含有不允许的字符") % {"label": label}
        return ""
    value = value.strip()
    if required and not value:
        errors[field] = _("请填写%(label)s") % {"label": label}
    elif len(value) > limit:
        errors[field] = _("%(label)s不能超过 %(n)s 字") % {"label": label, "n": limit}
    return value


def role_of(actor: Any, allowed: frozenset[str]) -> str:
    held = sorted(roles_of(actor) & allowed)
    return held[0] if held else ""


def audit(*, actor: Any, tipoff: TipOff, action: str, changes: Mapping[str, Any], **kw) -> None:
    """One audit event; tip-off events name only the number, never the reporter."""
    record(
        actor=actor,
        action=f"tipoff.{action}",
        obj=tipoff,
        object_repr=tipoff.number,
        changes=changes,
        **kw,
    )


def step(
    *,
    actor: Any,
    tipoff: TipOff,
    action: str,
    values: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
    workflow: Workflow = TIPOFF,
) -> None:
    """Check the table, apply with the guarded update and write the audit event."""
    if not can_handle(actor, tipoff):
        raise PermissionDenied(_("该举报不在您的办理范围内"))
    transition = workflow.check(tipoff.status, action, roles_of(actor), tipoff, context or {})
    before = tipoff.status
    values = dict(values or {})
    workflow.apply(tipoff, target=transition.next_state(tipoff, context or {}), values=values)
    audit(
        actor=actor,
        tipoff=tipoff,
        action=action,
        changes={"status": [before, tipoff.status], **(changes or {})},
        reason=reason,
        role=role_of(actor, transition.roles),
    )


def policy():
    return active_policy()


def now():
    return timezone.now()
