"""The ledger: scope, filters, keyset pagination, counts, query count, date conditions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hazardledger.hazards import selectors
from hazardledger.hazards.models import Hazard, HazardStatus
from hazardledger.policy.services import active_policy

S = HazardStatus


def ledger(client, **params):
    response = client.get(reverse("hazards:ledger"), params)
    assert response.status_code == 200
    return response


def fresh(user):
    """A client logged in now (a session from before a time jump would have expired)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def every_page(qs, sort: str) -> list[int]:
    """The ids of every page of three, following the cursors to the end."""
    seen, cursor = [], ""
    while True:
        rows, cursor = selectors.ledger_page(qs, sort=sort, cursor=cursor, size=3)
        seen += [r.pk for r in rows]
        if not cursor:
            return seen


def numbers(response) -> list[str]:
    return [h["card_no"] for h in response.context["rows"]]


class ScopeTestCase:
    def test_it_shows_each_person_only_their_cards(self, kit, login):
        d = kit.district
        a, b = kit.card(), kit.card(enterprise=kit.ent_b)
        assert set(numbers(ledger(login(d.tom)))) == {a.card_no}
        assert set(numbers(ledger(login(d.tina)))) == {b.card_no}
        assert set(numbers(ledger(login(d.dora)))) == {a.card_no}
        assert set(numbers(ledger(login(d.eve)))) == {a.card_no}
        assert set(numbers(ledger(login(d.alice)))) == {a.card_no, b.card_no}
        assert numbers(ledger(login(d.hank))) == []
        assert numbers(ledger(login(d.xena))) == []

    def test_it_answers_404_for_another_towns_card(self, kit, login):
        other = kit.card(enterprise=kit.ent_b)
        client = login(kit.district.tom)
        for name in ("hazards:detail", "hazards:print", "hazards:plan"):
            assert client.get(reverse(name, args=[other.pk])).status_code == 404
        response = client.post(
            reverse("hazards:action", args=[other.pk, "confirm"]), {"level": "general"}
        )
        assert response.status_code == 404
        other.refresh_from_db()
        assert other.status == S.REGISTERED

    def test_it_answers_403_in_scope_without_the_role(self, kit, login):
        card = kit.card()
        client = login(kit.district.eve)
        response = client.post(
            reverse("hazards:action", args=[card.pk, "confirm"]), {"level": "general"}
        )
        assert response.status_code == 403
        assert (
            login(kit.district.tom)
            .get(reverse("hazards:plan", args=[kit.card(S.CONFIRMED).pk]))
            .status_code
            == 403
        )
        assert login(kit.district.carl).get(reverse("hazards:create")).status_code == 403

    def test_it_shows_experts_their_assigned_cards(self, kit, login):
        assigned = kit.card(S.EVALUATING, level="major")
        assert numbers(ledger(login(kit.district.xena))) == [assigned.card_no]

    def test_it_shows_a_transferred_card_to_the_receiving_department(self, kit, district):
        card = kit.card(enterprise=kit.ent_b, department=district.dept_a)
        assert selectors.hazards_visible_to(district.dora).filter(pk=card.pk).exists()

    def test_it_requires_login(self, kit, client):
        response = client.get(reverse("hazards:ledger"))
        assert response.status_code == 302 and reverse("login") in response["Location"]


class FilterTestCase:
    def test_it_filters_by_every_field(self, kit, login):
        d = kit.district
        today = timezone.localdate()
        major = kit.card(S.RECTIFYING, level="major", source="tipoff", is_supervised=True)
        old = kit.card(found_on=today - timedelta(days=100))
        other = kit.card(S.CONFIRMED, enterprise=kit.ent_b)
        client = login(d.alice)
        assert numbers(ledger(client, level="major")) == [major.card_no]
        assert numbers(ledger(client, source="tipoff")) == [major.card_no]
        assert numbers(ledger(client, supervised="on")) == [major.card_no]
        assert numbers(ledger(client, status="confirmed")) == [other.card_no]
        assert numbers(ledger(client, territory=d.town_b.pk)) == [other.card_no]
        assert numbers(ledger(client, industry=d.chemicals.pk)) == [other.card_no]
        assert numbers(ledger(client, department=d.dept_b.pk)) == [other.card_no]
        assert set(numbers(ledger(client, enterprise=kit.ent_a.pk))) == {major.card_no, old.card_no}
        before = (today - timedelta(days=50)).isoformat()
        assert numbers(ledger(client, found_to=before)) == [old.card_no]
        assert old.card_no not in numbers(ledger(client, found_from=before))
        deadline = major.deadline.isoformat()
        assert numbers(
            ledger(client, deadline_from=deadline, deadline_to=deadline, status="rectifying")
        ) == [major.card_no]

    def test_it_explains_bad_filter_dates_in_chinese(self, kit, login):
        response = ledger(
            login(kit.district.alice),
            found_from="2026-13-01",
            deadline_from="2026-05-02",
            deadline_to="2026-05-01",
        )
        page = response.content.decode()
        assert "输入一个有效的日期" in page and "结束日期不能早于开始日期" in page

    def test_it_counts_by_status_in_one_grouped_query(self, kit, district):
        for status in (S.REGISTERED, S.REGISTERED, S.RECTIFYING, S.CLOSED):
            kit.card(status)
        kit.card(S.RECTIFYING, deadline=timezone.localdate() - timedelta(days=1))
        qs = selectors.hazards_visible_to(district.alice)
        with CaptureQueriesContext(connection) as queries:
            counts = selectors.status_counts(qs, today=timezone.localdate())
        assert len(queries) == 1 and "GROUP BY" in queries[0]["sql"]
        by = {code: n for code, _label, n in counts["by_status"]}
        assert by["registered"] == 2 and by["rectifying"] == 2 and by["closed"] == 1
        assert counts["total"] == 5 and counts["overdue"] == 1

    def test_it_remembers_counts_until_the_next_audited_write(self, kit, district):
        from hazardledger.audit.services import record

        kit.card(S.REGISTERED)
        today = timezone.localdate()
        qs = selectors.hazards_visible_to(district.alice)
        assert selectors.status_counts_cached(qs, today=today)["total"] == 1
        kit.card(S.REGISTERED)  # written around the services: no audit event, so not seen
        with CaptureQueriesContext(connection) as queries:
            assert selectors.status_counts_cached(qs, today=today)["total"] == 1
        assert not any("GROUP BY" in q["sql"] for q in queries.captured_queries)
        record(actor=None, action="test.write", object_type="hazards.hazard", object_id=1)
        assert selectors.status_counts_cached(qs, today=today)["total"] == 2
        # Each scope and filter is a key of its own.
        tina = selectors.hazards_visible_to(district.tina)
        assert selectors.status_counts_cached(tina, today=today)["total"] == 0

    def test_it_recounts_a_slow_count_at_most_every_ten_seconds(self, kit, district, monkeypatch):
        from hazardledger.audit.services import record

        monkeypatch.setattr(selectors, "SLOW_COUNT_SECONDS", 0)  # every count is a slow one
        kit.card(S.REGISTERED)
        today = timezone.localdate()
        qs = selectors.hazards_visible_to(district.alice)
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            first = selectors.status_counts_cached(qs, today=today)
        kit.card(S.REGISTERED)
        record(actor=None, action="test.write", object_type="hazards.hazard", object_id=1)
        with time_machine.travel(start + timedelta(seconds=9), tick=False):
            again = selectors.status_counts_cached(qs, today=today)
        assert again["total"] == 1 and again["as_of"] == first["as_of"] == start
        with time_machine.travel(start + timedelta(seconds=10), tick=False):
            later = selectors.status_counts_cached(qs, today=today)
        assert later["total"] == 2 and later["as_of"] == start + timedelta(seconds=10)
        # With no counted write since, even a slow count is kept.
        with time_machine.travel(start + timedelta(seconds=60), tick=False):
            assert selectors.status_counts_cached(qs, today=today)["as_of"] == later["as_of"]

    def test_it_says_when_the_counts_were_taken(self, kit, login):
        kit.card(S.REGISTERED)
        with time_machine.travel(timezone.now().replace(hour=2, minute=3, second=4), tick=False):
            page = ledger(fresh(kit.district.alice)).content.decode()
        assert "统计于 10:03:04" in page  # Asia/Shanghai

    def test_it_totals_the_selected_status_and_lists_every_status(self, kit, login):
        kit.card(S.REGISTERED)
        kit.card(S.RECTIFYING)
        kit.card(S.RECTIFYING, deadline=timezone.localdate() - timedelta(days=2))
        response = ledger(login(kit.district.alice), status="rectifying")
        counts = response.context["counts"]
        assert (counts["total"], counts["overdue"], counts["all"]) == (2, 1, 3)
        assert "共 2 条，其中逾期 1 条" in response.content.decode()
        assert len(response.context["rows"]) == counts["total"]

    def test_it_counts_on_the_first_page_only(self, kit, login):
        for _ in range(3):
            kit.card(S.REGISTERED)
        client = login(kit.district.alice)
        first = ledger(client, size=20)
        assert first.context["counts"]["total"] == 3
        with CaptureQueriesContext(connection) as queries:
            later = ledger(client, size=20, after=selectors.encode_cursor("2099-01-01", 10**9))
        assert later.context["counts"] is None
        sqls = [q["sql"] for q in queries.captured_queries]
        assert not [q for q in sqls if "GROUP BY" in q and 'FROM "hazards_hazard"' in q]


class PaginationTestCase:
    def test_it_pages_by_keyset_without_gaps_or_repeats(self, kit, login):
        today = timezone.localdate()
        cards = [kit.card(found_on=today - timedelta(days=i % 4)) for i in range(23)]
        client = login(kit.district.alice)
        seen, after = [], ""
        for _page in range(5):
            response = (
                ledger(client, size=20, sort="-found_on", after=after)
                if after
                else (ledger(client, size=20, sort="-found_on"))
            )
            seen += numbers(response)
            after = response.context["next_cursor"]
            if not after:
                break
        assert sorted(seen) == sorted(c.card_no for c in cards) and len(seen) == 23
        expected = sorted(cards, key=lambda c: (c.found_on, c.pk), reverse=True)
        assert seen == [c.card_no for c in expected]

    @pytest.mark.parametrize("sort", list(selectors.SORTS))
    def test_it_pages_every_sort_order(self, kit, district, sort):
        cards = [kit.card(found_on=date(2026, 1, 1) + timedelta(days=i % 3)) for i in range(7)]
        qs = selectors.hazards_visible_to(district.alice)
        seen = every_page(qs, sort)
        assert sorted(seen) == sorted(c.pk for c in cards) and len(seen) == 7

    @pytest.mark.parametrize("sort", ["deadline", "-deadline"])
    def test_it_pages_by_deadline_with_undated_cards_as_the_largest(self, kit, district, sort):
        today = timezone.localdate()
        cards = [kit.card(S.RECTIFYING, deadline=today + timedelta(days=i % 3)) for i in range(6)]
        cards += [kit.card(S.REGISTERED) for _ in range(4)]  # not planned: no deadline
        qs = selectors.hazards_visible_to(district.alice)
        seen = every_page(qs, sort)
        far = date.max
        expected = sorted(cards, key=lambda c: (c.deadline or far, c.pk), reverse=sort[0] == "-")
        assert seen == [c.pk for c in expected]

    def test_it_ignores_a_forged_cursor(self, kit, login):
        kit.card()
        assert len(numbers(ledger(login(kit.district.alice), after="!!not-a-cursor"))) == 1

    def test_it_does_not_grow_the_query_count_with_the_page_size(self, kit, login):
        for i in range(110):
            kit.card(
                S.RECTIFYING if i % 2 else S.REGISTERED,
                enterprise=(kit.ent_a if i % 3 else kit.ent_b),
            )
        client = login(kit.district.alice)
        ledger(client, size=20)  # warm caches (policy, session)
        counts = {}
        for size in (20, 50, 100):
            with CaptureQueriesContext(connection) as queries:
                response = ledger(client, size=size)
            assert len(response.context["rows"]) == size
            counts[size] = len(queries)
        assert counts[20] == counts[50] == counts[100], counts
        assert not any("OFFSET" in q["sql"] for q in queries.captured_queries)


class DateConditionsTestCase:
    def test_it_becomes_overdue_when_the_deadline_passes(self, kit):
        tom = kit.district.tom
        with time_machine.travel(date(2026, 6, 1), tick=False):
            card = kit.card(S.RECTIFYING, deadline=date(2026, 6, 10))
        with time_machine.travel(date(2026, 6, 10), tick=False):
            assert numbers(ledger(fresh(tom), overdue="on")) == []
        with time_machine.travel(date(2026, 6, 11), tick=False):
            client = fresh(tom)
            assert numbers(ledger(client, overdue="on")) == [card.card_no]
            page = client.get(reverse("hazards:detail", args=[card.pk])).content.decode()
            assert "已逾期" in page
        Hazard.objects.filter(pk=card.pk).update(status=S.RECTIFIED)
        with time_machine.travel(date(2026, 6, 11), tick=False):
            assert numbers(ledger(fresh(tom), overdue="on")) == []

    def test_it_marks_acceptance_late_after_the_policy_days(self, kit):
        days = active_policy().hazards.acceptance_within_days
        with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 6, 1, 9)), tick=False):
            card = kit.card(S.ACCEPTANCE_PENDING, acceptance_applied_at=timezone.now())
        tom = kit.district.tom
        on_time = timezone.make_aware(timezone.datetime(2026, 6, 1 + days, 8))
        with time_machine.travel(on_time, tick=False):
            assert numbers(ledger(fresh(tom), acceptance_late="on")) == []
        with time_machine.travel(on_time + timedelta(hours=2), tick=False):
            assert numbers(ledger(fresh(tom), acceptance_late="on")) == [card.card_no]


class NumberingTestCase:
    def test_it_never_reuses_a_number_even_after_a_void(self, kit, district):
        from hazardledger.hazards.services import hazard_register, hazard_void

        data = {
            "location": "库房",
            "description": "消防通道堵塞",
            "category": "site_management",
            "nature": "thing",
            "level": "general",
            "source": "government_inspection",
            "found_by": "甲",
            "found_on": timezone.localdate(),
        }
        first = hazard_register(actor=district.tom, enterprise=kit.ent_a, data=data)
        hazard_void(actor=district.alice, hazard=first, reason="误登")
        second = hazard_register(actor=district.tom, enterprise=kit.ent_a, data=data)
        year = timezone.localdate().year
        assert first.card_no == f"370306-YH-{year}-000001"
        assert second.card_no == f"370306-YH-{year}-000002"


class FilterFormTestCase:
    def test_it_renders_the_selects_with_the_choice_kept_and_labels_escaped(self, district):
        from hazardledger.hazards.forms import LedgerFilterForm, PlainSelect

        form = LedgerFilterForm(
            {"territory": district.town_a.pk, "status": "rectifying"}, user=district.alice
        )
        html = str(form["territory"])
        assert (
            f'<option value="{district.town_a.pk}" selected>{district.town_a.name}</option>' in html
        )
        assert 'name="territory"' in html and 'id="id_territory"' in html
        assert '<option value="rectifying" selected>' in str(form["status"])
        widget = PlainSelect(choices=[("a", "<b>甲</b>"), ("b", "乙")])
        assert widget.render("x", "b") == (
            '<select name="x"><option value="a">&lt;b&gt;甲&lt;/b&gt;</option>'
            '<option value="b" selected>乙</option></select>'
        )

    def test_it_offers_only_territories_in_scope(self, district):
        from hazardledger.hazards.forms import LedgerFilterForm

        html = str(LedgerFilterForm(user=district.tom)["territory"])
        assert district.town_a.name in html and district.town_b.name not in html

    def test_it_reads_the_filter_options_once_a_minute(self, kit, login):
        client = login(kit.district.tom)
        ledger(client)
        with CaptureQueriesContext(connection) as queries:
            ledger(client)
        assert not any('FROM "org_industry"' in q["sql"] for q in queries.captured_queries)
        # An expert has no territory at all: the select offers nothing to choose.
        page = ledger(login(kit.district.xena)).content.decode()
        select = page[page.index('name="territory"') :]
        assert select[: select.index("</select>")].count("<option") == 1

    def test_it_never_shows_one_scopes_filter_form_to_another(self, kit, login):
        # The filter form is cached by scope and query: the district admin's copy, with every
        # town in it, must not reach a town officer asking for the same page.
        d = kit.district
        assert d.town_b.name in ledger(login(d.alice), status="registered").content.decode()
        page = ledger(login(d.tom), status="registered").content.decode()
        select = page[page.index('name="territory"') :]
        select = select[: select.index("</select>")]
        assert d.town_a.name in select and d.town_b.name not in select

    def test_it_keeps_the_chosen_filters_in_the_cached_form(self, kit, login):
        client = login(kit.district.alice)
        ledger(client, status="registered")
        page = ledger(client, status="rectifying").content.decode()
        assert '<option value="rectifying" selected>' in page
        assert '<option value="registered" selected>' not in page


class TableTestCase:
    def page(self, kit, login) -> str:
        return ledger(login(kit.district.alice)).content.decode()

    def row(self, page: str, card: Hazard) -> str:
        start = page.index(f"/{card.pk}/")
        return page[page.rindex("<tr>", 0, start) : page.index("</tr>", start)]

    def test_it_escapes_every_cell(self, kit, login):
        card = kit.card(description='<script>alert("x")</script>', card_no="<b>NO-1</b>")
        kit.ent_a.name = "<i>甲&乙</i>"
        kit.ent_a.save(update_fields=["name"])
        row = self.row(self.page(kit, login), card)
        assert "<script>" not in row and "<b>" not in row and "<i>" not in row
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in row
        assert "&lt;b&gt;NO-1&lt;/b&gt;" in row and "&lt;i&gt;甲&amp;乙&lt;/i&gt;" in row

    def test_it_marks_overdue_supervised_and_major_cards(self, kit, login):
        late = kit.card(S.RECTIFYING, deadline=timezone.localdate() - timedelta(days=1))
        watched = kit.card(S.RECTIFYING, level="major", is_supervised=True)
        plain = kit.card(S.RECTIFYING, deadline=timezone.localdate() + timedelta(days=9))
        page = self.page(kit, login)
        assert '<span class="tag warn">逾期</span>' in self.row(page, late)
        assert '<span class="tag">督办</span>' in self.row(page, watched)
        assert '<span class="warn">重大</span>' in self.row(page, watched)
        row = self.row(page, plain)
        assert "逾期" not in row and "督办" not in row and 'class="warn"' not in row
        assert (timezone.localdate() + timedelta(days=9)).isoformat() in row

    def test_it_shortens_long_descriptions(self, kit, login):
        card = kit.card(description="甲" * 39 + "乙丙")
        row = self.row(self.page(kit, login), card)
        assert "甲" * 39 + "…" in row and "乙" not in row
        short = kit.card(description="甲" * 40)
        assert "甲" * 40 + "</td>" in self.row(self.page(kit, login), short)

    def test_it_reads_the_policy_only_for_the_acceptance_late_filter(self, kit, login):
        kit.card()
        client = login(kit.district.alice)
        ledger(client)
        with CaptureQueriesContext(connection) as plain:
            ledger(client, status="registered")
        with CaptureQueriesContext(connection) as late:
            ledger(client, acceptance_late="on")
        policy = '"policy_policyprofile"'
        assert not any(policy in q["sql"] for q in plain.captured_queries)
        assert any(policy in q["sql"] for q in late.captured_queries)


class CountsGenerationTestCase:
    """The cached counts are keyed by the newest audited write that may change a count."""

    def heads(self) -> tuple[int, int]:
        from hazardledger.audit.models import AuditHead

        head = AuditHead.objects.get(pk=1)
        return head.last_event_id, selectors.write_generation()

    def test_it_keeps_the_counts_through_a_progress_report(self, kit, district):
        from hazardledger.hazards.services import hazard_report_progress

        card = kit.card(S.RECTIFYING, deadline=timezone.localdate() + timedelta(days=5))
        qs = selectors.hazards_visible_to(district.alice)
        today = timezone.localdate()
        selectors.status_counts_cached(qs, today=today)
        event, generation = self.heads()
        hazard_report_progress(actor=district.eve, hazard=card, text="已采购接地材料", percent=30)
        assert self.heads()[0] > event  # still audited
        assert self.heads()[1] == generation
        with CaptureQueriesContext(connection) as queries:
            selectors.status_counts_cached(qs, today=today)
        assert not any("GROUP BY" in q["sql"] for q in queries.captured_queries)

    @pytest.mark.parametrize(
        ("actor", "action", "data"),
        [
            ("alice", "list_supervised", {"supervision_level": "district",
                                          "supervision_doc_no": "周安办督〔2026〕1号"}),
            ("eve", "request_extension", {"reason": "设备未到", "interim_controls": "警戒"}),
            ("eve", "mark_rectified", {"note": "已整改"}),
            ("eve", "report_progress", {"text": "已完成", "monitoring_measures": "专人值守"}),
        ],
    )  # fmt: skip
    def test_it_moves_on_only_when_a_counted_field_changes(
        self, kit, district, actor, action, data
    ):
        from hazardledger.hazards.services import hazard_perform
        from hazardledger.hazards.tests.conftest import photo

        card = kit.card(S.RECTIFYING, deadline=timezone.localdate() + timedelta(days=5))
        if action == "request_extension":
            data = {**data, "new_deadline": card.deadline + timedelta(days=10)}
        if action == "mark_rectified":
            data = {**data, "photos": [photo()]}
        _event, generation = self.heads()
        hazard_perform(actor=getattr(district, actor), hazard=card, action=action, **data)
        card.refresh_from_db()
        moved = self.heads()[1] > generation
        # A request leaves the card as it is until it is approved; the rest change a figure.
        if action in ("request_extension", "report_progress"):
            assert not moved
        else:
            assert moved

    def test_it_moves_on_when_an_extension_is_approved(self, kit, district):
        from hazardledger.hazards.services import hazard_perform

        card = kit.card(S.RECTIFYING, deadline=timezone.localdate() + timedelta(days=5))
        new = card.deadline + timedelta(days=10)
        hazard_perform(
            actor=district.eve, hazard=card, action="request_extension",
            reason="设备未到", interim_controls="警戒", new_deadline=new,
        )  # fmt: skip
        _event, generation = self.heads()
        card.refresh_from_db()
        hazard_perform(actor=district.tom, hazard=card, action="approve_extension", opinion="同意")
        card.refresh_from_db()
        assert card.deadline == new and self.heads()[1] > generation
