"""Notification letters: rendered from the template with the active policy's words, their
distribution recorded, coverage per territory and industry."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from docx import Document

from hazardledger.lib.workflow import GuardFailed
from hazardledger.tipoffs import services


def text_of(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


class LetterTestCase:
    def test_it_renders_the_template_with_the_policy(self, kit):
        letter = services.letter_create(actor=kit.d.hank, enterprise=kit.ent_a)
        text = text_of(services.letter_render(letter))
        assert "甲镇建筑公司全体从业人员" in text and "6800001" in text and "24 小时" in text
        assert "非法违法生产经营建设" in text and "{{" not in text and "{%" not in text

    def test_it_renders_per_industry(self, kit):
        letter = services.letter_create(actor=kit.d.alice, industry=kit.d.chemicals)
        assert "危险化学品行业全体从业人员" in text_of(services.letter_render(letter))

    def test_it_needs_exactly_one_target_and_the_role(self, kit):
        with pytest.raises(GuardFailed):
            services.letter_create(actor=kit.d.hank)
        with pytest.raises(PermissionDenied):
            services.letter_create(actor=kit.d.eve, enterprise=kit.ent_a)

    def test_it_records_distribution_and_coverage(self, kit):
        letter = services.letter_create(actor=kit.d.hank, industry=kit.d.building)
        services.distribution_record(
            actor=kit.d.tom,
            letter=letter,
            enterprise=kit.ent_a,
            distributed_on=timezone.localdate(),
            copies=30,
            workers_reached=28,
        )
        rows = {r["name"]: r for r in services.coverage(kit.d.alice, "territory")}
        assert rows["甲镇"]["covered"] == 1 and rows["甲镇"]["workers"] == 28
        assert rows["乙街道"]["covered"] == 0 and rows["乙街道"]["percent"] == 0
        industries = {r["name"]: r for r in services.coverage(kit.d.alice, "industry")}
        assert industries["建筑施工"]["percent"] == 100

    @pytest.mark.parametrize(
        "changes, field",
        [
            ({"copies": -1}, "copies"),
            ({"copies": 10**30}, "copies"),
            ({"distributed_on": "2026-02-30"}, "distributed_on"),
        ],
    )
    def test_it_refuses_bad_distribution_data(self, kit, changes, field):
        letter = services.letter_create(actor=kit.d.hank, enterprise=kit.ent_a)
        values = {
            "distributed_on": timezone.localdate(),
            "copies": 1,
            "workers_reached": 1,
            **changes,
        }
        with pytest.raises(GuardFailed) as caught:
            services.distribution_record(
                actor=kit.d.hank, letter=letter, enterprise=kit.ent_a, **values
            )
        assert field in caught.value.fields

    def test_it_refuses_the_wrong_enterprise_for_the_letter(self, kit):
        letter = services.letter_create(actor=kit.d.hank, industry=kit.d.building)
        with pytest.raises(GuardFailed):
            services.distribution_record(
                actor=kit.d.hank,
                letter=letter,
                enterprise=kit.ent_b,
                distributed_on=timezone.localdate(),
                copies=1,
                workers_reached=1,
            )

    def test_it_downloads_from_the_page(self, kit, client_for):
        letter = services.letter_create(actor=kit.d.hank, enterprise=kit.ent_a)
        client = client_for(kit.d.tom)
        page = client.get(reverse("tipoffs:letters"))
        assert page.status_code == 200 and "甲镇建筑公司" in page.content.decode()
        response = client.get(reverse("tipoffs:letter_download", args=[letter.pk]))
        assert response.status_code == 200 and "6800001" in text_of(response.content)
        assert (
            client_for(kit.d.tina)
            .get(reverse("tipoffs:letter_download", args=[letter.pk]))
            .status_code
            == 404
        )
