"""A failed checklist item becomes a hazard card in one step, linked both ways."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from hazardledger.hazards.models import FileKind, Hazard
from hazardledger.inspections import services
from hazardledger.inspections.models import InspectionItem, ItemResult

from .conftest import days_ago, photo


def failed_item(kit, **kwargs) -> InspectionItem:
    inspection = kit.inspect(kit.a_build, fail=1, on=days_ago(1), **kwargs)
    return inspection.items.select_related("checklist_item", "inspection").get(
        result=ItemResult.FAIL
    )


def prefilled_post(client, item, **overrides):
    url = reverse("inspections:item_hazard", args=[item.inspection_id, item.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(overrides)
    return client.post(url, data)


class RaiseHazardTestCase:
    def test_it_registers_a_prefilled_card_linked_both_ways(self, kit, client_for):
        item = failed_item(kit)
        response = prefilled_post(client_for(kit.d.tom), item)
        hazard = Hazard.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("hazards:detail", args=[hazard.pk])
        item.refresh_from_db()
        assert item.hazard == hazard
        assert hazard.inspection_item == item
        assert hazard.inspection_item.inspection.enterprise == kit.a_build
        ci = item.checklist_item
        assert ci.text in hazard.description and "灭火器压力不足" in hazard.description
        assert hazard.location == "一号车间"
        assert hazard.category == ci.category and hazard.nature == ci.nature
        assert hazard.level == "general" and hazard.source == "government_inspection"
        assert item.inspection.number in hazard.source_ref and ci.code in hazard.source_ref
        assert hazard.found_on == days_ago(1) and "Tom" in hazard.found_by
        assert hazard.enterprise == kit.a_build and hazard.territory == kit.d.town_a

    def test_it_shows_the_link_on_the_inspection(self, kit, client_for):
        item = failed_item(kit)
        hazard = services.inspection_item_raise_hazard(actor=kit.d.tom, item=item)
        html = (
            client_for(kit.d.tom)
            .get(reverse("inspections:detail", args=[item.inspection_id]))
            .content.decode()
        )
        assert hazard.card_no in html
        assert reverse("hazards:detail", args=[hazard.pk]) in html
        assert reverse("inspections:item_hazard", args=[item.inspection_id, item.pk]) not in html

    def test_it_carries_the_item_photo_to_the_card(self, kit):
        version = kit.version()
        first = next(iter(version.items.all()))
        items = kit.items(version)
        items[first.pk] = services.ItemInput("fail", note="配电箱无漏电保护", photo=photo())
        inspection = kit.inspect(kit.a_build, version=version, items=items)
        item = inspection.items.get(checklist_item=first)
        hazard = services.inspection_item_raise_hazard(
            actor=kit.d.tom, item=item, data={"location": "配电室"}
        )
        files = list(hazard.files.all())
        assert [f.kind for f in files] == [FileKind.BEFORE_PHOTO]
        assert files[0].sha256 == item.photo_sha256

    def test_it_registers_only_once(self, kit, client_for):
        item = failed_item(kit)
        client = client_for(kit.d.tom)
        assert prefilled_post(client, item).status_code == 302
        item.refresh_from_db()
        with pytest.raises(services.Conflict):
            services.inspection_item_raise_hazard(actor=kit.d.tom, item=item)
        url = reverse("inspections:item_hazard", args=[item.inspection_id, item.pk])
        assert client.post(url, {"location": "x"}).status_code == 409
        assert Hazard.objects.count() == 1

    def test_it_refuses_a_passed_item(self, kit, client_for):
        inspection = kit.inspect(kit.a_build)
        item = inspection.items.first()
        with pytest.raises(services.Conflict):
            services.inspection_item_raise_hazard(actor=kit.d.tom, item=item)
        url = reverse("inspections:item_hazard", args=[inspection.pk, item.pk])
        assert client_for(kit.d.tom).get(url).status_code == 409
        assert not Hazard.objects.exists()

    def test_it_uses_the_source_of_the_inspection_kind(self, kit):
        inspection = kit.inspect(
            kit.a_build, actor=kit.d.eve, kind="self", fail=1, lead_name="王厂长"
        )
        item = inspection.items.get(result="fail")
        hazard = services.inspection_item_raise_hazard(actor=kit.d.eve, item=item)
        assert hazard.source == "self_inspection" and hazard.inspection_item == item
        expert = kit.inspect(
            kit.a_build, kind="expert", fail=1, agency="某安全评价公司", lead_name="李工"
        )
        item = expert.items.get(result="fail")
        assert (
            services.inspection_item_raise_hazard(actor=kit.d.tom, item=item).source
            == "expert_diagnosis"
        )


class RaiseHazardRefusalTestCase:
    def test_it_shows_the_card_rules_as_field_errors_and_changes_nothing(self, kit, client_for):
        item = failed_item(kit)
        response = prefilled_post(client_for(kit.d.tom), item, level="major", location="")
        html = response.content.decode()
        assert response.status_code == 400
        assert "重大事故隐患须注明判定标准" in html and "请填写隐患部位" in html
        item.refresh_from_db()
        assert item.hazard is None and not Hazard.objects.exists()

    def test_it_answers_403_to_roles_that_cannot_register_cards(self, kit, client_for):
        item = failed_item(kit)
        for person in (kit.d.alice, kit.d.leo, kit.d.carl):
            url = reverse("inspections:item_hazard", args=[item.inspection_id, item.pk])
            assert client_for(person).get(url).status_code == 403
        with pytest.raises(PermissionDenied):
            services.inspection_item_raise_hazard(actor=kit.d.alice, item=item)
        assert not Hazard.objects.exists()

    def test_it_answers_404_outside_the_scope(self, kit, client_for):
        item = failed_item(kit)
        url = reverse("inspections:item_hazard", args=[item.inspection_id, item.pk])
        assert client_for(kit.d.tina).post(url, {"location": "x"}).status_code == 404
        other = kit.inspect(kit.a_build)
        wrong = reverse("inspections:item_hazard", args=[other.pk, item.pk])
        assert client_for(kit.d.tom).get(wrong).status_code == 404
