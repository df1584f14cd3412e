"""Expert-pool fixtures: the active demo policy, two enterprises and a small pool."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from hazardledger.enterprises.models import Enterprise
from hazardledger.experts.models import CertificateKind, Expert, ExpertCertificate, Specialty
from hazardledger.org.models import Role
from hazardledger.org.services import person_upsert
from hazardledger.policy.services import load_policy_file

PROFILES = Path(__file__).resolve().parents[2] / "policy" / "profiles"


class Pool:
    """Two enterprises (甲镇建筑, 乙街道化工) and experts; xena is the district's expert."""

    def __init__(self, district: Any) -> None:
        self.district = district
        load_policy_file(actor=None, path=PROFILES / "zhoucun-demo.yaml", activate=True)
        self.ent_a = Enterprise.objects.create(
            credit_code="91370306MA3C000001",
            name="甲镇建筑公司",
            territory=district.town_a,
            industry=district.building,
        )
        self.ent_b = Enterprise.objects.create(
            credit_code="91370306MA3C000002",
            name="乙街道化工公司",
            territory=district.town_b,
            industry=district.chemicals,
        )
        self.construction = Specialty.objects.get(code="construction")
        self.hazchem = Specialty.objects.get(code="hazchem")
        self.construction.industries.add(district.building)
        self.hazchem.industries.add(district.chemicals)
        self.xena = self.expert(district.xena, [self.construction], employer="省安全科学研究院")

    def person(self, username: str, full_name: str):
        return person_upsert(
            actor=None,
            username=username,
            full_name=full_name,
            unit=self.district.experts,
            roles=[Role.EXPERT],
            password="correct-horse-9",
        )

    def expert(self, user, specialties=(), *, certificate_days: int = 365, **fields) -> Expert:
        expert = Expert.objects.create(user=user, **fields)
        expert.specialties.set(specialties)
        if certificate_days is not None:
            ExpertCertificate.objects.create(
                expert=expert,
                kind=CertificateKind.REGISTERED_SAFETY_ENGINEER,
                number=f"RSE-{user.pk:05d}",
                valid_until=timezone.localdate() + timedelta(days=certificate_days),
            )
        return expert


@pytest.fixture
def pool(district) -> Pool:
    return Pool(district)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
