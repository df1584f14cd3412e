"""Tip-off fixtures: the active demo policy, vault keys of the test, two enterprises, and
a helper that submits a tip-off with a known identity."""

from __future__ import annotations

import base64
import io
import secrets
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hazardledger.enterprises.models import Enterprise
from hazardledger.policy.services import load_policy_file, parse_policy, policy_store
from hazardledger.tipoffs import services

PROFILES = Path(__file__).resolve().parents[2] / "policy" / "profiles"
NAME = "王秀英"
PHONE = "13912345678"
ID_NUMBER = "37030619800101123X"
REAL = {"is_anonymous": False, "name": NAME, "phone": PHONE, "id_number": ID_NUMBER}


def jpeg_with_gps() -> bytes:
    """A JPEG whose EXIF holds a GPS position and a camera make."""
    image = Image.new("RGB", (16, 12), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    gps = {1: "N", 2: (36.0, 48.0, 12.0), 3: "E", 4: (117.0, 51.0, 30.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def upload(content: bytes, name: str = "p.jpg", kind: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=kind)


def activate(name: str = "zhoucun-demo", **changes: Any) -> None:
    import yaml

    content = yaml.safe_load((PROFILES / f"{name}.yaml").read_bytes())
    for section, values in changes.items():
        content[section].update(values)
    if changes:
        content["code"] = "test-edited"
    raw = yaml.safe_dump(content, allow_unicode=True).encode()
    policy_store(actor=None, data=parse_policy(raw), source=raw, activate=True)


@pytest.fixture(autouse=True)
def _vault(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path
    settings.TIPOFF_VAULT_KEY = base64.b64encode(secrets.token_bytes(32)).decode()
    settings.TIPOFF_INDEX_KEY = base64.b64encode(secrets.token_bytes(32)).decode()


class Kit:
    def __init__(self, district: Any) -> None:
        self.d = district
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

    def submit(self, *, actor=None, uploads=(), **data: Any) -> services.Submitted:
        values = {
            "kind": "hazard",
            "subject": "甲镇建筑公司",
            "location": "三号工地",
            "description": "脚手架没有安全网，工人不系安全带高空作业",
            **data,
        }
        if actor is not None:
            values.setdefault("channel", "hotline")
        return services.tipoff_submit(actor=actor, data=values, uploads=list(uploads))

    def verified(self, *, severity: str = "general", result: str = "true", **data: Any):
        """A tip-off taken through assignment, acceptance and verification."""
        facts = {
            k: data.pop(k) for k in ("fine_yuan", "concealed_deaths", "accident_grade") if k in data
        }
        tipoff = self.submit(**data).tipoff
        services.tipoff_assign(
            actor=self.d.hank,
            tipoff=tipoff,
            territory=tipoff.territory,
            department=tipoff.department,
        )
        services.tipoff_accept(actor=self.d.tom, tipoff=tipoff)
        services.tipoff_verify(
            actor=self.d.tom,
            tipoff=tipoff,
            data={
                "verification": result,
                "verification_note": "现场核实",
                "severity": severity,
                **facts,
            },
        )
        return tipoff


@pytest.fixture
def kit(district) -> Kit:
    return Kit(district)
