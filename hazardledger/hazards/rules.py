"""Pure hazard rules: the five must-haves, the policy-driven steps and the date conditions.

Nothing here touches the database; every function takes the policy's `HazardRules` and
plain values, so the rules are tested without one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hazardledger.policy.schema import HazardRules

from .models import HazardLevel, HazardStatus

PLAN_ITEM_LABELS = {
    "responsible_person": gettext_lazy("整改责任人"),
    "funds": gettext_lazy("整改资金"),
    "measures": gettext_lazy("整改措施"),
    "deadline": gettext_lazy("整改时限"),
    "emergency_plan": gettext_lazy("应急预案（文字或文件）"),
    "objectives": gettext_lazy("治理目标和任务"),
    "organisation_and_staff": gettext_lazy("负责治理的机构和人员"),
    "materials": gettext_lazy("治理物资"),
}

# Statuses in which the rectification deadline runs (and so can be overdue).
DEADLINE_RUNS = frozenset({HazardStatus.RECTIFYING})


def _present(key: str, plan: Mapping[str, Any]) -> bool:
    if key == "funds":
        value = plan.get("funds_yuan")
        return isinstance(value, int | Decimal) and value >= 0
    if key == "deadline":
        return isinstance(plan.get("deadline"), date)
    if key == "emergency_plan":
        return bool(str(plan.get("emergency_plan") or "").strip()) or bool(
            plan.get("has_emergency_plan_file")
        )
    return bool(str(plan.get(key) or "").strip())


def required_plan_items(rules: HazardRules, level: str) -> list[str]:
    """The plan items the policy requires for a level, in the policy's order."""
    items = list(rules.five_must_haves)
    if level == HazardLevel.MAJOR:
        items += [x for x in rules.major_plan_extras if x not in items]
    return items


def missing_plan_items(rules: HazardRules, level: str, plan: Mapping[str, Any]) -> list[str]:
    """Exactly the required plan items that are still empty (as Chinese labels)."""
    return [
        str(PLAN_ITEM_LABELS[key])
        for key in required_plan_items(rules, level)
        if not _present(key, plan)
    ]


def plan_problems(
    rules: HazardRules, level: str, plan: Mapping[str, Any], today: date
) -> list[str]:
    """Why the card cannot enter rectification yet; empty when the plan is complete."""
    problems = []
    missing = missing_plan_items(rules, level, plan)
    if missing:
        problems.append(_("五落实不完整，缺少：%s") % "、".join(missing))
    deadline = plan.get("deadline")
    if isinstance(deadline, date) and deadline < today:
        problems.append(_("整改时限不能早于今天"))
    return problems


def major_problems(rules: HazardRules, level: str, data: Mapping[str, Any]) -> dict[str, str]:
    """Field errors for a 重大 hazard without its criterion reference or harm analysis."""
    if level != HazardLevel.MAJOR:
        return {}
    errors = {}
    if rules.major_requires_criteria_ref:
        if not str(data.get("criteria_standard") or "").strip():
            errors["criteria_standard"] = _("重大事故隐患须注明判定标准")
        if not str(data.get("criteria_article") or "").strip():
            errors["criteria_article"] = _("重大事故隐患须注明判定标准的条款")
    if not str(data.get("harm_analysis") or "").strip():
        errors["harm_analysis"] = _("重大事故隐患须进行危害程度和整改难易程度分析")
    return errors


def steps_after_rectified(rules: HazardRules, level: str) -> list[str]:
    """The statuses a rectified card still passes through before 销号, per the policy."""
    steps = []
    if level in rules.expert_evaluation_levels:
        steps.append(HazardStatus.EVALUATING)
    if level in rules.department_acceptance_levels:
        steps.append(HazardStatus.ACCEPTANCE_PENDING)
    steps.append(HazardStatus.CLOSED)
    return steps


def next_after_application(rules: HazardRules, level: str) -> str:
    return steps_after_rectified(rules, level)[0]


def next_after_evaluation(rules: HazardRules, level: str) -> str:
    steps = [s for s in steps_after_rectified(rules, level) if s != HazardStatus.EVALUATING]
    return steps[0]


def closing_problems(rules: HazardRules, level: str, evaluated: bool) -> list[str]:
    """Steps the active policy requires that this card has skipped."""
    if level in rules.expert_evaluation_levels and not evaluated:
        return [_("按现行政策，该级别隐患须经专家评估合格后方可验收销号")]
    return []


def can_rectify_immediately(rules: HazardRules, level: str) -> bool:
    return level in rules.immediate_rectification_levels


def is_overdue(status: str, deadline: date | None, today: date) -> bool:
    return status in DEADLINE_RUNS and deadline is not None and deadline < today


def is_due_soon(status: str, deadline: date | None, today: date, rules: HazardRules) -> bool:
    if status not in DEADLINE_RUNS or deadline is None:
        return False
    return today <= deadline <= today + timedelta(days=rules.due_soon_days)


def acceptance_due(applied_at: datetime | None, rules: HazardRules) -> datetime | None:
    if applied_at is None:
        return None
    return applied_at + timedelta(days=rules.acceptance_within_days)


def is_acceptance_late(
    status: str, applied_at: datetime | None, now: datetime, rules: HazardRules
) -> bool:
    due = acceptance_due(applied_at, rules)
    return status == HazardStatus.ACCEPTANCE_PENDING and due is not None and now > due


def extension_problems(
    rules: HazardRules, deadline: date | None, new_deadline: date | None, today: date
) -> dict[str, str]:
    """Field errors of an extension request."""
    errors: dict[str, str] = {}
    if new_deadline is None:
        errors["new_deadline"] = _("请填写申请延期后的整改时限")
    elif deadline is not None and new_deadline <= deadline:
        errors["new_deadline"] = _("延期后的时限必须晚于原整改时限")
    if deadline is not None:
        latest = deadline - timedelta(days=rules.extension_request_min_days_before_due)
        if today > latest:
            errors["__all__"] = _("延期申请须在整改时限前至少 %(n)d 天提出（最迟 %(d)s）") % {
                "n": rules.extension_request_min_days_before_due,
                "d": latest.isoformat(),
            }
    return errors
