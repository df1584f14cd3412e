"""Load mix for `bench/run.py`: officers reading the ledger, cards and work lists and marking
their notifications read; enterprise safety managers reporting rectification progress (an
audited write to a card, which also moves the ledger's count cache on). Sessions come from
run.py. A response that lands on the login page counts as a failure, so an expired or foreign
session cannot pass for a fast page."""

from __future__ import annotations

import os
import random
import re
from typing import Any

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CARD_LINK = re.compile(r'href="/hazards/(\d+)/"')
TERRITORY = os.environ.get("HL_TERRITORY", "")


def _call(user: HttpUser, method: str, url: str, name: str, **kwargs: Any) -> str:
    with user.client.request(method, url, name=name, catch_response=True, **kwargs) as response:
        if "/login/" in response.url:
            response.failure("redirected to the login page")
        elif response.status_code != 200:
            response.failure(f"HTTP {response.status_code}")
        return response.text


class Officer(HttpUser):
    weight = 4
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        name = random.choice(["HL_ADMIN_SESSION", "HL_TOWN_SESSION"])
        self.client.cookies.set("sessionid", os.environ[name])
        self.card_ids: list[int] = []

    @task(4)
    def ledger(self) -> None:
        text = _call(self, "GET", "/hazards/?sort=-found_on", "/hazards/")
        self.card_ids = [int(x) for x in CARD_LINK.findall(text)]

    @task(2)
    def ledger_filtered(self) -> None:
        url = f"/hazards/?territory={TERRITORY}&status=rectifying&overdue=on&sort=deadline"
        _call(self, "GET", url, "/hazards/?filters")

    @task(3)
    def card(self) -> None:
        if self.card_ids:
            pk = random.choice(self.card_ids)
            _call(self, "GET", f"/hazards/{pk}/", "/hazards/[id]/")

    @task(2)
    def mywork(self) -> None:
        _call(self, "GET", "/hazards/mine/", "/hazards/mine/")

    @task(1)
    def mark_read(self) -> None:
        page = _call(self, "GET", "/hazards/notifications/", "/hazards/notifications/")
        match = CSRF.search(page)
        token = match.group(1) if match else self.client.cookies.get("csrftoken", "")
        _call(
            self,
            "POST",
            "/hazards/notifications/read/",
            "/hazards/notifications/read/ POST",
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/hazards/notifications/"},
        )


class EnterpriseManager(HttpUser):
    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", os.environ["HL_ENTERPRISE_SESSION"])
        self.card_ids: list[int] = []

    @task(2)
    def own_ledger(self) -> None:
        text = _call(self, "GET", "/hazards/?status=rectifying", "/hazards/?own")
        self.card_ids = [int(x) for x in CARD_LINK.findall(text)]

    @task(1)
    def report_progress(self) -> None:
        if not self.card_ids:
            return
        url = f"/hazards/{random.choice(self.card_ids)}/report_progress/"
        page = _call(self, "GET", url, "/hazards/[id]/report_progress/")
        match = CSRF.search(page)
        if not match:
            return
        _call(
            self,
            "POST",
            url,
            "/hazards/[id]/report_progress/ POST",
            data={"csrfmiddlewaretoken": match.group(1), "text": "已完成部分整改，继续推进。"},
            headers={"Referer": f"{self.host}{url}"},
        )
