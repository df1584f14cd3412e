"""The hazards section of the enterprise page and the printed dossier (一企一档)."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hazardledger.hazards.dossier import SECTION_ROWS
from hazardledger.hazards.models import HazardStatus

S = HazardStatus


def page(client, enterprise, name="enterprises:detail") -> str:
    response = client.get(reverse(name, args=[enterprise.credit_code]))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str) -> str:
    start = html.index('id="section-hazards"')
    return html[start : html.index("</section>", start)]


class EnterpriseSectionTestCase:
    def test_it_lists_the_enterprises_own_cards_with_counts(self, kit, login):
        mine = kit.card(S.RECTIFYING, deadline=timezone.localdate() - timedelta(days=2))
        kit.card(S.CLOSED)
        other = kit.card(enterprise=kit.ent_b)
        html = section(page(login(kit.district.alice), kit.ent_a))
        assert mine.card_no in html and other.card_no not in html
        assert "共 2 条隐患，其中逾期 1 条" in html
        assert "整改中 1" in html and "已销号 1" in html
        assert f'href="/hazards/?enterprise={kit.ent_a.pk}"' in html

    def test_it_offers_registration_for_this_enterprise_to_those_who_register(self, kit, login):
        quick = f'href="/hazards/quick/?enterprise={kit.ent_a.pk}"'
        assert quick in section(page(login(kit.district.tom), kit.ent_a))
        assert quick in section(page(login(kit.district.eve), kit.ent_a))
        assert quick not in section(page(login(kit.district.alice), kit.ent_a))

    def test_the_link_opens_the_quick_form_with_the_enterprise_chosen(self, kit, login):
        client = login(kit.district.tom)
        response = client.get(reverse("hazards:quick"), {"enterprise": kit.ent_a.pk})
        assert response.status_code == 200
        assert kit.ent_a.name in response.content.decode()

    def test_it_says_so_when_there_are_none(self, kit, login):
        html = section(page(login(kit.district.tom), kit.ent_a))
        assert "该企业没有登记过隐患" in html

    def test_it_shows_the_newest_and_links_to_the_rest(self, kit, login):
        today = timezone.localdate()
        cards = [kit.card(found_on=today - timedelta(days=i)) for i in range(SECTION_ROWS + 3)]
        html = section(page(login(kit.district.alice), kit.ent_a))
        assert cards[0].card_no in html and cards[SECTION_ROWS - 1].card_no in html
        assert cards[SECTION_ROWS].card_no not in html
        assert f"以上是最近 {SECTION_ROWS} 条，在台账中查看全部" in html
        ledger = login(kit.district.alice).get(
            reverse("hazards:ledger"), {"enterprise": kit.ent_a.pk}
        )
        assert {r["card_no"] for r in ledger.context["rows"]} == {c.card_no for c in cards}

    def test_it_is_in_the_printed_dossier(self, kit, login):
        card = kit.card()
        assert card.card_no in section(
            page(login(kit.district.alice), kit.ent_a, "enterprises:dossier")
        )

    def test_its_queries_do_not_grow_with_the_cards(self, kit, login):
        client = login(kit.district.alice)
        kit.card()
        page(client, kit.ent_a)
        with CaptureQueriesContext(connection) as few:
            page(client, kit.ent_a)
        for _ in range(15):
            kit.card(enterprise=kit.ent_a)
        with CaptureQueriesContext(connection) as many:
            page(client, kit.ent_a)
        assert len(many) == len(few)

    def test_its_rows_leave_out_what_is_the_enterprises_own(self, kit, login):
        import re

        kit.card()
        client = login(kit.district.alice)
        html = section(page(client, kit.ent_a))
        heads = re.findall(r'<th scope="col">([^<]+)</th>', html)
        assert heads == ["隐患编号", "隐患描述", "级别", "发现时间", "整改时限", "状态"]
        row = html[html.index("<tbody>") : html.index("</tbody>")]
        assert row.count("<td>") == len(heads) and kit.ent_a.name not in row
        ledger = client.get(reverse("hazards:ledger")).content.decode()
        body = ledger[ledger.index("<tbody>") : ledger.index("</tr>", ledger.index("<tbody>"))]
        assert body.count("<td>") == 9 and kit.ent_a.name in body
