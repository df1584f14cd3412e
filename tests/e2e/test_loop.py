"""The hazard loop role by role: register, plan (五落实), rectify, evaluate, accept, print.

Each journey registers its own card through the pages, so the demo cards that other journeys
read stay as they are and the order in which the journeys run does not matter.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Protocol

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Dialog, Locator, Page, expect

CARD_NO = re.compile(r"370306-YH-\d{4}-\d{6}")
EXPERT_NAME = "冯建平"  # the demo account `expert`
DEPARTMENT = "区住房和城乡建设局"  # the demo account `dept` works here


# ---- helpers ------------------------------------------------------------------------------


class Person(Protocol):
    """What a journey (conftest.Journey) offers: one signed-in person's browser page."""

    page: Page
    base: str
    name: str
    outside_requests: list[str]

    def shot(self, label: str) -> None: ...

    def login(self, username: str) -> None: ...


def photo(folder: Path, name: str, colour: tuple[int, int, int]) -> Path:
    path = folder / name
    Image.new("RGB", (120, 90), colour).save(path, "JPEG", quality=85)
    return path


def value_of(page: Page, label: str) -> Locator:
    """The value beside a label on the card page (its <dt>/<dd> lists)."""
    return page.locator(f"dl.kv dt:text-is('{label}') + dd")


def expect_status(page: Page, label: str) -> None:
    expect(page.locator("h1 .tag").first).to_have_text(label)


def expect_image_loaded(image: Locator) -> None:
    image.scroll_into_view_if_needed()
    expect(image).to_be_visible()
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0, "the photo did not load"


def open_card(journey: Person, card_no: str) -> None:
    """Find a card by its number in the ledger, as a person given the number would."""
    page = journey.page
    page.get_by_role("navigation").get_by_role("link", name="隐患台账").click()
    expect(page.get_by_role("heading", name="隐患排查治理台账")).to_be_visible()
    page.get_by_label("编号或描述").fill(card_no)
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name=card_no, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(card_no)


def do(page: Page, action: str, fields: dict[str, str] | None = None) -> None:
    """Press an action button on the card page, fill its form and send it."""
    page.get_by_role("link", name=action, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(action)
    for label, value in (fields or {}).items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name=action, exact=True).click()


def attach(page: Page, label: str, path: Path) -> None:
    """Pick a file through the browser's file chooser."""
    with page.expect_file_chooser() as chooser:
        page.get_by_label(label, exact=True).click()
    chooser.value.set_files(path)
    expect(page.get_by_label(label, exact=True)).to_have_js_property("files.length", 1)


def answer_yes(journey: Person) -> list[str]:
    """Say yes to every confirmation the pages ask (irreversible steps ask one first);
    returns the questions asked, in order."""
    questions: list[str] = []

    def accept(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    journey.page.on("dialog", accept)
    return questions


def own_enterprise(journey: Person) -> str:
    """The enterprise user's own enterprise, from their enterprise list."""
    page = journey.page
    page.get_by_role("navigation").get_by_role("link", name="企业档案").click()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    return rows.first.get_by_role("link").first.inner_text().strip()


def register(journey: Person, enterprise: str, *, major: bool, description: str) -> str:
    """An officer registers a card for the enterprise; returns its number."""
    page = journey.page
    page.get_by_role("navigation").get_by_role("link", name="隐患台账").click()
    page.get_by_role("link", name="登记隐患").click()
    expect(page.get_by_role("heading", name="登记隐患（一隐患一卡）")).to_be_visible()
    page.get_by_label("企业", exact=True).select_option(label=enterprise)
    page.get_by_label("隐患部位").fill("厂区燃气调压站" if major else "车间配电箱")
    page.get_by_label("隐患描述").fill(description)
    page.get_by_label("隐患类别").select_option(label="现场管理类")
    page.get_by_label("隐患性质").select_option(label="物的不安全状态")
    page.get_by_label("隐患级别").select_option(label="重大" if major else "一般")
    if major:
        page.get_by_label("判定标准（重大隐患必填）").fill(
            "城镇燃气经营安全重大隐患判定标准（住建部）"
        )
        page.get_by_label("条款", exact=True).fill("第七条")
        page.get_by_label("危害程度和整改难易程度分析（重大隐患必填）").fill(
            "泄漏遇明火可能引发爆炸，需停气改造管线"
        )
    page.get_by_label("隐患来源").select_option(label="政府检查")
    page.get_by_label("发现人").fill("李海燕")
    # Yesterday: never later than the server's today, whatever this machine's time zone.
    page.get_by_label("发现时间").fill((date.today() - timedelta(days=1)).isoformat())
    journey.shot("register-form")
    page.get_by_role("button", name="登记", exact=True).click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(CARD_NO)
    expect_status(page, "待确认")
    journey.shot("registered")
    return CARD_NO.search(heading.inner_text()).group()


FIVE_MUST_HAVES = {
    "整改责任人": "王建国",
    "责任人电话": "13805331234",
    "整改资金（元）": "8000",
    "整改措施": "更换漏电保护器，箱体可靠接地，加装警示标识",
    "应急预案": "整改期间断电挂牌，专人值守，发现异常立即撤离",
}
MAJOR_EXTRAS = {
    "治理目标和任务（重大隐患）": "消除燃气泄漏和爆炸风险，达到判定标准要求",
    "负责治理的机构和人员（重大隐患）": "企业主要负责人牵头，设备部 2 人、安全部 1 人",
    "治理物资（重大隐患）": "防爆阀门、可燃气体报警器、防撞护栏",
}


def fill_plan(page: Page, values: dict[str, str]) -> None:
    deadline = (date.today() + timedelta(days=30)).isoformat()
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("整改时限", exact=True).fill(deadline)
    page.get_by_label("整改期间监控措施").fill("每日巡查两次并记录")


def rectify_and_apply(journey: Person, after_photo: Path) -> None:
    """The enterprise reports the card rectified with an after-photo and applies."""
    page = journey.page
    page.get_by_role("link", name="整改完成", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("整改完成")
    page.get_by_label("整改情况说明").fill("已按方案完成整改，经自检合格，附整改后照片")
    attach(page, "整改后照片（证据，至少一张）", after_photo)
    journey.shot("rectified-form")
    page.get_by_role("button", name="整改完成", exact=True).click()
    expect(page.get_by_text("已完成：整改完成")).to_be_visible()
    expect_status(page, "已整改待申请验收")
    expect(value_of(page, "整改说明")).to_contain_text("已按方案完成整改")
    expect_image_loaded(page.get_by_role("img", name="整改后照片"))
    journey.shot("rectified")
    do(page, "申请验收", {"说明": "整改完成，申请验收"})
    expect(page.get_by_text("已完成：申请验收")).to_be_visible()


@pytest.fixture
def person(journey: Person, browser: Browser) -> Iterator[Callable[[str], Person]]:
    """Another signed-in person in a browser context of their own."""
    opened: list[tuple[BrowserContext, Person]] = []

    def sign_in(username: str) -> Person:
        context = browser.new_context()
        other = type(journey)(context.new_page(), journey.base, f"{journey.name}-{username}")
        opened.append((context, other))
        answer_yes(other)
        other.login(username)
        return other

    yield sign_in
    for context, _other in opened:
        context.close()
    for _context, other in opened:
        assert other.outside_requests == [], f"{other.name} loaded something from outside"


# ---- journeys -----------------------------------------------------------------------------


class RectificationPlanJourneyTestCase:
    def test_it_refuses_an_incomplete_plan_then_runs_to_acceptance(self, journey, person, tmp_path):
        page = journey.page
        answer_yes(journey)
        journey.login("enterprise")
        enterprise = own_enterprise(journey)
        journey.shot("own-enterprise")

        # The town officer finds the hazard at the enterprise and confirms it.
        town = person("town")
        card_no = register(
            town, enterprise, major=False, description="车间配电箱未可靠接地，箱门无警示标识"
        )
        do(town.page, "确认定级")
        expect(town.page.get_by_text("已完成：确认定级")).to_be_visible()
        expect_status(town.page, "待制定方案")
        town.shot("confirmed")

        # The enterprise opens the plan and leaves out the funds: refused, by name.
        open_card(journey, card_no)
        expect_status(page, "待制定方案")
        expect(page.locator("p.warn", has_text="尚缺")).to_contain_text("整改资金")
        journey.shot("card-to-plan")
        page.get_by_role("link", name="整改方案（五落实）").click()
        expect(page.get_by_text("开始整改前必须落实：")).to_contain_text("整改资金")
        incomplete = {k: v for k, v in FIVE_MUST_HAVES.items() if k != "整改资金（元）"}
        fill_plan(page, incomplete)
        journey.shot("plan-without-funds")
        page.get_by_role("button", name="落实五落实并开始整改").click()
        refusal = page.get_by_role("alert")
        expect(refusal).to_have_text("五落实不完整，缺少：整改资金")
        expect(page.get_by_label("整改责任人", exact=True)).to_have_value("王建国")
        journey.shot("plan-refused")

        # Nothing changed: still waiting for its plan, nothing of the plan stored.
        page.get_by_role("heading", level=1).get_by_role("link", name=card_no).click()
        expect_status(page, "待制定方案")
        expect(value_of(page, "整改责任人")).to_have_text(re.compile(r"^\s*—\s*$"))
        expect(value_of(page, "整改时限")).to_have_text("—")
        history = page.locator("section", has_text="处理记录").locator("tbody tr")
        expect(history).to_have_count(2)  # 登记, 确认定级
        expect(history.filter(has_text="落实五落实并开始整改")).to_have_count(0)
        journey.shot("unchanged")

        # The full plan starts the rectification.
        page.get_by_role("link", name="整改方案（五落实）").click()
        fill_plan(page, FIVE_MUST_HAVES)
        journey.shot("plan-complete")
        page.get_by_role("button", name="落实五落实并开始整改").click()
        expect(page.get_by_text("已完成：落实五落实并开始整改")).to_be_visible()
        expect_status(page, "整改中")
        expect(value_of(page, "整改责任人")).to_contain_text("王建国")
        expect(value_of(page, "整改资金（元）")).to_contain_text("8000")
        journey.shot("rectifying")

        # Rectified with an after-photo, then the application: a general hazard waits for
        # the department's acceptance.
        rectify_and_apply(journey, photo(tmp_path, "after.jpg", (40, 140, 60)))
        expect_status(page, "待验收")
        expect(value_of(page, "验收申请")).not_to_have_text("—")
        expect(page.get_by_text("应于此前验收：")).to_be_visible()
        journey.shot("acceptance-pending")

        # The town officer sees the same state.
        town.page.reload()
        expect_status(town.page, "待验收")
        expect(town.page.get_by_role("link", name="验收合格并销号")).to_be_visible()
        town.shot("town-sees-acceptance-pending")


class MajorHazardJourneyTestCase:
    def test_it_closes_a_major_hazard_after_expert_evaluation_and_acceptance(
        self, journey, person, tmp_path
    ):
        page = journey.page
        questions = answer_yes(journey)
        enterprise_user = person("enterprise")
        enterprise = own_enterprise(enterprise_user)

        # A town officer finds a gas hazard at the enterprise and passes it to the department
        # that regulates town gas (抄告移送): the department's own card is made.
        town = person("town")
        original = register(
            town,
            enterprise,
            major=True,
            description="燃气调压站未设置防撞设施，燃气管道穿越配电室",
        )
        town.page.get_by_role("link", name="抄告移送").click()
        town.page.get_by_label("接收抄告的主管部门").select_option(label=DEPARTMENT)
        town.page.get_by_label("抄告理由").fill("城镇燃气设施属住建部门监管")
        town.shot("transfer-form")
        town.page.get_by_role("button", name="抄告移送").click()
        expect_status(town.page, "已抄告移送")
        copy = town.page.get_by_role("link", name=CARD_NO).filter(has_not_text=original)
        card_no = copy.inner_text().strip()
        town.shot("transferred")

        # The department officer confirms the major hazard (its criteria came along).
        journey.login("dept")
        open_card(journey, card_no)
        expect_status(page, "待确认")
        expect(page.get_by_role("heading", level=1)).to_contain_text("重大")
        expect(value_of(page, "来源")).to_contain_text(original)
        journey.shot("department-card")
        page.get_by_role("link", name="确认定级", exact=True).click()
        expect(page.get_by_label("判定标准", exact=True)).to_have_value(re.compile("城镇燃气"))
        page.get_by_role("button", name="确认定级", exact=True).click()
        expect_status(page, "待制定方案")
        journey.shot("confirmed")

        # The enterprise makes the major plan (five must-haves and three more), rectifies
        # and applies: a major hazard goes to expert evaluation first.
        ent = enterprise_user.page
        open_card(enterprise_user, card_no)
        ent.get_by_role("link", name="整改方案（五落实）").click()
        expect(ent.get_by_text("开始整改前必须落实：")).to_contain_text("治理物资")
        fill_plan(ent, FIVE_MUST_HAVES | MAJOR_EXTRAS)
        enterprise_user.shot("major-plan")
        ent.get_by_role("button", name="落实五落实并开始整改").click()
        expect_status(ent, "整改中")
        rectify_and_apply(enterprise_user, photo(tmp_path, "after.jpg", (30, 90, 160)))
        expect_status(ent, "专家评估中")
        enterprise_user.shot("evaluating")

        # The department assigns the expert.
        page.reload()
        expect_status(page, "专家评估中")
        page.get_by_role("link", name="指派评估专家").click()
        page.get_by_label("评估专家").select_option(label=EXPERT_NAME)
        page.get_by_role("button", name="指派评估专家").click()
        expect(value_of(page, "评估专家")).to_have_text(EXPERT_NAME)
        expect(page.get_by_role("link", name="验收合格并销号")).to_have_count(0)
        journey.shot("expert-assigned")

        # The expert finds it among their work and records a passing evaluation.
        expert = person("expert")
        expert.page.get_by_role("navigation").get_by_role("link", name="我的待办").click()
        expert.shot("expert-work")
        open_card(expert, card_no)
        expect(expert.page.get_by_role("link", name="专家评估不通过")).to_be_visible()
        expert.page.get_by_role("link", name="专家评估通过").click()
        expert.page.get_by_label("评估意见（必填）").fill(
            "防撞设施已设置，燃气管道已改线避开配电室，整改措施落实到位，同意申请验收。"
        )
        expert.shot("evaluation-form")
        expert.page.get_by_role("button", name="专家评估通过").click()
        expect(expert.page.get_by_text("已完成：专家评估通过")).to_be_visible()
        expert.shot("evaluated")

        # The department accepts: the card is closed (销号).
        page.reload()
        expect_status(page, "待验收")
        expect(value_of(page, "评估意见")).to_contain_text("整改措施落实到位")
        journey.shot("acceptance-pending")
        do(page, "验收合格并销号", {"意见": "经现场复查，整改合格，同意销号。"})
        expect(page.get_by_text("已完成：验收合格并销号")).to_be_visible()
        assert card_no in questions[-1] and "销号" in questions[-1], questions
        expect_status(page, "已销号")
        expect(value_of(page, "销号时间")).not_to_have_text("—")
        expect(value_of(page, "验收")).to_contain_text("周文斌")
        expect(value_of(page, "验收意见")).to_have_text("经现场复查，整改合格，同意销号。")
        history = page.locator("section", has_text="处理记录").locator("tbody")
        for action in ("确认定级", "专家评估通过", "验收合格并销号"):
            expect(history).to_contain_text(action)
        journey.shot("closed")

        # The enterprise sees it closed too.
        ent.reload()
        expect_status(ent, "已销号")
        enterprise_user.shot("enterprise-sees-closed")


class PrintedCardJourneyTestCase:
    def test_it_prints_a_card_whose_qr_code_opens_the_card(self, journey):
        page = journey.page
        journey.login("town")
        page.get_by_role("navigation").get_by_role("link", name="隐患台账").click()
        link = page.locator("main table tbody tr").first.get_by_role("link", name=CARD_NO)
        card_no = link.inner_text().strip()
        link.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(card_no)
        card_url = page.url
        journey.shot("card")

        page.get_by_role("link", name="打印卡片").click()
        expect(page.get_by_role("heading", name="安全生产事故隐患排查治理卡")).to_be_visible()
        expect(page.get_by_text(f"编号：{card_no}")).to_be_visible()
        expect(page.get_by_role("button", name="打印")).to_be_visible()
        journey.shot("print-screen")

        # Printed: no navigation and no buttons, the card number and the QR code remain.
        page.emulate_media(media="print")
        expect(page.get_by_role("navigation")).not_to_be_visible()
        expect(page.get_by_role("button", name="打印")).not_to_be_visible()
        expect(page.get_by_role("link", name="返回")).not_to_be_visible()
        expect(page.get_by_text(f"编号：{card_no}")).to_be_visible()
        qr = page.get_by_role("img", name="扫码查看隐患卡片")
        expect(qr).to_be_visible()
        journey.shot("print-media")

        # The QR code as printed decodes to the card's address.
        codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
        assert [c.format for c in codes] == [zxingcpp.BarcodeFormat.QRCode]
        assert codes[0].text == card_url

        # Scanning it opens the card (the one place a journey types an address).
        page.emulate_media(media="screen")
        page.goto(codes[0].text)
        expect(page.get_by_role("heading", level=1)).to_contain_text(card_no)
        expect(page.get_by_role("navigation")).to_be_visible()
        journey.shot("scanned")
        page.emulate_media(media="print")
        expect(page.get_by_role("navigation")).not_to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_contain_text(card_no)
        journey.shot("card-print-media")
