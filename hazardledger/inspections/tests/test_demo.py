"""The inspections demo: a running campaign with partial coverage and self-inspections."""

from __future__ import annotations

from django.utils import timezone

from hazardledger.demo import inspections as demo
from hazardledger.inspections import selectors
from hazardledger.inspections.models import Campaign, Inspection, SelfInspectionSchedule
from hazardledger.org.models import UnitKind
from hazardledger.org.services import unit_upsert


class DemoTestCase:
    def test_it_skips_without_enterprises(self, district, policy):
        assert demo.build() == 0
        assert not Inspection.objects.exists()

    def test_it_builds_once_and_deterministically(self, kit):
        committee = unit_upsert(
            actor=None,
            code=demo.COMMITTEE_CODE,
            name="危化品专委会",
            kind=UnitKind.PROFESSIONAL_COMMITTEE,
            parent=kit.d.gov,
        )
        for n in range(12):
            kit.enterprise(f"化工企业{n}", kit.d.town_a if n % 2 else kit.d.town_b, kit.d.chemicals)
        created = demo.build()
        assert created == Inspection.objects.count() > 0
        campaign = Campaign.objects.get()
        assert campaign.committee == committee and campaign.leader == kit.d.leo
        total = selectors.coverage_total(kit.d.alice, campaign)
        assert total.in_scope == 13 and 0 < total.inspected < total.in_scope
        assert SelfInspectionSchedule.objects.count() == 15
        missed = selectors.missed_self_inspections(kit.d.alice, 30, timezone.localdate())
        assert missed and {r.state.schedule.enterprise_id for r in missed} >= {kit.a_build.pk}
        keys = sorted(str(k) for k in Inspection.objects.values_list("submission_key", flat=True))
        assert demo.build() == 0
        assert Inspection.objects.count() == created
        Inspection.objects.all().delete()
        Campaign.objects.all().delete()
        SelfInspectionSchedule.objects.all().delete()
        demo.build()
        assert (
            sorted(str(k) for k in Inspection.objects.values_list("submission_key", flat=True))
            == keys
        )
