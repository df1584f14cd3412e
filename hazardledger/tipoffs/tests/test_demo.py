"""The demo tip-offs: every state, anonymous ones, a duplicate, a paid and a refused reward."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from hazardledger.tipoffs.models import IdentityView, RewardStatus, Status, TipOff
from hazardledger.tipoffs.selectors import first_reporter


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


class DemoTestCase:
    def test_it_has_every_state_and_the_reward_cases(self, demo):
        assert set(TipOff.objects.values_list("status", flat=True)) == set(Status.values)
        assert TipOff.objects.filter(is_anonymous=True).exists()
        assert TipOff.objects.filter(is_anonymous=False).exists()
        duplicate = TipOff.objects.get(duplicate_of__isnull=False)
        assert first_reporter(duplicate) == duplicate.duplicate_of
        assert duplicate.reward.status == RewardStatus.REFUSED
        assert duplicate.duplicate_of.reward.status == RewardStatus.PAID
        assert IdentityView.objects.count() == 1

    def test_it_is_idempotent(self, demo):
        count = TipOff.objects.count()
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert TipOff.objects.count() == count
