"""Fixtures of the enterprise tests: valid codes, a firm in each town, and xlsx files."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from hazardledger.enterprises.models import EnterpriseAccount
from hazardledger.enterprises.services import enterprise_create
from hazardledger.lib import credit_code
from hazardledger.org.models import Role
from hazardledger.org.services import person_upsert


@pytest.fixture
def codes() -> Callable[[], str]:
    rng = random.Random(7)
    return lambda: credit_code.generate(rng)


@pytest.fixture
def make(district, codes):
    """make(name, territory=…, industry=…, **fields): an enterprise created by the service."""

    def build(name: str, **fields: Any):
        data = {"credit_code": codes(), "name": name} | fields
        return enterprise_create(actor=None, data=data)

    return build


@pytest.fixture
def firms(district, make):
    """甲镇建筑 (town A, building), 乙街道化工 (town B, chemicals); eve speaks for 乙街道化工."""
    made = {
        "a": make("甲镇建筑公司", territory=district.town_a, industry=district.building),
        "b": make("乙街道化工公司", territory=district.town_b, industry=district.chemicals),
    }
    EnterpriseAccount.objects.create(user=district.eve, enterprise=made["b"])
    return made


@pytest.fixture
def staffed(district):
    """Give 区安监局 (dept_b) its officer, so the only gaps are the ones a test plants."""
    return person_upsert(
        actor=None,
        username="bob",
        full_name="Bob",
        unit=district.dept_b,
        roles=[Role.DEPARTMENT_OFFICER],
        password="correct-horse-9",
    )
