"""The shared engine and the hazard table, without a database."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest

from hazardledger.hazards.models import HazardStatus
from hazardledger.hazards.workflow import ACTIONS, HAZARD_WORKFLOW, TRANSITIONS
from hazardledger.lib.workflow import (
    ActionForbidden,
    ActionNotAvailable,
    GuardFailed,
    Transition,
    Workflow,
)
from hazardledger.org.models import Role

# What the issue says each role may do (issue 4, "Who may"); the table must match it exactly.
EXPECTED_ROLES = {
    "confirm": {Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER},
    "transfer": {Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER},
    "save_plan": {Role.ENTERPRISE_USER},
    "submit_plan": {Role.ENTERPRISE_USER},
    "rectify_immediately": {Role.ENTERPRISE_USER, Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER},
    "report_progress": {Role.ENTERPRISE_USER},
    "request_extension": {Role.ENTERPRISE_USER},
    "approve_extension": {Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER},
    "reject_extension": {Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER},
    "mark_rectified": {Role.ENTERPRISE_USER},
    "apply_acceptance": {Role.ENTERPRISE_USER},
    "assign_expert": {Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER},
    "evaluation_pass": {Role.EXPERT},
    "evaluation_fail": {Role.EXPERT},
    "accept": {Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER},
    "reject": {Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER},
    "void": {Role.DISTRICT_ADMIN},
    "reopen": {Role.DISTRICT_ADMIN},
    "list_supervised": {Role.DISTRICT_ADMIN},
    "delist_supervised": {Role.DISTRICT_ADMIN},
    "suspend_production": {Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER},
    "resume_production": {Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER},
}
TRIPLES = list(itertools.product(HazardStatus.values, ACTIONS, Role.values))


def _toy() -> Workflow:
    return Workflow(
        name="toy",
        states={"a": "甲", "b": "乙"},
        actions={"go": "前进", "stay": "停留"},
        transitions=[
            Transition(
                "a",
                "go",
                "b",
                frozenset({"r"}),
                guard=lambda obj, ctx: [] if ctx.get("ok") else ["条件不满足"],
            ),
            Transition(
                "b",
                "stay",
                "b",
                frozenset({"r"}),
                guard=lambda obj, ctx: {} if ctx.get("ok") else {"x": "字段错"},
            ),
        ],
    )


class EngineTestCase:
    def test_it_finds_the_row_and_refuses_unknown_pairs_in_chinese(self):
        flow = _toy()
        assert flow.get("a", "go").target == "b"
        with pytest.raises(ActionNotAvailable) as exc:
            flow.get("b", "go")
        assert "当前状态“乙”下不能执行“前进”" in str(exc.value)
        assert exc.value.status_code == 409

    def test_it_checks_roles_before_guards(self):
        flow = _toy()
        with pytest.raises(ActionForbidden):
            flow.check("a", "go", {"other"}, context={"ok": False})
        with pytest.raises(GuardFailed) as exc:
            flow.check("a", "go", {"r"}, context={"ok": False})
        assert exc.value.messages == ["条件不满足"] and exc.value.status_code == 422
        assert flow.check("a", "go", {"r"}, context={"ok": True}).target == "b"

    def test_it_keeps_field_names_of_guard_problems(self):
        with pytest.raises(GuardFailed) as exc:
            _toy().check("b", "stay", {"r"}, context={})
        assert exc.value.fields == {"x": "字段错"}

    def test_it_rejects_a_table_with_unknown_states_or_duplicates(self):
        with pytest.raises(ValueError):
            Workflow(
                name="bad",
                states={"a": "甲"},
                actions={"go": "前进"},
                transitions=[Transition("a", "go", "zzz", frozenset())],
            )
        with pytest.raises(ValueError):
            Workflow(
                name="bad",
                states={"a": "甲"},
                actions={"go": "前进"},
                transitions=[Transition("a", "go", "a", frozenset())] * 2,
            )

    def test_it_resolves_policy_driven_targets(self):
        t = Transition(
            "a", "go", None, frozenset({"r"}), resolve=lambda o, c: c["next"], targets=("a", "b")
        )
        assert t.next_state(None, {"next": "b"}) == "b"
        assert t.possible_targets() == ("a", "b")

    def test_it_renders_rows_for_the_explanation_page(self):
        rows = HAZARD_WORKFLOW.rows()
        assert len(rows) == len(TRANSITIONS)
        accept = next(r for r in rows if r["action_code"] == "accept")
        assert accept["source"] == "待验收" and accept["targets"] == ["已销号"]


class HazardTableTestCase:
    def test_it_grants_each_action_to_exactly_the_roles_of_the_issue(self):
        for t in TRANSITIONS:
            assert set(t.roles) == EXPECTED_ROLES[t.action], t

    def test_it_has_the_closed_loop_of_the_design(self):
        S = HazardStatus
        pairs = {(t.source, t.action): t for t in TRANSITIONS}
        assert pairs[(S.REGISTERED, "confirm")].target == S.CONFIRMED
        assert pairs[(S.CONFIRMED, "submit_plan")].target == S.RECTIFYING
        assert pairs[(S.RECTIFYING, "mark_rectified")].target == S.RECTIFIED
        assert set(pairs[(S.RECTIFIED, "apply_acceptance")].targets) == {
            S.EVALUATING,
            S.ACCEPTANCE_PENDING,
            S.CLOSED,
        }
        assert pairs[(S.EVALUATING, "evaluation_fail")].target == S.RECTIFYING
        assert pairs[(S.ACCEPTANCE_PENDING, "accept")].target == S.CLOSED
        assert pairs[(S.ACCEPTANCE_PENDING, "reject")].target == S.RECTIFYING
        assert pairs[(S.CLOSED, "reopen")].target == S.RECTIFYING
        assert not any(t.source in (S.VOIDED, S.TRANSFERRED) for t in TRANSITIONS)

    @pytest.mark.parametrize(("state", "action", "role"), TRIPLES)
    def test_it_allows_exactly_the_table_triples(self, state, action, role):
        transition = HAZARD_WORKFLOW.find(state, action)
        expected = transition is not None and role in transition.roles
        assert HAZARD_WORKFLOW.allows(state, action, {role}) is expected
        if transition is None:
            with pytest.raises(ActionNotAvailable):
                HAZARD_WORKFLOW.check(state, action, {role}, SimpleNamespace(), {})
        elif not expected:
            with pytest.raises(ActionForbidden):
                HAZARD_WORKFLOW.check(state, action, {role}, SimpleNamespace(), {})
