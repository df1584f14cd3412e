"""Journeys over joint meetings in the demo district: a town records a meeting with a
decision and sets a follow-up item, the department closes it with evidence, the office reads
the week × unit table."""

from __future__ import annotations

import re

from helpers import answer_next_dialog, signed_in, visit
from playwright.sync_api import expect


class MeetingJourneyTestCase:
    def test_it_records_a_meeting_sets_an_item_and_closes_it(self, journey, browser):
        page = signed_in(journey, "town", "/meetings/new/")
        journey.shot("form")
        page.locator("#id_units_present").get_by_label("北郊镇", exact=True).check()
        page.locator("#id_units_present").get_by_label("区住房和城乡建设局").check()
        page.locator("#id_units_absent").get_by_label("区公安消防大队").check()
        page.get_by_label("地点").fill("北郊镇三楼会议室")
        page.get_by_label("研究的突出问题").fill("镇区建筑工地临边防护不到位")
        page.get_by_label("议定事项").fill("住建局一周内对镇区工地开展临边防护专项检查")
        page.get_by_role("button", name="保存").click()
        journey.shot("saved")
        expect(page.get_by_text("联席会议已录入")).to_be_visible()
        expect(page.locator("h1")).to_contain_text("北郊镇")
        journey.shot("meeting")

        form = page.locator("form", has=page.get_by_role("button", name="下达督办事项"))
        form.get_by_label("议定事项").select_option(index=1)
        form.get_by_label("督办内容").fill("镇区工地临边防护专项检查")
        form.get_by_label("责任单位").select_option(label="区住房和城乡建设局")
        form.get_by_label("责任人").select_option(label="周文斌（区住房和城乡建设局）")
        form.get_by_label("办结时限").fill("2099-12-31")
        page.get_by_role("button", name="下达督办事项").click()
        expect(page.get_by_text("督办事项已下达")).to_be_visible()
        item_url = page.url
        journey.shot("item")

        other = browser.new_context()
        dept = type(journey)(other.new_page(), journey.base, journey.name + "-dept")
        dept_page = signed_in(dept, "dept", "/meetings/items/")
        mine = dept_page.locator("#mine")
        mine.get_by_role("link", name="镇区工地临边防护专项检查").click()
        dept.shot("item-owner")
        dept_page.get_by_label("办结情况").fill("已检查镇区 12 处工地，整改到位")
        answer_next_dialog(dept_page, True)
        dept_page.get_by_role("button", name="办结").click()
        expect(dept_page.get_by_text("督办事项已办结")).to_be_visible()
        expect(dept_page.locator(".kv")).to_contain_text("已办结")
        dept.shot("closed")
        other.close()
        assert dept.outside_requests == []

        third = browser.new_context()
        stranger = type(journey)(third.new_page(), journey.base, journey.name + "-other")
        stranger.login("committee")
        response = stranger.page.goto(item_url)
        assert response is not None and response.status == 404
        third.close()

    def test_it_shows_the_week_by_unit_table(self, journey):
        page = signed_in(journey, "admin", "/meetings/compliance/")
        expect(page.locator("h1")).to_have_text("联席会议频次落实情况")
        head = page.locator("#table thead")
        expect(head).to_contain_text("北郊镇")
        expect(head).to_contain_text("丝绸路街道")
        rows = page.locator("#table tbody tr")
        expect(rows.first).to_contain_text(re.compile(r"\d{4}-W\d{2}"))
        expect(page.locator("#table")).to_contain_text("未召开")
        expect(page.locator("#table")).to_contain_text("已召开（补录）")
        expect(page.locator("#summary")).to_contain_text("未按规定频次召开联席会议的单位")
        expect(page.locator("#district")).to_contain_text("区安委会")
        journey.shot("compliance")
        visit(journey, "/meetings/items/")
        expect(page.locator("#overdue")).to_contain_text("逾期")
        journey.shot("items-admin")
