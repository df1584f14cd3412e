"""Load mix for `bench/run.py`: officers reading the ledger, cards and work lists and marking
their notifications read; the district admin listing and lifting 挂牌督办 on open cards (an
audited write to a counted field, so it moves the ledger's count cache on); enterprise safety
managers reporting rectification progress (an audited write that leaves the counts valid).
Sessions come from run.py. A response that lands on the login page counts as a failure, so an
expired or foreign session cannot pass for a fast page."""

from __future__ import annotations

import os
import random
import re
from typing import Any

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CARD_LINK = re.compile(r'href="/hazards/(\d+)/"')
SUPERVISION = re.compile(r'href="/hazards/\d+/((?:de)?list_supervised)/"')
TERRITORY = os.environ.get("HL_TERRITORY", "")


def _call(
    user: HttpUser, method: str, url: str, name: str, ok: tuple[int, ...] = (200,), **kwargs: Any
) -> str:
    with user.client.request(method, url, name=name, catch_response=True, **kwargs) as response:
        if "/login/" in response.url:
            response.failure("redirected to the login page")
        elif response.status_code not in ok:
            response.failure(f"HTTP {response.status_code}")
        else:
            response.success()  # an expected refusal (in `ok`) is not an error
        return response.text


def _submit(
    user: HttpUser,
    form_url: str,
    name: str,
    data: dict[str, str],
    *,
    post_to: str = "",
    ok: tuple[int, ...] = (200,),
    any_page: bool = False,
) -> None:
    """GET the page holding a form, then POST it with its CSRF token, as a browser does. A page
    without the form means the step is not offered now (skipped), unless `any_page`: then the
    cookie's token serves."""
    page = _call(user, "GET", form_url, name)
    match = CSRF.search(page)
    if not match and not any_page:
        return
    token = match.group(1) if match else user.client.cookies.get("csrftoken", "")
    target = post_to or form_url
    _call(
        user,
        "POST",
        target,
        f"{target if post_to else name} POST",
        ok=ok,
        data={"csrfmiddlewaretoken": token, **data},
        headers={"Referer": f"{user.host}{form_url}"},
    )


class Officer(HttpUser):
    weight = 4
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        name = random.choice(["HL_ADMIN_SESSION", "HL_TOWN_SESSION"])
        self.client.cookies.set("sessionid", os.environ[name])
        self.is_admin = name == "HL_ADMIN_SESSION"
        self.card_ids: list[int] = []
        self.open_ids: list[int] = []

    @task(4)
    def ledger(self) -> None:
        text = _call(self, "GET", "/hazards/?sort=-found_on", "/hazards/")
        self.card_ids = [int(x) for x in CARD_LINK.findall(text)]

    @task(2)
    def ledger_filtered(self) -> None:
        url = f"/hazards/?territory={TERRITORY}&status=rectifying&overdue=on&sort=deadline"
        text = _call(self, "GET", url, "/hazards/?filters")
        self.open_ids = [int(x) for x in CARD_LINK.findall(text)]

    @task(3)
    def card(self) -> None:
        if self.card_ids:
            pk = random.choice(self.card_ids)
            _call(self, "GET", f"/hazards/{pk}/", "/hazards/[id]/")

    @task(2)
    def mywork(self) -> None:
        _call(self, "GET", "/hazards/mine/", "/hazards/mine/")

    @task(1)
    def supervise(self) -> None:
        """The card page offers 挂牌督办 or 解除挂牌督办 to the admin; post whichever it offers."""
        if not (self.is_admin and self.open_ids):
            return
        pk = random.choice(self.open_ids)
        found = SUPERVISION.search(_call(self, "GET", f"/hazards/{pk}/", "/hazards/[id]/"))
        if not found:
            return
        action = found.group(1)
        if action == "list_supervised":
            data = {"supervision_level": "district", "supervision_doc_no": "周安办督〔2026〕9号"}
        else:
            data = {"reason": "已落实监控措施"}
        # Two admins may toggle the same card at once: the later one is refused (422).
        _submit(
            self, f"/hazards/{pk}/{action}/", "/hazards/[id]/(de)list_supervised/", data,
            ok=(200, 422),
        )  # fmt: skip

    @task(1)
    def mark_read(self) -> None:
        _submit(
            self, "/hazards/notifications/", "/hazards/notifications/", {},
            post_to="/hazards/notifications/read/", any_page=True,
        )  # fmt: skip


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
        _submit(self, url, "/hazards/[id]/report_progress/", {"text": "已完成部分整改，继续推进。"})
