"""Each role sees exactly its scope; 404 outside it, 403 without the role."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from hazardledger.enterprises.models import Enterprise, EnterpriseAccount
from hazardledger.enterprises.selectors import (
    enterprise_get_for_user_or_404,
    enterprises_visible_to,
)
from hazardledger.org.models import Role, Unit, UnitKind
from hazardledger.org.permissions import require_role
from hazardledger.org.selectors import (
    industries_visible_to,
    scope_for,
    territories_visible_to,
)
from hazardledger.org.services import unit_upsert


@pytest.fixture
def firms(district):
    """One enterprise per (town, industry) pair, plus one with no territory or industry."""
    made = {}
    for town in (district.town_a, district.town_b):
        for industry in (district.building, district.chemicals):
            code = f"{town.code}-{industry.code}"
            made[code] = Enterprise.objects.create(
                credit_code=code.ljust(18, "0")[:18],
                name=f"{town.name}{industry.name}公司",
                territory=town,
                industry=industry,
            )
    made["orphan"] = Enterprise.objects.create(credit_code="9" * 18, name="无主企业")
    EnterpriseAccount.objects.create(user=district.eve, enterprise=made["T-A-WHP"])
    return made


def visible_names(user) -> set[str]:
    return set(enterprises_visible_to(user).values_list("name", flat=True))


class ScopeTestCase:
    def test_it_gives_district_wide_roles_everything(self, district, firms):
        for user in (district.alice, district.leo, district.sam):
            assert scope_for(user).everything
            assert len(visible_names(user)) == 5

    def test_it_limits_a_town_officer_to_the_town(self, district, firms):
        assert visible_names(district.tom) == {"甲镇建筑施工公司", "甲镇危险化学品公司"}
        assert list(territories_visible_to(district.tom)) == [district.town_a]

    def test_it_includes_territories_below_the_officers_town(self, district, firms):
        zone = unit_upsert(
            actor=None,
            code="T-A-1",
            name="甲镇工业园",
            kind=UnitKind.DEVELOPMENT_ZONE,
            parent=district.town_a,
        )
        Enterprise.objects.create(credit_code="1" * 18, name="园区企业", territory=zone)
        district.tom.__dict__.pop("_scope", None)
        assert "园区企业" in visible_names(district.tom)
        assert "园区企业" not in visible_names(district.tina)

    def test_it_limits_a_department_officer_to_regulated_industries(self, district, firms):
        assert visible_names(district.dora) == {"甲镇建筑施工公司", "乙街道建筑施工公司"}
        assert list(industries_visible_to(district.dora)) == [district.building]

    def test_it_limits_a_committee_member_to_the_committees_industries(self, district, firms):
        assert visible_names(district.carl) == {"甲镇建筑施工公司", "乙街道建筑施工公司"}

    def test_it_limits_an_enterprise_user_to_its_own_enterprise(self, district, firms):
        assert visible_names(district.eve) == {"甲镇危险化学品公司"}

    @pytest.mark.parametrize("username", ["xena", "fred", "hank", "cora", "nobody"])
    def test_it_gives_task_roles_no_standing_scope(self, district, firms, username):
        user = getattr(district, username) if username != "nobody" else district.nobody
        assert scope_for(user).is_empty
        assert visible_names(user) == set()

    def test_it_unions_the_scopes_of_several_roles(self, district, firms):
        district.tom.role_grants.create(role=Role.ENTERPRISE_USER)
        EnterpriseAccount.objects.create(user=district.tom, enterprise=firms["T-B-WHP"])
        district.tom.__dict__.pop("_scope", None)
        district.tom.__dict__.pop("_role_codes", None)
        assert visible_names(district.tom) == {
            "甲镇建筑施工公司",
            "甲镇危险化学品公司",
            "乙街道危险化学品公司",
        }

    def test_it_drops_everything_for_an_inactive_user(self, district, firms):
        district.alice.is_active = False
        assert visible_names(district.alice) == set()


class GuardTestCase:
    def test_it_answers_404_outside_the_scope(self, district, firms):
        other = firms["T-B-JZ"]
        with pytest.raises(Http404):
            enterprise_get_for_user_or_404(district.tom, pk=other.pk)

    def test_it_answers_404_for_missing_and_malformed_ids(self, district, firms):
        with pytest.raises(Http404):
            enterprise_get_for_user_or_404(district.alice, pk=10**9)
        with pytest.raises(Http404):
            enterprise_get_for_user_or_404(district.alice, pk="x")

    def test_it_returns_the_object_inside_the_scope(self, district, firms):
        mine = firms["T-A-JZ"]
        assert enterprise_get_for_user_or_404(district.tom, pk=mine.pk) == mine

    def test_it_answers_403_without_the_role(self, district):
        with pytest.raises(PermissionDenied):
            require_role(district.tom, Role.DISTRICT_ADMIN)
        require_role(district.alice, Role.DISTRICT_ADMIN)

    def test_it_counts_no_units_as_territories_but_towns_streets_and_zones(self, district):
        kinds = set(territories_visible_to(district.alice).values_list("kind", flat=True))
        assert kinds == {UnitKind.TOWN, UnitKind.STREET}
        assert Unit.objects.filter(kind=UnitKind.DEPARTMENT).count() == 2
