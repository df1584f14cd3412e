"""What meetings read from the enforcement app: joint actions for the district minimums and
enforcement cases as targets of follow-up items."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hazardledger.enforcement.models import Case, JointAction
from hazardledger.enterprises.models import Enterprise
from hazardledger.meetings import compliance, links, services

from .conftest import store_profile

D = date


def _action(district, day, territories, departments):
    action = JointAction.objects.create(acted_on=day, title="联合执法", lead_unit=district.office)
    action.territories.set(territories)
    action.departments.set(departments)
    action.units.set([*territories, *departments])
    return action


class JointActionCountTestCase:
    def test_it_counts_actions_that_cross_territories_and_departments(self, district, weekly):
        d = district
        _action(d, D(2014, 9, 5), [d.town_a, d.town_b], [d.dept_a, d.dept_b])  # counts
        _action(d, D(2014, 9, 9), [d.town_a, d.town_b], [d.dept_a])  # one department only
        _action(d, D(2014, 9, 12), [d.town_a], [d.dept_a, d.dept_b])  # one territory only
        _action(d, D(2014, 10, 2), [d.town_a, d.town_b], [d.dept_a, d.dept_b])  # after the window
        [window] = compliance.compute(
            start=D(2014, 9, 1), end=D(2014, 9, 30), today=D(2014, 10, 10)
        ).district
        assert (window.joint_actions, window.min_joint_actions) == (1, 2)
        assert not window.joint_actions_met

    def test_it_follows_the_policy_on_what_must_be_crossed(self, district, db):
        store_profile(
            "territories-only",
            activate=True,
            joint_meetings__joint_action_must_cross=["territories"],
        )
        d = district
        _action(d, D(2014, 9, 5), [d.town_a, d.town_b], [d.dept_a, d.dept_b])
        _action(d, D(2014, 9, 9), [d.town_a, d.town_b], [d.dept_a])
        [window] = compliance.compute(
            start=D(2014, 9, 1), end=D(2014, 9, 30), today=D(2014, 10, 10)
        ).district
        assert window.joint_actions == 2 and window.joint_actions_met


@pytest.fixture
def cases(district):
    ent_a = Enterprise.objects.create(
        credit_code="91370306MA3C000001",
        name="甲镇建筑公司",
        address="甲镇",
        territory=district.town_a,
        industry=district.building,
    )
    ent_b = Enterprise.objects.create(
        credit_code="91370306MA3C000002",
        name="乙街道化工厂",
        address="乙街道",
        territory=district.town_b,
        industry=district.chemicals,
    )
    a = Case.objects.create(
        kind="suspension",
        number="ZF-A-1",
        enterprise=ent_a,
        territory=district.town_a,
        industry=district.building,
    )
    b = Case.objects.create(
        kind="suspension",
        number="ZF-B-1",
        enterprise=ent_b,
        territory=district.town_b,
        industry=district.chemicals,
    )
    return a, b


class CaseLinkTestCase:
    def test_it_links_cases_in_scope_and_shows_them_to_who_may_see_them(
        self, district, rec, weekly, cases
    ):
        mine, _other = cases
        meeting = rec.meeting(
            district.town_a, timezone.localdate() - timedelta(days=1), decisions=["查处"]
        )
        data = dict(
            decision=meeting.decisions.get(),
            title="督促停产整顿到位",
            owner_unit=district.dept_a,
            due_on=timezone.localdate() + timedelta(days=5),
        )
        with pytest.raises(ValidationError) as exc:
            services.item_create(
                actor=district.tom, data=services.ItemInput(**data, case_numbers=["ZF-B-1"])
            )
        assert "ZF-B-1" in str(exc.value.message_dict["case_numbers"])
        item = services.item_create(
            actor=district.tom, data=services.ItemInput(**data, case_numbers=["ZF-A-1"])
        )
        shown = links.visible_links(district.tom, list(item.links.all()))
        assert shown == [{"kind": "执法案件", "label": "ZF-A-1", "url": f"/enforcement/{mine.pk}/"}]
        assert links.visible_links(district.tina, list(item.links.all())) == []
