"""Rosters as offices keep them: title rows, totals, GB/T 4754 names and codes, aliases,
blank cells that leave the registry alone; a preview before anything is written."""

from __future__ import annotations

import io
import random

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from hazardledger.enterprises.models import BatchStatus, Enterprise
from hazardledger.enterprises.services import enterprise_import, roster_apply, roster_upload
from hazardledger.lib import credit_code
from hazardledger.org.classification import rows as gb_rows
from hazardledger.org.models import ClassLevel, IndustryClass
from hazardledger.org.services import industry_alias_add, industry_upsert


def generate(seed: int) -> str:
    return credit_code.generate(random.Random(seed))


HEADER = ["序号", "统一社会信用代码", "单位名称", "所属镇（街道）", "行业类别", "从业人数", "备注"]


def workbook(rows, *, total=True) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["甲镇生产经营单位名录（2025年）"])
    sheet.merge_cells("A1:G1")
    sheet.append(["填报单位：甲镇安监办"])
    sheet.append(HEADER)
    sheet.append(rows[0]) if rows else None
    for r in rows[1:]:
        sheet.append(r)
    if total:
        sheet.append(["合计", None, f"{len(rows)} 家", None, None, "=SUM(F4:F9)"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def national(district):
    """The tiny district's sectors mapped onto GB/T 4754 (建筑施工 = E, 危化 = C26)."""
    district.building.national_class = IndustryClass.objects.get(code="E")
    district.building.save()
    district.chemicals.national_class = IndustryClass.objects.get(code="C26")
    district.chemicals.save()
    catering = industry_upsert(actor=None, code="H62", name="餐饮业", regulator=district.dept_b)
    catering.national_class = IndustryClass.objects.get(code="H62")
    catering.save()
    return district


class ClassificationTestCase:
    def test_it_ships_every_section_division_and_group_of_gbt_4754_2017(self, db):
        levels = [r.level for r in gb_rows()]
        assert (levels.count(1), levels.count(2), levels.count(3)) == (20, 97, 473)
        assert IndustryClass.objects.filter(level=ClassLevel.GROUP).count() == 473
        assert IndustryClass.objects.get(code="C33").name == "金属制品业"
        assert IndustryClass.objects.get(code="G543").parent.code == "G54"


class OfficeRosterTestCase:
    def test_it_matches_standard_names_codes_and_skips_the_totals_row(self, national):
        codes = [generate(i) for i in range(1, 6)]
        rows = [
            [1, codes[0], "甲镇一建", "甲镇", "房屋建筑业", 30, "新开工"],
            [2, codes[1], "甲镇化工", "甲镇", "化学原料和化学制品制造业", 12, ""],
            [3, codes[2], "甲镇饭店", "甲镇", "H62", 8, ""],
            [4, codes[3], "甲镇装修", "甲镇", "E501", 5, ""],
            [5, codes[4], "甲镇涂料", "甲镇", "2641", 9, ""],
        ]
        batch = roster_upload(actor=national.alice, filename="名录.xlsx", source=workbook(rows))
        assert batch.status == BatchStatus.PREVIEWED, batch.errors
        assert Enterprise.objects.count() == 0
        assert batch.skipped == [{"row": 9, "reason": "合计/小计行"}]
        assert [c["header"] for c in batch.columns if not c["key"]] == ["序号", "备注"]
        batch = roster_apply(actor=national.alice, batch=batch)
        assert batch.created == 5
        industry = dict(Enterprise.objects.values_list("name", "industry__code"))
        assert industry == {
            "甲镇一建": "JZ",
            "甲镇化工": "WHP",
            "甲镇饭店": "H62",
            "甲镇装修": "JZ",
            "甲镇涂料": "WHP",
        }

    def test_it_suggests_the_closest_standard_names_for_an_unknown_industry(self, national):
        rows = [[1, generate(1), "某厂", "甲镇", "金属制品", 3, ""]]
        batch = roster_upload(actor=national.alice, filename="x.xlsx", source=workbook(rows))
        assert batch.status == BatchStatus.REJECTED
        message = batch.errors[0]["message"]
        assert "金属制品业" in message and batch.errors[0]["column"] == "行业类别"

    def test_it_names_a_known_class_without_a_regulating_industry(self, national):
        rows = [[1, generate(1), "某运输", "甲镇", "道路货物运输", 3, ""]]
        batch = roster_upload(actor=national.alice, filename="x.xlsx", source=workbook(rows))
        assert "G543" in batch.errors[0]["message"]

    def test_an_alias_added_by_the_admin_matches_the_next_import(self, national):
        rows = [[1, generate(1), "某饭馆", "甲镇", "饭馆", 3, ""]]
        assert roster_upload(
            actor=national.alice, filename="x.xlsx", source=workbook(rows)
        ).error_count
        catering = national.chemicals.__class__.objects.get(code="H62")
        industry_alias_add(actor=national.alice, alias="饭馆", industry=catering)
        result = enterprise_import(actor=national.alice, source=workbook(rows))
        assert result.created == 1
        assert Enterprise.objects.get().industry == catering
        with pytest.raises(PermissionDenied):
            industry_alias_add(actor=national.tom, alias="小吃", industry=catering)

    def test_a_blank_industry_cell_leaves_the_stored_industry_alone(self, national):
        code = generate(7)
        enterprise_import(
            actor=national.alice,
            source=workbook([[1, code, "某建筑", "甲镇", "建筑施工", 3, ""]]),
        )
        result = enterprise_import(
            actor=national.alice, source=workbook([[1, code, "某建筑", "甲镇", "", 3, ""]])
        )
        assert (result.updated, result.unchanged) == (0, 1)
        assert Enterprise.objects.get().industry == national.building
        cleared = enterprise_import(
            actor=national.alice,
            source=workbook([[1, code, "某建筑", "甲镇", "", 3, ""]]),
            clear_blanks=True,
        )
        assert cleared.updated == 1 and Enterprise.objects.get().industry is None

    def test_it_imports_nothing_when_one_row_is_wrong(self, national):
        rows = [
            [1, generate(1), "好厂", "甲镇", "建筑施工", 3, ""],
            [2, generate(2), "坏厂", "丙镇", "建筑施工", 3, ""],
        ]
        batch = roster_upload(actor=national.alice, filename="x.xlsx", source=workbook(rows))
        assert batch.status == BatchStatus.REJECTED
        assert [(e["row"], e["column"]) for e in batch.errors] == [(5, "所属镇（街道）")]
        assert Enterprise.objects.count() == 0


class RosterApiTestCase:
    def test_the_import_endpoint_answers_counts_or_422(self, national, client_for):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client = client_for(national.alice)
        good = workbook([[1, generate(1), "某厂", "甲镇", "C26", 3, ""]])
        response = client.post(
            "/api/v1/enterprises/import", {"file": SimpleUploadedFile("a.xlsx", good)}
        )
        assert response.status_code == 200, response.content
        assert response.json()["created"] == 1
        bad = workbook([[1, generate(2), "某厂", "丙镇", "C26", 3, ""]])
        response = client.post(
            "/api/v1/enterprises/import", {"file": SimpleUploadedFile("b.xlsx", bad)}
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["column"] == "所属镇（街道）"
        assert Enterprise.objects.count() == 1

    def test_the_list_says_how_many_there_are(self, national, client_for):
        enterprise_import(
            actor=national.alice,
            source=workbook(
                [[i, generate(i), f"厂{i}", "甲镇", "C26", 3, ""] for i in range(1, 4)]
            ),
        )
        body = client_for(national.alice).get("/api/v1/enterprises/?limit=1").json()
        assert body["count"] == 3 and len(body["items"]) == 1
        page = client_for(national.alice).get("/enterprises/").content.decode()
        assert "共 3 家" in page
