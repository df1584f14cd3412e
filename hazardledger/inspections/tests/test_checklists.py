"""Checklists: shipped as data, versioned; editing a live one makes a new version."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from hazardledger.audit.models import AuditEvent
from hazardledger.inspections import services
from hazardledger.inspections.models import (
    Checklist,
    ChecklistItem,
    ChecklistStatus,
    ChecklistVersion,
)
from hazardledger.inspections.selectors import live_version_for
from hazardledger.inspections.services import ItemSpec


def formset_post(items, note=""):
    data = {
        "form-TOTAL_FORMS": str(len(items)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "note": note,
    }
    for index, (category, text) in enumerate(items):
        data.update(
            {
                f"form-{index}-category": category,
                f"form-{index}-text": text,
                f"form-{index}-code": "",
                f"form-{index}-basis": "",
                f"form-{index}-nature": "thing",
            }
        )
    return data


class ShippedChecklistsTestCase:
    def test_it_ships_a_general_and_industry_checklists(self, kit):
        codes = set(Checklist.objects.values_list("code", flat=True))
        assert {"general", "building", "chemicals", "crowded-places"} <= codes
        for version in ChecklistVersion.objects.all():
            assert version.status == ChecklistStatus.LIVE and version.number == 1
            categories = set(version.items.values_list("category", flat=True))
            assert categories == {"basic_management", "site_management"}
        assert list(Checklist.objects.get(code="building").industries.all()) == [kit.d.building]
        assert not Checklist.objects.get(code="general").industries.exists()

    def test_it_loads_idempotently(self, kit):
        items = ChecklistItem.objects.count()
        events = AuditEvent.objects.count()
        call_command("load_checklists", verbosity=0)
        assert ChecklistItem.objects.count() == items
        assert AuditEvent.objects.count() == events

    def test_it_picks_the_industry_checklist_for_an_enterprise(self, kit):
        assert live_version_for(kit.a_build).checklist.code == "building"
        assert live_version_for(kit.a_chem).checklist.code == "chemicals"
        other = kit.enterprise("无行业企业", kit.d.town_a, None)
        assert live_version_for(other).checklist.code == "general"


class VersioningTestCase:
    def test_it_makes_a_new_version_when_a_live_one_is_edited(self, kit):
        v1 = kit.version()
        old_items = list(v1.items.values_list("text", flat=True))
        old = kit.inspect(kit.a_build, version=v1, fail=1)
        v2 = services.checklist_version_save(
            actor=kit.d.alice,
            version=v1,
            note="增加有限空间",
            items=[
                ItemSpec("site_management", "有限空间作业审批"),
                ItemSpec("basic_management", "安全生产责任制"),
            ],
        )
        assert v2.pk != v1.pk and v2.number == 2 and v2.status == ChecklistStatus.DRAFT
        assert v2.based_on == v1
        v1.refresh_from_db()
        assert v1.status == ChecklistStatus.LIVE
        assert list(v1.items.values_list("text", flat=True)) == old_items
        services.checklist_publish(actor=kit.d.alice, version=v2)
        v1.refresh_from_db()
        assert v1.status == ChecklistStatus.ARCHIVED and v1.archived_at is not None
        assert kit.version().pk == v2.pk
        assert [i.code for i in v2.items.order_by("category", "position")] == ["A01", "B01"]
        # The old inspection still shows the items it was run with.
        old.refresh_from_db()
        assert old.checklist_version_id == v1.pk
        assert {i.checklist_item.text for i in old.items.all()} == set(old_items)
        new = kit.inspect(kit.a_build, version=kit.version())
        assert {i.checklist_item.text for i in new.items.all()} == {
            "有限空间作业审批",
            "安全生产责任制",
        }

    def test_it_shows_old_items_on_old_inspections_in_the_browser(self, kit, client_for):
        v1 = kit.version()
        old = kit.inspect(kit.a_build, version=v1)
        admin = client_for(kit.d.alice)
        response = admin.post(
            reverse("inspections:checklist_edit", args=[v1.pk]),
            formset_post([("site_management", "全新的检查项内容")], note="修订"),
        )
        v2 = ChecklistVersion.objects.get(checklist=v1.checklist, number=2)
        assert response.status_code == 302
        assert response["Location"] == reverse("inspections:checklist_version", args=[v2.pk])
        assert admin.post(reverse("inspections:checklist_publish", args=[v2.pk])).status_code == 302
        html = (
            client_for(kit.d.tom).get(reverse("inspections:detail", args=[old.pk])).content.decode()
        )
        assert v1.items.first().text in html
        assert "全新的检查项内容" not in html

    def test_it_edits_a_draft_in_place(self, kit):
        v2 = services.checklist_version_save(
            actor=kit.d.alice, version=kit.version(), items=[ItemSpec("site_management", "甲")]
        )
        same = services.checklist_version_save(
            actor=kit.d.alice, version=v2, items=[ItemSpec("site_management", "乙")]
        )
        assert same.pk == v2.pk
        assert list(v2.items.values_list("text", flat=True)) == ["乙"]
        assert ChecklistVersion.objects.filter(checklist=v2.checklist).count() == 2

    def test_it_keeps_one_draft_at_a_time(self, kit, client_for):
        v1 = kit.version()
        services.checklist_version_save(
            actor=kit.d.alice, version=v1, items=[ItemSpec("site_management", "甲")]
        )
        with pytest.raises(services.Conflict):
            services.checklist_version_save(
                actor=kit.d.alice, version=v1, items=[ItemSpec("site_management", "乙")]
            )
        response = client_for(kit.d.alice).post(
            reverse("inspections:checklist_edit", args=[v1.pk]),
            formset_post([("site_management", "丙")]),
        )
        assert response.status_code == 409
        assert "已有草稿" in response.content.decode()

    def test_it_refuses_to_edit_an_archived_version(self, kit):
        v1 = kit.version()
        services.checklist_archive(actor=kit.d.alice, version=v1)
        with pytest.raises(services.Conflict):
            services.checklist_version_save(
                actor=kit.d.alice, version=v1, items=[ItemSpec("site_management", "甲")]
            )
        with pytest.raises(services.Conflict):
            services.checklist_publish(actor=kit.d.alice, version=v1)

    def test_it_creates_a_checklist_in_the_browser(self, kit, client_for):
        admin = client_for(kit.d.alice)
        response = admin.post(
            reverse("inspections:checklist_create"), {"code": "gas", "name": "城镇燃气检查表"}
        )
        version = ChecklistVersion.objects.get(checklist__code="gas")
        assert response["Location"] == reverse("inspections:checklist_edit", args=[version.pk])
        admin.post(
            reverse("inspections:checklist_edit", args=[version.pk]),
            formset_post([("basic_management", "燃气经营许可证"), ("site_management", "")]),
        )
        assert list(version.items.values_list("text", flat=True)) == ["燃气经营许可证"]
        admin.post(reverse("inspections:checklist_publish", args=[version.pk]))
        version.refresh_from_db()
        assert version.status == ChecklistStatus.LIVE


class ChecklistBadInputTestCase:
    def test_it_refuses_an_empty_checklist_and_changes_nothing(self, kit, client_for):
        v1 = kit.version()
        response = client_for(kit.d.alice).post(
            reverse("inspections:checklist_edit", args=[v1.pk]),
            formset_post([("site_management", "")]),
        )
        assert response.status_code == 400
        assert "检查表至少需要一个检查项" in response.content.decode()
        assert ChecklistVersion.objects.filter(checklist=v1.checklist).count() == 1

    def test_it_refuses_a_duplicate_code_and_bad_category(self, kit, client_for):
        response = client_for(kit.d.alice).post(
            reverse("inspections:checklist_create"), {"code": "general", "name": "重复"}
        )
        assert response.status_code == 400
        assert "该代码已被其他检查表使用" in response.content.decode()
        with pytest.raises(ValidationError):
            services.checklist_version_save(
                actor=kit.d.alice, version=kit.version(), items=[ItemSpec("nonsense", "甲")]
            )

    def test_it_refuses_a_bad_formset_without_a_500(self, kit, client_for):
        data = formset_post([("bogus", "甲")])
        data["form-TOTAL_FORMS"] = "x"
        response = client_for(kit.d.alice).post(
            reverse("inspections:checklist_edit", args=[kit.version().pk]), data
        )
        assert response.status_code == 400


class ChecklistAccessTestCase:
    def test_it_lets_only_the_admin_edit(self, kit, client_for):
        v1 = kit.version()
        for person in (kit.d.tom, kit.d.leo, kit.d.carl):
            client = client_for(person)
            assert (
                client.get(reverse("inspections:checklist_edit", args=[v1.pk])).status_code == 403
            )
            assert (
                client.post(reverse("inspections:checklist_publish", args=[v1.pk])).status_code
                == 403
            )
        with pytest.raises(PermissionDenied):
            services.checklist_version_save(
                actor=kit.d.tom, version=v1, items=[ItemSpec("site_management", "甲")]
            )

    def test_it_hides_drafts_from_everyone_but_the_admin(self, kit, client_for):
        draft = services.checklist_version_save(
            actor=kit.d.alice, version=kit.version(), items=[ItemSpec("site_management", "甲")]
        )
        url = reverse("inspections:checklist_version", args=[draft.pk])
        assert client_for(kit.d.tom).get(url).status_code == 404
        assert client_for(kit.d.alice).get(url).status_code == 200
        live = reverse("inspections:checklist_version", args=[kit.version().pk])
        assert client_for(kit.d.tom).get(live).status_code == 200
        assert client_for(kit.d.xena).get(live).status_code == 403

    def test_it_lists_checklists(self, kit, client_for):
        html = client_for(kit.d.tom).get(reverse("inspections:checklists")).content.decode()
        assert "通用安全生产隐患排查表" in html and "建筑施工安全隐患排查表" in html
