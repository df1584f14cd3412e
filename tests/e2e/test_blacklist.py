"""Journey over the blacklist in the demo district: a town officer proposes and notifies, the
objection window passes (moved into the past in the data), a district leader who is not the
proposer approves, the office publishes, the entry is on the public register without login,
and a second leader revokes it, which takes it off the register at once."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, Journey


@pytest.fixture
def shell(server, tmp_path_factory):
    """Run Python against the journey server's database (the demo data folder)."""
    (data,) = tmp_path_factory.getbasetemp().glob("e2e-data[0-9]*")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "HAZARDLEDGER_DEMO": "1",
        "HAZARDLEDGER_DATA_DIR": str(data),
    }

    def run(code: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        # The last line: the shell may first say what it imported.
        return done.stdout.strip().splitlines()[-1]

    return run


def _person(browser, journey: Journey, username: str) -> Journey:
    context = browser.new_context()
    person = Journey(context.new_page(), journey.base, f"{journey.name}-{username}")
    person.page.on("dialog", lambda dialog: dialog.accept())  # yes to every confirmation
    person.login(username)
    return person


FREE_ENTERPRISE = (
    "from hazardledger.enterprises.models import Enterprise;"
    "print(Enterprise.objects.filter(territory__code='T-BJZ', status='operating',"
    " blacklist_entries__isnull=True, accounts__isnull=True)"
    ".order_by('-credit_code').values_list('credit_code', flat=True)[0])"
)
WINDOW_PASSES = (
    "from datetime import timedelta; from django.utils import timezone;"
    "from hazardledger.blacklist.models import Entry; d = timezone.localdate();"
    "print(Entry.objects.filter(pk={pk}).update(notified_on=d - timedelta(days=10),"
    " objection_deadline=d - timedelta(days=5)))"
)


class BlacklistJourneyTestCase:
    def test_it_lists_publishes_and_removes_an_enterprise(self, journey, browser, shell):
        code = shell(FREE_ENTERPRISE)
        town = _person(browser, journey, "town")
        page = town.page
        page.goto(journey.base + "/blacklist/new/")
        page.get_by_label("企业统一社会信用代码").fill(code)
        page.get_by_label("列入事由（违法失信事实）").fill(
            "重大事故隐患挂牌督办期间拒不整改，擅自恢复生产"
        )
        page.get_by_label("列入依据").fill("《安全生产严重失信主体名单管理办法》第六条")
        town.shot("propose")
        page.get_by_role("button", name="提出拟列入").click()
        expect(page.locator("h1")).to_contain_text("拟列入")
        pk = int(page.url.rstrip("/").rsplit("/", 1)[1])
        page.get_by_role("link", name="告知企业").click()
        page.get_by_label("告知方式").select_option("document")
        page.get_by_role("button", name="告知企业").click()
        expect(page.locator("h1")).to_contain_text("已告知")
        town.shot("notified")
        # The proposer is offered no approval, and the public sees nothing yet.
        expect(page.get_by_role("link", name="批准列入")).to_have_count(0)

        leader = _person(browser, journey, "leader")
        entry_url = f"{journey.base}/blacklist/{pk}/"
        leader.page.goto(entry_url)
        leader.page.get_by_role("link", name="批准列入").click()
        leader.page.get_by_label("列入决定文号").fill("周应急失信决〔2026〕99号")
        leader.page.get_by_role("button", name="批准列入").click()
        expect(leader.page.get_by_role("alert")).to_contain_text("陈述申辩期")
        leader.shot("window-not-over")

        assert shell(WINDOW_PASSES.format(pk=pk)) == "1"
        leader.page.goto(entry_url)
        leader.page.get_by_role("link", name="批准列入").click()
        leader.page.get_by_label("列入决定文号").fill("周应急失信决〔2026〕99号")
        leader.page.get_by_role("button", name="批准列入").click()
        expect(leader.page.locator("h1")).to_contain_text("已决定列入")
        leader.shot("approved")

        public_context = browser.new_context()
        public = Journey(public_context.new_page(), journey.base, journey.name + "-public")
        register = f"{journey.base}/public/blacklist/?q={code}"
        # Each look at the register is its own address: the page may be cached for a minute.
        public.page.goto(register + "&look=1")
        expect(public.page.locator(f'tr[data-entry="{pk}"]')).to_have_count(0)

        admin = _person(browser, journey, "admin")
        admin.page.goto(entry_url)
        admin.page.get_by_role("link", name="公示").click()
        admin.page.get_by_role("button", name="公示").click()
        expect(admin.page.locator("h1")).to_contain_text("已公示")
        admin.shot("published")

        response = public.page.goto(register + "&look=2")
        assert response.headers["referrer-policy"] == "no-referrer"
        row = public.page.locator(f'tr[data-entry="{pk}"]')
        expect(row).to_contain_text(code)
        expect(row).to_contain_text("周应急失信决〔2026〕99号")
        public.shot("on-public-register")

        second = _person(browser, journey, "leader2")
        second.page.goto(entry_url)
        second.page.get_by_role("link", name="撤销列入").click()
        second.page.get_by_label("意见或理由").fill("经复核，处罚决定已被依法撤销")
        second.page.get_by_role("button", name="撤销列入").click()
        expect(second.page.locator("h1")).to_contain_text("已移出")
        second.shot("revoked")

        public.page.goto(register + "&look=3")
        expect(public.page.locator(f'tr[data-entry="{pk}"]')).to_have_count(0)
        expect(public.page.locator("#public-register")).to_contain_text("不在公示名单中")
        public.shot("off-public-register")
        for person in (town, leader, admin, second, public):
            assert person.outside_requests == []
            person.page.context.close()
