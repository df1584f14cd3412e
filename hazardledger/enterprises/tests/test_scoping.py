"""Who may: each role sees exactly its scope; 404 outside it, 403 in scope without the right."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hazardledger.enterprises import dossier
from hazardledger.enterprises.models import Enterprise


def listed(client) -> set[str]:
    response = client.get(reverse("enterprises:list"))
    assert response.status_code == 200
    return {e.name for e in response.context["enterprises"]}


class ListScopeTestCase:
    @pytest.mark.parametrize(
        "who,expected",
        [
            ("alice", {"甲镇建筑公司", "乙街道化工公司"}),
            ("leo", {"甲镇建筑公司", "乙街道化工公司"}),
            ("sam", {"甲镇建筑公司", "乙街道化工公司"}),
            ("tom", {"甲镇建筑公司"}),
            ("tina", {"乙街道化工公司"}),
            ("dora", {"甲镇建筑公司"}),
            ("carl", {"甲镇建筑公司"}),
            ("eve", {"乙街道化工公司"}),
        ],
    )
    def test_it_lists_exactly_the_scope(self, district, firms, client_for, who, expected):
        assert listed(client_for(getattr(district, who))) == expected

    @pytest.mark.parametrize("who", ["xena", "fred", "hank", "cora"])
    def test_it_refuses_task_roles(self, district, firms, client_for, who):
        assert (
            client_for(getattr(district, who)).get(reverse("enterprises:list")).status_code == 403
        )

    def test_it_sends_anonymous_users_to_login(self, client, district):
        assert client.get(reverse("enterprises:list")).status_code == 302

    def test_it_searches_by_name_fragment_and_code(self, district, firms, client_for):
        client = client_for(district.alice)
        response = client.get(reverse("enterprises:list"), {"q": "化工"})
        assert [e.name for e in response.context["enterprises"]] == ["乙街道化工公司"]
        code = firms["a"].credit_code
        response = client.get(reverse("enterprises:list"), {"q": code[:10].lower()})
        assert [e.name for e in response.context["enterprises"]] == ["甲镇建筑公司"]

    @pytest.mark.parametrize(
        "query",
        [
            "territory=abc",
            "industry=999999",
            "status=nope",
            "page=0",
            "page=x",
            "page=99999999999",
            "q=" + "长" * 500,
            "procedures=%00",
        ],
    )
    def test_it_survives_bad_query_parameters(self, district, firms, client_for, query):
        response = client_for(district.alice).get(reverse("enterprises:list") + "?" + query)
        assert response.status_code == 200
        export = client_for(district.alice).get(reverse("enterprises:export") + "?" + query)
        assert export.status_code == 200

    def test_it_filters_and_pages(self, district, make, client_for):
        for i in range(55):
            make(f"甲镇企业{i:02d}", territory=district.town_a, industry=district.building)
        client = client_for(district.alice)
        first = client.get(reverse("enterprises:list"), {"territory": district.town_a.pk})
        assert len(first.context["enterprises"]) == 50 and first.context["has_next"]
        second = client.get(
            reverse("enterprises:list"), {"territory": district.town_a.pk, "page": 2}
        )
        assert len(second.context["enterprises"]) == 5 and not second.context["has_next"]


class QueryCountTestCase:
    def count(self, client) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("enterprises:list")).status_code == 200
        return len(ctx.captured_queries)

    def test_it_does_not_grow_with_the_page(self, district, make, client_for):
        client = client_for(district.tom)
        make(
            "甲0",
            territory=district.town_a,
            industry=district.building,
            territory_contact=district.tom,
        )
        self.count(client)  # warm up: the first request refreshes the session, fills caches
        few = self.count(client)
        for i in range(1, 40):
            make(
                f"甲{i}",
                territory=district.town_a,
                industry=district.building,
                territory_contact=district.tom,
            )
        assert self.count(client) == few

    def test_it_stays_small_for_the_district_admin(
        self, district, make, client_for, django_assert_max_num_queries
    ):
        for i in range(30):
            make(f"企业{i}", territory=district.town_b, industry=district.chemicals)
        client = client_for(district.alice)
        client.get(reverse("enterprises:list"))
        with django_assert_max_num_queries(12):
            client.get(reverse("enterprises:list"))


class DetailScopeTestCase:
    def test_it_answers_404_to_a_town_officer_for_another_towns_enterprise(
        self, district, firms, client_for
    ):
        client = client_for(district.tom)
        code = firms["b"].credit_code
        for name in ("detail", "dossier", "edit", "status", "procedure_add", "rule_add"):
            assert client.get(reverse(f"enterprises:{name}", args=[code])).status_code == 404
        assert client.get(reverse("enterprises:detail", args=["NOPE"])).status_code == 404

    def test_it_answers_403_to_readers_on_writes(self, district, firms, client_for):
        code = firms["a"].credit_code
        for user in (district.leo, district.carl, district.sam):
            client = client_for(user)
            assert client.get(reverse("enterprises:detail", args=[code])).status_code == 200
            for name in ("edit", "status", "procedure_add", "rule_add", "service_add"):
                assert client.get(reverse(f"enterprises:{name}", args=[code])).status_code == 403

    def test_it_gives_the_enterprise_user_only_its_own_fields(self, district, firms, client_for):
        client = client_for(district.eve)
        url = reverse("enterprises:edit", args=[firms["b"].credit_code])
        page = client.get(url).content.decode()
        assert 'name="contact_phone"' in page and 'name="name"' not in page
        ok = client.post(
            url,
            {
                "contact_name": "李联系",
                "contact_phone": "13900000000",
                "safety_manager": "王安全",
                "safety_manager_phone": "",
                "safety_engineer_count": 1,
            },
        )
        assert ok.status_code == 302
        assert Enterprise.objects.get(pk=firms["b"].pk).contact_name == "李联系"

    @pytest.mark.parametrize(
        "field,value",
        [
            ("name", "改名"),
            ("territory", "1"),
            ("industry", "1"),
            ("staff_count", "3"),
            ("credit_code", "914403001922038216"),
        ],
    )
    def test_it_answers_403_to_the_enterprise_user_for_other_fields(
        self, district, firms, client_for, field, value
    ):
        url = reverse("enterprises:edit", args=[firms["b"].credit_code])
        response = client_for(district.eve).post(
            url, {"contact_name": "李", field: value, "safety_engineer_count": 0}
        )
        assert response.status_code == 403
        assert Enterprise.objects.get(pk=firms["b"].pk).contact_name == ""

    def test_it_answers_403_to_the_enterprise_user_for_status_and_procedures(
        self, district, firms, client_for
    ):
        client = client_for(district.eve)
        code = firms["b"].credit_code
        assert (
            client.post(
                reverse("enterprises:status", args=[code]), {"status": "closed", "reason": "x"}
            ).status_code
            == 403
        )
        assert client.get(reverse("enterprises:procedure_add", args=[code])).status_code == 403
        assert client.get(reverse("enterprises:create")).status_code == 403

    def test_it_answers_404_to_the_enterprise_user_for_another_enterprise(
        self, district, firms, client_for
    ):
        url = reverse("enterprises:detail", args=[firms["a"].credit_code])
        assert client_for(district.eve).get(url).status_code == 404


class DossierRegistryTestCase:
    def test_it_shows_sections_that_later_apps_register(self, district, firms, client_for):
        def render(request, enterprise):
            if request.user.username == "leo":
                return None
            return f"<b>{enterprise.name} 的隐患</b>"

        dossier.register_section("test-hazards", "隐患", 30, render)
        try:
            code = firms["a"].credit_code
            page = client_for(district.tom).get(reverse("enterprises:detail", args=[code]))
            html = page.content.decode()
            assert 'id="section-test-hazards"' in html
            assert "&lt;b&gt;甲镇建筑公司 的隐患&lt;/b&gt;" in html  # plain strings are escaped
            printed = client_for(district.tom).get(reverse("enterprises:dossier", args=[code]))
            assert "甲镇建筑公司 的隐患" in printed.content.decode()
            leader = client_for(district.leo).get(reverse("enterprises:detail", args=[code]))
            assert "section-test-hazards" not in leader.content.decode()
        finally:
            dossier.unregister_section("test-hazards")

    def test_it_orders_sections(self):
        dossier.register_section("z-late", "后", 90, lambda r, e: "")
        dossier.register_section("a-early", "前", 10, lambda r, e: "")
        try:
            keys = [s.key for s in dossier.sections()]
            assert keys.index("a-early") < keys.index("z-late")
        finally:
            dossier.unregister_section("z-late")
            dossier.unregister_section("a-early")


class BadInputTestCase:
    def test_it_answers_400_not_500_to_a_garbled_form(self, district, firms, client_for):
        url = reverse("enterprises:edit", args=[firms["a"].credit_code])
        response = client_for(district.tom).post(
            url, {"territory": "abc", "staff_count": "-1", "safety_engineer_count": "x"}
        )
        assert response.status_code == 400

    def test_it_answers_404_for_another_enterprises_procedure_or_file(
        self, district, firms, client_for
    ):
        from hazardledger.enterprises.services import procedure_add, procedure_kind_upsert

        kind = procedure_kind_upsert(actor=None, code="k", name="许可证")
        other = procedure_add(actor=None, enterprise=firms["b"], data={"kind": kind})
        client = client_for(district.alice)
        code = firms["a"].credit_code
        assert (
            client.get(reverse("enterprises:procedure_edit", args=[code, other.pk])).status_code
            == 404
        )
        assert (
            client.get(reverse("enterprises:attachment", args=[code, "rule", 1])).status_code == 404
        )
        assert (
            client.get(reverse("enterprises:attachment", args=[code, "nope", 1])).status_code == 404
        )

    def test_it_refuses_an_empty_import_post(self, district, client_for):
        assert client_for(district.tom).post(reverse("enterprises:import")).status_code == 400


def test_the_self_service_form_has_exactly_the_self_service_fields():
    from hazardledger.enterprises.forms import SelfServiceForm
    from hazardledger.enterprises.selectors import SELF_SERVICE_FIELDS

    assert set(SelfServiceForm._meta.fields) == SELF_SERVICE_FIELDS


def test_a_department_officer_filters_by_territory_within_the_scope(
    district, firms, make, client_for
):
    make("乙街道建筑", territory=district.town_b, industry=district.building)
    response = client_for(district.dora).get(
        reverse("enterprises:list"), {"territory": district.town_b.pk}
    )
    assert [e.name for e in response.context["enterprises"]] == ["乙街道建筑"]
