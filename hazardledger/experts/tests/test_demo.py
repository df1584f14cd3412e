"""The demo pool: experts with specialties, a conflict of interest, assignments within the
policy, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from hazardledger.experts.models import Expert, ExpertAssignment
from hazardledger.experts.selectors import conflicts_of, experts_suggested
from hazardledger.hazards.models import Hazard, HazardStatus
from hazardledger.policy.services import active_policy


@pytest.fixture
def demo(db, monkeypatch, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("HAZARDLEDGER_DEMO_PASSWORD", "demo-password-2026")
    call_command("load_demo", verbosity=0)


class DemoPoolTestCase:
    def test_it_builds_the_pool_with_conflicts_and_assignments(self, demo):
        experts = {e.user.username: e for e in Expert.objects.select_related("user")}
        assert len(experts) == 7
        assert all(e.specialties.exists() for e in experts.values())
        employed = experts["expert4"]
        assert employed.employer_enterprise is not None
        assert conflicts_of(employed, employed.employer_enterprise)
        engaged = experts["expert5"].engagements.get().enterprise
        assert conflicts_of(experts["expert5"], engaged)
        suggested = experts_suggested(enterprise=employed.employer_enterprise)
        assert employed not in suggested and experts["expert6"] not in suggested
        assert experts["expert7"] not in suggested  # away today
        limit = active_policy().experts.max_open_assignments
        opened = ExpertAssignment.objects.filter(released_at__isnull=True)
        assert opened.exists()
        for expert in experts.values():
            assert opened.filter(expert=expert).count() <= limit - 2
        # Every card under evaluation that names an expert holds that expert's assignment.
        for card in Hazard.objects.filter(status=HazardStatus.EVALUATING, expert__isnull=False):
            assert opened.filter(object_id=card.pk, expert__user=card.expert).exists()

    def test_it_is_idempotent_and_the_expert_sees_only_assigned_cards(self, demo):
        before = (Expert.objects.count(), ExpertAssignment.objects.count())
        call_command("load_demo", verbosity=0)
        assert (Expert.objects.count(), ExpertAssignment.objects.count()) == before
        user = Expert.objects.get(user__username="expert").user
        client = Client()
        client.force_login(user)
        mine = ExpertAssignment.objects.filter(expert__user=user, released_at__isnull=True)
        page = client.get(reverse("experts:mine")).content.decode()
        for a in mine:
            assert a.target.card_no in page
        other = Hazard.objects.exclude(pk__in=mine.values("object_id")).first()
        assert client.get(reverse("hazards:detail", args=[other.pk])).status_code == 404
