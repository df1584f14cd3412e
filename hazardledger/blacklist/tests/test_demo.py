"""The demo blacklist: every state, one repaired early, one expired; idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from hazardledger.blacklist import selectors
from hazardledger.blacklist.models import Entry, EntryStatus, RemovalReason

S = EntryStatus


@pytest.fixture
def demo(db, monkeypatch, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("HAZARDLEDGER_DEMO_PASSWORD", "demo-password-2026")
    call_command("load_demo", verbosity=0)


class DemoBlacklistTestCase:
    def test_it_has_every_state_and_each_kind_of_removal(self, demo):
        assert set(Entry.objects.values_list("status", flat=True)) == set(S.values)
        reasons = set(Entry.objects.values_list("removal_reason", flat=True)) - {""}
        assert reasons == set(RemovalReason.values)

    def test_the_early_repair_came_after_the_minimum_period(self, demo):
        from hazardledger.policy.services import active_policy

        months = active_policy().blacklist.earliest_repair_months
        repaired = Entry.objects.get(removal_reason=RemovalReason.REPAIRED)
        assert repaired.removed_on >= repaired.earliest_repair_on
        assert repaired.removed_on < repaired.expires_on
        assert (repaired.removed_on - repaired.listed_on).days >= months * 28
        assert repaired.repair_reviewed_by != repaired.removed_by

    def test_the_expired_one_restricts_nothing_and_the_register_is_consistent(self, demo):
        expired = Entry.objects.get(removal_reason=RemovalReason.EXPIRED)
        assert expired.expires_on < timezone.localdate()
        assert not selectors.check(expired.credit_code, official=True)["restricted"]
        public = {r["id"] for r in selectors.public_rows()}
        assert public == set(
            Entry.objects.filter(status__in=[S.PUBLISHED, S.REPAIRING]).values_list("pk", flat=True)
        )

    def test_a_second_run_creates_nothing(self, demo):
        count = Entry.objects.count()
        call_command("load_demo", verbosity=0)
        assert Entry.objects.count() == count
