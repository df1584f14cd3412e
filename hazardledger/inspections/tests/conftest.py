"""Inspection fixtures: the active demo policy, the shipped checklists and a few enterprises."""

from __future__ import annotations

import io
import random
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from hazardledger.enterprises.models import Category, Enterprise, EnterpriseAccount
from hazardledger.inspections import services
from hazardledger.inspections.models import ChecklistVersion, Inspection, ItemResult
from hazardledger.inspections.selectors import live_versions

PROFILE = Path(__file__).resolve().parents[2] / "policy" / "profiles" / "zhoucun-demo.yaml"


def png(size: tuple[int, int] = (8, 8), fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, fmt)
    return buffer.getvalue()


def photo(name: str = "site.jpg", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content if content is not None else png(fmt="JPEG"), content_type="image/jpeg"
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def policy(db):
    call_command("load_policy", str(PROFILE), "--activate", verbosity=0)


@pytest.fixture
def checklists(db, district):
    call_command("load_checklists", verbosity=0)


class Kit:
    """The tiny district's enterprises plus a factory of enterprises and inspections."""

    def __init__(self, district: Any) -> None:
        self.d = district
        self.rng = random.Random(2014)
        self.count = 0
        # One building enterprise in each town; a chemicals one in town_a.
        self.a_build = self.enterprise("甲镇建筑公司", district.town_a, district.building)
        self.b_build = self.enterprise("乙街道建筑公司", district.town_b, district.building)
        self.a_chem = self.enterprise("甲镇化工厂", district.town_a, district.chemicals)
        EnterpriseAccount.objects.create(user=district.eve, enterprise=self.a_build)

    def enterprise(
        self, name: str, territory: Any, industry: Any, category: str = Category.OTHER, **extra: Any
    ) -> Enterprise:
        from hazardledger.lib.credit_code import generate

        self.count += 1
        return Enterprise.objects.create(
            credit_code=generate(self.rng),
            name=name,
            territory=territory,
            industry=industry,
            category=category,
            **extra,
        )

    def version(self, code: str = "general") -> ChecklistVersion:
        return live_versions().get(checklist__code=code)

    def items(self, version: ChecklistVersion, fail: int = 0, **given: Any) -> dict[int, Any]:
        """Results for every item: the first `fail` items fail (with a note), others pass."""
        out = {}
        for index, ci in enumerate(version.items.all()):
            result = ItemResult.FAIL if index < fail else ItemResult.PASS
            out[ci.pk] = services.ItemInput(
                result=result,
                note="灭火器压力不足" if result == ItemResult.FAIL else "",
                location="一号车间" if result == ItemResult.FAIL else "",
            )
        out.update(given)
        return out

    def inspect(
        self,
        enterprise: Enterprise,
        *,
        actor: Any = None,
        kind: str = "government",
        campaign: Any = None,
        fail: int = 0,
        on: date | None = None,
        inspectors: list | None = None,
        lead: Any = None,
        key: uuid.UUID | None = None,
        version: ChecklistVersion | None = None,
        items: dict[int, Any] | None = None,
        **extra: Any,
    ) -> Inspection:
        actor = actor or self.d.tom
        version = version or self.version()
        if kind in ("government", "joint"):
            lead = lead or actor
            inspectors = inspectors if inspectors is not None else [self.d.nobody_official]
        data = {
            "kind": kind,
            "enterprise": enterprise,
            "campaign": campaign,
            "checklist_version": version,
            "inspected_on": on or timezone.localdate(),
            "lead": lead,
            "inspectors": inspectors or [],
            "lead_name": extra.pop("lead_name", "企业负责人"),
            **extra,
        }
        inspection, _created = services.inspection_record(
            actor=actor,
            submission_key=key or uuid.uuid4(),
            data=data,
            items=items if items is not None else self.items(version, fail=fail),
        )
        return inspection


@pytest.fixture
def kit(district, policy, checklists) -> Kit:
    from hazardledger.org.models import Role
    from hazardledger.org.services import person_upsert

    # A second officer of town_a, so that government inspections have two inspectors.
    district.nobody_official = person_upsert(
        actor=None,
        username="otto",
        full_name="Otto",
        unit=district.town_a,
        roles=[Role.TERRITORY_OFFICER],
        password="correct-horse-9",
    )
    return Kit(district)


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)
