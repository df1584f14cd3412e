"""Journey: a worker reports a hazard on the public page without logging in, keeps the receipt
code, the hotline operator triages it, the town officer asks a question, and the reporter
answers through the code — the reporter's name never appears to the staff."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from conftest import Journey

NAME = "孙桂兰"
PHONE = "13905339999"


def person(browser, server, request, label: str) -> Journey:
    context = browser.new_context()
    return Journey(context.new_page(), server, f"{request.node.name}-{label}")


class TipOffJourneyTestCase:
    def test_it_takes_a_report_and_keeps_the_reporter_hidden(self, browser, server, request):
        reporter = person(browser, server, request, "reporter")
        page = reporter.page
        response = page.goto(server + "/public/")
        assert response.headers["cache-control"].startswith("no-store")
        assert response.headers["referrer-policy"] == "no-referrer"
        expect(page.get_by_text("6800001").first).to_be_visible()
        reporter.shot("publicity")
        page.get_by_role("link", name="我要举报").click()
        page.get_by_label("被举报单位名称或地址").fill("北郊镇某无名加工点")
        page.get_by_label("具体地点").fill("村东头仓库")
        page.get_by_label("举报内容").fill("仓库里堆放大量油漆和稀料，旁边有人抽烟，没有灭火器")
        page.get_by_label("匿名举报（不留姓名和电话）").uncheck()
        page.get_by_label("姓名", exact=True).fill(NAME)
        page.get_by_label("联系电话", exact=True).fill(PHONE)
        reporter.shot("form")
        page.get_by_role("button", name="提交举报").click()
        expect(page.get_by_role("heading", name="举报已提交")).to_be_visible()
        code = page.locator("#receipt-code").inner_text().replace(" ", "")
        number = re.search(r"JB-\d{4}-\d{6}", page.content()).group(0)
        assert len(code) == 16 and code not in page.url
        reporter.shot("receipt")

        hotline = person(browser, server, request, "hotline")
        hotline.login("hotline")
        hotline.page.goto(server + "/tipoffs/")
        hotline.page.get_by_role("link", name=number).click()
        expect(hotline.page.locator("h1")).to_contain_text(number)
        assert NAME not in hotline.page.content() and PHONE not in hotline.page.content()
        hotline.shot("detail")
        hotline.page.get_by_role("link", name="分派承办").click()
        hotline.page.get_by_label("属地").select_option(label="北郊镇")
        hotline.page.get_by_role("button", name="分派承办").click()
        expect(hotline.page.locator("h1")).to_contain_text("已分派")

        town = person(browser, server, request, "town")
        town.login("town")
        town.page.goto(server + "/tipoffs/?status=assigned")
        town.page.get_by_role("link", name=number).click()
        town.page.get_by_role("link", name="受理核查").click()
        town.page.get_by_role("button", name="受理核查").click()
        expect(town.page.locator("h1")).to_contain_text("核查中")
        town.page.get_by_label("内容").fill("请问仓库是哪一家的？白天还是晚上有人？")
        town.page.get_by_role("button", name="发送").click()
        assert NAME not in town.page.content()
        town.shot("asked")

        page.goto(server + "/public/tipoff/status/")
        page.get_by_label("查询码").fill(code)
        page.get_by_role("button", name="查询").click()
        expect(page.get_by_text("请问仓库是哪一家的")).to_be_visible()
        page.get_by_label("回答或补充（不要写您的姓名）").fill("是村东头老李家的，晚上有人")
        page.get_by_role("button", name="提交补充").click()
        expect(page.get_by_text("已收到您的补充")).to_be_visible()
        assert code not in page.url
        reporter.shot("answered")

        town.page.reload()
        expect(town.page.get_by_text("是村东头老李家的")).to_be_visible()
        for j in (reporter, hotline, town):
            assert j.outside_requests == []
