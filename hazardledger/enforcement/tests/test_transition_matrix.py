"""Every (state, action, role) triple of every enforcement lifecycle, through the services.

Allowed roles succeed and write the action's audit event; every other role is refused (403,
or 404 when the case is outside what the role sees) and nothing changes.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from hazardledger.audit.models import AuditEvent
from hazardledger.enforcement.models import Case, CaseKind, ChecklistStep, Resumption
from hazardledger.enforcement.resumption import resumption_perform
from hazardledger.enforcement.selectors import cases_visible_to
from hazardledger.enforcement.services import case_perform
from hazardledger.enforcement.tests.kit import load_profile
from hazardledger.enforcement.workflow import RESUMPTION_TRANSITIONS, WORKFLOWS
from hazardledger.experts.models import Expert
from hazardledger.experts.services import expert_assign
from hazardledger.lib.workflow import ActionNotAvailable, GuardFailed
from hazardledger.org.models import Role

ROLE_HOLDER = {
    Role.DISTRICT_ADMIN: "alice",
    Role.DISTRICT_LEADER: "leo",
    Role.TERRITORY_OFFICER: "tom",
    Role.DEPARTMENT_OFFICER: "dora",
    Role.COMMITTEE_MEMBER: "carl",
    Role.ENTERPRISE_USER: "eve",
    Role.EXPERT: "xena",
    Role.ENFORCEMENT_OFFICER: "fred",
    Role.SUPERVISOR: "sam",
    Role.HOTLINE_OPERATOR: "hank",
    Role.IDENTITY_CUSTODIAN: "cora",
}
CASE_TABLE = [
    (kind, t.source, t.action, t.roles, t.possible_targets())
    for kind, flow in WORKFLOWS.items()
    for t in flow.transitions
]
SERVED = {"served_to": "李四", "served_how": "直接送达"}


def prepared(kit, kind: str, state: str, action: str, actor) -> tuple[Case, dict]:
    case = kit.case(kind, state)
    if action in ("execute",) and kind == CaseKind.CLOSURE:
        kit.checklist(case, ChecklistStep.CLOSURE)
    if action == "force_demolish":
        kit.checklist(case, ChecklistStep.DEMOLITION)
    if action == "lift":
        kit.accepted_resumption(case)
    if action == "resume":
        kit.checklist(case, ChecklistStep.RESUMPTION)
        kit.complete_procedures()
    if action in ("approve_lower", "reject_lower"):
        Case.objects.filter(pk=case.pk).update(
            second_approver=actor, article="sl-102", amount_yuan=1000, lower_reason="初犯"
        )
        case.refresh_from_db()
    args = {
        "decide": {"legal_basis": "安全生产法第六十五条"},
        "notify": SERVED,
        "serve": SERVED,
        "refuse": {"note": "拒不执行"},
        "execute": {},
        "reinspect_pass": {"note": "合格"},
        "reinspect_fail": {"note": "不合格"},
        "lift": {},
        "owner_demolish": {"note": "已自行拆除"},
        "force_demolish": {},
        "verify": {"note": "已核验"},
        "refer": {"referred_to": "区公安分局"},
        "receipt": {"receipt_number": "HZ-1"},
        "close": {"note": "已缴纳罚款"},
        "stop": {"legal_basis": "区政府会议纪要"},
        "district_decide": {"decision": "限期补办手续"},
        "name_helpers": {"helpers": [kit.district.tom]},
        "resume": {},
        "withdraw": {"reason": "立案错误"},
        "approve_lower": {},
        "reject_lower": {"reason": "理由不充分"},
    }[action]
    if kind == CaseKind.PENALTY and action == "decide":
        args = {"article": "sl-102", "amount_yuan": 50000}
    return case, args


@pytest.mark.parametrize(
    ("kind", "state", "action", "role"),
    [(k, s, a, r) for k, s, a, _roles, _t in CASE_TABLE for r in Role.values],
    ids=lambda v: str(v),
)
class CaseMatrixTestCase:
    def test_it_allows_only_the_table_roles(self, kit, kind, state, action, role):
        allowed, targets = next(
            (roles, targets)
            for k, s, a, roles, targets in CASE_TABLE
            if (k, s, a) == (kind, state, action)
        )
        actor = getattr(kit.district, ROLE_HOLDER[role])
        case, args = prepared(kit, kind, state, action, actor)
        event = f"enforcement.case_{action}"
        if role in allowed:
            case_perform(actor=actor, case=case, action=action, **args)
            case.refresh_from_db()
            assert case.status in targets
            assert AuditEvent.objects.filter(action=event).count() == 1
            return
        visible = cases_visible_to(actor).filter(pk=case.pk).exists()
        with pytest.raises(PermissionDenied if visible else Case.DoesNotExist):
            case_perform(actor=actor, case=case, action=action, **args)
        case.refresh_from_db()
        assert case.status == state
        assert not AuditEvent.objects.filter(action=event).exists()


@pytest.mark.parametrize("kind", list(WORKFLOWS))
class MissingActionTestCase:
    def test_it_refuses_actions_absent_from_a_state(self, kit, kind):
        flow = WORKFLOWS[kind]
        for state in flow.states:
            present = {t.action for t in flow.transitions if t.source == state}
            for action in set(flow.actions) - present:
                case = kit.case(kind, state)
                with pytest.raises(ActionNotAvailable) as err:
                    case_perform(actor=kit.district.alice, case=case, action=action)
                assert err.value.status_code == 409


RES_TABLE = [(t.source, t.action, t.roles) for t in RESUMPTION_TRANSITIONS]


def resumption_in(kit, state: str, action: str) -> tuple[Resumption, dict]:
    suspension = kit.case(CaseKind.SUSPENSION, "rectified")
    kit.checklist(suspension, ChecklistStep.RESUMPTION)
    resumption = Resumption.objects.create(case=suspension, evidence="已整改", status=state)
    expert = kit.expert_for(kit.district.xena)
    if state == "experts_assigned":
        expert_assign(actor=None, expert=expert, target=resumption, enterprise=kit.ent_a)
    args = {
        "assign_experts": {"experts": [expert]},
        "evaluate_pass": {"report": "整改到位"},
        "evaluate_fail": {"report": "未到位"},
        "accept": {"opinion": "合格"},
        "reject": {"opinion": "不合格"},
        "withdraw": {"reason": "补充材料"},
    }[action]
    return resumption, args


@pytest.mark.parametrize(
    ("state", "action", "role"),
    [(s, a, r) for s, a, _roles in RES_TABLE for r in Role.values],
    ids=lambda v: str(v),
)
class ResumptionMatrixTestCase:
    def test_it_allows_only_the_table_roles(self, kit, state, action, role):
        allowed = next(roles for s, a, roles in RES_TABLE if (s, a) == (state, action))
        actor = getattr(kit.district, ROLE_HOLDER[role])
        resumption, args = resumption_in(kit, state, action)
        event = f"enforcement.resumption_{action}"
        if role in allowed and (state, action) == ("applied", "accept"):
            # The policy requires the expert evaluation first.
            with pytest.raises(GuardFailed):
                resumption_perform(actor=actor, resumption=resumption, action=action, **args)
            return
        if role in allowed:
            resumption_perform(actor=actor, resumption=resumption, action=action, **args)
            resumption.refresh_from_db()
            assert resumption.status != state
            assert AuditEvent.objects.filter(action=event).count() == 1
            return
        visible = cases_visible_to(actor).filter(pk=resumption.case_id).exists()
        with pytest.raises(PermissionDenied if visible else Case.DoesNotExist):
            resumption_perform(actor=actor, resumption=resumption, action=action, **args)
        resumption.refresh_from_db()
        assert resumption.status == state


class PolicyWithoutExpertTestCase:
    def test_it_accepts_without_evaluation_when_the_policy_allows(self, kit):
        load_profile(resumption_requires_expert_evaluation=False)
        resumption, args = resumption_in(kit, "applied", "accept")
        resumption_perform(actor=kit.district.dora, resumption=resumption, action="accept", **args)
        resumption.refresh_from_db()
        assert resumption.status == "accepted"
        assert resumption.case.status == "lifted"

    def test_it_lifts_on_evaluation_when_no_department_acceptance_is_required(self, kit):
        load_profile(resumption_requires_department_acceptance=False)
        resumption, args = resumption_in(kit, "experts_assigned", "evaluate_pass")
        resumption_perform(
            actor=kit.district.xena, resumption=resumption, **args, action="evaluate_pass"
        )
        resumption.refresh_from_db()
        assert resumption.status == "accepted"
        assert resumption.case.status == "lifted"
        assert Expert.objects.count() == 1
