"""Every (state, action, role) triple of the table, through the services and the database.

Allowed roles succeed and leave exactly one audit event; every other role is refused (403)
and changes nothing; actions missing from a state are refused (409) for everyone.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hazardledger.audit.models import AuditEvent
from hazardledger.blacklist.models import Entry, EntryStatus, RemovalReason
from hazardledger.blacklist.services import entry_perform
from hazardledger.blacklist.workflow import ACTIONS, SYSTEM, TRANSITIONS
from hazardledger.lib.workflow import ActionNotAvailable
from hazardledger.org.models import Role

S = EntryStatus
pytestmark = pytest.mark.django_db
ROLE_HOLDER = {
    Role.DISTRICT_ADMIN: "alice",
    Role.DISTRICT_LEADER: "lena",
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
ARGS = {
    "notify": {"channel": "document"},
    "withdraw": {"note": "证据不足"},
    "object": {"text": "事实有误"},
    "approve": {"decision_no": "1号"},
    "publish": {},
    "correct": {"note": "更正"},
    "dismiss": {"note": "维持"},
    "revoke": {"note": "错列"},
    "apply_repair": {"reason": "已整改", "evidence": "报告"},
    "review_repair": {"note": "同意"},
    "approve_repair": {"note": "同意"},
    "reject_repair": {"note": "不同意"},
    "expire": {},
}


def _person(kit, role: str):
    name = ROLE_HOLDER[role]
    return kit.lena if name == "lena" else getattr(kit.district, name)


def prepared(kit, state: str, action: str) -> tuple[Entry, object]:
    """An entry in `state` meeting the conditions of `action`, and the day to act on."""
    today = timezone.localdate()
    listed = today - timedelta(days=400)
    if action == "expire":
        listed = today - timedelta(days=4 * 366)
    fields: dict = {}
    if state in (S.OBJECTION, S.REMOVED):
        fields["listed_on"] = listed
    if state == S.NOTIFIED and action == "object":
        fields["objection_deadline"] = today + timedelta(days=2)
    if state == S.REPAIRING and action == "approve_repair":
        fields["repair_reviewed_by"] = kit.district.alice
    if state == S.REMOVED:
        fields["removal_reason"] = RemovalReason.REVOKED
    if state in (S.APPROVED, S.PUBLISHED, S.REPAIRING):
        fields["listed_on"] = listed
    return kit.entry(state, **fields), today


@pytest.mark.parametrize(
    ("state", "action", "roles"), TABLE, ids=[f"{s}-{a}" for s, a, _r in TABLE]
)
def test_every_allowed_role_succeeds_with_one_audit_event(kit, state, action, roles):
    for role in sorted(roles):
        entry, today = prepared(kit, state, action)
        actor = None if role == SYSTEM else _person(kit, role)
        before = AuditEvent.objects.count()
        entry_perform(actor=actor, entry=entry, action=action, data=ARGS[action], today=today)
        entry.refresh_from_db()
        assert entry.status != state or action == "review_repair", (role, action)
        assert AuditEvent.objects.count() == before + 1
        assert AuditEvent.objects.latest("pk").action == f"blacklist.{action}"


@pytest.mark.parametrize(
    ("state", "action", "roles"), TABLE, ids=[f"{s}-{a}" for s, a, _r in TABLE]
)
def test_every_other_role_is_refused_and_changes_nothing(kit, state, action, roles):
    for role in sorted(set(ROLE_HOLDER) - roles):
        entry, today = prepared(kit, state, action)
        before = AuditEvent.objects.count()
        with pytest.raises(PermissionDenied):
            entry_perform(
                actor=_person(kit, role), entry=entry, action=action, data=ARGS[action], today=today
            )
        assert Entry.objects.get(pk=entry.pk).status == state
        assert AuditEvent.objects.count() == before


MISSING = [
    (state, action)
    for state in S.values
    for action in ACTIONS
    if not any(t.source == state and t.action == action for t in TRANSITIONS)
]


@pytest.mark.parametrize(("state", "action"), MISSING, ids=[f"{s}-{a}" for s, a in MISSING])
def test_actions_missing_from_a_state_are_refused_for_everyone(kit, state, action):
    entry, today = prepared(kit, state, action)
    for role in (Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER, Role.ENTERPRISE_USER):
        with pytest.raises(ActionNotAvailable):
            entry_perform(
                actor=_person(kit, role), entry=entry, action=action, data=ARGS[action], today=today
            )
    assert Entry.objects.get(pk=entry.pk).status == state
