"""Pure rules of the tip-off programme: reward amounts from the policy, deadlines, and the
text similarity that suggests duplicates. No database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from rapidfuzz import fuzz

from hazardledger.policy.schema import Rewards, Tipoffs


class RewardRuleError(ValueError):
    """The facts are not enough to compute the amount (the message says what is missing)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Suggestion:
    suggested: int
    low: int
    high: int
    basis: str


def _percent(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _uplift(amount: int, percent: int) -> int:
    value = Decimal(amount) * (100 + percent) / 100
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def suggest_reward(
    rules: Rewards,
    *,
    nature: str,
    severity: str,
    fine_yuan: int | None = None,
    deaths: int | None = None,
    grade: str = "",
    insider: bool = False,
) -> Suggestion:
    """The amount the active scheme suggests, and the band an approved amount must lie in."""
    bonus = rules.insider_bonus_percent if insider else 0
    cap: int | None = None
    if rules.per_death is not None and rules.per_death.nature == nature:
        rule = rules.per_death
        if grade not in rule.grades:
            raise RewardRuleError("请选择事故等级", "accident_grade")
        if not deaths:
            raise RewardRuleError("请填写查实瞒报死亡人数", "concealed_deaths")
        cap = rule.cap_yuan
        amount = min(deaths * rule.grades[grade].amount_yuan, cap)
        low = high = amount
        basis = (
            f"{rule.grades[grade].label}瞒报死亡 {deaths} 人 × {rule.grades[grade].amount_yuan} 元"
        )
    else:
        share = next(
            (r for r in rules.fine_share if (r.nature, r.severity) == (nature, severity)), None
        )
        if share is not None:
            if fine_yuan is None:
                raise RewardRuleError("按罚款比例计奖，请填写罚款金额", "fine_yuan")
            cap = share.cap_yuan
            raw = Decimal(fine_yuan) * share.percent / 100
            amount = int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP))
            amount = max(share.floor_yuan, min(amount, cap))
            low = high = amount
            basis = (
                f"罚款 {fine_yuan} 元 × {_percent(share.percent)}%"
                f"（最低 {share.floor_yuan} 元，最高 {share.cap_yuan} 元）"
            )
        else:
            cell = next(
                (c for c in rules.matrix if (c.nature, c.severity) == (nature, severity)), None
            )
            if cell is None:
                raise RewardRuleError("奖励方案中没有该案件性质和危害程度的规则", "severity")
            low = cell.amount_yuan
            high = cell.amount_yuan if cell.max_yuan is None else cell.max_yuan
            amount = low
            basis = (
                f"{rules.natures[nature]}·{rules.severities[severity]}：{low} 元"
                if low == high
                else f"{rules.natures[nature]}·{rules.severities[severity]}：{low}–{high} 元"
            )
    if bonus:
        amount, low, high = (_uplift(v, bonus) for v in (amount, low, high))
        if cap is not None:
            amount, low, high = (min(v, cap) for v in (amount, low, high))
        basis += f"；内部知情人上浮 {bonus}%"
    return Suggestion(amount, low, high, basis)


def describe_scheme(rules: Rewards) -> list[str]:
    """The reward rules as sentences for the public page."""
    lines = []
    for cell in rules.matrix:
        what = f"{rules.natures[cell.nature]}（{rules.severities[cell.severity]}）"
        if cell.max_yuan is None or cell.max_yuan == cell.amount_yuan:
            lines.append(f"{what}：奖励 {cell.amount_yuan} 元")
        else:
            lines.append(f"{what}：奖励 {cell.amount_yuan}–{cell.max_yuan} 元")
    for r in rules.fine_share:
        what = f"{rules.natures[r.nature]}（{rules.severities[r.severity]}）"
        lines.append(
            f"{what}：按罚款金额的 {_percent(r.percent)}% 奖励，"
            f"最低 {r.floor_yuan} 元，最高 {r.cap_yuan} 元"
        )
    if rules.per_death is not None:
        grades = "、".join(
            f"{g.label}每人 {g.amount_yuan} 元" for g in rules.per_death.grades.values()
        )
        lines.append(
            f"{rules.natures[rules.per_death.nature]}：按查实瞒报死亡人数奖励（{grades}），"
            f"最高 {rules.per_death.cap_yuan} 元"
        )
    if rules.insider_bonus_percent:
        lines.append(f"被举报单位从业人员举报的，奖励上浮 {rules.insider_bonus_percent}%")
    if rules.first_reporter_only:
        lines.append("同一事项多人举报的，奖励最先受理的第一举报人")
    lines.append(f"奖励通知后 {rules.claim_window_days} 日内领取，逾期视为放弃")
    return lines


# ---- deadlines (computed from dates, never stored) -----------------------------------------


def acceptance_due(received_at: datetime, rules: Tipoffs) -> datetime:
    return received_at + timedelta(days=rules.acceptance_within_days)


def handling_due(accepted_at: datetime, extended: bool, rules: Tipoffs) -> datetime:
    days = rules.handle_within_days + (rules.handle_extension_days if extended else 0)
    return accepted_at + timedelta(days=days)


def feedback_due(verified_at: datetime, rules: Tipoffs) -> datetime:
    return verified_at + timedelta(days=rules.feedback_within_days)


def access_lapsed(seen_at: datetime, now: datetime, rules: Tipoffs) -> bool:
    return now - seen_at > timedelta(days=rules.reporter_access_lapse_days)


def claim_closes(approved_at: datetime, rules: Rewards) -> datetime:
    return approved_at + timedelta(days=rules.claim_window_days)


# ---- duplicates ----------------------------------------------------------------------------

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def match_text(subject: str, location: str, description: str) -> str:
    """What duplicates are compared on: the three texts, punctuation and spaces removed."""
    joined = "".join(_NOISE.sub("", part) for part in (subject, location, description))
    return joined[:600]


def ngrams(text: str, n: int = 2) -> set[str]:
    if len(text) < n:
        return {text} if text else set()
    return {text[i : i + n] for i in range(len(text) - n + 1)}


def similarity(a: str, b: str) -> float:
    """0..1: character-bigram overlap (Dice) blended with rapidfuzz's partial ratio."""
    x, y = ngrams(a), ngrams(b)
    if not x or not y:
        return 0.0
    dice = 2 * len(x & y) / (len(x) + len(y))
    return round(max(dice, fuzz.token_set_ratio(a, b) / 100 * 0.9), 3)
