"""Load mix for `bench/run.py`: officers reading the ledger, cards and work lists,
and marking their notifications read (a write with CSRF). Sessions come from run.py."""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TERRITORY = os.environ.get("HL_TERRITORY", "")


class Officer(HttpUser):
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
