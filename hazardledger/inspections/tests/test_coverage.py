"""Campaigns and coverage (全覆盖): figures match a hand count, scope is a live query."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hazardledger.enterprises.models import Category, OperatingStatus
from hazardledger.inspections import rules, selectors, services
from hazardledger.inspections.models import Campaign

from .conftest import days_ago


def make_campaign(kit, actor=None, **overrides):
    data = {
        "name": "建筑施工领域拉网式大检查",
        "description": "",
        "starts_on": days_ago(20),
        "ends_on": timezone.localdate() + timedelta(days=30),
        "leader": kit.d.leo,
        "committee": kit.d.committee,
        "territories": [],
        "industries": [kit.d.building],
        "categories": [],
        "checklist": None,
    }
    data.update(overrides)
    return services.campaign_save(actor=actor or kit.d.alice, data=data)


@pytest.fixture
def scene(kit):
    """The hand-counted scene: see the comments for which enterprise counts and why."""
    d = kit.d
    kit.a_build2 = kit.enterprise("甲镇第二建筑公司", d.town_a, d.building)
    kit.closed = kit.enterprise(
        "已关闭建筑公司", d.town_a, d.building, status=OperatingStatus.CLOSED
    )
    campaign = make_campaign(kit)
    # In scope and inspected in the campaign, with one failed item.
    kit.inspect(kit.a_build, campaign=campaign, fail=1, on=days_ago(5))
    kit.inspect(kit.a_build, campaign=campaign, on=days_ago(2))  # a second visit counts once
    # In scope and inspected in the campaign, all items passed.
    kit.inspect(
        kit.b_build,
        actor=d.tina,
        lead=d.tina,
        inspectors=[d.dora],
        campaign=campaign,
        on=days_ago(3),
    )
    # In scope, inspected but not in this campaign, and self-inspected: not inspected here.
    kit.inspect(kit.a_build2, fail=2, on=days_ago(4))
    kit.inspect(kit.a_build2, actor=d.tom, kind="expert", agency="某评价公司", lead_name="李工")
    # Out of scope (chemicals), inspected anyway: not counted at all.
    kit.inspect(kit.a_chem, fail=1)
    # Registered after the campaign started: in scope, not yet inspected.
    kit.late = kit.enterprise("新登记建筑公司", d.town_b, d.building)
    return campaign


class CoverageFiguresTestCase:
    def test_it_matches_a_hand_count(self, kit, scene):
        total = selectors.coverage_total(kit.d.alice, scene)
        assert (total.in_scope, total.inspected, total.with_hazards, total.not_inspected) == (
            4,
            2,
            1,
            2,
        )
        assert total.rate == 50.0
        targets = set(selectors.campaign_targets(scene).values_list("name", flat=True))
        assert targets == {"甲镇建筑公司", "甲镇第二建筑公司", "乙街道建筑公司", "新登记建筑公司"}

    def test_it_breaks_down_by_territory_department_and_industry(self, kit, scene):
        def figures(by):
            return {
                line.name: (
                    line.coverage.in_scope,
                    line.coverage.inspected,
                    line.coverage.with_hazards,
                    line.coverage.not_inspected,
                )
                for line in selectors.coverage_by(kit.d.alice, scene, by)
            }

        assert figures("territory") == {"甲镇": (2, 1, 1, 1), "乙街道": (2, 1, 0, 1)}
        assert figures("department") == {"区住建局": (4, 2, 1, 2)}
        assert figures("industry") == {"建筑施工": (4, 2, 1, 2)}

    def test_it_counts_enterprises_added_later_and_drops_those_leaving_scope(self, kit, scene):
        kit.enterprise("又一家建筑公司", kit.d.town_a, kit.d.building)
        kit.enterprise("又一家化工厂", kit.d.town_a, kit.d.chemicals)
        assert selectors.coverage_total(kit.d.alice, scene).in_scope == 5
        kit.late.industry = kit.d.chemicals
        kit.late.save()
        assert selectors.coverage_total(kit.d.alice, scene).in_scope == 4

    def test_it_shows_each_viewer_their_share(self, kit, scene):
        tom = selectors.coverage_total(kit.d.tom, scene)
        assert (tom.in_scope, tom.inspected, tom.with_hazards) == (2, 1, 1)
        dora = selectors.coverage_total(kit.d.dora, scene)
        assert (dora.in_scope, dora.inspected, dora.with_hazards) == (4, 2, 1)

    def test_it_scopes_by_territory_and_category(self, kit, scene):
        kit.enterprise("甲镇高危建筑", kit.d.town_a, kit.d.building, category=Category.HIGH_RISK)
        only_a = make_campaign(kit, territories=[kit.d.town_a], categories=[Category.HIGH_RISK])
        assert list(selectors.campaign_targets(only_a).values_list("name", flat=True)) == [
            "甲镇高危建筑"
        ]
        everything = make_campaign(kit, industries=[])
        assert selectors.coverage_total(kit.d.alice, everything).in_scope == 6

    def test_it_counts_leaders_own_inspections(self, kit, scene, client_for):
        kit.inspect(
            kit.late, actor=kit.d.leo, lead=kit.d.leo, inspectors=[kit.d.tina], campaign=scene
        )
        total = selectors.coverage_total(kit.d.alice, scene)
        assert (total.inspected, total.not_inspected) == (3, 1)
        leo = selectors.leader_inspections(kit.d.alice, scene).get(pk=kit.d.leo.pk)
        assert (leo.led_count, leo.enterprise_count) == (1, 1)
        html = (
            client_for(kit.d.alice)
            .get(reverse("inspections:campaign", args=[scene.pk]))
            .content.decode()
        )
        assert "区领导带队检查" in html and "Leo" in html

    def test_it_checks_the_team_size_purely(self):
        assert (
            rules.inspector_problem("government", 1, 2)
            == "政府检查须至少 2 名检查人员（现有 1 名）"
        )
        assert rules.inspector_problem("joint", 2, 2) is None
        assert rules.inspector_problem("self", 0, 2) is None
        assert rules.campaign_phase(days_ago(3), days_ago(1), days_ago(0)) == "finished"

    def test_it_has_pure_coverage_arithmetic(self):
        line = rules.Coverage(in_scope=3, inspected=1, with_hazards=1)
        assert (line.not_inspected, line.rate, line.complete) == (2, 33.3, False)
        assert rules.Coverage(0, 0, 0).rate is None
        assert rules.total([line, rules.Coverage(1, 1, 0)]) == rules.Coverage(4, 2, 1)


class CampaignPagesTestCase:
    def test_it_shows_coverage_and_the_not_inspected_list(self, kit, scene, client_for):
        client = client_for(kit.d.alice)
        html = client.get(reverse("inspections:campaign", args=[scene.pk])).content.decode()
        for text in ["全覆盖情况", "50.0%", "按镇街", "按行业主管部门", "按行业", "区住建局"]:
            assert text in html, text
        url = reverse("inspections:campaign_targets", args=[scene.pk])
        html = client.get(url).content.decode()
        assert "甲镇第二建筑公司" in html and "新登记建筑公司" in html
        assert "甲镇建筑公司</a>" not in html and "甲镇化工厂" not in html
        html = client.get(url + "?state=with_hazards").content.decode()
        assert "甲镇建筑公司" in html and "乙街道建筑公司" not in html
        assert client.get(url + "?state=bogus&page=abc").status_code == 200

    def test_it_exports_coverage_to_excel_safely(self, kit, scene, client_for):
        kit.enterprise('=HYPERLINK("http://x")', kit.d.town_a, kit.d.building)
        response = client_for(kit.d.alice).get(
            reverse("inspections:campaign_export", args=[scene.pk])
        )
        assert response.status_code == 200
        book = load_workbook(
            io.BytesIO(
                b"".join(response.streaming_content) if response.streaming else response.content
            )
        )
        summary = list(book["覆盖情况"].iter_rows(values_only=True))
        assert summary[1][:6] == ("合计", scene.name, 5, 2, 1, 3)
        names = [row[0] for row in book["企业清单"].iter_rows(min_row=2, values_only=True)]
        assert '\'=HYPERLINK("http://x")' in names
        assert len(names) == 5

    def test_it_keeps_the_coverage_page_query_count_flat(
        self, kit, scene, client_for, django_assert_max_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = client_for(kit.d.alice)
        url = reverse("inspections:campaign", args=[scene.pk])
        with CaptureQueriesContext(connection) as before:
            client.get(url)
        for n in range(10):
            kit.enterprise(f"批量企业{n}", kit.d.town_a, kit.d.building, category="high_risk")
            kit.inspect(kit.a_build, campaign=scene)
        with django_assert_max_num_queries(len(before)):
            client.get(url)


class CampaignScopeTestCase:
    def test_it_hides_a_campaign_outside_the_viewers_scope(self, kit, client_for):
        campaign = make_campaign(kit, territories=[kit.d.town_a])
        url = reverse("inspections:campaign", args=[campaign.pk])
        assert client_for(kit.d.tom).get(url).status_code == 200
        assert client_for(kit.d.dora).get(url).status_code == 200
        assert client_for(kit.d.tina).get(url).status_code == 404
        chem = make_campaign(kit, industries=[kit.d.chemicals])
        assert (
            client_for(kit.d.dora).get(reverse("inspections:campaign", args=[chem.pk])).status_code
            == 404
        )
        assert (
            client_for(kit.d.carl).get(reverse("inspections:campaign", args=[chem.pk])).status_code
            == 404
        )

    def test_it_lists_only_visible_campaigns(self, kit, client_for):
        mine = make_campaign(kit, name="甲镇专项", territories=[kit.d.town_a])
        theirs = make_campaign(kit, name="乙街道专项", territories=[kit.d.town_b])
        html = client_for(kit.d.tom).get(reverse("inspections:campaigns")).content.decode()
        assert mine.name in html and theirs.name not in html
        html = client_for(kit.d.leo).get(reverse("inspections:campaigns")).content.decode()
        assert mine.name in html and theirs.name in html

    def test_it_answers_403_to_roles_without_campaigns(self, kit, client_for):
        campaign = make_campaign(kit)
        for person in (kit.d.eve, kit.d.xena, kit.d.nobody):
            client = client_for(person)
            assert client.get(reverse("inspections:campaigns")).status_code == 403
            assert (
                client.get(reverse("inspections:campaign", args=[campaign.pk])).status_code == 403
            )
        for person in (kit.d.tom, kit.d.leo, kit.d.sam):
            assert client_for(person).get(reverse("inspections:campaign_create")).status_code == 403

    def test_it_links_only_fitting_inspections_to_a_campaign(self, kit):
        campaign = make_campaign(kit)
        with pytest.raises(ValidationError) as caught:
            kit.inspect(kit.a_chem, campaign=campaign)
        assert caught.value.message_dict["campaign"] == ["该企业不在该大检查的检查范围内"]
        with pytest.raises(ValidationError) as caught:
            kit.inspect(kit.a_build, campaign=campaign, on=days_ago(30))
        assert "inspected_on" in caught.value.message_dict
        with pytest.raises(ValidationError) as caught:
            kit.inspect(kit.a_build, actor=kit.d.eve, kind="self", campaign=campaign)
        assert "campaign" in caught.value.message_dict
        hidden = make_campaign(kit, territories=[kit.d.town_b])
        with pytest.raises(ValidationError) as caught:
            kit.inspect(kit.a_build, campaign=hidden)
        assert caught.value.message_dict["campaign"] == ["请选择您可见的大检查"]


class CampaignFormTestCase:
    def post(self, client, kit, **overrides):
        data = {
            "name": "危化品大检查",
            "starts_on": days_ago(1).isoformat(),
            "ends_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
            "leader": kit.d.leo.pk,
            "committee": kit.d.committee.pk,
            "industries": [kit.d.building.pk],
            "categories": ["high_risk", "crowded"],
        }
        data.update(overrides)
        return client.post(reverse("inspections:campaign_create"), data)

    def test_it_creates_a_campaign_with_its_scope(self, kit, client_for):
        response = self.post(client_for(kit.d.alice), kit)
        campaign = Campaign.objects.get()
        assert response["Location"] == reverse("inspections:campaign", args=[campaign.pk])
        assert campaign.leader == kit.d.leo and campaign.categories == ["crowded", "high_risk"]
        assert list(campaign.industries.all()) == [kit.d.building]

    def test_it_lets_a_committee_organise_only_its_own(self, kit, client_for):
        client = client_for(kit.d.carl)
        assert self.post(client, kit).status_code == 302
        other = kit.d.committee.__class__.objects.create(
            code="C-B", name="危化品专委会", kind="professional_committee", parent=kit.d.gov
        )
        response = self.post(client, kit, committee=other.pk)
        assert response.status_code == 400
        with pytest.raises(ValidationError) as caught:
            make_campaign(kit, actor=kit.d.carl, committee=other)
        assert caught.value.message_dict["committee"] == ["专业安委会成员只能为本专委会组织大检查"]

    def test_it_shows_field_errors_and_saves_nothing(self, kit, client_for):
        client = client_for(kit.d.alice)
        response = self.post(
            client,
            kit,
            name="",
            leader=kit.d.tom.pk,
            ends_on=days_ago(10).isoformat(),
            territories=[kit.d.dept_a.pk],
            categories=["nonsense"],
        )
        html = response.content.decode()
        assert response.status_code == 400
        assert "此项为必填项" in html and "选项不正确" in html
        response = self.post(client, kit, ends_on=days_ago(10).isoformat())
        assert "结束日期不能早于开始日期" in response.content.decode()
        with pytest.raises(ValidationError) as caught:
            make_campaign(kit, leader=kit.d.tom)
        assert caught.value.message_dict["leader"] == ["带队领导须为区领导"]
        response = self.post(client, kit, starts_on="31/02/2026")
        assert response.status_code == 400 and "日期格式不正确" in response.content.decode()
        assert not Campaign.objects.exists()

    def test_it_edits_and_audits(self, kit, client_for):
        from hazardledger.audit.models import AuditEvent

        campaign = make_campaign(kit)
        client = client_for(kit.d.alice)
        response = client.post(
            reverse("inspections:campaign_edit", args=[campaign.pk]),
            {
                "name": "改名后的大检查",
                "starts_on": campaign.starts_on.isoformat(),
                "ends_on": campaign.ends_on.isoformat(),
                "leader": kit.d.leo.pk,
                "committee": kit.d.committee.pk,
                "territories": [kit.d.town_a.pk],
            },
        )
        assert response.status_code == 302
        campaign.refresh_from_db()
        assert campaign.name == "改名后的大检查"
        event = AuditEvent.objects.filter(action="campaign.update").get()
        assert event.changes["name"] == ["建筑施工领域拉网式大检查", "改名后的大检查"]
        assert event.changes["territories"] == [[], [kit.d.town_a.pk]]

    def test_it_refuses_writes_from_the_wrong_role(self, kit):
        with pytest.raises(PermissionDenied):
            make_campaign(kit, actor=kit.d.tom)
