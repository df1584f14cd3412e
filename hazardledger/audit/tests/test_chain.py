"""The audit chain: intact passes; an edited, deleted or inserted row is detected."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from hazardledger.audit.models import AppendOnlyError, AuditEvent
from hazardledger.audit.services import compute_hash, record, verify_chain


@pytest.fixture
def chain(district):
    for i in range(5):
        record(
            actor=district.alice,
            action="test.event",
            object_type="test",
            object_id=i,
            changes={"n": [i, i + 1]},
            reason=f"第{i}次",
        )
    return list(AuditEvent.objects.order_by("pk"))


def verify() -> str:
    try:
        call_command("audit_verify")
    except CommandError as exc:
        return str(exc)
    return "ok"


class ChainTestCase:
    def test_it_passes_an_intact_chain(self, chain):
        assert verify_chain() is None
        assert verify() == "ok"

    def test_it_links_each_event_to_the_previous(self, chain):
        for prev, event in itertools.pairwise(chain):
            assert event.prev_hash == prev.hash
            assert event.hash == compute_hash(event)

    def test_it_detects_an_edited_row(self, chain):
        AuditEvent.objects.filter(pk=chain[2].pk).update(reason="篡改")
        assert f"事件 #{chain[2].pk}" in verify()

    def test_it_detects_an_edit_of_the_changes_payload(self, chain):
        AuditEvent.objects.filter(pk=chain[1].pk).update(changes={"n": [0, 99]})
        assert f"事件 #{chain[1].pk}" in verify()

    def test_it_detects_a_deleted_row(self, chain):
        AuditEvent.objects.filter(pk=chain[2].pk)._raw_delete(connection.alias)
        assert f"事件 #{chain[3].pk}" in verify()

    def test_it_detects_a_deleted_last_row(self, chain):
        AuditEvent.objects.filter(pk=chain[-1].pk)._raw_delete(connection.alias)
        assert "链头" in verify() or f"事件 #{chain[-2].pk}" in verify()

    def test_it_detects_an_inserted_row(self, chain):
        forged = AuditEvent(
            at=chain[2].at,
            action="test.forged",
            object_type="test",
            prev_hash=chain[-1].hash,
            hash="f" * 64,
        )
        forged.save(force_insert=True)
        assert f"事件 #{forged.pk}" in verify()

    def test_it_detects_a_row_inserted_with_a_correct_looking_hash(self, chain, settings):
        forged = AuditEvent(
            at=chain[2].at,
            action="test.forged",
            object_type="test",
            prev_hash=chain[-1].hash,
            hash="pending",
        )
        forged.save(force_insert=True)
        settings.AUDIT_KEY = "attacker-guess"
        AuditEvent.objects.filter(pk=forged.pk).update(hash=compute_hash(forged))
        settings.AUDIT_KEY = settings.SECRET_KEY
        assert verify() != "ok"

    def test_it_refuses_to_update_or_delete_through_the_model(self, chain):
        event = chain[0]
        event.reason = "x"
        with pytest.raises(AppendOnlyError):
            event.save()
        with pytest.raises(AppendOnlyError):
            event.delete()

    def test_it_keeps_passwords_out_of_the_payload(self, district):
        event = record(
            actor=district.alice,
            action="test.secret",
            object_type="test",
            changes={"password": ["a", "b"], "name": ["x", "y"]},
        )
        assert "password" not in event.changes and event.changes["name"] == ["x", "y"]

    def test_it_stores_every_change_as_before_and_after(self, db):
        from hazardledger.audit.services import record

        event = record(
            actor=None,
            action="test.shapes",
            object_type="test",
            changes={"name": ["x", "y"], "count": 3, "created": [None, ["A", "B"]]},
        )
        event.refresh_from_db()
        assert event.changes == {
            "name": ["x", "y"],
            "count": [None, 3],
            "created": [None, ["A", "B"]],
        }
        assert sorted(event.change_list, key=lambda c: c[0]) == [
            ("count", None, 3),
            ("created", None, ["A", "B"]),
            ("name", "x", "y"),
        ]

    def test_it_verifies_an_empty_chain(self, db):
        assert verify() == "ok"

    def test_it_records_services_of_the_organisation(self, district):
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {"unit.create", "industry.create", "person.create"} <= actions
        assert verify() == "ok"
