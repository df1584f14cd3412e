"""The notice (.docx from the template file), the expiry job and its command."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document

from hazardledger.audit.models import AuditEvent
from hazardledger.blacklist import documents
from hazardledger.blacklist.jobs import expire_entries
from hazardledger.blacklist.models import EntryStatus, RemovalReason

S = EntryStatus
pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


class NoticeTestCase:
    def test_the_template_file_renders_every_tag(self, kit):
        entry = kit.entry(S.NOTIFIED, grounds="拒不执行<停产>指令")
        text = _text(documents.notice_docx(entry))
        assert "{{" not in text and "{%" not in text
        assert kit.ent_a.name in text and entry.credit_code in text
        assert "拒不执行<停产>指令" in text
        assert entry.restriction_labels[0] in text
        deadline = entry.objection_deadline
        assert f"{deadline.year}年{deadline.month}月{deadline.day}日" in text

    def test_the_notice_is_served_to_officials_in_scope(self, kit, client_for, district):
        entry = kit.entry(S.NOTIFIED)
        response = client_for(district.tom).get(f"/blacklist/{entry.pk}/notice.docx")
        assert response.status_code == 200 and response.content[:2] == b"PK"
        other = kit.entry(S.NOTIFIED, enterprise=kit.ent_b)
        assert client_for(district.tom).get(f"/blacklist/{other.pk}/notice.docx").status_code == 404


class ExpiryJobTestCase:
    def test_it_records_each_expiry_once_with_one_audit_event(self, kit):
        today = timezone.localdate()
        expired = kit.entry(S.PUBLISHED, listed_on=today - timedelta(days=4 * 366))
        current = kit.entry(S.PUBLISHED, enterprise=kit.ent_b)
        before = AuditEvent.objects.count()
        assert expire_entries(today) == 1
        assert expire_entries(today) == 0
        expired.refresh_from_db()
        current.refresh_from_db()
        assert expired.status == S.REMOVED and expired.removal_reason == RemovalReason.EXPIRED
        assert expired.removed_on == expired.expires_on + timedelta(days=1)
        assert expired.removed_by is None
        assert current.status == S.PUBLISHED
        assert AuditEvent.objects.count() == before + 1
        event = AuditEvent.objects.latest("pk")
        assert event.action == "blacklist.expire" and event.actor is None

    def test_the_last_day_is_still_listed(self, kit):
        entry = kit.entry(S.PUBLISHED, listed_on=timezone.localdate() - timedelta(days=4 * 366))
        assert expire_entries(entry.expires_on) == 0
        assert expire_entries(entry.expires_on + timedelta(days=1)) == 1

    def test_the_command_runs_the_job(self, kit, capsys):
        kit.entry(S.PUBLISHED, listed_on=timezone.localdate() - timedelta(days=4 * 366))
        call_command("expire_blacklist")
        assert "期满移出 1 条" in capsys.readouterr().out


class ScheduledJobTestCase:
    def test_the_scheduler_entry_point_reports_and_is_idempotent(self, kit):
        from hazardledger.blacklist.jobs import expire_job

        kit.entry(S.PUBLISHED, listed_on=timezone.localdate() - timedelta(days=4 * 366))
        assert expire_job("2026-12-03") == "期满移出 1 条"
        assert expire_job("2026-12-03") == "期满移出 0 条"
