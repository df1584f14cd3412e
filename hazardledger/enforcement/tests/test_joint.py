from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hazardledger.audit.models import AuditEvent
from hazardledger.enforcement.joint import joint_action_record
from hazardledger.enforcement.selectors import joint_actions_between, joint_actions_visible_to


class JointActionTestCase:
    def record(self, kit, on: date, units, territories=()):
        return joint_action_record(
            actor=kit.district.fred,
            acted_on=on,
            title="联合检查",
            lead_unit=units[0],
            units=units[1:],
            territories=territories,
            enterprises=[kit.ent_a],
        )

    def test_it_counts_crossings_and_filters_by_date(self, kit):
        d = kit.district
        both = self.record(kit, date(2026, 3, 5), [d.dept_a, d.dept_b, d.town_a, d.town_b])
        one_town = self.record(kit, date(2026, 3, 6), [d.dept_a, d.dept_b, d.town_a])
        one_dept = self.record(kit, date(2026, 3, 7), [d.dept_a, d.town_a], [d.town_b])
        self.record(kit, date(2026, 4, 1), [d.dept_a, d.dept_b, d.town_a, d.town_b])
        rows = {
            a.pk: (a.crosses_territories, a.crosses_departments)
            for a in joint_actions_between(date(2026, 3, 1), date(2026, 3, 31))
        }
        assert rows == {
            both.pk: (True, True),
            one_town.pk: (False, True),
            one_dept.pk: (True, False),
        }
        qs = joint_actions_between(date(2026, 3, 1), date(2026, 3, 31))
        assert qs.filter(crosses_territories=True, crosses_departments=True).count() == 1

    def test_it_needs_two_units_and_the_role(self, kit):
        d = kit.district
        with pytest.raises(ValidationError) as err:
            self.record(kit, date(2026, 3, 5), [d.dept_a])
        assert "units" in err.value.message_dict
        with pytest.raises(PermissionDenied):
            joint_action_record(
                actor=d.tom,
                acted_on=date(2026, 3, 5),
                title="x",
                lead_unit=d.dept_a,
                units=[d.dept_b],
            )
        assert not AuditEvent.objects.filter(action="enforcement.joint_action").exists()

    def test_it_is_hidden_from_enterprises(self, kit):
        d = kit.district
        self.record(kit, date(2026, 3, 5), [d.dept_a, d.dept_b])
        assert joint_actions_visible_to(d.eve).count() == 0
        assert joint_actions_visible_to(d.tom).count() == 1
