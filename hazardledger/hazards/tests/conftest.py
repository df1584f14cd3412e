"""Hazard fixtures: the active demo policy, two enterprises and cards in any state."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from hazardledger.enterprises.models import Enterprise, EnterpriseAccount
from hazardledger.experts.models import (
    CertificateKind,
    Expert,
    ExpertAssignment,
    ExpertCertificate,
)
from hazardledger.hazards.models import (
    ExtensionStatus,
    FileKind,
    Hazard,
    HazardExtension,
    HazardFile,
    HazardStatus,
)
from hazardledger.policy.services import load_policy_file, parse_policy, policy_store

PROFILES = Path(__file__).resolve().parents[2] / "policy" / "profiles"
S = HazardStatus


def png_bytes(size: tuple[int, int] = (8, 8), fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def photo(name: str = "after.png", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content if content is not None else png_bytes(), content_type="image/png"
    )


def load_profile(**hazard_overrides: Any) -> None:
    """Activate the demo profile, with some `hazards:` values replaced (as an edited file)."""
    import yaml

    content = yaml.safe_load((PROFILES / "zhoucun-demo.yaml").read_bytes())
    content["hazards"].update(hazard_overrides)
    content["code"] = "test-edited" if hazard_overrides else content["code"]
    raw = yaml.safe_dump(content, allow_unicode=True).encode()
    policy_store(actor=None, data=parse_policy(raw), source=raw, activate=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Kit:
    """Enterprises of the tiny district and a factory of cards in any status."""

    def __init__(self, district: Any) -> None:
        self.district = district
        load_policy_file(actor=None, path=PROFILES / "zhoucun-demo.yaml", activate=True)
        self.ent_a = Enterprise.objects.create(
            credit_code="91370306MA3C000001",
            name="甲镇建筑公司",
            address="甲镇一路1号",
            territory=district.town_a,
            industry=district.building,
        )
        self.ent_b = Enterprise.objects.create(
            credit_code="91370306MA3C000002",
            name="乙街道化工厂",
            address="乙街道二路2号",
            territory=district.town_b,
            industry=district.chemicals,
        )
        EnterpriseAccount.objects.create(user=district.eve, enterprise=self.ent_a)
        # xena is in the expert pool, with a valid certificate, so she can be assigned.
        self.xena = Expert.objects.create(user=district.xena, employer="省安全科学研究院")
        ExpertCertificate.objects.create(
            expert=self.xena,
            kind=CertificateKind.REGISTERED_SAFETY_ENGINEER,
            number="RSE-0001",
            valid_until=timezone.localdate() + timedelta(days=365),
        )
        self._seq = 0

    def card(
        self,
        status: str = S.REGISTERED,
        *,
        level: str = "general",
        enterprise: Enterprise | None = None,
        **fields: Any,
    ) -> Hazard:
        """A card in `status` with the data each status implies (bypassing the services)."""
        self._seq += 1
        enterprise = enterprise or self.ent_a
        now = timezone.now()
        today = timezone.localdate()
        values: dict[str, Any] = {
            "card_no": f"370306-YH-T-{self._seq:06d}",
            "enterprise": enterprise,
            "territory_id": enterprise.territory_id,
            "industry_id": enterprise.industry_id,
            "department": enterprise.industry.regulator,
            "location": "二号车间",
            "description": "配电箱未接地",
            "category": "site_management",
            "nature": "thing",
            "level": level,
            "source": "government_inspection",
            "found_by": "检查组",
            "found_on": today - timedelta(days=3),
            "status": status,
            "stage_started_at": now - timedelta(hours=1),
            "registered_at": now,
        }
        if level == "major":
            values |= {
                "criteria_standard": "工贸企业重大事故隐患判定标准",
                "criteria_article": "第三条",
                "criteria_item": "（一）",
                "harm_analysis": "可能导致触电死亡，整改需停产",
            }
        if status not in (S.REGISTERED,):
            values["confirmed_at"] = now
            values |= complete_plan(level)
        if status in (S.RECTIFIED, S.EVALUATING, S.ACCEPTANCE_PENDING, S.CLOSED):
            values |= {"rectified_at": now, "rectification_note": "已接地"}
        if status == S.EVALUATING:
            values["expert"] = self.district.xena
        if status in (S.ACCEPTANCE_PENDING, S.CLOSED):
            values["acceptance_applied_at"] = now
            if level == "major":
                values["evaluated_at"] = now
                values["expert"] = self.district.xena
        if status == S.CLOSED:
            values |= {"accepted_at": now, "closed_at": now, "accepted_by": self.district.tom}
        values |= fields
        hazard = Hazard.objects.create(**values)
        if status == S.EVALUATING and values.get("expert") is not None:
            # Being evaluated means an open assignment in the pool (what the expert sees by).
            ExpertAssignment.objects.create(
                expert=Expert.objects.get(user=values["expert"]),
                content_type=ContentType.objects.get_for_model(Hazard),
                object_id=hazard.pk,
                enterprise=enterprise,
                assigned_at=now,
            )
        return hazard

    def pending_extension(self, hazard: Hazard) -> HazardExtension:
        return HazardExtension.objects.create(
            hazard=hazard,
            requested_by=self.district.eve,
            requested_at=timezone.now(),
            reason="材料未到",
            interim_controls="设置警戒区",
            old_deadline=hazard.deadline,
            new_deadline=hazard.deadline + timedelta(days=30),
            status=ExtensionStatus.PENDING,
        )

    def after_photo(self, hazard: Hazard) -> HazardFile:
        return HazardFile.objects.create(
            hazard=hazard,
            kind=FileKind.AFTER_PHOTO,
            file="hazards/x.png",
            original_name="x.png",
            content_type="image/png",
            size=10,
            sha256="0" * 64,
            uploaded_at=timezone.now(),
        )


def complete_plan(level: str = "general") -> dict[str, Any]:
    plan = {
        "responsible_person": "王五",
        "responsible_phone": "13800000000",
        "funds_yuan": 5000,
        "measures": "重新接地并检测",
        "deadline": timezone.localdate() + timedelta(days=20),
        "emergency_plan": "断电并设警戒",
    }
    if level == "major":
        plan |= {
            "objectives": "消除触电风险",
            "organisation_and_staff": "设备科，3人",
            "materials": "接地线、检测仪",
        }
    return plan


@pytest.fixture
def kit(district) -> Kit:
    return Kit(district)


@pytest.fixture
def login():
    """A separate logged-in client per person (the root `client_for` shares one client)."""
    from django.test import Client

    clients: dict[int, Client] = {}

    def make(user: Any) -> Client:
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        return clients[user.pk]

    return make
