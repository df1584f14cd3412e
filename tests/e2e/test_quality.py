"""The quality of the pages: names of controls, keyboard, phones, empty lists, confirmation,
progress of long operations and printing, over the main pages of several roles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from uuid import uuid4

import pytest
from helpers import posts_sent, send_form, shown_busy, signed_in, submitted, visit
from playwright.sync_api import expect

# Controls without an accessible name: no <label> with text, no aria-label(ledby), no title.
UNNAMED_CONTROLS = """() => [...document.querySelectorAll("input, select, textarea")]
  .filter((el) => {
    if (el.type === "hidden") return false;
    const box = el.getBoundingClientRect();
    if (!box.width && !box.height) return false;
    if ((el.getAttribute("aria-label") || "").trim() || el.getAttribute("aria-labelledby")) {
      return false;
    }
    if ((el.getAttribute("title") || "").trim()) return false;
    return ![...(el.labels || [])].some((label) => label.textContent.trim());
  })
  .map((el) => el.outerHTML.slice(0, 160))"""

# Tables wider than their box that no scrolling ancestor (or the table itself) holds.
LOOSE_TABLES = """() => [...document.querySelectorAll("table")].filter((table) => {
    if (table.getBoundingClientRect().right <= document.documentElement.clientWidth) return false;
    for (let el = table; el && el !== document.body; el = el.parentElement) {
      const overflow = getComputedStyle(el).overflowX;
      if ((overflow === "auto" || overflow === "scroll") && el.clientWidth <= 375) return false;
    }
    return true;
  }).map((table) => table.outerHTML.slice(0, 120))"""

DETAIL_LINKS = {
    "enterprise": ("/enterprises/", r"^/enterprises/[0-9A-Z]{18}/$"),
    "card": ("/hazards/", r"^/hazards/\d+/$"),
    "campaign": ("/inspections/", r"^/inspections/campaigns/\d+/$"),
    "inspection": ("/inspections/records/", r"^/inspections/records/\d+/$"),
    "checklist": ("/inspections/checklists/", r"^/inspections/checklists/versions/\d+/$"),
}

# Inspection records and checklists, which every role below reads; campaigns, which officials do.
INSPECTION_PAGES = [
    "/inspections/records/",
    "{inspection}",
    "/inspections/records/new/",
    "/inspections/checklists/",
    "{checklist}",
]
CAMPAIGN_PAGES = ["/inspections/", "{campaign}"]

# The main pages each role works with; {enterprise} and the like are found through the lists.
PAGES = {
    "admin": [
        "/",
        "/enterprises/",
        "{enterprise}",
        "{enterprise}dossier/",
        "/enterprises/coverage/",
        "/enterprises/import/",
        "/hazards/",
        "{card}",
        "{card}print/",
        "/hazards/mine/",
        *CAMPAIGN_PAGES,
        "{campaign}targets/?state=all",
        *INSPECTION_PAGES,
        "/inspections/self/",
        "/audit/",
        "/policy/",
        "/hazards/notifications/",
    ],
    "town": [
        "/",
        "/enterprises/",
        "{enterprise}",
        "{enterprise}dossier/",
        "/enterprises/coverage/",
        "/hazards/",
        "{card}",
        "/hazards/mine/",
        "/hazards/quick/",
        "/hazards/new/",
        "/hazards/workflow/",
        "/hazards/import/",
        *CAMPAIGN_PAGES,
        *INSPECTION_PAGES,
        "/inspections/self/",
        "/policy/",
        "/hazards/notifications/",
    ],
    "dept": [
        "/",
        "/enterprises/",
        "{enterprise}",
        "/enterprises/coverage/",
        "/hazards/",
        "{card}",
        "/hazards/mine/",
        *CAMPAIGN_PAGES,
        *INSPECTION_PAGES,
        "/hazards/notifications/",
    ],
    "enterprise": [
        "/",
        "/enterprises/",
        "{enterprise}",
        "{enterprise}dossier/",
        "/hazards/",
        "{card}",
        "/hazards/mine/",
        "/hazards/quick/",
        "/hazards/new/",
        "/inspections/self/",
        *INSPECTION_PAGES,
        "/hazards/notifications/",
    ],
}
ROLES = list(PAGES)


def first_link(journey, kind: str) -> str:
    """The first detail link of the list that holds it, as the role sees the list."""
    listing, pattern = DETAIL_LINKS[kind]
    journey.page.goto(journey.base + listing)
    hrefs = journey.page.locator("main a[href]").evaluate_all(
        "(links) => links.map((a) => a.getAttribute('href'))"
    )
    found = [h for h in hrefs if re.match(pattern, h)]
    assert found, f"no {kind} link on {listing}"
    return found[0]


def pages_of(journey, role: str) -> list[str]:
    links = {
        kind: first_link(journey, kind)
        for kind in DETAIL_LINKS
        if any("{" + kind + "}" in p for p in PAGES[role])
    }
    return [p.format(**links) for p in PAGES[role]]


def each_page_of(journey, role: str) -> Iterator[str]:
    """Log `role` in and open each of their main pages in turn, yielding its path."""
    journey.login(role)
    for path in pages_of(journey, role):
        visit(journey, path)
        yield path


class LabelsJourneyTestCase:
    @pytest.mark.parametrize("role", ROLES)
    def test_it_names_every_control(self, journey, role):
        for path in each_page_of(journey, role):
            assert journey.page.evaluate(UNNAMED_CONTROLS) == [], path
        journey.shot("last-page")


def tab_stop(page) -> str:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return el.tagName + "|" + (el.id || el.getAttribute("href") || el.textContent.trim());
        }"""
    )


FOCUSABLE_IN_MAIN = """() => [...document.querySelectorAll(
    "main a[href], main button, main input, main select, main textarea")]
  .filter((el) => el.type !== "hidden" && !el.disabled && el.getClientRects().length)
  .map((el) => el.tagName + "|" + (el.id || el.getAttribute("href") || el.textContent.trim()))"""


class KeyboardJourneyTestCase:
    def test_it_skips_to_the_content_and_tabs_through_the_filters_in_order(self, journey):
        page = signed_in(journey, "admin", "/enterprises/")
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="跳到正文")
        expect(skip).to_be_focused()
        box = skip.bounding_box()
        assert box and box["x"] >= 0 and box["y"] >= 0, "the skip link shows when focused"
        journey.shot("skip-link")
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()

        expected = page.evaluate(FOCUSABLE_IN_MAIN)
        last = expected.index("BUTTON|查询")  # the filter form's submit button
        stops = []
        for _ in range(last + 1):
            page.keyboard.press("Tab")
            stops.append(tab_stop(page))
        assert stops == expected[: last + 1]
        assert "INPUT|id_q" in stops and "SELECT|id_territory" in stops
        journey.shot("tabbed-to-submit")

    def test_it_shows_where_the_keyboard_focus_is(self, journey):
        page = journey.page
        page.goto(journey.base + "/login/")
        expect(page.get_by_label("用户名")).to_be_focused()  # autofocus
        for control in (page.get_by_label("密码"), page.get_by_role("button", name="登录")):
            page.keyboard.press("Tab")
            expect(control).to_be_focused()
            style = control.evaluate(
                "(el) => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineWidth]"
            )
            assert style[0] != "none" and float(style[1].removesuffix("px")) >= 2, style
        journey.shot("focused-button")


class PhoneJourneyTestCase:
    @pytest.mark.parametrize("role", ROLES)
    def test_it_fits_a_phone_without_sideways_scrolling(self, phone, role):
        for path in each_page_of(phone, role):
            width = phone.page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, f"{path} is {width}px wide"
            assert phone.page.evaluate(LOOSE_TABLES) == [], path
        phone.shot("last-page")

    def test_it_scrolls_a_wide_table_inside_its_own_box(self, phone):
        table = signed_in(phone, "admin", "/enterprises/").locator("main table").first
        sizes = table.evaluate(
            """(table) => {
                let box = table;
                while (!["auto", "scroll"].includes(getComputedStyle(box).overflowX)) {
                    box = box.parentElement;
                }
                return {table: table.scrollWidth, box: box.clientWidth, scrolls: box.scrollWidth,
                        page: document.documentElement.scrollWidth};
            }"""
        )
        assert sizes["table"] > 375 and sizes["scrolls"] > sizes["box"], sizes
        assert sizes["page"] <= 375, sizes
        phone.shot("enterprise-list")


def expect_one_empty_row(page, *texts: str) -> None:
    """The list's table holds one cell, the explanation of its emptiness, with `texts`."""
    cell = page.locator("main table tbody td")
    expect(cell).to_have_count(1)
    expect(cell).to_have_class(re.compile(r"\bempty\b"))
    for text in texts:
        expect(cell).to_contain_text(text)


class EmptyStateJourneyTestCase:
    def test_it_explains_empty_lists_and_what_to_do_next(self, journey):
        page = signed_in(journey, "admin", "/enterprises/?q=没有这家企业")
        expect_one_empty_row(page, "没有符合筛选条件的企业", "清除筛选条件", "从 Excel 导入")
        journey.shot("no-enterprise")

        visit(journey, "/hazards/?q=没有这条隐患描述")
        expect(page.locator("main table tbody tr")).to_have_count(1)
        expect(page.locator("main table tbody td")).to_contain_text(re.compile("没有符合.*隐患"))
        journey.shot("no-hazard")

        visit(journey, "/audit/?object_type=no-such-object")
        expect_one_empty_row(page, "没有符合筛选条件的审计事件", "清除筛选条件")
        journey.shot("no-audit-event")

        # Self-inspections belong to no campaign: this filter finds nothing.
        campaign = re.search(r"\d+", first_link(journey, "campaign")).group()
        visit(journey, f"/inspections/records/?kind=self&campaign={campaign}")
        expect_one_empty_row(page, "没有符合条件的检查记录，请调整筛选条件", "清除筛选条件")
        journey.shot("no-inspection")

    def test_it_explains_an_empty_inbox(self, journey):
        page = signed_in(journey, "hotline")
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="消息").click()
        expect_one_empty_row(page, "暂无消息", "我的待办")
        expect(page.get_by_role("button", name="全部标为已读")).to_have_count(0)
        journey.shot("no-message")


def open_card(journey, status: str) -> str:
    """A card of the demo ledger in `status`, opened; its path."""
    page = journey.page
    visit(journey, f"/hazards/?status={status}")
    link = page.locator("main table tbody a[href^='/hazards/']").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(journey.base + href)
    return href


class ConfirmationJourneyTestCase:
    def test_it_asks_before_voiding_a_card(self, journey):
        page = signed_in(journey, "admin")
        card = open_card(journey, "rectifying")
        expect(page.locator("h1")).to_contain_text("整改中")
        card_no = re.search(r"\S*YH\S*", page.locator("h1").inner_text()).group()
        page.get_by_role("link", name="作废", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("作废")
        journey.shot("void-form")
        questions: list[str] = []

        # Cancelled: nothing is sent.
        posts = posts_sent(page)
        page.get_by_label("理由（必填）").fill("端到端测试：取消作废")
        send_form(page, "作废", confirm=False, questions=questions)
        expect(page.get_by_role("button", name="作废")).to_be_enabled()
        assert submitted(page) == {
            "sent": False,
            "busy": False,
            "disabled": False,
            "label": "作废",
            "status": "",
        }
        assert posts == []
        assert "作废" in questions[0] and card_no in questions[0]
        journey.shot("cancelled")

        # Confirmed: the form goes to the server, which refuses it without a reason, so the
        # shared demo card stays as it was.
        page.get_by_label("理由（必填）").fill("")
        send_form(page, "作废", confirm=True, questions=questions)
        refusal = page.get_by_text(re.compile("这个字段是必填项|请填写作废原因")).first
        expect(refusal).to_be_visible()
        assert len(posts) == 1 and len(questions) == 2
        journey.shot("sent-and-refused")
        visit(journey, card)
        expect(page.locator("h1")).to_contain_text("整改中")

    def test_it_asks_before_changing_an_enterprises_status(self, journey):
        page = signed_in(journey, "admin")
        page.goto(journey.base + first_link(journey, "enterprise"))
        status_before = page.locator("dt:text-is('经营状态') + dd").inner_text()
        page.get_by_role("link", name="变更经营状态").click()
        send_form(page, "确认变更", confirm=False)
        expect(page.get_by_role("button", name="确认变更")).to_be_enabled()
        assert submitted(page)["sent"] is False
        journey.shot("cancelled")

        send_form(page, "确认变更", confirm=True)
        expect(page.get_by_text("这个字段是必填项").first).to_be_visible()
        assert submitted(page)["sent"] is True
        page.get_by_role("link", name="取消").click()
        expect(page.locator("dt:text-is('经营状态') + dd")).to_have_text(status_before)
        journey.shot("unchanged")

    def test_it_asks_before_publishing_a_checklist_version(self, journey):
        # A draft of its own (only the admin sees drafts), so the demo checklists stay as they
        # are; without items the server refuses to publish it even when the question is
        # answered yes.
        name = f"端到端测试检查表 {uuid4().hex[:8]}"
        page = signed_in(journey, "admin", "/inspections/checklists/")
        page.get_by_role("link", name="新建检查表").click()
        page.get_by_label("代码", exact=True).fill(f"e2e-{uuid4().hex[:12]}")
        page.get_by_label("名称", exact=True).fill(name)
        page.get_by_role("button", name="下一步：编写检查项").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("编辑草稿")
        visit(journey, "/inspections/checklists/")
        page.get_by_role("row").filter(has_text=name).get_by_role("link", name="第1版").click()
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_contain_text("草稿")
        version = page.url.removeprefix(journey.base)
        journey.shot("draft")

        # Cancelled: nothing is sent, the draft stays a draft.
        questions: list[str] = []
        posts = posts_sent(page)
        send_form(page, "启用此版本", confirm=False, questions=questions)
        expect(page.get_by_role("button", name="启用此版本")).to_be_enabled()
        assert submitted(page)["sent"] is False
        assert posts == []
        assert questions == ["确定启用此版本？启用后新的检查将使用此版本。"]
        visit(journey, version)
        expect(heading).to_contain_text("草稿")
        journey.shot("cancelled")

        # Confirmed: sent, and refused for want of items.
        send_form(page, "启用此版本", confirm=True, questions=questions)
        expect(page.get_by_text("检查表至少需要一个检查项")).to_be_visible()
        assert len(posts) == 1 and posts[0].endswith("/publish/") and len(questions) == 2
        journey.shot("sent-and-refused")
        visit(journey, version)
        expect(heading).to_contain_text("草稿")
        expect(page.get_by_role("button", name="启用此版本")).to_be_visible()


class ProgressJourneyTestCase:
    def test_it_shows_progress_while_a_hazard_ledger_is_imported(self, journey):
        page = signed_in(journey, "town", "/hazards/import/")
        page.get_by_label("隐患台账文件（.xlsx）").set_input_files(
            {"name": "台账.xlsx", "mimeType": "application/octet-stream", "buffer": b"not excel"}
        )
        send_form(page, "上传并预览", confirm=False)
        expect(page.get_by_text("只接受 Excel").first).to_be_visible()
        assert submitted(page) == shown_busy("正在读取并校验，请稍候…")
        expect(page.get_by_role("button", name="上传并预览")).to_be_enabled()
        journey.shot("refused")

    def test_it_says_an_export_is_being_prepared_until_it_downloads(self, journey):
        page = signed_in(journey, "town", "/enterprises/")
        link = page.get_by_role("link", name="导出 Excel")
        seen: list[str] = []

        def hold(route) -> None:
            busy = page.locator("main a[aria-busy='true']")
            expect(busy).to_have_text("正在生成企业名录，请稍候…")
            expect(page.locator("#busy-status")).to_have_text("正在生成企业名录，请稍候…")
            journey.shot("preparing")
            seen.append(route.request.url)
            route.continue_()

        page.route("**/enterprises/export.xlsx*", hold)
        with page.expect_download() as info:
            link.click()
        assert info.value.suggested_filename.startswith("企业名录")
        assert len(seen) == 1
        expect(link).not_to_have_attribute("aria-busy", "true")
        expect(page.locator("#busy-status")).to_be_empty()
        journey.shot("downloaded")


A4_PAGE_RULE = """() => [...document.styleSheets].some((sheet) =>
    [...sheet.cssRules].some(function has(rule) {
      if (rule.type === CSSRule.PAGE_RULE) return /A4/i.test(rule.style.getPropertyValue("size"));
      return rule.cssRules ? [...rule.cssRules].some(has) : false;
    }))"""


def printed_on_a4(page):
    """A print page: its 打印 button and A4 page rule on screen, then printed without its
    buttons; the page's heading, to check what the paper says."""
    button = page.get_by_role("button", name="打印")
    expect(button).to_be_visible()
    assert page.evaluate(A4_PAGE_RULE)
    page.emulate_media(media="print")
    expect(button).to_be_hidden()
    expect(page.get_by_role("link", name="返回")).to_be_hidden()
    return page.get_by_role("heading", level=1)


class PrintJourneyTestCase:
    def test_it_prints_a_card_on_a4_without_the_buttons(self, journey):
        page = signed_in(journey, "admin")
        card = open_card(journey, "rectifying")
        visit(journey, card + "print/")
        expect(printed_on_a4(page)).to_be_visible()
        journey.shot("card-print")

    def test_it_prints_a_dossier_on_a4_without_navigation(self, journey):
        page = signed_in(journey, "admin")
        enterprise = first_link(journey, "enterprise")
        visit(journey, enterprise)
        nav = page.get_by_role("navigation", name="主导航")
        page.emulate_media(media="print")
        expect(nav).to_be_hidden()
        expect(page.get_by_role("link", name="打印档案")).to_be_hidden()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.emulate_media(media="screen")
        page.get_by_role("link", name="打印档案").click()
        expect(printed_on_a4(page)).to_contain_text("企业安全生产档案")
        journey.shot("dossier-print")
