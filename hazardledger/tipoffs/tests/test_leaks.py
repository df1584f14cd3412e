"""No reporter name, phone, ID number or receipt code in any log line, URL, audit payload or
database column in plaintext, through submit, lookup, handling, reveal and reward (T4)."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from hazardledger.audit.models import AuditEvent
from hazardledger.tipoffs import services
from hazardledger.tipoffs.models import Reward, TipOff

from .conftest import ID_NUMBER, NAME, PHONE, jpeg_with_gps, upload

SECRETS_ = {"name": NAME, "phone": PHONE, "id_number": ID_NUMBER}


def forms_of(text: str) -> list[bytes]:
    """The ways a value can sit in storage: UTF-8, JSON-escaped, UTF-16."""
    escaped = json.dumps(text)[1:-1]
    return [text.encode(), escaped.encode(), text.encode("utf-16-le")]


def sqlite_bytes() -> bytes:
    """Every row of the test database as SQL text."""
    connection.ensure_connection()
    return "\n".join(connection.connection.iterdump()).encode()


def raw_pages() -> bytes:
    """The database file's bytes, free pages included (the same connection, so the test's
    open transaction is seen as it is)."""
    connection.ensure_connection()
    return bytes(connection.connection.serialize())


@pytest.mark.django_db(transaction=False)
class NoLeakTestCase:
    def run_everything(self, kit, client, client_for, urls: list[str]) -> str:
        """Submit on the public page, look it up, handle it, reveal, reward, claim."""
        response = client.post(
            reverse("public:submit"),
            {
                "kind": "hazard",
                "subject": "甲镇建筑公司",
                "description": "脚手架没有安全网",
                "name": NAME,
                "phone": PHONE,
                "id_number": ID_NUMBER,
                "files": [upload(jpeg_with_gps())],
            },
        )
        urls.append(reverse("public:submit"))
        code = (
            re.search(r'id="receipt-code"><strong>([\d ]+)</strong>', response.content.decode())
            .group(1)
            .replace(" ", "")
        )
        tipoff = TipOff.objects.get()
        for attempt in ("0000000000000000", code):
            client.post(reverse("public:status"), {"receipt_code": attempt})
        urls.append(reverse("public:status"))
        hank = client_for(kit.d.hank)
        assign = reverse("tipoffs:act", args=[tipoff.pk, "assign"])
        hank.post(assign, {"territory": kit.d.town_a.pk, "department": kit.d.dept_a.pk})
        urls.append(assign)
        tipoff.refresh_from_db()
        assert tipoff.status == "assigned"
        services.tipoff_accept(actor=kit.d.tom, tipoff=tipoff)
        services.tipoff_verify(
            actor=kit.d.tom,
            tipoff=tipoff,
            data={"verification": "true", "verification_note": "属实", "severity": "general"},
        )
        request = services.reveal_request(actor=kit.d.hank, tipoff=tipoff, reason="领奖核对")
        services.reveal_decide(actor=kit.d.cora, request=request, approve=True)
        identity_url = reverse("tipoffs:identity", args=[tipoff.pk])
        shown = client_for(kit.d.hank).post(identity_url)
        urls.append(identity_url)
        assert NAME in shown.content.decode()  # the approved reader does see it
        reward = services.reward_propose(actor=kit.d.hank, tipoff=tipoff, amount_yuan=500)
        services.reward_approve(actor=kit.d.alice, reward=reward)
        page = client.post(reverse("public:status"), {"receipt_code": code})
        token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
        client.post(reverse("public:claim"), {"token": token})
        urls.append(reverse("public:claim"))
        reward.refresh_from_db()
        services.reward_pay(
            actor=kit.d.hank,
            reward=Reward.objects.get(pk=reward.pk),
            method="cash",
            paid_on=timezone.localdate(),
            voucher_no="PZ-9",
        )
        api = client.post(
            "/api/v1/public/tipoffs/status", {"receipt_code": code}, content_type="application/json"
        )
        urls.append("/api/v1/public/tipoffs/status")
        assert api.status_code == 200
        return code

    def test_it_leaks_nothing(self, kit, client, client_for, caplog, settings):
        caplog.set_level(logging.DEBUG)
        settings.DEBUG = False
        urls: list[str] = []
        code = self.run_everything(kit, client, client_for, urls)
        secrets_ = {**SECRETS_, "receipt code": code}

        logs = "\n".join(r.getMessage() + " " + str(r.args) for r in caplog.records)
        dump = io.StringIO()
        call_command("dumpdata", stdout=dump)
        audit = json.dumps(
            list(AuditEvent.objects.values("changes", "reason", "object_repr")), ensure_ascii=False
        )
        places = {
            "logs": logs.encode(),
            "urls": " ".join(urls).encode(),
            "dumpdata": dump.getvalue().encode(),
            "audit": audit.encode(),
            "sql dump": sqlite_bytes() if connection.vendor == "sqlite" else b"",
            "db pages": raw_pages() if connection.vendor == "sqlite" else b"",
        }
        for what, value in secrets_.items():
            for place, haystack in places.items():
                for form in forms_of(value):
                    assert form not in haystack, f"{what} found in {place}"
        assert AuditEvent.objects.filter(action="tipoff.identity_view").count() == 1
        # The run really went through: the grep would prove nothing otherwise.
        assert Reward.objects.get().status == "paid"
        # And the grep would find a plaintext value: the report's own text is stored plain.
        control = "脚手架没有安全网".encode()
        assert control in places["dumpdata"]
        if connection.vendor == "sqlite":
            assert control in places["db pages"] and control in places["sql dump"]
