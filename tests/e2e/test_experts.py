"""The expert pool in the demo district: the district admin adds experts, a town officer
assigns one to a major card's evaluation (a conflicted one is refused, with the reason), and
the expert sees that card only."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from conftest import PASSWORD

CLEAN = ("e2e-han", "韩立新")
CONFLICTED = ("e2e-lv", "吕志成")


def value_of(page: Page, label: str):
    return page.locator(f"dl.kv dt:text-is('{label}') + dd")


def add_expert(page: Page, base: str, account: tuple[str, str], **fields: str) -> None:
    """The admin adds an expert with a new login and a valid certificate."""
    page.get_by_role("navigation").get_by_role("link", name="专家库").click()
    expect(page.get_by_role("heading", name="安全生产专家库")).to_be_visible()
    page.get_by_role("link", name="添加专家").click()
    page.get_by_label("新账号：登录用户名").fill(account[0])
    page.get_by_label("新账号：姓名").fill(account[1])
    page.get_by_label("新账号：初始密码").fill(PASSWORD)
    page.get_by_label("建筑施工").check()
    page.get_by_label("职称").fill("高级工程师")
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text(f"已加入专家库：{account[1]}")).to_be_visible()
    # Without a valid certificate the policy refuses any assignment: the page says so.
    expect(page.get_by_text("没有在有效期内的证书")).to_be_visible()
    page.get_by_role("link", name="登记证书").click()
    page.get_by_label("证书类别").select_option(label="注册安全工程师")
    page.get_by_label("证书编号").fill(f"E2E-{account[0]}")
    page.get_by_label("有效期至").fill((date.today() + timedelta(days=365)).isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已登记。")).to_be_visible()
    expect(page.get_by_text("没有在有效期内的证书")).to_have_count(0)


class ExpertPoolJourneyTestCase:
    def test_it_assigns_from_the_pool_refuses_a_conflict_and_limits_what_the_expert_sees(
        self, journey, browser
    ):
        base = journey.base
        # A town officer picks a major card of the town waiting for its expert evaluation.
        other = browser.new_context()
        town = type(journey)(other.new_page(), base, journey.name + "-town")
        town.login("town")
        tp = town.page
        tp.goto(base + "/hazards/?status=evaluating&level=major")
        row = tp.locator("table tbody tr").first
        href = row.locator("a").first.get_attribute("href")
        assert href and re.fullmatch(r"/hazards/\d+/", href), href
        tp.goto(base + href)
        card_no = re.search(r"\d{6}-YH-\d{4}-\d{6}", tp.locator("h1").inner_text()).group(0)
        enterprise = value_of(tp, "企业").inner_text().strip()
        town.shot("card")

        # The district admin adds two experts; one works for the card's enterprise.
        page = journey.page
        journey.login("admin")
        add_expert(page, base, CLEAN, **{"工作单位": "淄博市安全生产技术服务中心"})
        journey.shot("clean-expert")
        add_expert(page, base, CONFLICTED, **{"工作单位为本区在册企业时": enterprise})
        expect(value_of(page, "工作单位（在册企业）")).to_have_text(enterprise)
        page.get_by_label("核查与该企业的利益冲突").fill(enterprise)
        page.get_by_role("button", name="核查").click()
        expect(page.locator("ul.warn[role=status]")).to_contain_text(f"受雇于{enterprise}")
        journey.shot("conflicted-expert")
        page.get_by_role("navigation").get_by_role("link", name="专家库").click()
        page.get_by_label("姓名或工作单位").fill("e2e")
        page.get_by_role("button", name="查询").click()
        expect(page.locator("table tbody tr")).to_have_count(2)
        journey.shot("pool-list")

        # The conflicted expert is refused in place, with the reason; nothing changes.
        tp.reload()
        before = value_of(tp, "评估专家").inner_text()
        tp.get_by_role("link", name="指派评估专家").click()
        options = tp.get_by_label("评估专家")
        expect(options.locator("optgroup").first).to_have_attribute("label", re.compile("推荐"))
        options.select_option(label=CONFLICTED[1])
        tp.get_by_role("button", name="指派评估专家").click()
        expect(tp.locator(".field-error")).to_contain_text(f"利益回避：该专家受雇于{enterprise}")
        town.shot("conflict-refused")
        tp.goto(base + href)
        expect(value_of(tp, "评估专家")).to_have_text(before)

        # The clean expert is assigned.
        tp.get_by_role("link", name="指派评估专家").click()
        tp.get_by_label("评估专家").select_option(label=CLEAN[1])
        tp.get_by_role("button", name="指派评估专家").click()
        expect(tp.get_by_text("已完成：指派评估专家")).to_be_visible()
        expect(value_of(tp, "评估专家")).to_have_text(CLEAN[1])
        town.shot("assigned")
        other.close()
        assert town.outside_requests == []

        # The expert sees that card, and only that card.
        second = browser.new_context()
        expert = type(journey)(second.new_page(), base, journey.name + "-expert")
        expert.login(CLEAN[0])
        ep = expert.page
        ep.get_by_role("navigation").get_by_role("link", name="我的评估任务").click()
        rows = ep.locator("table tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(card_no)
        expert.shot("my-assignments")
        rows.first.get_by_role("link").click()
        expect(ep.get_by_role("heading", level=1)).to_contain_text(card_no)
        expect(ep.get_by_role("link", name="专家评估通过")).to_be_visible()
        expert.shot("assigned-card")
        ep.goto(base + "/hazards/")
        expect(ep.locator("table tbody tr")).to_have_count(1)
        expect(ep.locator("table tbody")).to_contain_text(card_no)
        other_card = int(href.strip("/").split("/")[-1]) + 1
        response = ep.goto(f"{base}/hazards/{other_card}/")
        assert response is not None and response.status == 404
        assert ep.goto(base + "/experts/").status == 403
        expert.shot("others-hidden")
        second.close()
        assert expert.outside_requests == []
