"""The tip-off and reward lifecycles as tables (DESIGN.md §3.3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from hazardledger.lib.workflow import Transition, Workflow
from hazardledger.org.models import Role

from .models import RewardStatus, Status

INTAKE = frozenset({Role.HOTLINE_OPERATOR, Role.DISTRICT_ADMIN})
HANDLERS = frozenset({Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER, Role.DISTRICT_ADMIN})
APPROVERS = frozenset({Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER})
REVEAL_REQUESTERS = INTAKE | HANDLERS
CUSTODIANS = frozenset({Role.IDENTITY_CUSTODIAN})
# The reporter acts through the receipt code; the engine sees it as this pseudo-role.
REPORTER = "reporter"


def _needs_unit(obj: Any, ctx: Mapping[str, Any]) -> dict[str, str]:
    if not (ctx.get("territory") or ctx.get("department")):
        return {"territory": str(_("请选择承办的属地或部门"))}
    return {}


def _needs_reason(obj: Any, ctx: Mapping[str, Any]) -> dict[str, str]:
    if not str(ctx.get("reason") or "").strip():
        return {"reason": str(_("请填写理由"))}
    return {}


def _once(obj: Any, ctx: Mapping[str, Any]) -> list[str]:
    return [str(_("办理期限只能延长一次"))] if obj is not None and obj.extended else []


def _has_feedback(obj: Any, ctx: Mapping[str, Any]) -> list[str]:
    if ctx.get("feedback_given"):
        return []
    return [str(_("办结前须向举报人反馈核查处理结果"))]


TIPOFF = Workflow(
    name="tipoff",
    states=dict(Status.choices),
    actions={
        "assign": _("分派承办"),
        "reject": _("不予受理"),
        "reassign": _("重新分派"),
        "accept": _("受理核查"),
        "send_back": _("退回（不属本单位）"),
        "extend": _("延长办理期限"),
        "verify": _("登记核查结果"),
        "close": _("办结"),
    },
    transitions=[
        Transition(Status.RECEIVED, "assign", Status.ASSIGNED, INTAKE, _needs_unit),
        Transition(Status.RECEIVED, "reject", Status.REJECTED, INTAKE, _needs_reason),
        Transition(Status.ASSIGNED, "reassign", Status.ASSIGNED, INTAKE, _needs_unit),
        Transition(Status.ASSIGNED, "accept", Status.VERIFYING, HANDLERS),
        Transition(Status.ASSIGNED, "send_back", Status.RECEIVED, HANDLERS, _needs_reason),
        Transition(
            Status.VERIFYING,
            "extend",
            Status.VERIFYING,
            frozenset({Role.DISTRICT_ADMIN}),
            _once,
            condition=str(_("仅一次，经区安委办批准")),
        ),
        Transition(Status.VERIFYING, "verify", Status.VERIFIED, HANDLERS),
        Transition(
            Status.VERIFIED,
            "close",
            Status.CLOSED,
            HANDLERS | INTAKE,
            _has_feedback,
            condition=str(_("已向举报人反馈")),
        ),
    ],
)

REWARD = Workflow(
    name="reward",
    states=dict(RewardStatus.choices),
    actions={
        "approve": _("批准奖励"),
        "refuse": _("不予奖励"),
        "claim": _("举报人申领"),
        "pay": _("登记发放"),
    },
    transitions=[
        Transition(
            RewardStatus.PROPOSED,
            "approve",
            RewardStatus.APPROVED,
            APPROVERS,
            condition=str(_("批准人不能是提出人；金额在奖励方案范围内；第一举报人")),
        ),
        Transition(RewardStatus.PROPOSED, "refuse", RewardStatus.REFUSED, APPROVERS, _needs_reason),
        Transition(
            RewardStatus.APPROVED,
            "claim",
            RewardStatus.APPROVED,
            frozenset({REPORTER}),
            condition=str(_("在领奖期限内")),
        ),
        Transition(
            RewardStatus.APPROVED,
            "pay",
            RewardStatus.PAID,
            INTAKE,
            condition=str(_("在领奖期限内；匿名举报人须先凭查询码申领并现场领取")),
        ),
    ],
)
