"""The demo district: the document's organisation, every demo account, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from hazardledger.audit.models import AuditEvent
from hazardledger.demo.district import ACCOUNTS
from hazardledger.org.models import GroupMembership, Industry, Role, Unit, UnitKind, User
from hazardledger.org.selectors import scope_for
from hazardledger.policy.services import active_policy

PASSWORD = "demo-password-2026"


@pytest.fixture
def demo(db, monkeypatch, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("HAZARDLEDGER_DEMO_PASSWORD", PASSWORD)
    call_command("load_demo", verbosity=0)


class DemoDistrictTestCase:
    def test_it_builds_the_documents_organisation(self, demo):
        names = set(Unit.objects.values_list("name", flat=True))
        for name in [
            "周村区人民政府",
            "丝绸路街道",
            "大街街道",
            "青年路街道",
            "永安街道",
            "城北路街道",
            "北郊镇",
            "南郊镇",
            "王村镇",
            "萌水镇",
            "商家镇",
            "周村经济开发区",
            "区监察局",
            "项目关停、违法建筑拆除组",
            "督导组",
        ]:
            assert name in names
        assert (
            Unit.objects.filter(
                kind__in=[UnitKind.TOWN, UnitKind.STREET, UnitKind.DEVELOPMENT_ZONE]
            ).count()
            == 11
        )

    def test_it_names_the_closure_group_as_the_document_does(self, demo):
        group = Unit.objects.get(code="LG-GT")
        members = GroupMembership.objects.filter(group=group)
        assert [m.person.full_name for m in members.filter(position="leader")] == ["刘长民"]
        assert [m.person.full_name for m in members.filter(position="deputy")] == [
            "苏振华",
            "王怀志",
            "王星",
        ]
        shorts = {m.member_unit.short_name for m in members.filter(position="member")}
        assert shorts == {"住建", "公安", "城管执法", "安监", "工商", "消防", "供电"}

    def test_it_heads_the_leading_group_with_the_district_head(self, demo):
        group = Unit.objects.get(code="LG")
        leader = GroupMembership.objects.get(group=group, position="leader").person
        assert leader.post == "区长"
        deputies = GroupMembership.objects.filter(group=group, position="deputy")
        assert {m.person.post for m in deputies} == {"副区长"}
        supervision = GroupMembership.objects.get(group__code="LG-DD", position="leader")
        assert supervision.person.post == "区监察局局长"

    def test_it_gives_every_industry_exactly_one_regulating_department(self, demo):
        assert Industry.objects.count() >= 15
        assert not Industry.objects.filter(regulator__isnull=True).exists()
        assert set(Industry.objects.values_list("regulator__kind", flat=True)) == {
            UnitKind.DEPARTMENT
        }

    def test_it_creates_one_account_per_role(self, demo):
        roles = set()
        for acc in ACCOUNTS:
            user = User.objects.get(username=acc.username)
            assert user.check_password(PASSWORD)
            roles |= set(user.role_grants.values_list("role", flat=True))
        assert roles == set(Role.values)

    def test_it_activates_a_profile_dated_this_year(self, demo):
        from django.utils import timezone

        assert active_policy().document.valid_from.year == timezone.localdate().year

    def test_it_is_idempotent(self, demo):
        counts = (Unit.objects.count(), User.objects.count(), AuditEvent.objects.count())
        call_command("load_demo", verbosity=0)
        assert (Unit.objects.count(), User.objects.count(), AuditEvent.objects.count()) == counts

    @pytest.mark.parametrize(
        ("username", "expected"),
        [
            ("admin", "全区"),
            ("leader", "全区"),
            ("supervisor", "全区"),
            ("town", "北郊镇"),
            ("dept", "建筑施工"),
            ("committee", "烟花爆竹"),
            ("enterprise", "本企业"),
            ("expert", "按分配的任务"),
        ],
    )
    def test_it_logs_every_account_in_to_a_home_page_of_its_scope(
        self, demo, client, username, expected
    ):
        response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
        assert response.status_code == 302
        page = client.get(reverse("home")).content.decode()
        assert expected in page

    def test_it_scopes_the_town_officer_to_beijiao(self, demo):
        scope = scope_for(User.objects.get(username="town"))
        assert set(
            Unit.objects.filter(pk__in=scope.territory_ids).values_list("name", flat=True)
        ) == {"北郊镇"}


class NationalClassificationTestCase:
    def test_the_demo_places_every_division_of_gbt_4754_with_a_regulator(self, demo):
        from hazardledger.org.classification import IndustryResolver
        from hazardledger.org.models import ClassLevel, IndustryClass

        resolver = IndustryResolver()
        for division in IndustryClass.objects.filter(level=ClassLevel.DIVISION):
            industry = resolver.resolve(division.code)
            assert industry is not None and industry.regulator_id, division
        assert resolver.resolve("房屋建筑业").code == "JZSG"
        assert resolver.resolve("化学原料和化学制品制造业").code == "WHP"
        assert resolver.resolve("餐饮业").code == "H62"
        assert resolver.resolve("道路货物运输").code == "DLYS"
        assert resolver.resolve("金属制品业").code == "C33"
        assert resolver.resolve("纺织业").code == "FZ"
        assert resolver.resolve("饭店").code == "H62"  # a demo alias
