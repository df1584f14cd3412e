"""The follow-up item's lifecycle as a table (DESIGN.md §3.3): open → closed with evidence;
the convener may reopen an item whose evidence does not hold."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from hazardledger.lib.workflow import Transition, Workflow
from hazardledger.org.models import Role

from .models import ItemStatus

CLOSE_ROLES = frozenset(
    {
        Role.DISTRICT_ADMIN,
        Role.DEPARTMENT_OFFICER,
        Role.TERRITORY_OFFICER,
        Role.COMMITTEE_MEMBER,
        Role.ENFORCEMENT_OFFICER,
    }
)
REOPEN_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.TERRITORY_OFFICER, Role.COMMITTEE_MEMBER})

ACTIONS = {"close": _("办结"), "reopen": _("退回重办")}


def _close_guard(item: Any, context: Mapping[str, Any]) -> dict[str, str]:
    problems = {}
    if not context.get("is_owner") and not context.get("is_admin"):
        problems["actor"] = str(_("只有责任单位、责任人或区安委办可以办结该事项"))
    if not (context.get("evidence") or "").strip():
        problems["evidence"] = str(_("请填写办结情况"))
    return problems


def _reopen_guard(item: Any, context: Mapping[str, Any]) -> dict[str, str]:
    problems = {}
    if not context.get("is_convener") and not context.get("is_admin"):
        problems["actor"] = str(_("只有召集单位或区安委办可以退回重办"))
    if not (context.get("reason") or "").strip():
        problems["reason"] = str(_("请填写退回理由"))
    return problems


ITEM_WORKFLOW = Workflow(
    name="followup_item",
    states=dict(ItemStatus.choices),
    actions=ACTIONS,
    transitions=[
        Transition(
            ItemStatus.OPEN,
            "close",
            ItemStatus.CLOSED,
            CLOSE_ROLES,
            guard=_close_guard,
            condition=_("责任单位或责任人填写办结情况（可附佐证材料）"),  # type: ignore[arg-type]
        ),
        Transition(
            ItemStatus.CLOSED,
            "reopen",
            ItemStatus.OPEN,
            REOPEN_ROLES,
            guard=_reopen_guard,
            condition=_("召集单位认为办结不实，写明理由"),  # type: ignore[arg-type]
        ),
    ],
)
