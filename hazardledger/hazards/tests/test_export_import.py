"""Excel export (office columns, formula guard, streamed) and import (all rows or none)."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from hazardledger.audit.models import AuditEvent
from hazardledger.hazards.models import Hazard, HazardStatus
from hazardledger.hazards.xlsx import EXPORT_COLUMNS

S = HazardStatus
OFFICE_COLUMNS = [
    "序号",
    "隐患编号",
    "企业名称",
    "所属镇街",
    "行业",
    "隐患描述",
    "隐患级别",
    "发现时间",
    "整改措施",
    "整改资金",
    "整改责任人",
    "整改时限",
    "应急预案",
    "整改状态",
    "验收时间",
    "验收人",
    "销号时间",
]


def download(client, **params):
    response = client.get(reverse("hazards:export"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert response.streaming
    content = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(content), read_only=True).worksheets[0]


def xlsx_upload(rows, name="台账.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


class ExportTestCase:
    def test_it_exports_exactly_the_office_columns(self, kit, login):
        card = kit.card(S.CLOSED, description='=HYPERLINK("http://x")', measures="+1")
        kit.card(enterprise=kit.ent_b)
        sheet = download(login(kit.district.tom))
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == OFFICE_COLUMNS == EXPORT_COLUMNS
        assert len(rows) == 2  # the other town's card is out of scope
        row = dict(zip(OFFICE_COLUMNS, rows[1], strict=True))
        assert row["序号"] == 1 and row["隐患编号"] == card.card_no
        assert row["企业名称"] == "甲镇建筑公司" and row["所属镇街"] == "甲镇"
        assert row["隐患级别"] == "一般" and row["整改状态"] == "已销号"
        assert row["隐患描述"] == '\'=HYPERLINK("http://x")' and row["整改措施"] == "'+1"
        assert row["整改资金"] == 5000 and row["验收人"] == "Tom" and row["销号时间"]

    def test_it_applies_the_ledger_filters(self, kit, login):
        kit.card(level="major")
        kit.card()
        sheet = download(login(kit.district.alice), level="major")
        assert len(list(sheet.iter_rows(values_only=True))) == 2


class ImportTestCase:
    HEADER = [
        "统一社会信用代码",
        "企业名称",
        "隐患部位",
        "隐患描述",
        "隐患级别",
        "发现时间",
        "整改措施",
        "整改资金",
        "整改责任人",
        "整改时限",
        "应急预案",
    ]

    def _row(self, kit, **kw):
        today = timezone.localdate()
        row = {
            "统一社会信用代码": kit.ent_a.credit_code,
            "企业名称": "",
            "隐患部位": "仓库",
            "隐患描述": "灭火器过期",
            "隐患级别": "一般",
            "发现时间": today.isoformat(),
            "整改措施": "更换",
            "整改资金": 300,
            "整改责任人": "李四",
            "整改时限": (today + timedelta(days=5)).isoformat(),
            "应急预案": "专人看守",
        }
        row |= kw
        return [row[h] for h in self.HEADER]

    def test_it_imports_all_rows(self, kit, login):
        upload = xlsx_upload([self.HEADER, self._row(kit), self._row(kit, 隐患描述="通道堵塞")])
        response = login(kit.district.tom).post(reverse("hazards:import"), {"file": upload})
        assert response.status_code == 302
        cards = Hazard.objects.order_by("pk")
        assert [c.description for c in cards] == ["灭火器过期", "通道堵塞"]
        assert cards[0].status == S.REGISTERED and cards[0].responsible_person == "李四"
        assert cards[0].funds_yuan == 300

    def test_it_imports_nothing_when_one_row_is_wrong_and_reports_each_row(self, kit, login):
        events = AuditEvent.objects.count()
        upload = xlsx_upload(
            [
                self.HEADER,
                self._row(kit),
                self._row(kit, 隐患级别="特大", 发现时间="2026-02-30"),
                self._row(kit, 统一社会信用代码=kit.ent_b.credit_code),
                self._row(kit, 整改时限="2000-01-01", 整改资金="五百"),
            ]
        )
        response = login(kit.district.tom).post(reverse("hazards:import"), {"file": upload})
        assert response.status_code == 400
        errors = response.context["result"].errors
        rows = {row for row, _message in errors}
        assert rows == {3, 4, 5}
        text = response.content.decode()
        assert "“特大”不是有效的隐患级别" in text and "日期格式不正确" in text
        assert "企业不存在或不在您的管辖范围内" in text and "整改时限不能早于今天" in text
        assert "整改资金应为数字" in text
        assert Hazard.objects.count() == 0 and AuditEvent.objects.count() == events

    def test_it_reads_back_its_own_export(self, kit, login):
        kit.card(description="-2 号罐泄漏")
        client = login(kit.district.tom)
        content = b"".join(client.get(reverse("hazards:export")).streaming_content)
        response = client.post(
            reverse("hazards:import"), {"file": SimpleUploadedFile("export.xlsx", content)}
        )
        assert response.status_code == 302
        assert Hazard.objects.filter(description="-2 号罐泄漏").count() == 2

    def test_it_refuses_a_file_that_is_not_xlsx(self, kit, login):
        bad = SimpleUploadedFile("a.xlsx", b"hello")
        response = login(kit.district.tom).post(reverse("hazards:import"), {"file": bad})
        assert response.status_code == 400
        assert response.context["form"].errors["file"] == ["只接受 Excel（.xlsx）文件"]

    def test_it_names_the_missing_columns(self, kit, login):
        upload = xlsx_upload([["企业名称", "备注"], ["甲镇建筑公司", "x"]])
        response = login(kit.district.tom).post(reverse("hazards:import"), {"file": upload})
        assert response.status_code == 400 and "没有找到包含" in response.content.decode()

    def test_it_is_closed_to_roles_that_cannot_register(self, kit, login):
        assert login(kit.district.leo).get(reverse("hazards:import")).status_code == 403
