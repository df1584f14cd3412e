"""The card page, the printable card, my work, the explanation page, navigation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hazardledger.hazards.models import HazardStatus
from hazardledger.hazards.workflow import ACTIONS

S = HazardStatus


class CardPageTestCase:
    @pytest.mark.parametrize("status", S.values)
    def test_it_renders_every_status_for_every_viewer(self, kit, login, status):
        card = kit.card(status, level="major", is_supervised=True, production_suspended=True)
        for name in ("alice", "tom", "dora", "eve", "xena", "leo", "sam"):
            user = getattr(kit.district, name)
            response = login(user).get(reverse("hazards:detail", args=[card.pk]))
            if name == "xena" and status != S.EVALUATING:
                assert response.status_code == 404
                continue
            assert response.status_code == 200
            assert card.card_no in response.content.decode()

    def test_it_offers_each_role_its_own_actions(self, kit, login):
        card = kit.card(S.ACCEPTANCE_PENDING)
        tom = login(kit.district.tom).get(reverse("hazards:detail", args=[card.pk]))
        eve = login(kit.district.eve).get(reverse("hazards:detail", args=[card.pk]))
        accept = reverse("hazards:action", args=[card.pk, "accept"])
        assert accept in tom.content.decode() and accept not in eve.content.decode()

    def test_it_shows_the_missing_must_haves_and_the_policy_steps(self, kit, login):
        card = kit.card(S.CONFIRMED, level="major", materials="", funds_yuan=None)
        page = login(kit.district.eve).get(reverse("hazards:detail", args=[card.pk]))
        text = page.content.decode()
        assert "尚缺：整改资金、治理物资" in text
        assert "专家评估中 → 待验收 → 已销号" in text

    def test_it_shows_the_action_form_with_its_condition(self, kit, login):
        card = kit.card(S.RECTIFYING)
        page = (
            login(kit.district.eve)
            .get(reverse("hazards:action", args=[card.pk, "request_extension"]))
            .content.decode()
        )
        assert "临时管控措施" in page and "到期前" in page


class PrintCardTestCase:
    def test_it_prints_an_a4_card_with_a_qr_code_of_the_card_url(self, kit, login):
        card = kit.card(S.RECTIFYING, level="major")
        response = login(kit.district.tom).get(reverse("hazards:print", args=[card.pk]))
        page = response.content.decode()
        assert response.status_code == 200 and "hazard-card.css" in page
        assert card.card_no in page and "五落实" in page and "扫码查看（需登录）" in page
        assert re.search(r'<img src="data:image/svg\+xml[^"]+" alt="扫码查看隐患卡片"', page)
        assert response.context["url"].endswith(reverse("hazards:detail", args=[card.pk]))
        assert "<script>" not in page and "style=" not in page

    def test_it_keeps_the_qr_target_behind_login(self, kit, client):
        card = kit.card()
        response = client.get(reverse("hazards:detail", args=[card.pk]))
        assert response.status_code == 302 and reverse("login") in response["Location"]


class MyWorkTestCase:
    def test_it_lists_what_waits_for_each_role(self, kit, login):
        d = kit.district
        registered = kit.card(S.REGISTERED)
        pending = kit.card(S.ACCEPTANCE_PENDING)
        confirmed = kit.card(S.CONFIRMED)
        evaluating = kit.card(S.EVALUATING, level="major")
        overdue = kit.card(S.RECTIFYING, deadline=timezone.localdate() - timedelta(days=2))
        extension = kit.card(S.RECTIFYING)
        kit.pending_extension(extension)

        def page(user):
            return login(user).get(reverse("hazards:mywork")).content.decode()

        tom = page(d.tom)
        for card in (registered, pending, overdue, extension):
            assert card.card_no in tom
        eve = page(d.eve)
        assert confirmed.card_no in eve and overdue.card_no in eve
        assert evaluating.card_no in page(d.xena) and registered.card_no not in page(d.xena)
        assert "已逾期" in page(d.alice) and overdue.card_no in page(d.alice)
        assert registered.card_no not in page(d.tina)


class ExplanationPageTestCase:
    def test_it_renders_the_transition_table(self, kit, login):
        page = login(kit.district.eve).get(reverse("hazards:workflow")).content.decode()
        for label in ACTIONS.values():
            assert str(label) in page
        assert "镇街监管人员、部门监管人员" in page or "部门监管人员、镇街监管人员" in page


class NavigationTestCase:
    def test_it_registers_the_ledger_my_work_and_messages(self, kit, login):
        page = login(kit.district.eve).get(reverse("home")).content.decode()
        for name in ("hazards:ledger", "hazards:mywork", "hazards:notifications"):
            assert reverse(name) in page


class SourceReferenceTestCase:
    def test_it_shows_a_reference_without_an_inspection_as_text(self, kit, login):
        hazard = kit.card(source="tipoff", source_ref="举报编号 JB-2026-0007")
        html = login(kit.district.tom).get(reverse("hazards:detail", args=[hazard.pk]))
        assert "（举报编号 JB-2026-0007）" in html.content.decode()
