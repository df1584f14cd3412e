"""Journey: registering a 一般隐患 on a phone, from the home page to the saved card."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import Locator, expect

PHONE_WIDTH = 375


class Taps:
    """Taps of a journey: the acceptance point counts them from the home page to the card."""

    def __init__(self, phone) -> None:
        self.phone, self.count = phone, 0

    def tap(self, target: Locator, arrives_at: str, label: str) -> None:
        """Tap a link or button and wait for the page it leads to."""
        self.count += 1
        target.tap()
        expect(self.phone.page).to_have_url(re.compile(arrives_at))
        self.phone.page.wait_for_load_state()
        self.phone.shot(label)


def before_photo(folder: Path, name: str) -> Path:
    path = folder / name
    Image.new("RGB", (640, 480), (180, 40, 30)).save(path, "PNG")
    return path


def page_width(phone) -> int:
    return phone.page.evaluate("document.documentElement.scrollWidth")


def register_quickly(phone, tmp_path: Path, username: str, required: int) -> Taps:
    """Log in, tap to the quick page, answer every required field, tap to register."""
    page, taps = phone.page, Taps(phone)
    phone.login(username)
    phone.shot("home")

    taps.tap(
        page.get_by_role("link", name="快速登记隐患", exact=True), r"/hazards/quick/$", "quick-form"
    )
    expect(page.get_by_role("heading", name="快速登记一般隐患")).to_be_visible()
    assert page.locator("[required]").count() <= 5
    assert page.locator("[required]").count() == required
    assert page_width(phone) <= PHONE_WIDTH

    answered = 0
    if page.locator("select[name=enterprise]").count():
        page.get_by_label("企业", exact=True).select_option(index=1)
        answered += 1
    page.get_by_label("隐患部位").fill("二号车间配电室")
    page.get_by_label("隐患描述").fill("配电箱门未关闭，接地线松脱")
    page.get_by_label("隐患类别").select_option(label="现场管理类")
    photo = before_photo(tmp_path, f"quick-{username}.png")
    page.get_by_label(re.compile(r"^整改前照片")).set_input_files(photo)
    answered += 4
    assert answered == required
    phone.shot("answered")

    taps.tap(page.get_by_role("button", name="登记", exact=True), r"/hazards/\d+/$", "card")
    expect(page.locator("h1")).to_contain_text("370306-YH-")
    expect(page.get_by_text(re.compile(r"已登记隐患 370306-YH-"))).to_be_visible()
    link = page.get_by_role("link", name=photo.name, exact=True)
    expect(link).to_be_visible()
    served = page.request.get(phone.base + link.get_attribute("href"))
    assert served.ok and served.headers["content-type"] == "image/png"
    assert page_width(phone) <= PHONE_WIDTH
    return taps


class QuickRegisterJourneyTestCase:
    def test_it_registers_a_town_officers_finding_in_two_taps(self, phone, tmp_path):
        taps = register_quickly(phone, tmp_path, "town", required=5)
        expect(phone.page.locator("dl.kv").first).to_contain_text("政府检查")
        assert taps.count == 2  # home → form, form → card
        phone.shot("done")

    def test_it_registers_an_enterprise_self_inspection_in_two_taps(self, phone, tmp_path):
        taps = register_quickly(phone, tmp_path, "enterprise", required=4)
        expect(phone.page.locator("dl.kv").first).to_contain_text("企业自查")
        assert taps.count == 2
        phone.shot("done")

    def test_it_keeps_the_full_form_one_tap_away(self, phone):
        phone.login("town")
        phone.page.get_by_role("link", name="快速登记隐患", exact=True).tap()
        phone.shot("quick-form")
        phone.page.get_by_role("link", name="完整登记（含重大隐患）").tap()
        expect(phone.page).to_have_url(re.compile(r"/hazards/new/$"))
        expect(phone.page.get_by_label("隐患级别")).to_be_visible()
        phone.shot("full-form")

    def test_it_shows_field_errors_in_chinese_on_the_phone(self, phone):
        phone.login("enterprise")
        phone.page.get_by_role("link", name="快速登记隐患", exact=True).tap()
        phone.page.get_by_role("button", name="登记", exact=True).tap()
        expect(phone.page.locator(".field-error").first).to_be_visible()
        for message in ("请填写隐患部位", "请填写隐患描述", "请选择隐患类别"):
            expect(phone.page.get_by_text(message)).to_be_visible()
        expect(phone.page.get_by_text("请拍摄或上传至少一张整改前照片")).to_be_visible()
        assert page_width(phone) <= PHONE_WIDTH
        phone.shot("errors")

    def test_it_registers_from_the_enterprise_page_and_lists_the_card_there(self, phone, tmp_path):
        page = phone.page
        phone.login("town")
        page.goto(phone.base + "/enterprises/")
        page.locator("table a[href^='/enterprises/']").first.tap()
        page.wait_for_load_state()
        name = page.locator("h1").inner_text()
        section = page.locator("#section-hazards")
        expect(section).to_be_visible()
        phone.shot("enterprise-page")

        section.get_by_role("link", name="登记隐患", exact=True).tap()
        expect(page).to_have_url(re.compile(r"/hazards/quick/\?enterprise=\d+$"))
        chosen = page.url.rsplit("=", 1)[1]
        assert page.get_by_label("企业", exact=True).input_value() == chosen  # chosen by the link
        expect(page.get_by_label("企业", exact=True)).to_contain_text(name)
        page.get_by_label("隐患部位").fill("仓库门口")
        page.get_by_label("隐患描述").fill("消防通道堆放杂物")
        page.get_by_label("隐患类别").select_option(label="现场管理类")
        page.get_by_label(re.compile(r"^整改前照片")).set_input_files(
            before_photo(tmp_path, "from-enterprise.png")
        )
        page.get_by_role("button", name="登记", exact=True).tap()
        expect(page).to_have_url(re.compile(r"/hazards/\d+/$"))
        number = re.search(r"370306-YH-\d{4}-\d{6}", page.locator("h1").inner_text()).group(0)
        phone.shot("card")

        page.go_back()
        page.go_back()
        page.reload()
        expect(page.locator("#section-hazards")).to_contain_text(number)
        expect(page.locator("#section-hazards")).to_contain_text("消防通道堆放杂物")
        assert page_width(phone) <= PHONE_WIDTH
        phone.shot("enterprise-page-after")
