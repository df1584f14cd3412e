"""An inspector on a phone: a campaign inspection, one failed item, its hazard card with photo."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import Locator, expect

PHONE_WIDTH = 375
CAMPAIGN = "危险化学品和城镇燃气领域拉网式大检查"  # the demo campaign (hazardledger/demo)
CARD_NO = re.compile(r"370306-YH-\d{4}-\d{6}")


def photo(folder: Path, name: str, colour: tuple[int, int, int]) -> Path:
    """A small real JPEG, as a phone camera would hand over."""
    path = folder / name
    Image.new("RGB", (96, 72), colour).save(path, "JPEG", quality=85)
    return path


def step(journey: Any, label: str) -> None:
    """Screenshot, and the page must not scroll sideways on the phone."""
    journey.shot(label)
    width = journey.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{journey.page.url} is {width}px wide at {PHONE_WIDTH}px"


def expect_image_loaded(image: Locator) -> None:
    image.scroll_into_view_if_needed()
    expect(image).to_be_visible()
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0, "the photo did not load"


class InspectionPhoneJourneyTestCase:
    def test_it_raises_a_hazard_card_with_a_photo_from_a_failed_item(self, phone, tmp_path):
        page = phone.page
        picture = photo(tmp_path, "IMG_0001.jpg", (180, 40, 30))
        page.on("dialog", lambda dialog: dialog.accept())  # yes to any confirmation asked
        phone.login("town")
        step(phone, "home")

        # The campaign, its target enterprises, and a new inspection for the first of them.
        page.get_by_role("navigation").get_by_role("link", name="大检查").click()
        expect(page.get_by_role("heading", name="拉网式大检查")).to_be_visible()
        step(phone, "campaigns")
        page.get_by_role("link", name=CAMPAIGN).first.click()
        expect(page.get_by_role("heading", name=CAMPAIGN)).to_be_visible()
        step(phone, "campaign")
        page.locator("dl.insp-figures").get_by_role("link").first.click()  # 应检企业
        expect(page.get_by_role("heading", name="全部")).to_be_visible()
        step(phone, "targets")
        target = page.locator("table tbody tr").filter(
            has=page.get_by_role("link", name="录入检查")
        )
        enterprise = target.first.locator("td").first.inner_text().strip()
        target.first.get_by_role("link", name="录入检查").click()
        expect(page.get_by_role("heading", name="录入检查")).to_be_visible()
        expect(page.get_by_label("受检企业")).to_have_value(re.compile(r"\d+"))
        expect(page.get_by_label("所属大检查")).to_contain_text(CAMPAIGN)
        step(phone, "inspection-form")

        # A second officer on site (the lead counts as the first), every item marked.
        page.get_by_label("检查人员").select_option(label="周文斌（区住房和城乡建设局）")
        items = page.locator("li.insp-item")
        count = items.count()
        assert count >= 5
        for index in range(count):
            item = items.nth(index)
            if index == count - 1:
                item.get_by_label("不合格", exact=True).check()
            else:
                item.get_by_label("合格", exact=True).check()
        failed = items.nth(count - 1)
        failed_text = failed.locator("legend").inner_text()
        failed.locator("summary").click()
        failed.get_by_label("情况说明").fill("储罐区可燃气体报警器故障，现场无人值守")
        failed.get_by_label("问题部位").fill("储罐区")
        with page.expect_file_chooser() as chooser:
            failed.get_by_label("照片").click()
        chooser.value.set_files(picture)
        expect(failed.get_by_label("照片")).to_have_js_property("files.length", 1)
        page.get_by_label("企业确认人").fill("王建国")
        page.get_by_label("企业代表已当场确认检查结果").check()
        step(phone, "items-marked")
        page.get_by_role("button", name="提交检查记录").click()

        # The record, with the failed item and its photo; one tap registers the card.
        expect(page.get_by_text("检查记录已保存。")).to_be_visible()
        record = page.get_by_role("heading", name="检查记录")
        expect(record).to_contain_text("政府检查")
        number = re.search(r"JC\d+", record.inner_text()).group()
        expect(page.locator("main")).to_contain_text(enterprise)
        failed_item = page.locator("li.insp-item.result-fail")
        expect(failed_item).to_have_count(1)
        expect(failed_item).to_contain_text("不合格")
        expect_image_loaded(failed_item.get_by_role("img", name="检查照片"))
        step(phone, "inspection-saved")
        failed_item.get_by_role("link", name="登记为隐患卡").click()
        expect(page.get_by_role("heading", name="登记为隐患卡")).to_be_visible()
        expect(page.get_by_label("隐患部位")).to_have_value("储罐区")
        expect(page.get_by_label("隐患描述")).to_have_value(re.compile("可燃气体报警器故障"))
        step(phone, "hazard-form")
        page.get_by_role("button", name="登记隐患卡").click()

        # The new card: its number, the item's photo as the before-photo, the link back.
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_contain_text(CARD_NO)
        card_no = CARD_NO.search(heading.inner_text()).group()
        expect(page.get_by_text(f"已登记隐患卡 {card_no}，并与检查项关联。")).to_be_visible()
        expect(heading).to_contain_text("待确认")
        expect(page.locator("main")).to_contain_text(enterprise)
        expect(page.locator("main")).to_contain_text("检查记录")
        expect_image_loaded(page.get_by_role("img", name=re.compile("整改前照片")))
        step(phone, "hazard-card")

        # Back on the record the item now names its card instead of offering a second one.
        page.get_by_role("navigation").get_by_role("link", name="检查记录").click()
        page.get_by_role("link", name=number).click()
        expect(page.get_by_role("heading", name="检查记录")).to_contain_text(number)
        done = page.locator("li.insp-item", has_text=failed_text.split(maxsplit=1)[-1])
        expect(done.get_by_role("link", name=card_no)).to_be_visible()
        expect(done.get_by_role("link", name="登记为隐患卡")).to_have_count(0)
        step(phone, "inspection-linked")
