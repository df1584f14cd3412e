"""Reminders: due ones are sent once, to the right people, naming only the number."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from hazardledger.hazards.models import Notification
from hazardledger.policy.services import active_policy
from hazardledger.tipoffs import services
from hazardledger.tipoffs.jobs import send_tipoff_reminders

from .conftest import NAME, REAL


class ReminderTestCase:
    def test_it_reminds_of_late_triage_once(self, kit):
        tipoff = kit.submit(**REAL).tipoff
        assert send_tipoff_reminders() == {}
        later = timezone.now() + timedelta(days=4)
        assert send_tipoff_reminders(later) == {"triage": 1}
        assert send_tipoff_reminders(later) == {}
        note = Notification.objects.get()
        assert note.user == kit.d.hank and tipoff.number in note.message
        assert NAME not in note.message

    def test_it_reminds_the_officers_of_handling_and_feedback(self, kit):
        tipoff = kit.submit().tipoff
        services.tipoff_assign(
            actor=kit.d.hank, tipoff=tipoff, territory=kit.d.town_a, department=kit.d.dept_a
        )
        services.tipoff_accept(actor=kit.d.tom, tipoff=tipoff)
        sent = send_tipoff_reminders(timezone.now() + timedelta(days=58))
        assert sent == {"handling": 2}
        assert set(Notification.objects.values_list("user__username", flat=True)) == {"tom", "dora"}
        services.tipoff_verify(
            actor=kit.d.tom,
            tipoff=tipoff,
            data={"verification": "true", "verification_note": "属实", "severity": "general"},
        )
        assert send_tipoff_reminders(timezone.now() + timedelta(days=9)) == {"feedback": 2}

    def test_it_tells_the_custodian_of_waiting_requests(self, kit):
        tipoff = kit.submit(**REAL).tipoff
        services.reveal_request(actor=kit.d.hank, tipoff=tipoff, reason="回访")
        call_command("send_tipoff_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert list(Notification.objects.values_list("user__username", flat=True)) == ["cora"]

    def test_it_removes_stale_throttling_rows(self, kit):
        from hazardledger.tipoffs import throttle
        from hazardledger.tipoffs.models import LookupGuard

        throttle.count_submission("k", active_policy().tipoffs.throttling)
        assert send_tipoff_reminders() == {}
        assert send_tipoff_reminders(timezone.now() + timedelta(days=2)) == {"guards_removed": 1}
        assert not LookupGuard.objects.exists()
