"""Handling: triage, acceptance, verification, feedback, deadlines, hazard cards, duplicates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from hazardledger.hazards.models import Hazard, HazardSource
from hazardledger.lib.workflow import ActionForbidden, ActionNotAvailable, GuardFailed
from hazardledger.policy.services import active_policy
from hazardledger.tipoffs import duplicates, rules, services
from hazardledger.tipoffs.models import Status
from hazardledger.tipoffs.selectors import first_reporter, tipoffs_visible_to

from .conftest import NAME, PHONE, REAL


class HandlingTestCase:
    def test_it_runs_from_receipt_to_closure(self, kit):
        tipoff = kit.submit().tipoff
        services.tipoff_assign(
            actor=kit.d.hank, tipoff=tipoff, territory=kit.d.town_a, department=kit.d.dept_a
        )
        services.tipoff_accept(actor=kit.d.tom, tipoff=tipoff)
        services.tipoff_verify(
            actor=kit.d.tom,
            tipoff=tipoff,
            data={
                "verification": "partly",
                "verification_note": "脚手架确无安全网",
                "severity": "general",
            },
        )
        with pytest.raises(GuardFailed):
            services.tipoff_close(actor=kit.d.tom, tipoff=tipoff)
        services.tipoff_message(actor=kit.d.tom, tipoff=tipoff, body="已责令整改", is_feedback=True)
        services.tipoff_close(actor=kit.d.tom, tipoff=tipoff)
        assert tipoff.status == Status.CLOSED and tipoff.closed_at

    def test_it_needs_a_unit_to_assign(self, kit):
        tipoff = kit.submit(subject="无名作坊").tipoff
        with pytest.raises(GuardFailed) as caught:
            services.tipoff_assign(actor=kit.d.hank, tipoff=tipoff, territory=None, department=None)
        assert "territory" in caught.value.fields

    def test_it_refuses_a_territory_that_is_not_one(self, kit):
        tipoff = kit.submit().tipoff
        with pytest.raises(GuardFailed):
            services.tipoff_assign(
                actor=kit.d.hank, tipoff=tipoff, territory=kit.d.dept_a, department=None
            )

    def test_it_shows_assigned_tipoffs_only_to_the_responsible_officers(self, kit):
        tipoff = kit.submit().tipoff
        assert not tipoffs_visible_to(kit.d.tom).exists()
        services.tipoff_assign(
            actor=kit.d.hank, tipoff=tipoff, territory=kit.d.town_a, department=kit.d.dept_a
        )
        assert tipoff in tipoffs_visible_to(kit.d.tom)
        assert tipoff in tipoffs_visible_to(kit.d.dora)
        for person in (kit.d.tina, kit.d.eve, kit.d.xena, kit.d.fred, kit.d.nobody):
            assert tipoff not in tipoffs_visible_to(person)
        for person in (kit.d.hank, kit.d.cora, kit.d.sam, kit.d.alice, kit.d.leo):
            assert tipoff in tipoffs_visible_to(person)

    def test_it_refuses_handling_outside_scope(self, kit):
        tipoff = kit.submit().tipoff
        services.tipoff_assign(
            actor=kit.d.hank, tipoff=tipoff, territory=kit.d.town_a, department=None
        )
        with pytest.raises(PermissionDenied):
            services.tipoff_accept(actor=kit.d.tina, tipoff=tipoff)

    def test_it_sends_back_and_extends_once(self, kit):
        tipoff = kit.submit().tipoff
        services.tipoff_assign(
            actor=kit.d.hank, tipoff=tipoff, territory=kit.d.town_a, department=None
        )
        services.tipoff_send_back(actor=kit.d.tom, tipoff=tipoff, reason="不在本镇")
        assert tipoff.status == Status.RECEIVED
        services.tipoff_assign(
            actor=kit.d.hank, tipoff=tipoff, territory=kit.d.town_a, department=None
        )
        services.tipoff_accept(actor=kit.d.tom, tipoff=tipoff)
        due = rules.handling_due(tipoff.accepted_at, False, active_policy().tipoffs)
        services.tipoff_extend(actor=kit.d.alice, tipoff=tipoff, reason="需要检测")
        extended = rules.handling_due(tipoff.accepted_at, True, active_policy().tipoffs)
        assert extended - due == timedelta(days=30)
        with pytest.raises(GuardFailed):
            services.tipoff_extend(actor=kit.d.alice, tipoff=tipoff, reason="再延")

    def test_it_computes_the_deadlines_from_the_policy(self, kit):
        limits = active_policy().tipoffs
        tipoff = kit.verified()
        assert rules.handling_due(
            tipoff.accepted_at, False, limits
        ) - tipoff.accepted_at == timedelta(days=60)
        assert rules.feedback_due(tipoff.verified_at, limits) - tipoff.verified_at == timedelta(
            days=10
        )

    @pytest.mark.parametrize(
        "data, field",
        [
            ({"verification": "maybe"}, "verification"),
            ({"severity": "huge"}, "severity"),
            ({"verification_note": ""}, "verification_note"),
            ({"fine_yuan": -5}, "fine_yuan"),
            ({"fine_yuan": "many"}, "fine_yuan"),
            ({"fine_yuan": 10**30}, "fine_yuan"),
        ],
    )
    def test_it_refuses_bad_verification_data(self, kit, data, field):
        tipoff = kit.submit().tipoff
        services.tipoff_assign(
            actor=kit.d.hank, tipoff=tipoff, territory=kit.d.town_a, department=None
        )
        services.tipoff_accept(actor=kit.d.tom, tipoff=tipoff)
        values = {
            "verification": "true",
            "verification_note": "核实",
            "severity": "general",
            **data,
        }
        with pytest.raises(GuardFailed) as caught:
            services.tipoff_verify(actor=kit.d.tom, tipoff=tipoff, data=values)
        assert field in caught.value.fields
        tipoff.refresh_from_db()
        assert tipoff.status == Status.VERIFYING

    def test_it_lets_only_one_of_two_concurrent_clicks_win(self, kit):
        tipoff = kit.submit().tipoff
        stale = type(tipoff).objects.get(pk=tipoff.pk)
        services.tipoff_reject(actor=kit.d.hank, tipoff=tipoff, reason="无内容")
        with pytest.raises(Exception) as caught:
            services.tipoff_assign(
                actor=kit.d.hank, tipoff=stale, territory=kit.d.town_a, department=None
            )
        assert getattr(caught.value, "status_code", None) == 409


class HazardCardTestCase:
    def test_it_registers_a_card_naming_the_tipoff_never_the_reporter(self, kit):
        tipoff = kit.verified(**REAL)
        hazard = services.tipoff_raise_hazard(
            actor=kit.d.tom,
            tipoff=tipoff,
            data={
                "location": "三号工地",
                "description": "脚手架未挂安全网",
                "category": "site_management",
                "nature": "thing",
                "level": "general",
            },
        )
        assert hazard.source == HazardSource.TIPOFF
        assert hazard.source_ref == tipoff.origin_label()
        assert tipoff.number in hazard.source_ref and tipoff.pseudonym in hazard.source_ref
        assert list(tipoff.hazards.all()) == [hazard]
        fields = " ".join(
            str(v) for v in Hazard.objects.filter(pk=hazard.pk).values().get().values()
        )
        assert NAME not in fields and PHONE not in fields

    def test_it_refuses_a_card_before_acceptance(self, kit):
        tipoff = kit.submit().tipoff
        with pytest.raises(GuardFailed):
            services.tipoff_raise_hazard(actor=kit.d.hank, tipoff=tipoff, data={})

    def test_it_labels_the_origin_for_other_apps(self, kit):
        tipoff = kit.submit().tipoff
        assert tipoff.origin_label() == f"举报 {tipoff.number}（{tipoff.pseudonym}）"


class DuplicateTestCase:
    def test_it_suggests_similar_reports_and_a_person_confirms(self, kit):
        first = kit.submit(
            description="甲镇建筑公司三号工地脚手架没有安全网，工人高空作业不系安全带"
        ).tipoff
        again = kit.submit(description="三号工地的脚手架没有挂安全网，工人不系安全带").tipoff
        other = kit.submit(
            subject="乙街道化工厂",
            location="仓库",
            description="仓库里堆放大量危险化学品，没有通风",
        ).tipoff
        found = [c.tipoff for c in duplicates.suggestions(again, tipoffs_visible_to(kit.d.hank))]
        assert found[0] == first and other not in found
        assert first_reporter(again) == again
        services.tipoff_confirm_duplicate(actor=kit.d.hank, tipoff=again, original=first)
        assert first_reporter(again) == first

    def test_it_keeps_one_root_when_groups_merge(self, kit):
        a, b, c = (kit.submit().tipoff for _ in range(3))
        services.tipoff_confirm_duplicate(actor=kit.d.hank, tipoff=c, original=b)
        services.tipoff_confirm_duplicate(actor=kit.d.hank, tipoff=b, original=a)
        c.refresh_from_db()
        assert c.duplicate_of == a and first_reporter(c) == a

    def test_it_lets_only_intake_confirm(self, kit):
        a, b = kit.submit().tipoff, kit.submit().tipoff
        with pytest.raises(PermissionDenied):
            services.tipoff_confirm_duplicate(actor=kit.d.tom, tipoff=b, original=a)

    def test_it_refuses_self_duplicates(self, kit):
        a = kit.submit().tipoff
        with pytest.raises(GuardFailed):
            services.tipoff_confirm_duplicate(actor=kit.d.hank, tipoff=a, original=a)

    def test_it_scores_chinese_text_by_character_ngrams(self):
        assert rules.similarity("脚手架没有安全网", "脚手架没有挂安全网") > 0.6
        assert rules.similarity("脚手架没有安全网", "仓库堆放危险化学品") < 0.3


class WorkflowTableTestCase:
    """Every (state, action) pair: allowed roles reach the table's target, others get 403, and
    an action the state lacks is 409."""

    def test_it_covers_every_pair(self):
        from hazardledger.org.models import Role
        from hazardledger.tipoffs.workflow import REWARD, TIPOFF

        for workflow in (TIPOFF, REWARD):
            for state in workflow.states:
                for action in workflow.actions:
                    transition = workflow.find(state, action)
                    for role in [*Role.values, "reporter"]:
                        if transition is None:
                            with pytest.raises(ActionNotAvailable):
                                workflow.check(state, action, {role})
                        elif role in transition.roles:
                            assert workflow.allows(state, action, {role})
                        else:
                            with pytest.raises(ActionForbidden):
                                workflow.check(state, action, {role})


class CardPageTestCase:
    def test_it_shows_number_and_pseudonym_on_the_card_page(self, kit, client_for):
        from django.urls import reverse

        tipoff = kit.verified(**REAL)
        hazard = services.tipoff_raise_hazard(
            actor=kit.d.tom,
            tipoff=tipoff,
            data={
                "location": "三号工地",
                "description": "脚手架未挂安全网",
                "category": "site_management",
                "nature": "thing",
                "level": "general",
            },
        )
        html = client_for(kit.d.tom).get(reverse("hazards:detail", args=[hazard.pk])).content
        page = html.decode()
        assert tipoff.number in page and tipoff.pseudonym in page
        assert NAME not in page and PHONE not in page
