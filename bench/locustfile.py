"""Load mix for `bench/run.py`: officers reading the ledger, cards and work lists and marking
their notifications read; enterprise safety managers reporting rectification progress (an
audited write to a card, which also moves the ledger's count cache on). Sessions come from
run.py."""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TERRITORY = os.environ.get("HL_TERRITORY", "")


class Officer(HttpUser):
    weight = 4
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        name = random.choice(["HL_ADMIN_SESSION", "HL_TOWN_SESSION"])
        self.client.cookies.set("sessionid", os.environ[name])
        self.card_ids: list[int] = []

    @task(4)
    def ledger(self) -> None:
        response = self.client.get("/hazards/?sort=-found_on", name="/hazards/")
        self.card_ids = [int(x) for x in re.findall(r'href="/hazards/(\d+)/"', response.text)]

    @task(2)
    def ledger_filtered(self) -> None:
        url = f"/hazards/?territory={TERRITORY}&status=rectifying&overdue=on"
        self.client.get(url, name="/hazards/?filters")

    @task(3)
    def card(self) -> None:
        if self.card_ids:
            pk = random.choice(self.card_ids)
            self.client.get(f"/hazards/{pk}/", name="/hazards/[id]/")

    @task(2)
    def mywork(self) -> None:
        self.client.get("/hazards/mine/")

    @task(1)
    def mark_read(self) -> None:
        page = self.client.get("/hazards/notifications/")
        match = CSRF.search(page.text)
        token = match.group(1) if match else self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/hazards/notifications/read/",
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/hazards/notifications/", "X-CSRFToken": token},
        )


class EnterpriseManager(HttpUser):
    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", os.environ["HL_ENTERPRISE_SESSION"])
        self.card_ids: list[int] = []

    @task(2)
    def own_ledger(self) -> None:
        response = self.client.get("/hazards/?status=rectifying", name="/hazards/?own")
        self.card_ids = [int(x) for x in re.findall(r'href="/hazards/(\d+)/"', response.text)]

    @task(1)
    def report_progress(self) -> None:
        if not self.card_ids:
            return
        url = f"/hazards/{random.choice(self.card_ids)}/report_progress/"
        page = self.client.get(url, name="/hazards/[id]/report_progress/")
        match = CSRF.search(page.text)
        if not match:
            return
        self.client.post(
            url,
            data={"csrfmiddlewaretoken": match.group(1), "text": "已完成部分整改，继续推进。"},
            headers={"Referer": f"{self.host}{url}"},
            name="/hazards/[id]/report_progress/ POST",
        )
