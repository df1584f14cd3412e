"""Excel export (office columns, formula guard, streamed) and import (all rows or none)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from hazardledger.audit.models import AuditEvent
from hazardledger.enterprises.models import BatchStatus, ImportBatch
from hazardledger.hazards.models import Hazard, HazardStatus
from hazardledger.hazards.xlsx import EXPORT_COLUMNS

S = HazardStatus


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


def apply_upload(client, upload):
    """Upload (the preview), then confirm; returns the batch."""
    response = client.post(reverse("hazards:import"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:500]
    batch = ImportBatch.objects.latest("pk")
    if batch.status == BatchStatus.PREVIEWED:
        assert client.post(reverse("hazards:import_apply", args=[batch.pk])).status_code == 302
    batch.refresh_from_db()
    return batch


class ExportTestCase:
    def test_it_exports_the_office_columns_with_real_dates_and_funds_in_yuan(self, kit, login):
        card = kit.card(S.CLOSED, description='=HYPERLINK("http://x")', measures="+1")
        kit.card(enterprise=kit.ent_b)
        sheet = download(login(kit.district.tom))
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == EXPORT_COLUMNS
        for title in ("统一社会信用代码", "隐患部位", "来源", "判定标准", "条款", "是否逾期"):
            assert title in EXPORT_COLUMNS
        assert len(rows) == 2  # the other town's card is out of scope
        row = dict(zip(EXPORT_COLUMNS, rows[1], strict=True))
        assert row["序号"] == 1 and row["隐患编号"] == card.card_no
        assert row["企业名称"] == "甲镇建筑公司" and row["所属镇街"] == "甲镇"
        assert row["统一社会信用代码"] == kit.ent_a.credit_code
        assert row["隐患级别"] == "一般" and row["整改状态"] == "已销号"
        assert row["隐患描述"] == '\'=HYPERLINK("http://x")' and row["整改措施"] == "'+1"
        assert row["整改资金（元）"] == 5000 and row["验收人"] == "Tom"
        assert isinstance(row["发现时间"], datetime) and row["发现时间"].date() == card.found_on
        assert isinstance(row["销号时间"], datetime)
        assert row["是否逾期"] == "否" and row["是否挂牌督办"] == "否"

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

    def test_it_previews_then_imports_all_rows(self, kit, login):
        upload = xlsx_upload([self.HEADER, self._row(kit), self._row(kit, 隐患描述="通道堵塞")])
        client = login(kit.district.tom)
        response = client.post(reverse("hazards:import"), {"file": upload})
        batch = ImportBatch.objects.latest("pk")
        assert response.url == reverse("hazards:import_batch", args=[batch.pk])
        page = client.get(response.url).content.decode()
        assert "灭火器过期" in page and "确认导入" in page
        assert Hazard.objects.count() == 0
        client.post(reverse("hazards:import_apply", args=[batch.pk]))
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
        batch = apply_upload(login(kit.district.tom), upload)
        assert batch.status == BatchStatus.REJECTED
        assert {e["row"] for e in batch.errors} == {3, 4, 5}, batch.errors
        text = (
            login(kit.district.tom)
            .get(reverse("hazards:import_batch", args=[batch.pk]))
            .content.decode()
        )
        assert "“特大”不是有效的隐患级别" in text and "不存在" in text
        assert "管辖范围" in text and "整改时限不能早于今天" in text, batch.errors
        assert "不是可识别的金额" in text and "确认导入" not in text
        assert Hazard.objects.count() == 0 and AuditEvent.objects.count() == events

    def test_an_export_imports_back_with_no_change(self, kit, login):
        kit.card(description="-2 号罐泄漏")
        kit.card(S.RECTIFYING, description="通道堵塞")
        kit.card(S.CLOSED, description="灭火器过期")
        client = login(kit.district.tom)
        content = b"".join(client.get(reverse("hazards:export")).streaming_content)
        batch = apply_upload(client, SimpleUploadedFile("export.xlsx", content))
        assert batch.status == BatchStatus.APPLIED, batch.errors
        assert (batch.created, batch.updated, batch.unchanged, batch.duplicates) == (0, 0, 3, 0)
        assert Hazard.objects.count() == 3
        assert [c["header"] for c in batch.columns if not c["key"]] == ["序号"]

    def test_it_refuses_a_file_that_is_not_xlsx(self, kit, login):
        bad = SimpleUploadedFile("a.xlsx", b"hello")
        response = login(kit.district.tom).post(reverse("hazards:import"), {"file": bad})
        assert response.status_code == 400
        assert response.context["form"].errors["file"] == ["只接受 Excel（.xlsx）文件"]

    def test_it_names_the_missing_columns(self, kit, login):
        upload = xlsx_upload([["企业名称", "备注"], ["甲镇建筑公司", "x"]])
        batch = apply_upload(login(kit.district.tom), upload)
        assert batch.status == BatchStatus.REJECTED
        assert "没有找到包含" in batch.errors[0]["message"]

    def test_it_is_closed_to_roles_that_cannot_import(self, kit, login):
        assert login(kit.district.leo).get(reverse("hazards:import")).status_code == 403
        assert login(kit.district.eve).get(reverse("hazards:import")).status_code == 403

    def test_a_batch_is_visible_to_its_owner_and_the_admin_only(self, kit, login):
        upload = xlsx_upload([self.HEADER, self._row(kit)])
        batch = apply_upload(login(kit.district.tom), upload)
        url = reverse("hazards:import_batch", args=[batch.pk])
        assert login(kit.district.alice).get(url).status_code == 200
        assert login(kit.district.dora).get(url).status_code == 404

    def test_the_template_has_dropdowns_an_example_and_a_guide(self, kit, login):
        response = login(kit.district.tom).get(reverse("hazards:import_template"))
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == ["隐患台账", "取值", "填写说明"]
        sheet = book["隐患台账"]
        assert sheet.cell(2, 6).value == "配电箱未接地"
        assert any("取值" in str(v.formula1) for v in sheet.data_validations.dataValidation)
        assert book["填写说明"].max_row == sheet.max_column + 1
