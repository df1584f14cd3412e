"""Builders for enforcement tests, on top of the shared `district` fixture."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.utils import timezone

from hazardledger.enforcement.models import (
    Case,
    CaseKind,
    CaseStatus,
    ConstructionProject,
    IllegalStructure,
    Resumption,
    SafetyChecklist,
)
from hazardledger.enterprises.models import (
    Enterprise,
    EnterpriseAccount,
    Procedure,
    ProcedureKind,
)
from hazardledger.experts.models import CertificateKind, Expert, ExpertCertificate
from hazardledger.lib.credit_code import generate
from hazardledger.org.models import Unit, UnitKind
from hazardledger.policy.services import parse_policy, policy_store


class Kit:
    def __init__(self, district) -> None:
        self.district = district
        rng = random.Random(13)
        load_profile()
        self.ent_a = Enterprise.objects.create(
            credit_code=generate(rng),
            name="甲镇建筑公司",
            territory=district.town_a,
            industry=district.building,
        )
        self.ent_b = Enterprise.objects.create(
            credit_code=generate(rng),
            name="乙街道化工厂",
            territory=district.town_b,
            industry=district.chemicals,
        )
        EnterpriseAccount.objects.create(user=district.eve, enterprise=self.ent_a)
        self.permit = ProcedureKind.objects.create(code="sgxk", name="施工许可证")
        self.permit.industries.add(district.building)
        self.project = ConstructionProject.objects.create(
            enterprise=self.ent_a, name="甲镇综合楼", is_key_project=True
        )
        self.structure = IllegalStructure.objects.create(
            location="甲镇东街1号",
            territory=district.town_a,
            owner="张三",
            enterprise=self.ent_a,
            area_m2=Decimal("120.5"),
            use="仓库",
            discovered_on=date(2026, 3, 1),
        )
        self.partner = Unit.objects.create(name="供电公司", code="PWR", kind=UnitKind.PARTNER)
        self._seq = 0

    def complete_procedures(self, enterprise=None) -> None:
        Procedure.objects.create(
            enterprise=enterprise or self.ent_a, kind=self.permit, number="JS-2026-1"
        )

    def case(self, kind: str, status: str = CaseStatus.OPENED, **fields: Any) -> Case:
        """A case in any state, written directly (the services are what the tests exercise)."""
        self._seq += 1
        subject: dict[str, Any]
        if kind == CaseKind.DEMOLITION:
            subject = {
                "structure": self.structure,
                "enterprise": self.ent_a,
                "territory": self.district.town_a,
                "industry": self.ent_a.industry,
            }
        else:
            enterprise = fields.pop("enterprise", self.ent_a)
            subject = {
                "enterprise": enterprise,
                "territory": enterprise.territory,
                "industry": enterprise.industry,
            }
            if kind in (CaseKind.KEY_PROJECT, CaseKind.STOP_WORK):
                subject["project"] = self.project
        return Case.objects.create(
            kind=kind,
            status=status,
            number=f"T-{self._seq:04d}",
            facts="测试事实",
            legal_basis="安全生产法",
            **subject,
            **fields,
        )

    def checklist(self, case: Case, step: str) -> None:
        SafetyChecklist.objects.create(case=case, step=step, items=[])

    def expert_for(self, user) -> Expert:
        expert, created = Expert.objects.get_or_create(user=user, defaults={"employer": "省安科院"})
        if created:
            ExpertCertificate.objects.create(
                expert=expert,
                kind=CertificateKind.REGISTERED_SAFETY_ENGINEER,
                number=f"RSE-{user.pk}",
                valid_until=timezone.localdate() + timedelta(days=365),
            )
        return expert

    def accepted_resumption(self, case: Case) -> Resumption:
        return Resumption.objects.create(case=case, evidence="已整改", status="accepted")


PROFILES = Path(__file__).resolve().parents[2] / "policy" / "profiles"


def load_profile(**enforcement_overrides: Any) -> None:
    """Activate the demo profile, with some `enforcement:` values replaced (an edited file)."""
    content = yaml.safe_load((PROFILES / "zhoucun-demo.yaml").read_bytes())
    content["enforcement"].update(enforcement_overrides)
    if enforcement_overrides:
        content["code"] = "test-enforcement"
    raw = yaml.safe_dump(content, allow_unicode=True).encode()
    policy_store(actor=None, data=parse_policy(raw), source=raw, activate=True)
