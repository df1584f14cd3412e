"""Reminders and escalation: due soon, overdue, returned, accepted; safe to run twice."""

from __future__ import annotations

from datetime import date
from io import StringIO

import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hazardledger.hazards.models import HazardStatus, Notification
from hazardledger.hazards.notifications import send_reminders
from hazardledger.hazards.services import hazard_accept, hazard_reject
from hazardledger.org.services import unit_set_head

S = HazardStatus


def kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))


class RemindersTestCase:
    def test_it_reminds_of_due_soon_and_overdue_and_escalates_once(self, kit):
        d = kit.district
        unit_set_head(actor=None, unit=d.town_a, head=d.tom)
        unit_set_head(actor=None, unit=d.dept_a, head=d.dora)
        with time_machine.travel(date(2026, 6, 1), tick=False):
            soon = kit.card(S.RECTIFYING, deadline=date(2026, 6, 3))
            late = kit.card(S.RECTIFYING, deadline=date(2026, 5, 30))
            kit.card(S.RECTIFYING, deadline=date(2026, 6, 20))
            kit.card(S.RECTIFIED, deadline=date(2026, 5, 1))
            created = send_reminders()
        assert created == {"due_soon": 1, "overdue": 1, "escalated": 2}
        assert kinds(d.eve) == ["due_soon", "overdue"]
        assert kinds(d.tom) == ["escalated"] and kinds(d.dora) == ["escalated"]
        assert Notification.objects.get(user=d.eve, kind="due_soon").hazard == soon
        assert Notification.objects.get(user=d.tom).hazard == late
        with time_machine.travel(date(2026, 6, 1), tick=False):
            assert send_reminders() == {}
        assert Notification.objects.count() == 4

    def test_it_reminds_again_after_an_extension_moves_the_deadline(self, kit):
        with time_machine.travel(date(2026, 6, 1), tick=False):
            card = kit.card(S.RECTIFYING, deadline=date(2026, 6, 2))
            send_reminders()
            card.deadline = date(2026, 6, 4)
            card.save(update_fields=["deadline"])
            assert send_reminders() == {"due_soon": 1}

    def test_it_notifies_returns_and_acceptances_and_the_command_catches_up(
        self, kit, django_capture_on_commit_callbacks
    ):
        d = kit.district
        returned = kit.card(S.ACCEPTANCE_PENDING)
        accepted = kit.card(S.ACCEPTANCE_PENDING)
        with django_capture_on_commit_callbacks(execute=True):
            hazard_reject(actor=d.tom, hazard=returned, opinion="不合格")
        hazard_accept(actor=d.tom, hazard=accepted)  # its on-commit hook never ran
        assert kinds(d.eve) == ["returned"]
        out = StringIO()
        call_command("send_hazard_reminders", stdout=out)
        assert kinds(d.eve) == ["accepted", "returned"]
        assert "验收销号：1 条" in out.getvalue()
        out = StringIO()
        call_command("send_hazard_reminders", stdout=out)
        assert "没有新的提醒" in out.getvalue()
        assert "不合格" in Notification.objects.get(kind="returned").message

    def test_it_sends_email_when_configured(self, kit, settings):
        settings.HAZARD_EMAIL_NOTIFICATIONS = True
        kit.district.eve.email = "eve@example.test"
        kit.district.eve.save()
        kit.card(S.RECTIFYING, deadline=timezone.localdate())
        send_reminders()
        assert len(mail.outbox) == 1 and "到期" in mail.outbox[0].body


class NotificationPageTestCase:
    def test_it_lists_and_marks_the_users_messages(self, kit, login):
        kit.card(S.RECTIFYING, deadline=timezone.localdate())
        send_reminders()
        client = login(kit.district.eve)
        page = client.get(reverse("hazards:notifications")).content.decode()
        assert "将于" in page and "未读" in page
        assert (
            login(kit.district.tina)
            .get(reverse("hazards:notifications"))
            .content.decode()
            .count("将于")
            == 0
        )
        assert client.get(reverse("hazards:notifications_read")).status_code == 405
        client.post(reverse("hazards:notifications_read"))
        assert not Notification.objects.filter(read_at__isnull=True).exists()
