"""Excel in and out: tolerant headers, all rows or none, the per-row error report, the export."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hazardledger.audit.models import AuditEvent
from hazardledger.enterprises.models import Enterprise, ImportBatch, StatusChange
from hazardledger.enterprises.roster import ImportRejected
from hazardledger.enterprises.services import enterprise_import

from .helpers import REAL_CODES, xlsx

HEADER = [
    "序号",
    "单位名称",
    "信用代码",
    "所属镇（街道）",
    "行业",
    "企业类别",
    "经营状态",
    "从业人数",
    "安全负责人",
]


def roster(*rows, header=HEADER, title=True) -> bytes:
    lines = [["甲镇企业名录（2025 年）"]] if title else []
    return xlsx([*lines, header, *rows])


def row(n: int, name: str, code: str, town: str = "甲镇", industry: str = "建筑施工", **kw):
    return [
        n,
        name,
        code,
        town,
        industry,
        kw.get("category", "规上"),
        kw.get("status", "正常"),
        kw.get("staff", 30),
        kw.get("safety", "张安全"),
    ]


def rejected(actor, data: bytes) -> list:
    with pytest.raises(ImportRejected) as caught:
        enterprise_import(actor=actor, source=data, filename="t.xlsx")
    assert not Enterprise.objects.exists()
    return caught.value.errors


class ImportTestCase:
    def test_it_imports_with_common_chinese_headers_below_a_title(self, district, codes):
        data = roster(
            row(1, "甲镇一厂", REAL_CODES[0]),
            row(2, "甲镇二厂", codes(), staff=5),
            row(3, "甲镇三厂", codes(), status="停产整顿", category="高危"),
        )
        result = enterprise_import(actor=district.tom, source=data, filename="名录.xlsx")
        assert (result.rows, result.created, result.updated) == (3, 3, 0)
        third = Enterprise.objects.get(name="甲镇三厂")
        assert (third.status, third.category, third.territory) == (
            "suspended",
            "high_risk",
            district.town_a,
        )
        assert Enterprise.objects.get(name="甲镇一厂").safety_manager == "张安全"
        assert StatusChange.objects.count() == 3
        event = AuditEvent.objects.get(action="enterprise.import")
        before, created = event.changes["created"]
        assert before is None and len(created) == 3

    def test_it_imports_nothing_when_one_row_is_bad_and_reports_that_row(self, district, codes):
        bad = REAL_CODES[1][:-1] + "0"
        data = roster(row(1, "好一", codes()), row(2, "坏二", bad), row(3, "好三", codes()))
        errors = rejected(district.tom, data)
        assert [(e.row, e.column) for e in errors] == [(4, "信用代码")]
        assert "校验位错误" in errors[0].message

    @pytest.mark.parametrize(
        "cells,column,text",
        [
            ({"town": "丙镇"}, "所属镇（街道）", "未知的镇街“丙镇”"),
            ({"industry": "采矿"}, "行业", "未知的行业“采矿”；最接近的标准名称：采矿业"),
            ({"status": "半死不活"}, "经营状态", "不是可识别的取值"),
            ({"staff": "很多"}, "从业人数", "应为整数"),
            ({"name": ""}, "单位名称", "企业名称不能为空"),
            ({"code": ""}, "信用代码", "不能为空"),
            ({"code": "91370306ABC"}, "信用代码", "18 位"),
            ({"name": "长" * 201}, "单位名称", "不能超过 200 个字符"),
        ],
    )
    def test_it_explains_each_bad_cell(self, district, codes, cells, column, text):
        bad = row(
            1,
            cells.get("name", "某厂"),
            cells.get("code", codes()),
            town=cells.get("town", "甲镇"),
            industry=cells.get("industry", "建筑施工"),
            status=cells.get("status", "正常"),
            staff=cells.get("staff", 3),
        )
        errors = rejected(district.alice, roster(bad))
        assert [(e.row, e.column) for e in errors] == [(3, column)]
        assert text in errors[0].message

    def test_it_reports_duplicate_codes_in_the_file(self, district, codes):
        code = codes()
        errors = rejected(district.alice, roster(row(1, "甲", code), row(2, "乙", code)))
        assert errors[0].row == 4 and "与第 3 行" in errors[0].message

    def test_it_keeps_an_officer_inside_the_scope(self, district, codes):
        errors = rejected(
            district.tom, roster(row(1, "乙街道厂", codes(), town="乙街道", industry="危险化学品"))
        )
        assert "管辖范围" in errors[0].message

    def test_it_refuses_to_touch_another_towns_enterprise(self, district, firms):
        code = firms["b"].credit_code
        with pytest.raises(ImportRejected) as caught:
            enterprise_import(actor=district.tom, source=roster(row(1, "改名", code)))
        assert "管辖范围以外" in caught.value.errors[0].message

    @pytest.mark.parametrize(
        "data,text",
        [
            (b"", "文件为空"),
            ("企业名称,信用代码\n".encode(), ".xlsx"),
            (b"PK\x03\x04 broken zip", "无法读取"),
        ],
    )
    def test_it_explains_bad_files(self, district, data, text):
        errors = rejected(district.alice, data)
        assert errors[0].row is None and text in errors[0].message

    def test_it_explains_a_sheet_without_the_header(self, district):
        errors = rejected(district.alice, xlsx([["姓名", "电话"], ["张三", "1"]], sheet="人员"))
        assert "“人员”" in errors[0].message and "统一社会信用代码" in errors[0].message

    def test_it_explains_an_empty_table(self, district):
        errors = rejected(district.alice, roster())
        assert "没有数据行" in errors[0].message

    def test_it_finds_the_table_on_a_later_sheet(self, district, codes):
        data = xlsx([HEADER, row(1, "甲", codes())], sheet="名录", extra=["填表说明"])
        assert enterprise_import(actor=district.alice, source=data).created == 1

    def test_it_updates_registered_enterprises_in_the_columns_given(self, district, firms):
        code = firms["a"].credit_code
        data = xlsx(
            [
                ["企业名称", "统一社会信用代码", "联系电话", "经营状态"],
                ["甲镇建筑公司（新）", code, "0533-6411111", "停工"],
            ]
        )
        result = enterprise_import(actor=district.tom, source=data)
        assert (result.created, result.updated) == (0, 1)
        e = Enterprise.objects.get(pk=firms["a"].pk)
        assert (e.name, e.contact_phone, e.status) == (
            "甲镇建筑公司（新）",
            "0533-6411111",
            "work_stopped",
        )
        assert e.territory == district.town_a
        assert StatusChange.objects.filter(enterprise=e, to_status="work_stopped").exists()

    def test_it_matches_responsible_persons_by_name(self, district, codes):
        data = xlsx(
            [
                [
                    "企业名称",
                    "统一社会信用代码",
                    "所属镇街",
                    "行业领域",
                    "属地责任人",
                    "行业监管责任人",
                ],
                ["甲", codes(), "甲镇", "建筑施工", "Tom", "dora"],
                ["乙", codes(), "甲镇", "建筑施工", "Tina", ""],
            ]
        )
        errors = rejected(district.alice, data)
        assert [(e.row, e.column) for e in errors] == [(3, "属地责任人")]
        assert "在甲镇找不到人员“Tina”" in errors[0].message


class ImportPageTestCase:
    def upload(self, client, data: bytes, name: str = "名录.xlsx"):
        return client.post(reverse("enterprises:import"), {"file": SimpleUploadedFile(name, data)})

    def test_it_previews_then_imports(self, district, client_for, codes):
        client = client_for(district.tom)
        response = self.upload(client, roster(row(1, "甲", codes())))
        assert response.status_code == 302 and not Enterprise.objects.exists()
        page = client.get(response.url).content.decode()
        assert "确认导入" in page and "统一社会信用代码" in page
        batch = ImportBatch.objects.latest("pk")
        client.post(reverse("enterprises:import_apply", args=[batch.pk]))
        assert Enterprise.objects.count() == 1

    def test_it_shows_the_errors_and_serves_the_report(self, district, client_for, codes):
        client = client_for(district.tom)
        bad = row(2, "坏", codes(), town="丙镇")
        response = self.upload(client, roster(row(1, "好", codes()), bad))
        page = client.get(response.url).content.decode()
        assert "未知的镇街“丙镇”" in page and "确认导入" not in page
        batch = ImportBatch.objects.latest("pk")
        report = client.get(reverse("enterprises:import_errors", args=[batch.pk]))
        sheet = openpyxl.load_workbook(io.BytesIO(report.content)).active
        assert list(sheet.iter_rows(values_only=True)) == [
            ("行号", "列", "问题"),
            (4, "所属镇（街道）", "未知的镇街“丙镇”"),
        ]
        assert not Enterprise.objects.exists()

    def test_a_corrected_mapping_is_saved_for_the_next_upload(self, district, client_for, codes):
        client = client_for(district.tom)
        client.post(
            reverse("enterprises:import"),
            {"file": SimpleUploadedFile("a.xlsx", roster(row(1, "甲", codes())))},
        )
        batch = ImportBatch.objects.latest("pk")
        letters = {c["header"]: c["letter"] for c in batch.columns}
        client.post(
            reverse("enterprises:import_remap", args=[batch.pk]),
            {f"map-{letters['从业人数']}": "", "save": "1"},
        )
        batch.refresh_from_db()
        assert [c["header"] for c in batch.columns if not c["key"]] == ["序号", "从业人数"]
        self.upload(client, roster(row(1, "乙", codes())))
        again = ImportBatch.objects.latest("pk")
        assert [c["note"] for c in again.columns if not c["key"]] == ["序号列", "按保存的映射忽略"]

    def test_the_admin_adds_an_alias_from_the_preview(self, district, client_for, codes):
        client = client_for(district.alice)
        self.upload(client, roster(row(1, "甲", codes(), industry="工地")))
        batch = ImportBatch.objects.latest("pk")
        assert batch.error_count == 1
        client.post(
            reverse("enterprises:import_alias", args=[batch.pk]),
            {"alias": "工地", "industry": district.building.pk},
        )
        batch.refresh_from_db()
        assert batch.error_count == 0 and batch.status == "previewed"
        assert (
            client_for(district.tom)
            .post(reverse("enterprises:import_alias", args=[batch.pk]), {"alias": "x"})
            .status_code
            == 403
        )

    def test_it_refuses_a_file_that_is_not_xlsx_by_name(self, district, client_for):
        response = self.upload(client_for(district.tom), b"x", name="名录.xls")
        assert response.status_code == 400 and ".xlsx" in response.content.decode()

    def test_it_answers_404_for_another_persons_batch(self, district, client_for, codes):
        self.upload(client_for(district.tom), roster(row(1, "甲", codes())))
        batch = ImportBatch.objects.latest("pk")
        url = reverse("enterprises:import_batch", args=[batch.pk])
        assert client_for(district.dora).get(url).status_code == 404
        assert client_for(district.alice).get(url).status_code == 200

    def test_it_is_closed_to_readers(self, district, client_for):
        assert client_for(district.leo).get(reverse("enterprises:import")).status_code == 403
        assert client_for(district.eve).get(reverse("enterprises:import")).status_code == 403

    def test_it_serves_a_template_with_headers_dropdowns_and_a_guide(self, district, client_for):
        response = client_for(district.tom).get(reverse("enterprises:import_template"))
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        sheet = book.worksheets[0]
        assert next(sheet.iter_rows(values_only=True))[:2] == ("统一社会信用代码*", "企业名称*")
        assert sheet.cell(2, 2).value == "示例企业有限公司"
        assert len(sheet.data_validations.dataValidation) >= 4
        assert book.sheetnames[-1] == "填写说明"


class ExportTestCase:
    def export(self, client, query: str = "") -> list[tuple]:
        response = client.get(reverse("enterprises:export") + query)
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        return list(
            openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
        )

    def test_it_exports_the_scope_only(self, district, firms, client_for):
        rows = self.export(client_for(district.tom))
        assert rows[0][:4] == ("统一社会信用代码", "企业名称", "地址", "所属镇街")
        assert [r[1] for r in rows[1:]] == ["甲镇建筑公司"]
        assert len(self.export(client_for(district.alice))) == 3

    def test_it_guards_against_formulas_and_imports_back_unchanged(
        self, district, make, client_for
    ):
        make(
            '=HYPERLINK("http://x","点")',
            territory=district.town_a,
            address="+86 路",
            industry=district.building,
        )
        content = client_for(district.alice).get(reverse("enterprises:export")).content
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        row = list(sheet.iter_rows(values_only=True))[1]
        assert row[1].startswith("'=") and row[2] == "'+86 路"
        assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)
        result = enterprise_import(actor=district.alice, source=content)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 1)

    def test_it_follows_the_list_filters(self, district, firms, client_for):
        rows = self.export(client_for(district.alice), "?q=化工")
        assert [r[1] for r in rows[1:]] == ["乙街道化工公司"]


def test_a_code_registered_during_the_import_rejects_it_whole(district, firms, codes, monkeypatch):
    from hazardledger.enterprises import roster as roster_module

    # As if another officer registered 甲镇建筑公司's code between planning and writing.
    monkeypatch.setattr(roster_module, "_existing", lambda codes, actor: ({}, set()))
    data = roster(row(1, "新厂", codes()), row(2, "撞码", firms["a"].credit_code))
    with pytest.raises(ImportRejected) as caught:
        enterprise_import(actor=district.alice, source=data)
    assert "重新导入" in caught.value.errors[0].message
    assert set(Enterprise.objects.values_list("name", flat=True)) == {
        "甲镇建筑公司",
        "乙街道化工公司",
    }
