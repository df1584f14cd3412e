"""The quality of the pages: names of controls, keyboard, phones, empty lists, confirmation,
progress of long operations and printing, over the main pages of several roles."""

from __future__ import annotations

import re

import pytest
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
}

# The main pages each role works with; {enterprise} and the like are found through the lists.
# The audit log is filtered to hazard events: see the report on /audit/ with checklist events.
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
        "/inspections/",
        "{campaign}",
        "/inspections/records/",
        "{inspection}",
        "/inspections/records/new/",
        "/audit/?object_type=hazard",
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
        "/hazards/import/",
        "/inspections/",
        "{campaign}",
        "/inspections/records/",
        "/inspections/records/new/",
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
        "/inspections/",
        "{campaign}",
        "/inspections/records/",
        "/inspections/records/new/",
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
        "/inspections/self/",
        "/inspections/records/new/",
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


def visit(journey, path: str) -> None:
    response = journey.page.goto(journey.base + path)
    assert response is not None and response.status == 200, (
        f"{path}: {response and response.status}"
    )


def watch_submit(page) -> None:
    """Note, in session storage, how the form looked once its submit was handled (see
    test_admin.watch_submit); the note survives the navigation the submission starts."""
    page.evaluate(
        """() => window.addEventListener("submit", (event) => {
            const form = event.target;
            const button = form.querySelector("button[type='submit']");
            sessionStorage.setItem("e2e-submit", JSON.stringify({
                sent: !event.defaultPrevented,
                busy: form.getAttribute("aria-busy") === "true",
                disabled: button.disabled,
                label: button.textContent.trim(),
            }));
        })"""
    )


def submitted(page) -> dict | None:
    return page.evaluate("() => JSON.parse(sessionStorage.getItem('e2e-submit'))")


class LabelsJourneyTestCase:
    @pytest.mark.parametrize("role", ROLES)
    def test_it_names_every_control(self, journey, role):
        journey.login(role)
        for path in pages_of(journey, role):
            visit(journey, path)
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
        page = journey.page
        journey.login("admin")
        visit(journey, "/enterprises/")
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
        phone.login(role)
        for path in pages_of(phone, role):
            visit(phone, path)
            width = phone.page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, f"{path} is {width}px wide"
            assert phone.page.evaluate(LOOSE_TABLES) == [], path
        phone.shot("last-page")

    def test_it_scrolls_a_wide_table_inside_its_own_box(self, phone):
        phone.login("admin")
        visit(phone, "/enterprises/")
        table = phone.page.locator("main table").first
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


class EmptyStateJourneyTestCase:
    def test_it_explains_empty_lists_and_what_to_do_next(self, journey):
        page = journey.page
        journey.login("admin")
        visit(journey, "/enterprises/?q=没有这家企业")
        cell = page.locator("main table tbody td")
        expect(cell).to_have_count(1)
        expect(cell).to_contain_text("没有符合筛选条件的企业")
        expect(cell).to_contain_text("清除筛选条件")
        expect(cell).to_contain_text("从 Excel 导入")
        journey.shot("no-enterprise")

        visit(journey, "/hazards/?q=没有这条隐患描述")
        expect(page.locator("main table tbody tr")).to_have_count(1)
        expect(page.locator("main table tbody td")).to_contain_text(re.compile("没有符合.*隐患"))
        journey.shot("no-hazard")

        visit(journey, "/audit/?object_type=no-such-object")
        cell = page.locator("main table tbody td")
        expect(cell).to_have_count(1)
        expect(cell).to_contain_text("没有符合筛选条件的审计事件")
        expect(cell).to_contain_text("清除筛选条件")
        journey.shot("no-audit-event")

    def test_it_explains_an_empty_inbox(self, journey):
        page = journey.page
        journey.login("hotline")
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="消息").click()
        cell = page.locator("main table tbody td")
        expect(cell).to_have_count(1)
        expect(cell).to_contain_text("暂无消息")
        expect(cell).to_contain_text("我的待办")
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
        page = journey.page
        journey.login("admin")
        card = open_card(journey, "rectifying")
        expect(page.locator("h1")).to_contain_text("整改中")
        card_no = re.search(r"\S*YH\S*", page.locator("h1").inner_text()).group()
        page.get_by_role("link", name="作废", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("作废")
        journey.shot("void-form")
        questions: list[str] = []

        def answer(accept: bool):
            def handle(dialog) -> None:
                questions.append(dialog.message)
                if accept:
                    dialog.accept()
                else:
                    dialog.dismiss()

            return handle

        # Cancelled: nothing is sent.
        posts: list[str] = []
        page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
        watch_submit(page)
        page.get_by_label("理由（必填）").fill("端到端测试：取消作废")
        page.once("dialog", answer(False))
        page.get_by_role("button", name="作废").click()
        expect(page.get_by_role("button", name="作废")).to_be_enabled()
        assert submitted(page) == {"sent": False, "busy": False, "disabled": False, "label": "作废"}
        assert posts == []
        assert "作废" in questions[0] and card_no in questions[0]
        journey.shot("cancelled")

        # Confirmed: the form goes to the server, which refuses it without a reason, so the
        # shared demo card stays as it was.
        page.get_by_label("理由（必填）").fill("")
        page.once("dialog", answer(True))
        page.get_by_role("button", name="作废").click()
        refusal = page.get_by_text(re.compile("这个字段是必填项|请填写作废原因")).first
        expect(refusal).to_be_visible()
        assert len(posts) == 1 and len(questions) == 2
        journey.shot("sent-and-refused")
        visit(journey, card)
        expect(page.locator("h1")).to_contain_text("整改中")

    def test_it_asks_before_changing_an_enterprises_status(self, journey):
        page = journey.page
        journey.login("admin")
        page.goto(journey.base + first_link(journey, "enterprise"))
        status_before = page.locator("dt:text-is('经营状态') + dd").inner_text()
        page.get_by_role("link", name="变更经营状态").click()
        watch_submit(page)
        page.once("dialog", lambda dialog: dialog.dismiss())
        page.get_by_role("button", name="确认变更").click()
        expect(page.get_by_role("button", name="确认变更")).to_be_enabled()
        assert submitted(page)["sent"] is False
        journey.shot("cancelled")

        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="确认变更").click()
        expect(page.get_by_text("这个字段是必填项").first).to_be_visible()
        assert submitted(page)["sent"] is True
        page.get_by_role("link", name="取消").click()
        expect(page.locator("dt:text-is('经营状态') + dd")).to_have_text(status_before)
        journey.shot("unchanged")


class ProgressJourneyTestCase:
    def test_it_shows_progress_while_a_hazard_ledger_is_imported(self, journey):
        page = journey.page
        journey.login("town")
        visit(journey, "/hazards/import/")
        page.get_by_label("隐患台账文件（.xlsx）").set_input_files(
            {"name": "台账.xlsx", "mimeType": "application/octet-stream", "buffer": b"not excel"}
        )
        watch_submit(page)
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="校验并导入").click()
        expect(page.get_by_text("只接受 Excel").first).to_be_visible()
        assert submitted(page) == {
            "sent": True,
            "busy": True,
            "disabled": True,
            "label": "正在导入，请稍候…",
        }
        expect(page.get_by_role("button", name="校验并导入")).to_be_enabled()
        journey.shot("refused")

    def test_it_says_an_export_is_being_prepared_until_it_downloads(self, journey):
        page = journey.page
        journey.login("town")
        visit(journey, "/enterprises/")
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


class PrintJourneyTestCase:
    def test_it_prints_a_card_on_a4_without_the_buttons(self, journey):
        page = journey.page
        journey.login("admin")
        card = open_card(journey, "rectifying")
        visit(journey, card + "print/")
        button = page.get_by_role("button", name="打印")
        expect(button).to_be_visible()
        assert page.evaluate(A4_PAGE_RULE)
        page.emulate_media(media="print")
        expect(button).to_be_hidden()
        expect(page.get_by_role("link", name="返回")).to_be_hidden()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        journey.shot("card-print")

    def test_it_prints_a_dossier_on_a4_without_navigation(self, journey):
        page = journey.page
        journey.login("admin")
        enterprise = first_link(journey, "enterprise")
        visit(journey, enterprise)
        nav = page.get_by_role("navigation", name="主导航")
        page.emulate_media(media="print")
        expect(nav).to_be_hidden()
        expect(page.get_by_role("link", name="打印档案")).to_be_hidden()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.emulate_media(media="screen")
        page.get_by_role("link", name="打印档案").click()
        button = page.get_by_role("button", name="打印")
        expect(button).to_be_visible()
        assert page.evaluate(A4_PAGE_RULE)
        page.emulate_media(media="print")
        expect(button).to_be_hidden()
        expect(page.get_by_role("link", name="返回")).to_be_hidden()
        expect(page.get_by_role("heading", level=1)).to_contain_text("企业安全生产档案")
        journey.shot("dossier-print")
