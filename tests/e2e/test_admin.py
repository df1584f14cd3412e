"""Journeys of the district admin: enterprise import, coverage gaps, ledger export."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
from helpers import send_form
from playwright.sync_api import expect

from hazardledger.lib.credit_code import check_character

# Three good rows and one bad one (its check character is wrong) for the import journey.
GOOD_NAMES = (
    "周村区端到端导入甲有限公司",
    "周村区端到端导入乙有限公司",
    "周村区端到端导入丙有限公司",
)
BAD_NAME = "周村区端到端导入丁有限公司"
BAD_SHEET_ROW = 5  # header on row 1, the bad row last of four


def _credit_code(serial: int) -> str:
    body = f"91370306MA0E2E0{serial:02d}"
    return body + check_character(body)


def _broken_credit_code(serial: int) -> str:
    good = _credit_code(serial)
    return good[:-1] + ("1" if good[-1] == "0" else "0")


def sheet_rows(path: Path, title: str | None = None) -> list[list]:
    """The rows of a downloaded workbook (saved without a suffix, so opened as a stream)."""
    with open(path, "rb") as stream:
        book = openpyxl.load_workbook(stream, read_only=True)
        sheet = book[title] if title else book.active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        book.close()
    return rows


def while_requested(page, pattern: str, check) -> list[str]:
    """Run `check` while a request to `pattern` waits for the server, then let it through.

    For downloads fetched by the page (no navigation): a form's navigation cannot be held
    like this, because every locator and evaluation waits for the navigation to finish.
    """
    seen: list[str] = []

    def handle(route) -> None:
        check()
        seen.append(route.request.url)
        route.continue_()

    page.route(pattern, handle)
    return seen


class EnterpriseImportJourneyTestCase:
    def test_it_rejects_a_file_with_one_bad_row_and_imports_nothing(self, journey, tmp_path):
        page = journey.page
        journey.login("admin")
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="企业档案").click()
        page.get_by_role("link", name="从 Excel 导入").click()
        expect(page.get_by_role("heading", name="从 Excel 导入企业名录")).to_be_visible()
        journey.shot("import-page")

        # The template the page offers, filled in.
        with page.expect_download() as template_info:
            page.get_by_role("link", name="下载模板").click()
        template = tmp_path / "template.xlsx"
        template_info.value.save_as(template)
        book = openpyxl.load_workbook(template)
        sheet = book.active
        # Required columns are marked with *; row 2 is the template's example row.
        headers = [str(c.value).rstrip("*") for c in sheet[1]]
        assert {"统一社会信用代码", "企业名称", "所属镇街", "行业领域"} <= set(headers)
        sheet.delete_rows(2)
        rows = [(_credit_code(n), name) for n, name in enumerate(GOOD_NAMES, start=1)]
        rows.append((_broken_credit_code(4), BAD_NAME))
        for code, name in rows:
            values = {"统一社会信用代码": code, "企业名称": name}
            values |= {"所属镇街": "北郊镇", "行业领域": "机械制造"}
            sheet.append([values.get(h) for h in headers])
        upload = tmp_path / "企业名录.xlsx"
        book.save(upload)
        page.get_by_label("企业名录（.xlsx）").set_input_files(upload)
        journey.shot("file-chosen")

        # The upload is only previewed: the bad row is named and nothing can be applied.
        send_form(page, "上传并预览", confirm=False)
        expect(page.get_by_text("文件有错误，未导入任何数据")).to_be_visible()
        error_row = page.get_by_role("alert").get_by_role("row").filter(has_text="校验位")
        expect(error_row).to_contain_text(str(BAD_SHEET_ROW))
        expect(error_row).to_contain_text("统一社会信用代码")
        expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
        journey.shot("rejected")

        with page.expect_download() as report_info:
            page.get_by_role("link", name="下载错误报告（Excel）").click()
        report = sheet_rows(report_info.value.path())
        assert report[0] == ["行号", "列", "问题"]
        # The report names the column as the file heads it.
        assert [BAD_SHEET_ROW, "统一社会信用代码"] in [[r[0], r[1].rstrip("*")] for r in report[1:]]
        assert all(r[0] == BAD_SHEET_ROW for r in report[1:]), report

        for name in (*GOOD_NAMES, BAD_NAME):
            page.goto(journey.base + "/enterprises/")
            page.get_by_label("名称或信用代码").fill(name)
            page.get_by_role("button", name="查询").click()
            expect(
                page.get_by_role("cell", name=re.compile("没有符合筛选条件的企业"))
            ).to_be_visible()
        journey.shot("nothing-imported")


COVERAGE_GAPS = (
    "未划分所属镇街",
    "未确定行业领域",
    "所属行业无主管部门",
    "无属地责任人",
    "无行业监管责任人",
)


class CoverageJourneyTestCase:
    def test_it_shows_the_planted_gaps_and_exports_them(self, journey):
        page = journey.page
        journey.login("admin")
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="监管盲区").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("监管盲区")
        counts = {}
        for label in COVERAGE_GAPS:
            heading = page.get_by_role("heading", name=re.compile(rf"^{label}（\d+）$"))
            counts[label] = int(re.search(r"（(\d+)）", heading.inner_text()).group(1))
        # The demo district plants two enterprises without a territory and two without an
        # industry; five lack a territorial responsible person.
        assert counts["未划分所属镇街"] == 2
        assert counts["未确定行业领域"] == 2
        assert counts["无属地责任人"] >= 5
        no_territory = page.locator("#gap-no_territory").get_by_role("listitem").all_inner_texts()
        assert len(no_territory) == 2
        total = page.get_by_text(re.compile(r"共 \d+ 处盲区"))
        assert int(re.search(r"\d+", total.inner_text()).group()) >= sum(counts.values())
        journey.shot("coverage")

        with page.expect_download() as info:
            page.get_by_role("link", name="导出 Excel").click()
        assert info.value.suggested_filename.startswith("监管盲区")
        rows = sheet_rows(info.value.path(), "监管盲区")
        assert rows[0][:3] == ["类别", "对象", "统一社会信用代码"]
        for label, n in counts.items():
            assert sum(1 for r in rows[1:] if r[0] == label) == n, label
        assert sorted(r[1] for r in rows[1:] if r[0] == "未划分所属镇街") == sorted(no_territory)
        expect(page.get_by_role("link", name="导出 Excel")).not_to_have_attribute(
            "aria-busy", "true"
        )
        journey.shot("exported")


def _column(page, title: str) -> int:
    headers = page.locator("table thead th").all_inner_texts()
    return headers.index(title)


class LedgerExportJourneyTestCase:
    def test_it_exports_exactly_the_filtered_rows(self, journey):
        page = journey.page
        journey.login("admin")
        page.goto(journey.base + "/hazards/")
        filters = page.get_by_role("form", name="筛选")
        filters.get_by_label("镇街", exact=True).select_option(label="北郊镇")
        filters.get_by_label("状态", exact=True).select_option(label="整改中")
        journey.shot("filters-chosen")
        filters.get_by_role("button", name="筛选").click()
        page.wait_for_url(re.compile(r"territory=\d+.*status=rectifying"))

        territory, status = _column(page, "镇街"), _column(page, "状态")
        rows = page.locator("table tbody tr")
        expect(rows.first.locator("td").nth(status)).to_contain_text("整改中")
        for row in rows.all():
            cells = row.locator("td").all_inner_texts()
            assert cells[territory] == "北郊镇", cells
            assert cells[status].startswith("整改中"), cells
        by_status = page.get_by_role("list", name="按状态统计").get_by_role("listitem")
        item = by_status.filter(has=page.get_by_role("link", name="整改中", exact=True))
        shown = int(re.search(r"(\d+)\s*$", item.inner_text()).group(1))
        assert shown >= rows.count() > 0
        journey.shot("filtered")

        def busy() -> None:
            expect(page.locator("#busy-status")).to_have_text("正在生成隐患台账，请稍候…")
            expect(page.locator("a[aria-busy='true']")).to_have_text("正在生成隐患台账，请稍候…")
            journey.shot("exporting")

        sent = while_requested(page, "**/hazards/export.xlsx*", busy)
        with page.expect_download() as info:
            page.get_by_role("link", name="导出 Excel").click()
        assert len(sent) == 1 and "status=rectifying" in sent[0]
        data = sheet_rows(info.value.path())
        head, body = data[0], data[1:]
        t_col, s_col = head.index("所属镇街"), head.index("整改状态")
        assert len(body) == shown
        assert {r[t_col] for r in body} == {"北郊镇"}
        assert {r[s_col] for r in body} == {"整改中"}
        expect(page.locator("#busy-status")).to_be_empty()
        expect(page.get_by_role("link", name="导出 Excel")).to_be_visible()
        journey.shot("exported")
