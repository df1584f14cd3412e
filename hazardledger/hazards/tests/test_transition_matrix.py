"""Every (state, action, role) triple of the table, through the services and the database.

Allowed roles succeed and leave exactly one audit event (two where a second record changes:
a transfer's new card, an evaluation's pool assignment); every other role is refused (403)
and changes nothing; actions missing from a state are refused (409) for everyone.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hazardledger.audit.models import AuditEvent
from hazardledger.hazards.models import HazardStatus
from hazardledger.hazards.services import hazard_perform
from hazardledger.hazards.tests.conftest import photo
from hazardledger.hazards.workflow import ACTIONS, TRANSITIONS
from hazardledger.lib.workflow import ActionNotAvailable
from hazardledger.org.models import Role

S = HazardStatus
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
TABLE = [(t.source, t.action, t.roles) for t in TRANSITIONS]


def prepared(kit, state: str, action: str, **fields):
    """A card in `state` meeting the conditions of `action`, and the action's arguments."""
    level = "major" if state == S.EVALUATING else "general"
    card = kit.card(
        state,
        level=level,
        is_supervised=action == "delist_supervised",
        production_suspended=action == "resume_production",
        **fields,
    )
    today = timezone.localdate()
    if action in ("approve_extension", "reject_extension") and card.deadline:
        kit.pending_extension(card)
    args = {
        "confirm": {},
        "transfer": {"department": kit.district.dept_b, "reason": "属危化品监管"},
        "save_plan": {"plan": {"measures": "更换"}},
        "submit_plan": {},
        "rectify_immediately": {"note": "当场整改", "photos": [photo()]},
        "report_progress": {"text": "已完成一半", "percent": 50},
        "request_extension": {
            "reason": "设备未到",
            "interim_controls": "警戒",
            "new_deadline": card.deadline and card.deadline + timedelta(10),
        },
        "approve_extension": {"opinion": "同意"},
        "reject_extension": {"opinion": "理由不足"},
        "mark_rectified": {"note": "已整改", "photos": [photo()]},
        "apply_acceptance": {},
        "assign_expert": {"expert": kit.district.xena},
        "evaluation_pass": {"opinion": "整改到位"},
        "evaluation_fail": {"opinion": "未到位"},
        "accept": {"opinion": "合格"},
        "reject": {"opinion": "不合格"},
        "void": {"reason": "重复登记"},
        "reopen": {"reason": "复查反弹", "deadline": today + timedelta(days=10)},
        "list_supervised": {
            "supervision_level": "district",
            "supervision_doc_no": "周安办督〔2026〕1号",
        },
        "delist_supervised": {"reason": "已整改"},
        "suspend_production": {"reason": "无法保证安全"},
        "resume_production": {"reason": "已消除"},
    }[action]
    return card, args


@pytest.mark.parametrize(
    ("state", "action", "role"),
    [(s, a, r) for s, a, _roles in TABLE for r in Role.values],
    ids=lambda v: str(v),
)
class TransitionMatrixTestCase:
    def test_it_allows_only_the_table_roles(self, kit, state, action, role):
        allowed = next(roles for s, a, roles in TABLE if (s, a) == (state, action))
        card, args = prepared(kit, state, action)
        actor = getattr(kit.district, ROLE_HOLDER[role])
        before = AuditEvent.objects.count()
        cards = AuditEvent.objects.filter(object_type="hazards.hazard")
        before_cards = cards.count()
        if role in allowed:
            hazard_perform(actor=actor, hazard=card, action=action, **args)
            # Events of other apps that a card step sets off (a suspension opens its case,
            # leaving evaluation ends the pool assignment) are theirs; the card's own step is
            # one event, and a transfer also logs the new card.
            assert cards.count() == before_cards + 1 + (action == "transfer")
            card.refresh_from_db()
            assert card.events.filter(action=action).count() == 1
        else:
            version = card.version
            with pytest.raises(PermissionDenied):
                hazard_perform(actor=actor, hazard=card, action=action, **args)
            card.refresh_from_db()
            assert (card.status, card.version) == (state, version)
            assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("state", S.values)
class UnavailableActionTestCase:
    def test_it_refuses_actions_the_state_does_not_have(self, kit, state):
        district = kit.district
        present = {a for s, a, _r in TABLE if s == state}
        for action in set(ACTIONS) - present:
            roles = next((r for _s, a, r in TABLE if a == action), frozenset())
            actor = (
                district.alice
                if Role.DISTRICT_ADMIN in roles
                else (
                    district.eve
                    if Role.ENTERPRISE_USER in roles
                    else (district.tom if Role.TERRITORY_OFFICER in roles else district.xena)
                )
            )
            card, args = prepared(kit, state, action, expert=district.xena)
            # An expert sees a card only while evaluating it: elsewhere the refusal is 403.
            expected = PermissionDenied if actor == district.xena else ActionNotAvailable
            with pytest.raises((ActionNotAvailable, PermissionDenied)) as exc:
                hazard_perform(actor=actor, hazard=card, action=action, **args)
            assert isinstance(exc.value, expected) or state == S.EVALUATING
            card.refresh_from_db()
            assert card.status == state and card.version == 0
