"""The demo cards: every status, overlays, idempotent, skipped without enterprises."""

from __future__ import annotations

from hazardledger.demo import hazards as demo
from hazardledger.hazards.models import Hazard, HazardStatus


class DemoTestCase:
    def test_it_builds_cards_in_every_status_once(self, kit):
        assert demo.build(count=120) == 120
        statuses = set(Hazard.objects.values_list("status", flat=True))
        assert statuses == set(HazardStatus.values)
        assert Hazard.objects.filter(level="major").exists()
        numbers = list(Hazard.objects.values_list("card_no", flat=True))
        assert len(set(numbers)) == 120 and all("-YH-" in n for n in numbers)
        assert demo.build(count=120) == 0 and Hazard.objects.count() == 120

    def test_it_skips_without_enterprises(self, district):
        assert demo.build() == 0
