"""Builders for enforcement tests, on top of the shared `district` fixture."""

from __future__ import annotations

import random

from hazardledger.enterprises.models import Enterprise, EnterpriseAccount
from hazardledger.lib.credit_code import generate


class Kit:
    def __init__(self, district) -> None:
        self.district = district
        rng = random.Random(13)
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
