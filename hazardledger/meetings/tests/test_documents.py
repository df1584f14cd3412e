"""The minutes and the sign-in sheet render from the shipped templates (a tag split by Word
would fail here), with the meeting's own text in them."""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone
from docx import Document

from hazardledger.meetings import documents, services


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


class DocumentsTestCase:
    def _meeting(self, district, rec):
        meeting = rec.meeting(
            district.town_a,
            timezone.localdate() - timedelta(days=1),
            decisions=["住建局<三日内>完成专项检查", "甲镇组织复查"],
        )
        meeting.people_present.set([district.tom, district.dora])
        services.item_create(
            actor=district.alice,
            data=services.ItemInput(
                decision=meeting.decisions.first(),
                title="临边防护专项检查 & 复查",
                owner_unit=district.dept_a,
                owner_person=district.dora,
                due_on=timezone.localdate() + timedelta(days=5),
            ),
        )
        return meeting

    def test_it_renders_the_minutes(self, district, rec, weekly):
        text = _text(documents.minutes_docx(self._meeting(district, rec)))
        assert "甲镇安全生产隐患排查治理联席会议纪要" in text
        assert "1. 住建局<三日内>完成专项检查" in text  # escaped by the renderer, read back whole
        assert "2. 甲镇组织复查" in text
        assert "临边防护专项检查 & 复查 | 区住建局 | Dora" in text
        assert "参会单位：甲镇、区住建局" in text or "参会单位：区住建局、甲镇" in text
        assert "{{" not in text and "{%" not in text

    def test_it_renders_the_sign_in_sheet_with_blank_rows(self, district, rec, weekly):
        text = _text(documents.signin_docx(self._meeting(district, rec)))
        assert "甲镇联席会议签到表" in text
        assert "甲镇 | Tom" in text and "区住建局 | Dora" in text
        rows = [line for line in text.splitlines() if line.split(" | ")[0].isdigit()]
        assert len(rows) == 2 + documents.BLANK_ROWS
        assert "{{" not in text and "{%" not in text

    def test_it_serves_both_to_those_who_see_the_meeting(self, district, rec, weekly, client_for):
        meeting = self._meeting(district, rec)
        for name in ("minutes", "signin"):
            response = client_for(district.dora).get(f"/meetings/{meeting.pk}/{name}.docx")
            assert response.status_code == 200
            assert response["Content-Type"] == documents_type()
            assert (
                client_for(district.tina).get(f"/meetings/{meeting.pk}/{name}.docx").status_code
                == 404
            )


def documents_type() -> str:
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
