"""Rewards: proposed by one person, approved by another, only for the first reporter of a
verified tip-off and only within the active scheme; claimed and paid within the window."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.lib.workflow import GuardFailed
from hazardledger.org.selectors import has_role, roles_of

from .. import rules
from ..models import PayMethod, Reward, RewardStatus, Status, TipOff, Verification
from ..selectors import can_handle, first_reporter
from ..workflow import APPROVERS, INTAKE, REWARD
from .common import audit, field_errors, policy, role_of, text


def suggestion(tipoff: TipOff) -> rules.Suggestion:
    """What the active scheme suggests for this tip-off's verified facts."""
    return rules.suggest_reward(
        policy().rewards,
        nature=tipoff.kind,
        severity=tipoff.severity,
        fine_yuan=tipoff.fine_yuan,
        deaths=tipoff.concealed_deaths,
        grade=tipoff.accident_grade,
        insider=tipoff.is_insider,
    )


def _eligibility(tipoff: TipOff, amount: Any) -> rules.Suggestion:
    """Refuses a reward the scheme does not allow; returns the scheme's suggestion."""
    if tipoff.status not in (Status.VERIFIED, Status.CLOSED) or tipoff.verification not in (
        Verification.TRUE,
        Verification.PARTLY,
    ):
        raise GuardFailed(_("只有核查属实的举报才能奖励"))
    scheme = policy().rewards
    if scheme.first_reporter_only and first_reporter(tipoff).pk != tipoff.pk:
        raise GuardFailed(
            _("该举报不是第一举报人（首报为 %(no)s），不予奖励")
            % {"no": first_reporter(tipoff).number}
        )
    try:
        suggested = suggestion(tipoff)
    except rules.RewardRuleError as exc:
        raise GuardFailed(str(exc), fields={exc.field or "amount_yuan": str(exc)}) from exc
    if not isinstance(amount, int) or isinstance(amount, bool):
        field_errors({"amount_yuan": _("请填写奖励金额（整数，元）")})
    if not suggested.low <= amount <= suggested.high:
        field_errors(
            {
                "amount_yuan": _("金额超出奖励方案范围（%(low)s–%(high)s 元）")
                % {"low": suggested.low, "high": suggested.high}
            }
        )
    return suggested


@transaction.atomic
def reward_propose(*, actor: Any, tipoff: TipOff, amount_yuan: Any) -> Reward:
    if not has_role(actor, *INTAKE):
        raise PermissionDenied(_("您的角色无权提出奖励"))
    if not can_handle(actor, tipoff):
        raise PermissionDenied(_("该举报不在您的办理范围内"))
    suggested = _eligibility(tipoff, amount_yuan)
    try:
        with transaction.atomic():
            reward = Reward.objects.create(
                tipoff=tipoff,
                amount_yuan=amount_yuan,
                basis=suggested.basis[:300],
                proposed_by=actor,
                proposed_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise GuardFailed(_("该举报已提出过奖励")) from exc
    audit(
        actor=actor,
        tipoff=tipoff,
        action="reward_propose",
        changes={"amount_yuan": amount_yuan, "basis": suggested.basis},
        role=role_of(actor, INTAKE),
    )
    return reward


def _reward_step(*, actor: Any, reward: Reward, action: str, values: dict, reason: str = ""):
    transition = REWARD.check(reward.status, action, roles_of(actor), reward, {"reason": reason})
    before = reward.status
    REWARD.apply(reward, target=transition.next_state(reward, {}), values=values)
    audit(
        actor=actor,
        tipoff=reward.tipoff,
        action=f"reward_{action}",
        changes={"reward_status": [before, reward.status]},
        reason=reason,
        role=role_of(actor, transition.roles),
    )


@transaction.atomic
def reward_approve(*, actor: Any, reward: Reward, note: str = "") -> Reward:
    """The second person approves; the scheme and the first-reporter rule are checked again,
    since the policy or the duplicates may have changed since the proposal."""
    if reward.proposed_by_id == actor.pk:
        raise PermissionDenied(_("提出人不能批准自己提出的奖励"))
    if not has_role(actor, *APPROVERS):
        raise PermissionDenied(_("您的角色无权批准奖励"))
    _eligibility(reward.tipoff, reward.amount_yuan)
    errors: dict[str, str] = {}
    note = text(note, limit=500, field="note", label=_("审批意见"), required=False, errors=errors)
    field_errors(errors)
    _reward_step(
        actor=actor,
        reward=reward,
        action="approve",
        reason=note,
        values={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note},
    )
    return reward


@transaction.atomic
def reward_refuse(*, actor: Any, reward: Reward, reason: str) -> Reward:
    if reward.proposed_by_id == actor.pk:
        raise PermissionDenied(_("提出人不能审批自己提出的奖励"))
    errors: dict[str, str] = {}
    reason = text(reason, limit=500, field="reason", label=_("理由"), required=True, errors=errors)
    field_errors(errors)
    _reward_step(
        actor=actor,
        reward=reward,
        action="refuse",
        reason=reason,
        values={"decided_by": actor, "decided_at": timezone.now(), "decision_note": reason},
    )
    return reward


@transaction.atomic
def reward_pay(*, actor: Any, reward: Reward, method: Any, paid_on: Any, voucher_no: Any) -> Reward:
    """Record the payment: method, date and voucher."""
    errors: dict[str, str] = {}
    if method not in PayMethod.values:
        errors["pay_method"] = _("请选择发放方式")
    if not isinstance(paid_on, dt.date):
        errors["paid_on"] = _("请填写发放日期")
    elif paid_on > timezone.localdate():
        errors["paid_on"] = _("发放日期不能晚于今天")
    voucher = text(
        voucher_no, limit=60, field="voucher_no", label=_("凭证号"), required=True, errors=errors
    )
    field_errors(errors)
    if reward.status == RewardStatus.APPROVED:
        closes = rules.claim_closes(reward.decided_at, policy().rewards)
        if timezone.now() > closes and not reward.claimed_at:
            raise GuardFailed(_("已超过领奖期限，奖励视为放弃"))
        if reward.tipoff.is_anonymous and not reward.claimed_at:
            raise GuardFailed(_("匿名举报人须先凭查询码申领奖励"))
    _reward_step(
        actor=actor,
        reward=reward,
        action="pay",
        values={"paid_by": actor, "paid_on": paid_on, "pay_method": method, "voucher_no": voucher},
    )
    return reward
