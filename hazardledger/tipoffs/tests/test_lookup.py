"""Following a case by receipt code: lookup, throttling, access lapse, the conversation."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from hazardledger.lib.workflow import GuardFailed
from hazardledger.tipoffs import receipt, services, throttle
from hazardledger.tipoffs.models import Author, LookupGuard, Message

from .conftest import activate

CLIENT = "client-key-of-test"


class LookupTestCase:
    def test_it_opens_the_tipoff_with_its_code_in_any_grouping(self, kit):
        done = kit.submit()
        assert services.tipoff_lookup(code=done.receipt_code, client=CLIENT) == done.tipoff
        spaced = receipt.grouped(done.receipt_code)
        assert services.tipoff_lookup(code=spaced, client=CLIENT) == done.tipoff

    @pytest.mark.parametrize("code", ["", "abc", "1" * 16, "１２３", None, "9" * 100])
    def test_it_refuses_wrong_codes_with_one_message(self, kit, code):
        kit.submit()
        with pytest.raises(services.CodeRefused) as caught:
            services.tipoff_lookup(code=code, client=CLIENT)
        assert "查询码不正确" in caught.value.message

    def test_it_throttles_after_twenty_wrong_codes_in_a_row(self, kit):
        done = kit.submit()
        for _ in range(20):
            with pytest.raises(services.CodeRefused):
                services.tipoff_lookup(code="0000000000000000", client=CLIENT)
        with pytest.raises(throttle.Throttled) as caught:
            services.tipoff_lookup(code=done.receipt_code, client=CLIENT)
        assert "连续输错" in caught.value.message
        # Another address is not locked out by this one.
        assert services.tipoff_lookup(code=done.receipt_code, client="other") == done.tipoff

    def test_it_resets_the_run_on_a_right_code(self, kit):
        done = kit.submit()
        for _ in range(19):
            with pytest.raises(services.CodeRefused):
                services.tipoff_lookup(code="0000000000000000", client=CLIENT)
        services.tipoff_lookup(code=done.receipt_code, client=CLIENT)
        assert LookupGuard.objects.get(pk=CLIENT).wrong_in_a_row == 0

    def test_it_lifts_the_lockout_after_the_policy_minutes(self, kit):
        activate(
            tipoffs={
                "throttling": {
                    "submissions_per_hour": 10,
                    "lookups_per_hour": 500,
                    "wrong_codes_in_a_row": 3,
                    "lockout_minutes": 5,
                }
            }
        )
        done = kit.submit()
        for _ in range(3):
            with pytest.raises(services.CodeRefused):
                services.tipoff_lookup(code="1234123412341234", client=CLIENT)
        with pytest.raises(throttle.Throttled):
            services.tipoff_lookup(code=done.receipt_code, client=CLIENT)
        with time_machine.travel(timezone.now() + timedelta(minutes=6)):
            assert services.tipoff_lookup(code=done.receipt_code, client=CLIENT) == done.tipoff

    def test_it_limits_lookups_per_hour(self, kit):
        activate(
            tipoffs={
                "throttling": {
                    "submissions_per_hour": 10,
                    "lookups_per_hour": 3,
                    "wrong_codes_in_a_row": 20,
                    "lockout_minutes": 30,
                }
            }
        )
        done = kit.submit()
        for _ in range(3):
            services.tipoff_lookup(code=done.receipt_code, client=CLIENT)
        with pytest.raises(throttle.Throttled):
            services.tipoff_lookup(code=done.receipt_code, client=CLIENT)
        with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
            assert services.tipoff_lookup(code=done.receipt_code, client=CLIENT)

    def test_it_lapses_after_the_policy_idle_days_and_each_use_resets(self, kit):
        done = kit.submit()
        with time_machine.travel(timezone.now() + timedelta(days=80)):
            services.tipoff_lookup(code=done.receipt_code, client=CLIENT)
        with time_machine.travel(timezone.now() + timedelta(days=160)):
            services.tipoff_lookup(code=done.receipt_code, client=CLIENT)
        later = time_machine.travel(timezone.now() + timedelta(days=251))
        with later, pytest.raises(services.CodeRefused) as caught:
            services.tipoff_lookup(code=done.receipt_code, client=CLIENT)
        assert "失效" in caught.value.message


class ConversationTestCase:
    def test_it_lets_staff_ask_and_the_reporter_answer_through_the_token(self, kit):
        done = kit.submit()
        tipoff = done.tipoff
        services.tipoff_message(actor=kit.d.hank, tipoff=tipoff, body="请问是几号楼？")
        token = services.token_for(tipoff)
        assert done.receipt_code not in token
        found = services.tipoff_from_token(token)
        services.reporter_reply(tipoff=found, body="五号楼北侧")
        assert list(Message.objects.values_list("author", flat=True)) == [
            Author.STAFF,
            Author.REPORTER,
        ]

    def test_it_refuses_a_forged_or_expired_token(self, kit):
        tipoff = kit.submit().tipoff
        token = services.token_for(tipoff)
        assert services.tipoff_from_token(token[:-2] + "xx") is None
        assert services.tipoff_from_token("") is None
        with time_machine.travel(timezone.now() + timedelta(minutes=31)):
            assert services.tipoff_from_token(token) is None

    def test_it_refuses_an_empty_answer(self, kit):
        tipoff = kit.submit().tipoff
        with pytest.raises(GuardFailed):
            services.reporter_reply(tipoff=tipoff, body="  ")
        assert not Message.objects.exists()
