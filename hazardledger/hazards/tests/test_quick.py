"""Quick registration of a 一般隐患 on a phone: five questions at most, the rest derived."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hazardledger.audit.models import AuditEvent
from hazardledger.enterprises.models import Enterprise
from hazardledger.hazards.forms import QuickHazardForm
from hazardledger.hazards.models import FileKind, Hazard, HazardEvent, HazardStatus
from hazardledger.hazards.tests.conftest import photo
from hazardledger.hazards.tests.test_input import errors, unchanged
from hazardledger.hazards.workflow import REGISTER_ROLES
from hazardledger.org.selectors import has_role

QUICK = reverse("hazards:quick")
REQUIRED_TAG = re.compile(r"<(?:input|select|textarea)\b[^>]*\srequired\b[^>]*>")


def answers(**overrides):
    return {
        "location": "二号车间配电室",
        "description": "配电箱未接地",
        "category": "site_management",
        "photos": [photo("before.png")],
    } | overrides


def registration_form(html: str) -> str:
    """The POST form of the page (the search box is a separate GET form)."""
    return re.search(r'<form method="post" enctype.*?</form>', html, re.S).group(0)


class QuickFormTestCase:
    def test_it_asks_at_most_five_required_questions(self):
        required = [name for name, f in QuickHazardForm.base_fields.items() if f.required]
        assert required == ["enterprise", "location", "description", "category", "photos"]

    def test_it_renders_five_required_fields_to_an_officer(self, kit, login):
        html = login(kit.district.tom).get(QUICK).content.decode()
        tags = REQUIRED_TAG.findall(registration_form(html))
        assert len(tags) == 5
        assert len(REQUIRED_TAG.findall(html)) == 5

    def test_it_renders_four_to_an_enterprise_user_with_its_enterprise_fixed(self, kit, login):
        html = login(kit.district.eve).get(QUICK).content.decode()
        assert len(REQUIRED_TAG.findall(html)) == 4
        assert kit.ent_a.name in html and '<select name="enterprise"' not in html

    def test_it_opens_the_camera_and_labels_every_field(self, kit, login):
        html = login(kit.district.tom).get(QUICK).content.decode()
        photos = re.search(r'<input type="file" name="photos"[^>]*>', html).group(0)
        assert 'accept="image/*"' in photos and 'capture="environment"' in photos
        assert "multiple" in photos
        for name in ("enterprise", "location", "description", "category", "photos", "nature"):
            assert f'<label for="id_{name}">' in html, name
        assert reverse("hazards:create") in html and "完整登记（含重大隐患）" in html
        assert "本页只登记一般隐患" in html


class QuickRegistrationTestCase:
    def test_it_registers_an_officers_finding_with_derived_fields(self, kit, login):
        tom = kit.district.tom
        response = login(tom).post(QUICK, answers(enterprise=kit.ent_a.pk))
        hazard = Hazard.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("hazards:detail", args=[hazard.pk])
        assert hazard.card_no.startswith("370306-YH-")
        assert (hazard.enterprise, hazard.level, hazard.status) == (
            kit.ent_a,
            "general",
            HazardStatus.REGISTERED,
        )
        assert hazard.found_by == "Tom" and hazard.found_on == timezone.localdate()
        assert hazard.source == "government_inspection" and hazard.nature == "thing"
        assert hazard.registered_by == tom and hazard.location == "二号车间配电室"
        assert list(hazard.files.values_list("kind", flat=True)) == [FileKind.BEFORE_PHOTO]
        audit = AuditEvent.objects.get(action="hazard.register")
        assert audit.object_id == str(hazard.pk) and audit.actor == tom
        assert HazardEvent.objects.filter(hazard=hazard, action="register").count() == 1

    def test_it_shows_the_card_with_a_success_message(self, kit, login):
        response = login(kit.district.tom).post(
            QUICK, answers(enterprise=kit.ent_a.pk), follow=True
        )
        hazard = Hazard.objects.get()
        page = response.content.decode()
        assert f"已登记隐患 {hazard.card_no}" in page and "before.png" in page

    def test_it_registers_an_enterprise_finding_for_its_own_enterprise(self, kit, login):
        # A posted enterprise is ignored: the page fixes the user's only enterprise.
        response = login(kit.district.eve).post(
            QUICK, answers(enterprise=kit.ent_b.pk, category="basic_management")
        )
        hazard = Hazard.objects.get()
        assert response.status_code == 302
        assert hazard.enterprise == kit.ent_a and hazard.source == "self_inspection"
        assert hazard.found_by == "Eve" and hazard.found_on == timezone.localdate()
        assert hazard.level == "general" and hazard.nature == "management"
        assert AuditEvent.objects.filter(action="hazard.register", actor=kit.district.eve).exists()

    def test_it_keeps_a_chosen_nature_and_several_photos(self, kit, login):
        login(kit.district.tom).post(
            QUICK,
            answers(
                enterprise=kit.ent_a.pk,
                nature="person",
                photos=[photo("a.png"), photo("b.png")],
            ),
        )
        hazard = Hazard.objects.get()
        assert hazard.nature == "person" and hazard.files.count() == 2

    def test_it_shares_the_card_numbers_with_the_full_form(self, kit, login):
        client = login(kit.district.tom)
        client.post(
            reverse("hazards:create"),
            answers(
                enterprise=kit.ent_a.pk,
                nature="thing",
                level="general",
                source="government_inspection",
                found_by="甲",
                found_on=timezone.localdate().isoformat(),
            ),
        )
        client.post(QUICK, answers(enterprise=kit.ent_a.pk))
        first, second = (
            int(no[-6:]) for no in Hazard.objects.order_by("pk").values_list("card_no", flat=True)
        )
        assert second == first + 1


class QuickInputTestCase:
    def test_it_names_every_missing_answer_in_chinese(self, kit, login):
        before = unchanged(kit)
        response = login(kit.district.tom).post(QUICK, {})
        assert response.status_code == 400
        assert errors(response) == {
            "enterprise": ["请选择企业"],
            "location": ["请填写隐患部位"],
            "description": ["请填写隐患描述"],
            "category": ["请选择隐患类别"],
            "photos": ["请拍摄或上传至少一张整改前照片"],
        }
        assert unchanged(kit) == before

    def test_it_refuses_bad_choices_and_blank_text(self, kit, login):
        before = unchanged(kit)
        response = login(kit.district.tom).post(
            QUICK,
            answers(enterprise=kit.ent_a.pk, category="nope", nature="x", location="   "),
        )
        errs = errors(response)
        assert errs["category"] == ["隐患类别不正确"] and errs["nature"] == ["隐患性质不正确"]
        assert errs["location"] == ["请填写隐患部位"]
        assert unchanged(kit) == before

    def test_it_refuses_a_file_that_is_not_an_image(self, kit, login):
        before = unchanged(kit)
        fake = SimpleUploadedFile("x.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
        response = login(kit.district.tom).post(
            QUICK, answers(enterprise=kit.ent_a.pk, photos=[fake])
        )
        assert response.status_code == 400
        assert errors(response) == {"photos": ["x.jpg：不是有效的图片文件"]}
        assert unchanged(kit) == before

    def test_it_keeps_the_answers_after_an_error(self, kit, login):
        response = login(kit.district.tom).post(QUICK, answers(enterprise=kit.ent_a.pk, photos=[]))
        html = response.content.decode()
        assert "二号车间配电室" in html and "配电箱未接地" in html


class QuickScopeTestCase:
    def test_it_refuses_an_enterprise_outside_the_scope_like_the_full_form(self, kit, login):
        before = unchanged(kit)
        response = login(kit.district.tom).post(QUICK, answers(enterprise=kit.ent_b.pk))
        assert response.status_code == 400
        assert errors(response) == {"enterprise": ["该企业不在您的管辖范围内"]}
        assert unchanged(kit) == before

    def test_it_preselects_an_enterprise_in_scope_and_404s_outside(self, kit, login):
        tom = login(kit.district.tom)
        html = tom.get(QUICK, {"enterprise": kit.ent_a.pk}).content.decode()
        assert f'<option value="{kit.ent_a.pk}" selected>' in html
        assert tom.get(QUICK, {"enterprise": kit.ent_b.pk}).status_code == 404
        assert tom.get(QUICK, {"enterprise": "x"}).status_code == 404

    @pytest.mark.parametrize("name", ["alice", "leo", "carl", "xena", "sam", "hank", "fred"])
    def test_it_forbids_roles_that_may_not_register(self, kit, login, name):
        client = login(getattr(kit.district, name))
        assert client.get(QUICK).status_code == 403
        assert client.post(QUICK, answers(enterprise=kit.ent_a.pk)).status_code == 403
        assert not Hazard.objects.exists()

    def test_it_sends_a_visitor_to_the_login(self, kit, client):
        response = client.get(QUICK)
        assert response.status_code == 302 and reverse("login") in response["Location"]

    def test_it_lists_only_the_officers_enterprises(self, kit, login):
        html = login(kit.district.tina).get(QUICK).content.decode()
        assert kit.ent_b.name in html and kit.ent_a.name not in html


def many_enterprises(kit, count: int) -> None:
    Enterprise.objects.bulk_create(
        Enterprise(
            credit_code=f"91370306MA3D{n:06d}",
            name=f"甲镇第{n}加工厂",
            territory=kit.district.town_a,
            industry=kit.district.building,
        )
        for n in range(count)
    )


class QuickSearchTestCase:
    def test_it_hides_the_search_for_a_short_list(self, kit, login):
        html = login(kit.district.tom).get(QUICK).content.decode()
        assert 'name="q"' not in html

    def test_it_narrows_a_long_list_by_name_or_credit_code(self, kit, login):
        many_enterprises(kit, 30)
        tom = login(kit.district.tom)
        html = tom.get(QUICK).content.decode()
        assert 'name="q"' in html and "甲镇第29加工厂" in html
        by_name = tom.get(QUICK, {"q": "第7加"}).content.decode()
        assert "甲镇第7加工厂" in by_name and "甲镇第8加工厂" not in by_name
        by_code = tom.get(QUICK, {"q": "ma3d000012"}).content.decode()
        assert "甲镇第12加工厂" in by_code and kit.ent_a.name not in by_code
        none = tom.get(QUICK, {"q": "乙街道"}).content.decode()
        assert "没有找到匹配的企业" in none

    def test_it_cuts_a_very_long_list_and_says_so(self, kit, login):
        from hazardledger.hazards.quick import MAX_OPTIONS

        many_enterprises(kit, MAX_OPTIONS + 5)
        html = login(kit.district.tom).get(QUICK).content.decode()
        select = re.search(r'<select name="enterprise".*?</select>', html, re.S).group(0)
        assert select.count("<option value=") == MAX_OPTIONS + 1  # with the blank choice
        assert f"仅列出前 {MAX_OPTIONS} 家企业" in html

    def test_it_registers_for_an_enterprise_found_by_the_search(self, kit, login):
        many_enterprises(kit, 30)
        target = Enterprise.objects.get(name="甲镇第12加工厂")
        response = login(kit.district.tom).post(f"{QUICK}?q=第12", answers(enterprise=target.pk))
        assert response.status_code == 302 and Hazard.objects.get().enterprise == target


class QuickQueriesTestCase:
    def _queries(self, client) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(QUICK).status_code == 200
        return len(ctx.captured_queries)

    def test_it_reads_a_bounded_number_of_rows_whatever_the_scope(self, kit, login):
        tom = login(kit.district.tom)
        self._queries(tom)  # warms the per-process caches (district name, policy)
        small = self._queries(tom)
        many_enterprises(kit, 60)
        assert self._queries(tom) == small <= 8

    def test_it_needs_few_queries_for_an_enterprise_user(self, kit, login):
        eve = login(kit.district.eve)
        self._queries(eve)
        assert self._queries(eve) <= 8


class HomeButtonTestCase:
    def test_it_offers_quick_registration_to_exactly_the_registering_roles(self, kit, login):
        people = [*kit.district.people.values(), kit.district.nobody]
        for user in people:
            page = login(user).get(reverse("home")).content.decode()
            expected = has_role(user, *REGISTER_ROLES)
            assert (f'href="{QUICK}"' in page) == expected, user.username
            assert page.count("快速登记隐患") == (1 if expected else 0), user.username
