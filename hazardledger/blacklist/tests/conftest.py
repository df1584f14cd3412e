"""Blacklist fixtures: the demo policy, two enterprises with valid codes, a second leader,
and entries in any state (built directly, with the dates each state implies)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from hazardledger.blacklist import rules
from hazardledger.blacklist.models import Entry, EntryStatus
from hazardledger.enterprises.models import Enterprise, EnterpriseAccount
from hazardledger.lib import credit_code
from hazardledger.org.models import Role
from hazardledger.org.services import person_upsert
from hazardledger.policy.services import active_policy, load_policy_file

PROFILES = Path(__file__).resolve().parents[2] / "policy" / "profiles"
S = EntryStatus


class Kit:
    def __init__(self, district: Any) -> None:
        self.district = district
        load_policy_file(actor=None, path=PROFILES / "zhoucun-demo.yaml", activate=True)
        rng = random.Random(14)
        self.ent_a = Enterprise.objects.create(
            credit_code=credit_code.generate(rng),
            name="甲镇建筑公司",
            address="甲镇一路1号",
            territory=district.town_a,
            industry=district.building,
        )
        self.ent_b = Enterprise.objects.create(
            credit_code=credit_code.generate(rng),
            name="乙街道化工厂",
            address="乙街道二路2号",
            territory=district.town_b,
            industry=district.chemicals,
        )
        EnterpriseAccount.objects.create(user=district.eve, enterprise=self.ent_a)
        self.lena = person_upsert(
            actor=None,
            username="lena",
            full_name="Lena",
            unit=district.gov,
            roles=[Role.DISTRICT_LEADER],
            password="correct-horse-9",
        )
        self.policy = active_policy().blacklist

    def entry(
        self,
        status: str = S.PROPOSED,
        *,
        enterprise: Enterprise | None = None,
        listed_on: date | None = None,
        **fields: Any,
    ) -> Entry:
        enterprise = enterprise or self.ent_a
        today = timezone.localdate()
        codes = list(self.policy.restrictions)[:3]
        values: dict[str, Any] = {
            "enterprise": enterprise,
            "credit_code": enterprise.credit_code,
            "grounds": "未落实重大隐患整改被处罚，情节严重",
            "legal_basis": "安全生产严重失信主体名单管理办法第六条",
            "restrictions": codes,
            "restriction_labels": [self.policy.restrictions[c] for c in codes],
            "status": status,
            "proposed_by": self.district.alice,
            "proposed_at": timezone.now() - timedelta(days=30),
        }
        if status != S.PROPOSED:
            notified = today - timedelta(days=20)
            values |= {
                "notified_on": notified,
                "notice_channel": "document",
                "objection_deadline": rules.objection_deadline(
                    notified, self.policy.objection_window_days
                ),
            }
        if status in (S.APPROVED, S.PUBLISHED, S.REPAIRING) or (
            status in (S.OBJECTION, S.REMOVED) and listed_on
        ):
            listed = listed_on or today - timedelta(days=10)
            values |= {
                "approved_by": self.district.leo,
                "decision_no": "周应急失信〔2026〕1号",
                "listed_on": listed,
                "expires_on": rules.expires_on(listed, self.policy.listing_years),
                "earliest_repair_on": rules.earliest_repair_on(
                    listed, self.policy.earliest_repair_months
                ),
            }
            if status != S.APPROVED:
                values["published_on"] = listed
        if status == S.OBJECTION:
            values |= {
                "objection_from": S.PUBLISHED if listed_on else S.NOTIFIED,
                "objection_text": "事实有误",
            }
        if status == S.REPAIRING:
            values |= {"repair_reason": "已整改", "repair_evidence": "验收报告"}
        values |= fields
        return Entry.objects.create(**values)


@pytest.fixture
def kit(district) -> Kit:
    return Kit(district)
