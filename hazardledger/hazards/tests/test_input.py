"""Malformed input: field-level Chinese messages, nothing changed, never a 500."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hazardledger.audit.models import AuditEvent
from hazardledger.hazards.models import CardCounter, Hazard, HazardFile, HazardStatus
from hazardledger.hazards.tests.conftest import photo, png_bytes
from hazardledger.lib import files

S = HazardStatus


def errors(response) -> dict[str, list[str]]:
    form = response.context["form"]
    return {name: [str(e) for e in errs] for name, errs in form.errors.items()}


def unchanged(kit):
    """Snapshot of everything a refused request must not touch."""
    return (
        Hazard.objects.count(),
        HazardFile.objects.count(),
        AuditEvent.objects.count(),
        list(CardCounter.objects.values_list("last", flat=True)),
    )


class RegistrationInputTestCase:
    def test_it_lists_every_missing_field(self, kit, login):
        before = unchanged(kit)
        response = login(kit.district.tom).post(reverse("hazards:create"), {})
        assert response.status_code == 400
        errs = errors(response)
        for name in (
            "enterprise",
            "location",
            "description",
            "category",
            "nature",
            "level",
            "source",
            "found_by",
            "found_on",
        ):
            assert errs[name] == ["这个字段是必填项。"], name
        assert unchanged(kit) == before

    def test_it_refuses_bad_and_future_dates(self, kit, login):
        client = login(kit.district.tom)
        base = {
            "enterprise": kit.ent_a.pk,
            "location": "库",
            "description": "漏",
            "category": "site_management",
            "nature": "thing",
            "level": "general",
            "source": "government_inspection",
            "found_by": "甲",
        }
        before = unchanged(kit)
        bad = client.post(reverse("hazards:create"), base | {"found_on": "2026-02-30"})
        assert bad.status_code == 400 and errors(bad)["found_on"] == ["输入一个有效的日期。"]
        future = (timezone.localdate() + timedelta(days=1)).isoformat()
        late = client.post(reverse("hazards:create"), base | {"found_on": future})
        assert errors(late)["found_on"] == ["发现时间不能晚于今天"]
        assert unchanged(kit) == before

    def test_it_requires_the_major_fields(self, kit, login):
        response = login(kit.district.tom).post(
            reverse("hazards:create"),
            {
                "enterprise": kit.ent_a.pk,
                "location": "库",
                "description": "漏",
                "category": "site_management",
                "nature": "thing",
                "level": "major",
                "source": "government_inspection",
                "found_by": "甲",
                "found_on": timezone.localdate().isoformat(),
            },
        )
        errs = errors(response)
        assert errs["criteria_standard"] == ["重大事故隐患须注明判定标准"]
        assert errs["harm_analysis"] == ["重大事故隐患须进行危害程度和整改难易程度分析"]

    def test_it_refuses_an_enterprise_outside_the_scope(self, kit, login):
        response = login(kit.district.tom).post(
            reverse("hazards:create"), {"enterprise": kit.ent_b.pk}
        )
        assert "enterprise" in errors(response)

    def test_it_refuses_oversized_and_non_image_photos(self, kit, login):
        client = login(kit.district.tom)
        base = {
            "enterprise": kit.ent_a.pk,
            "location": "库",
            "description": "漏",
            "category": "site_management",
            "nature": "thing",
            "level": "general",
            "source": "government_inspection",
            "found_by": "甲",
            "found_on": timezone.localdate().isoformat(),
        }
        before = unchanged(kit)
        fake = SimpleUploadedFile("x.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
        response = client.post(reverse("hazards:create"), base | {"photos": [fake]})
        assert errors(response)["photos"] == ["x.jpg：不是有效的图片文件"]
        big = photo("big.png", png_bytes() + b"\0" * files.MAX_PHOTO_BYTES)
        response = client.post(reverse("hazards:create"), base | {"photos": [big]})
        assert errors(response)["photos"] == ["big.png：照片过大（上限 8 MB）"]
        gif = photo("a.gif", png_bytes(fmt="GIF"))
        response = client.post(reverse("hazards:create"), base | {"photos": [gif]})
        assert errors(response)["photos"] == ["a.gif：只接受 JPEG、PNG 或 WebP 格式的照片"]
        assert unchanged(kit) == before

    def test_it_stores_photos_with_a_hash_under_a_generated_name(self, kit, login):
        import hashlib

        content = png_bytes()
        client = login(kit.district.tom)
        client.post(
            reverse("hazards:create"),
            {
                "enterprise": kit.ent_a.pk,
                "location": "库",
                "description": "漏",
                "category": "site_management",
                "nature": "thing",
                "level": "general",
                "source": "government_inspection",
                "found_by": "甲",
                "found_on": timezone.localdate().isoformat(),
                "photos": [photo("../../etc/passwd.png", content)],
            },
        )
        stored = HazardFile.objects.get()
        assert stored.sha256 == hashlib.sha256(content).hexdigest()
        assert stored.file.name.startswith("hazards/") and "passwd" not in stored.file.name
        response = client.get(reverse("hazards:file", args=[stored.hazard_id, stored.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert (
            login(kit.district.tina)
            .get(reverse("hazards:file", args=[stored.hazard_id, stored.pk]))
            .status_code
            == 404
        )


class PlanInputTestCase:
    def test_it_refuses_a_deadline_in_the_past_and_negative_funds(self, kit, login):
        card = kit.card(S.CONFIRMED, deadline=None, funds_yuan=None)
        version = card.version
        response = login(kit.district.eve).post(
            reverse("hazards:plan", args=[card.pk]),
            {
                "deadline": (timezone.localdate() - timedelta(days=1)).isoformat(),
                "funds_yuan": "-5",
                "submit": "1",
            },
        )
        assert response.status_code == 400
        errs = errors(response)
        assert errs["deadline"] == ["整改时限不能早于今天"]
        assert errs["funds_yuan"] == ["确保该值大于或等于0。"]
        card.refresh_from_db()
        assert (card.status, card.version, card.deadline) == (S.CONFIRMED, version, None)

    def test_it_refuses_a_malformed_date_and_amount(self, kit, login):
        card = kit.card(S.CONFIRMED)
        response = login(kit.district.eve).post(
            reverse("hazards:plan", args=[card.pk]), {"deadline": "明天", "funds_yuan": "五千"}
        )
        errs = errors(response)
        assert errs["deadline"] == ["输入一个有效的日期。"]
        assert errs["funds_yuan"] == ["输入一个数字。"]

    def test_it_refuses_a_non_document_emergency_plan_file(self, kit, login):
        card = kit.card(S.CONFIRMED)
        bad = SimpleUploadedFile("plan.docx", b"not a zip", content_type="application/msword")
        response = login(kit.district.eve).post(
            reverse("hazards:plan", args=[card.pk]), {"emergency_plan_file": bad}
        )
        assert errors(response)["emergency_plan_file"] == ["只接受 PDF、Word（.docx）或图片文件"]
        assert HazardFile.objects.count() == 0


class ActionInputTestCase:
    def test_it_requires_evidence_to_mark_rectified(self, kit, login):
        card = kit.card(S.RECTIFYING)
        response = login(kit.district.eve).post(
            reverse("hazards:action", args=[card.pk, "mark_rectified"]), {"note": "好了"}
        )
        assert response.status_code == 422
        assert errors(response)["photos"] == ["请上传至少一张整改后照片作为整改证据"]
        card.refresh_from_db()
        assert card.status == S.RECTIFYING

    def test_it_checks_extension_dates(self, kit, login):
        card = kit.card(S.RECTIFYING)
        client = login(kit.district.eve)
        url = reverse("hazards:action", args=[card.pk, "request_extension"])
        response = client.post(
            url, {"reason": "", "interim_controls": "", "new_deadline": "2026-99-01"}
        )
        errs = errors(response)
        assert errs["reason"] == ["这个字段是必填项。"]
        assert errs["new_deadline"] == ["输入一个有效的日期。"]
        response = client.post(
            url,
            {
                "reason": "材料",
                "interim_controls": "警戒",
                "new_deadline": card.deadline.isoformat(),
            },
        )
        assert response.status_code == 422
        assert errors(response)["new_deadline"] == ["延期后的时限必须晚于原整改时限"]
        assert card.extensions.count() == 0

    def test_it_requires_a_reason_to_void(self, kit, login):
        card = kit.card(S.RECTIFYING)
        response = login(kit.district.alice).post(
            reverse("hazards:action", args=[card.pk, "void"]), {"reason": "  "}
        )
        assert response.status_code == 400 and errors(response)["reason"]
        card.refresh_from_db()
        assert card.status == S.RECTIFYING

    def test_it_answers_409_for_an_action_the_state_lacks(self, kit, login):
        card = kit.card(S.CLOSED)
        response = login(kit.district.tom).post(
            reverse("hazards:action", args=[card.pk, "accept"]), {}
        )
        assert response.status_code == 409
        assert "当前状态“已销号”下不能执行“验收合格并销号”" in response.content.decode()

    def test_it_answers_404_for_an_unknown_action(self, kit, login):
        card = kit.card()
        assert (
            login(kit.district.tom)
            .get(reverse("hazards:action", args=[card.pk, "explode"]))
            .status_code
            == 404
        )
