"""Recording inspections: items, inspectors, photos, idempotent submit, scope and bad input."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hazardledger.audit.models import AuditEvent
from hazardledger.inspections import services
from hazardledger.inspections.models import Inspection, InspectionItem, ItemResult

from .conftest import days_ago, photo, png


def form_data(kit, enterprise, version, /, *, key=None, fail=0, **overrides):
    """The POST body of the inspection form, as a browser would send it."""
    data = {
        "submission_key": str(key or uuid.uuid4()),
        "checklist_version": version.pk,
        "kind": "government",
        "enterprise": enterprise.pk,
        "campaign": "",
        "inspected_on": timezone.localdate().isoformat(),
        "lead": kit.d.tom.pk,
        "inspectors": [kit.d.nobody_official.pk],
        "summary": "总体良好",
        "representative_name": "王经理",
        "representative_confirmed": "on",
    }
    for index, ci in enumerate(version.items.all()):
        failed = index < fail
        data[f"item_{ci.pk}_result"] = "fail" if failed else "pass"
        data[f"item_{ci.pk}_note"] = "消防通道堵塞" if failed else ""
        data[f"item_{ci.pk}_location"] = "仓库" if failed else ""
    data.update(overrides)
    return data


class RecordTestCase:
    def test_it_records_every_item_of_the_version(self, kit):
        inspection = kit.inspect(kit.a_build, fail=2)
        version = kit.version()
        assert inspection.checklist_version == version
        assert inspection.items.count() == version.items.count()
        assert inspection.items.filter(result=ItemResult.FAIL).count() == 2
        assert set(inspection.inspectors.all()) == {kit.d.tom, kit.d.nobody_official}
        assert inspection.lead == kit.d.tom and inspection.lead_name == "Tom"
        assert (
            AuditEvent.objects.filter(
                action="inspection.record", object_id=str(inspection.pk)
            ).count()
            == 1
        )

    def test_it_records_through_the_form_on_a_phone(self, kit, client_for):
        client = client_for(kit.d.tom)
        version = kit.version()
        page = client.get(reverse("inspections:create") + f"?enterprise={kit.a_build.pk}")
        html = page.content.decode()
        assert page.status_code == 200
        assert 'name="viewport" content="width=device-width' in html
        assert 'accept="image/*"' in html and 'capture="environment"' in html
        assert 'data-draft="inspection"' in html and "js/inspections.js" in html
        data = form_data(kit, kit.a_build, version, fail=1)
        first = next(iter(version.items.all()))
        data[f"item_{first.pk}_photo"] = photo()
        response = client.post(reverse("inspections:create"), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        inspection = Inspection.objects.get()
        item = inspection.items.get(checklist_item=first)
        assert item.result == "fail" and item.note == "消防通道堵塞"
        assert item.photo.name.startswith("inspections/") and item.photo.name.endswith(".jpg")
        assert len(item.photo_sha256) == 64 and item.photo_content_type == "image/jpeg"
        assert inspection.confirmed_at is not None and inspection.representative_name == "王经理"
        detail = client.get(reverse("inspections:detail", args=[inspection.pk]))
        assert detail.status_code == 200
        assert f'data-submitted-key="{inspection.submission_key}"' in detail.content.decode()
        assert (
            client.get(reverse("inspections:item_photo", args=[inspection.pk, item.pk])).status_code
            == 200
        )


class IdempotentSubmitTestCase:
    def test_it_does_not_duplicate_a_resubmitted_form(self, kit, client_for):
        client = client_for(kit.d.tom)
        data = form_data(kit, kit.a_build, kit.version(), fail=1)
        first = client.post(reverse("inspections:create"), data)
        again = client.post(reverse("inspections:create"), data)
        assert first.status_code == again.status_code == 302
        assert first["Location"] == again["Location"]
        assert Inspection.objects.count() == 1
        assert InspectionItem.objects.count() == kit.version().items.count()
        assert AuditEvent.objects.filter(action="inspection.record").count() == 1

    def test_it_returns_the_same_inspection_from_the_service(self, kit):
        key = uuid.uuid4()
        first = kit.inspect(kit.a_build, key=key)
        second = kit.inspect(kit.a_build, key=key, fail=3)
        assert first.pk == second.pk
        assert Inspection.objects.count() == 1
        assert not InspectionItem.objects.filter(result=ItemResult.FAIL).exists()

    def test_it_refuses_a_key_used_by_someone_else(self, kit):
        key = uuid.uuid4()
        kit.inspect(kit.a_build, key=key)
        with pytest.raises(services.Conflict):
            kit.inspect(
                kit.a_build, key=key, actor=kit.d.alice, lead=kit.d.alice, inspectors=[kit.d.tom]
            )
        assert Inspection.objects.count() == 1


class InspectorsTestCase:
    def test_it_requires_the_policy_minimum_for_a_government_inspection(self, kit):
        with pytest.raises(ValidationError) as caught:
            kit.inspect(kit.a_build, inspectors=[])
        assert "至少 2 名检查人员" in caught.value.message_dict["inspectors"][0]
        assert not Inspection.objects.exists()

    def test_it_counts_the_lead_once(self, kit):
        with pytest.raises(ValidationError):
            kit.inspect(kit.a_build, inspectors=[kit.d.tom])

    def test_it_applies_the_minimum_to_joint_inspections(self, kit):
        with pytest.raises(ValidationError) as caught:
            kit.inspect(kit.a_build, kind="joint", inspectors=[])
        assert "inspectors" in caught.value.message_dict

    def test_it_follows_the_policy_number(self, kit):
        from hazardledger.policy.models import PolicyProfile
        from hazardledger.policy.services import _cache

        profile = PolicyProfile.objects.get(is_active=True)
        profile.data["inspections"]["government_min_inspectors"] = 3
        PolicyProfile.objects.filter(pk=profile.pk).update(
            data=profile.data, loaded_at=timezone.now()
        )
        try:
            with pytest.raises(ValidationError) as caught:
                kit.inspect(kit.a_build)
            assert "至少 3 名" in caught.value.message_dict["inspectors"][0]
            kit.inspect(kit.a_build, inspectors=[kit.d.nobody_official, kit.d.dora])
        finally:
            _cache.clear()  # the edited profile must not outlive this test

    def test_it_does_not_require_two_for_a_self_inspection(self, kit):
        inspection = kit.inspect(kit.a_build, actor=kit.d.eve, kind="self", lead_name="王厂长")
        assert inspection.lead is None and inspection.lead_name == "王厂长"
        assert list(inspection.inspectors.all()) == [kit.d.eve]

    def test_it_refuses_enterprise_users_as_government_inspectors(self, kit):
        with pytest.raises(ValidationError) as caught:
            kit.inspect(kit.a_build, inspectors=[kit.d.eve])
        assert caught.value.message_dict["inspectors"] == ["检查人员须为在职的监管人员"]


class BadInputTestCase:
    def test_it_shows_field_errors_in_chinese_and_saves_nothing(self, kit, client_for):
        client = client_for(kit.d.tom)
        version = kit.version()
        items = list(version.items.all())
        data = form_data(
            kit,
            kit.a_build,
            version,
            fail=1,
            inspectors=[],
            inspected_on="2099-01-01",
            representative_name="",
        )
        del data[f"item_{items[-1].pk}_result"]
        data[f"item_{items[0].pk}_note"] = ""
        data[f"item_{items[1].pk}_photo"] = photo("x.jpg", b"not an image at all")
        response = client.post(reverse("inspections:create"), data)
        html = response.content.decode()
        assert response.status_code == 400
        for message in [
            "检查日期不能晚于今天",
            "至少 2 名检查人员",
            "请选择检查结果",
            "不合格项须说明存在的问题",
            "不是有效的图片文件",
            "企业当场确认时须填写确认人姓名",
        ]:
            assert message in html, message
        assert not Inspection.objects.exists()
        assert not InspectionItem.objects.exists()

    def test_it_rejects_malformed_values_without_a_500(self, kit, client_for):
        client = client_for(kit.d.tom)
        data = form_data(
            kit,
            kit.a_build,
            kit.version(),
            submission_key="not-a-uuid",
            inspected_on="yesterday",
            enterprise="abc",
            lead="999999",
            checklist_version="999999",
            kind="bogus",
        )
        response = client.post(reverse("inspections:create"), data)
        assert response.status_code == 400
        html = response.content.decode()
        assert "表单已失效，请刷新页面" in html and "日期格式不正确" in html
        assert not Inspection.objects.exists()

    def test_it_rejects_an_oversized_photo(self, kit):
        from hazardledger.lib import files

        big = photo("big.jpg", b"\xff\xd8" + b"0" * (files.MAX_PHOTO_BYTES + 1))
        version = kit.version()
        first = next(iter(version.items.all()))
        items = kit.items(version)
        items[first.pk] = services.ItemInput("pass", photo=big)
        with pytest.raises(ValidationError) as caught:
            kit.inspect(kit.a_build, version=version, items=items, on=days_ago(1))
        assert caught.value.message_dict[f"item_{first.pk}_photo"] == ["照片过大（上限 8 MB）"]

    def test_it_accepts_png_and_webp_by_content(self, kit):
        from hazardledger.lib import files

        assert files.check_photo(photo("a.gif", png())).content_type == "image/png"
        assert files.check_photo(photo("a.txt", png(fmt="WEBP"))).extension == "webp"
        with pytest.raises(ValidationError):
            files.check_photo(photo("a.jpg", png(fmt="GIF")))

    def test_it_refuses_items_of_another_version(self, kit):
        other = kit.version("building")
        items = kit.items(kit.version())
        items.update(kit.items(other))
        with pytest.raises(ValidationError) as caught:
            kit.inspect(kit.a_build, version=kit.version(), items=items, on=days_ago(1))
        assert "items" in caught.value.message_dict


class ScopeTestCase:
    def test_it_answers_404_for_another_towns_inspection(self, kit, client_for):
        inspection = kit.inspect(kit.a_build, fail=1)
        item = inspection.items.filter(result="fail").first()
        client = client_for(kit.d.tina)
        for url in [
            reverse("inspections:detail", args=[inspection.pk]),
            reverse("inspections:item_photo", args=[inspection.pk, item.pk]),
            reverse("inspections:item_hazard", args=[inspection.pk, item.pk]),
        ]:
            assert client.get(url).status_code == 404, url

    def test_it_answers_403_to_the_wrong_role(self, kit, client_for):
        inspection = kit.inspect(kit.a_build)
        for person in (kit.d.xena, kit.d.hank, kit.d.nobody):
            client = client_for(person)
            assert client.get(reverse("inspections:list")).status_code == 403
            assert (
                client.get(reverse("inspections:detail", args=[inspection.pk])).status_code == 403
            )
            assert client.get(reverse("inspections:create")).status_code == 403

    def test_it_sends_anonymous_users_to_login(self, kit, client):
        response = client.get(reverse("inspections:list"))
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_it_refuses_to_record_outside_the_scope(self, kit):
        with pytest.raises(PermissionDenied):
            kit.inspect(kit.b_build)
        with pytest.raises(PermissionDenied):
            kit.inspect(kit.a_build, actor=kit.d.sam, lead=kit.d.sam)
        with pytest.raises(PermissionDenied):
            kit.inspect(kit.a_chem, actor=kit.d.eve, kind="self")

    def test_it_lists_only_inspections_in_scope(self, kit, client_for):
        mine = kit.inspect(kit.a_build)
        theirs = kit.inspect(
            kit.b_build, actor=kit.d.tina, lead=kit.d.tina, inspectors=[kit.d.dora]
        )
        html = client_for(kit.d.tom).get(reverse("inspections:list")).content.decode()
        assert mine.number in html and theirs.number not in html
        html = client_for(kit.d.eve).get(reverse("inspections:list")).content.decode()
        assert mine.number in html and theirs.number not in html

    def test_it_lets_the_enterprise_confirm_its_own_inspection(self, kit, client_for):
        inspection = kit.inspect(kit.a_build)
        client = client_for(kit.d.eve)
        response = client.post(
            reverse("inspections:confirm", args=[inspection.pk]),
            {"representative_name": "王经理", "remark": "无异议"},
        )
        assert response.status_code == 302
        inspection.refresh_from_db()
        assert inspection.confirmed_by == kit.d.eve and inspection.representative_remark == "无异议"
        again = client.post(
            reverse("inspections:confirm", args=[inspection.pk]), {"representative_name": "王经理"}
        )
        assert again.status_code == 409
        assert (
            client_for(kit.d.tom)
            .post(
                reverse("inspections:confirm", args=[inspection.pk]), {"representative_name": "x"}
            )
            .status_code
            == 403
        )

    def test_it_keeps_the_list_query_count_flat(
        self, kit, client_for, django_assert_max_num_queries
    ):
        for _ in range(5):
            kit.inspect(kit.a_build, fail=1)
        client = client_for(kit.d.tom)
        client.get(reverse("inspections:list"))
        with django_assert_max_num_queries(12):
            client.get(reverse("inspections:list"))
