"""Pure rules: five must-haves, policy-driven steps, date conditions — no database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import yaml

from hazardledger.hazards import rules
from hazardledger.hazards.models import HazardStatus
from hazardledger.policy.services import parse_policy

PROFILE = Path(__file__).resolve().parents[2] / "policy" / "profiles" / "zhoucun-demo.yaml"
TODAY = date(2026, 9, 1)


def policy(**overrides):
    content = yaml.safe_load(PROFILE.read_bytes())
    content["hazards"].update(overrides)
    return parse_policy(yaml.safe_dump(content, allow_unicode=True).encode()).hazards


FULL = {
    "responsible_person": "王五",
    "funds_yuan": Decimal("0"),
    "measures": "接地",
    "deadline": TODAY,
    "emergency_plan": "断电",
}


class FiveMustHavesTestCase:
    def test_it_lists_exactly_the_missing_items_in_policy_order(self):
        plan = {"measures": "接地", "emergency_plan": "  "}
        assert rules.missing_plan_items(policy(), "general", plan) == [
            "整改责任人",
            "整改资金",
            "整改时限",
            "应急预案（文字或文件）",
        ]

    def test_it_accepts_a_complete_general_plan_and_zero_funds(self):
        assert rules.missing_plan_items(policy(), "general", FULL) == []
        assert rules.plan_problems(policy(), "general", FULL, TODAY) == []

    def test_it_counts_an_emergency_plan_file_instead_of_text(self):
        plan = FULL | {"emergency_plan": "", "has_emergency_plan_file": True}
        assert rules.missing_plan_items(policy(), "general", plan) == []

    def test_it_requires_the_major_extras(self):
        assert rules.missing_plan_items(policy(), "major", FULL) == [
            "治理目标和任务",
            "负责治理的机构和人员",
            "治理物资",
        ]

    def test_it_refuses_negative_funds_and_a_past_deadline(self):
        plan = FULL | {"funds_yuan": Decimal("-1"), "deadline": TODAY - timedelta(days=1)}
        problems = rules.plan_problems(policy(), "general", plan, TODAY)
        assert problems == ["五落实不完整，缺少：整改资金", "整改时限不能早于今天"]

    def test_it_follows_the_policy_list_of_must_haves(self):
        edited = policy(five_must_haves=["measures", "deadline"], major_plan_extras=[])
        assert rules.missing_plan_items(edited, "major", {}) == ["整改措施", "整改时限"]

    def test_it_requires_criteria_and_analysis_for_major(self):
        assert set(rules.major_problems(policy(), "major", {})) == {
            "criteria_standard",
            "criteria_article",
            "harm_analysis",
        }
        assert rules.major_problems(policy(), "general", {}) == {}
        relaxed = policy(major_requires_criteria_ref=False)
        assert set(rules.major_problems(relaxed, "major", {})) == {"harm_analysis"}


class StepsTestCase:
    def test_it_follows_the_demo_policy(self):
        S = HazardStatus
        assert rules.steps_after_rectified(policy(), "general") == [S.ACCEPTANCE_PENDING, S.CLOSED]
        assert rules.steps_after_rectified(policy(), "major") == [
            S.EVALUATING,
            S.ACCEPTANCE_PENDING,
            S.CLOSED,
        ]

    def test_it_changes_with_the_policy_file(self):
        S = HazardStatus
        edited = policy(
            expert_evaluation_levels=["general", "major"], department_acceptance_levels=["major"]
        )
        assert rules.next_after_application(edited, "general") == S.EVALUATING
        assert rules.next_after_evaluation(edited, "general") == S.CLOSED
        assert rules.closing_problems(edited, "general", evaluated=False)
        assert not rules.closing_problems(policy(), "general", evaluated=False)

    def test_it_allows_immediate_rectification_by_level(self):
        assert rules.can_rectify_immediately(policy(), "general")
        assert not rules.can_rectify_immediately(policy(), "major")


class DatesTestCase:
    def test_it_computes_overdue_only_while_rectifying(self):
        yesterday = TODAY - timedelta(days=1)
        assert rules.is_overdue(HazardStatus.RECTIFYING, yesterday, TODAY)
        assert not rules.is_overdue(HazardStatus.RECTIFYING, TODAY, TODAY)
        assert not rules.is_overdue(HazardStatus.RECTIFIED, yesterday, TODAY)

    def test_it_computes_due_soon_from_policy_days(self):
        p = policy()  # due_soon_days: 3
        assert rules.is_due_soon(HazardStatus.RECTIFYING, TODAY + timedelta(days=3), TODAY, p)
        assert not rules.is_due_soon(HazardStatus.RECTIFYING, TODAY + timedelta(days=4), TODAY, p)

    def test_it_computes_acceptance_late_from_the_application(self):
        p = policy()  # acceptance_within_days: 10
        applied = datetime(2026, 9, 1, 9, 0)
        assert rules.acceptance_due(applied, p) == datetime(2026, 9, 11, 9, 0)
        pending = HazardStatus.ACCEPTANCE_PENDING
        assert not rules.is_acceptance_late(pending, applied, datetime(2026, 9, 11, 8), p)
        assert rules.is_acceptance_late(pending, applied, datetime(2026, 9, 11, 10), p)

    def test_it_checks_extension_requests(self):
        p = policy()  # extension_request_min_days_before_due: 3
        deadline = TODAY + timedelta(days=10)
        assert rules.extension_problems(p, deadline, deadline + timedelta(days=5), TODAY) == {}
        assert "new_deadline" in rules.extension_problems(p, deadline, deadline, TODAY)
        late = rules.extension_problems(
            p, deadline, deadline + timedelta(days=5), deadline - timedelta(days=2)
        )
        assert "至少 3 天" in late["__all__"]
