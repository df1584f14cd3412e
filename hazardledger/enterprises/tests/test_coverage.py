"""The coverage page (监管盲区) finds exactly the gaps a test plants, and counts them in SQL."""

from __future__ import annotations

import io

import openpyxl
from django.urls import reverse

from hazardledger.enterprises.coverage import coverage_for
from hazardledger.enterprises.models import OperatingStatus
from hazardledger.org.models import Role
from hazardledger.org.services import industry_upsert, person_upsert, unit_upsert


def gaps(user) -> dict[str, set[str]]:
    c = coverage_for(user)
    found = {g.key: {e.name for e in g.enterprises} for g in c.gaps}
    found["industries"] = {i.name for i in c.industries_without_regulator}
    found["territories"] = {u.name for u in c.territories_without_people}
    found["departments"] = {u.name for u in c.departments_without_people}
    return {k: v for k, v in found.items() if v}


def covered(district, make, name: str, **fields):
    """An enterprise with territory, regulator and both named responsible persons."""
    return make(
        name,
        territory=district.town_a,
        industry=district.building,
        territory_contact=district.tom,
        regulator_contact=district.dora,
        **fields,
    )


class CoverageTestCase:
    def test_it_finds_nothing_in_a_fully_covered_district(self, district, staffed, make):
        covered(district, make, "全覆盖企业")
        assert gaps(district.alice) == {}

    def test_it_finds_exactly_the_planted_gaps(self, district, staffed, make):
        covered(district, make, "全覆盖企业")
        make("无镇街", industry=district.building, regulator_contact=district.dora)
        make("无行业", territory=district.town_a, territory_contact=district.tom)
        make(
            "无属地责任人",
            territory=district.town_b,
            industry=district.building,
            regulator_contact=district.dora,
        )
        make(
            "无监管责任人",
            territory=district.town_a,
            industry=district.building,
            territory_contact=district.tom,
        )
        orphan_industry = industry_upsert(actor=None, code="KS", name="非煤矿山", regulator=None)
        make(
            "行业无主管",
            territory=district.town_a,
            industry=orphan_industry,
            territory_contact=district.tom,
        )
        unit_upsert(
            actor=None, code="T-C", name="丙开发区", kind="development_zone", parent=district.gov
        )
        # Closed enterprises are not supervised any more: no gap even without anything.
        make("已关闭", status=OperatingStatus.CLOSED)
        assert gaps(district.alice) == {
            "no_territory": {"无镇街"},
            "no_industry": {"无行业"},
            "no_regulator": {"行业无主管"},
            "no_territory_contact": {"无属地责任人"},
            "no_regulator_contact": {"无监管责任人"},
            "industries": {"非煤矿山"},
            "territories": {"丙开发区"},
        }

    def test_it_counts_a_department_without_officers(self, district, make):
        # The fixture gives 区安监局 (which regulates 危险化学品) no officer.
        assert gaps(district.alice) == {"departments": {"区安监局"}}

    def test_it_ignores_inactive_officers(self, district, staffed):
        person_upsert(actor=None, username="tom", is_active=False, roles=[Role.TERRITORY_OFFICER])
        assert gaps(district.alice) == {"territories": {"甲镇"}}

    def test_it_scopes_the_gaps_to_the_viewer(self, district, staffed, make):
        make("甲镇无责任人", territory=district.town_a, industry=district.building)
        make("乙街道无责任人", territory=district.town_b, industry=district.chemicals)
        make("无镇街", industry=district.chemicals)
        town = gaps(district.tom)
        assert town["no_territory_contact"] == {"甲镇无责任人"}
        assert "no_territory" not in town
        assert gaps(staffed)["no_territory"] == {"无镇街"}

    def test_it_counts_by_territory_and_department_in_sql(
        self, district, staffed, make, django_assert_max_num_queries
    ):
        for i in range(3):
            make(f"甲{i}", territory=district.town_a, industry=district.building)
        make(
            "乙",
            territory=district.town_b,
            industry=district.chemicals,
            territory_contact=district.tina,
        )
        with django_assert_max_num_queries(20):
            c = coverage_for(district.alice)
        by_town = {r["name"]: r for r in c.by_territory}
        assert by_town["甲镇"]["total"] == 3 and by_town["甲镇"]["no_territory_contact"] == 3
        assert by_town["乙街道"]["no_territory_contact"] == 0
        by_dept = {r["name"]: r for r in c.by_department}
        assert by_dept["区住建局"]["no_regulator_contact"] == 3
        assert by_dept["区安监局"]["total"] == 1

    def test_it_shows_the_page_and_exports_it(self, district, staffed, make, client_for):
        make("无镇街企业", industry=district.building)
        client = client_for(district.alice)
        page = client.get(reverse("enterprises:coverage")).content.decode()
        assert "无镇街企业" in page and "未划分所属镇街（1）" in page
        response = client.get(reverse("enterprises:coverage_export"))
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == ["监管盲区", "按镇街统计", "按部门统计"]
        rows = list(book["监管盲区"].iter_rows(values_only=True))
        assert ("未划分所属镇街", "无镇街企业") in [r[:2] for r in rows]

    def test_it_is_closed_to_enterprise_users_and_task_roles(self, district, client_for):
        for user in (district.eve, district.xena, district.hank):
            assert client_for(user).get(reverse("enterprises:coverage")).status_code == 403
