"""Shared fixtures: a tiny district with two towns, two departments and a person per role."""

from __future__ import annotations

import pytest

from hazardledger.org.models import Role, Unit, UnitKind, User
from hazardledger.org.services import industry_upsert, person_upsert, unit_upsert


class TinyDistrict:
    """Names for the fixture's units and people, so tests read like sentences."""

    def __init__(self) -> None:
        self.gov = unit_upsert(
            actor=None,
            code="GOV",
            name="测试区人民政府",
            kind=UnitKind.DISTRICT_GOVERNMENT,
            parent=None,
        )
        self.office = unit_upsert(
            actor=None, code="AWB", name="区安委办", kind=UnitKind.SAFETY_OFFICE, parent=self.gov
        )
        self.town_a = unit_upsert(
            actor=None, code="T-A", name="甲镇", kind=UnitKind.TOWN, parent=self.gov
        )
        self.town_b = unit_upsert(
            actor=None, code="T-B", name="乙街道", kind=UnitKind.STREET, parent=self.gov
        )
        self.dept_a = unit_upsert(
            actor=None, code="D-A", name="区住建局", kind=UnitKind.DEPARTMENT, parent=self.gov
        )
        self.dept_b = unit_upsert(
            actor=None, code="D-B", name="区安监局", kind=UnitKind.DEPARTMENT, parent=self.gov
        )
        self.committee = unit_upsert(
            actor=None,
            code="C-A",
            name="建筑施工专委会",
            kind=UnitKind.PROFESSIONAL_COMMITTEE,
            parent=self.gov,
        )
        self.experts = unit_upsert(
            actor=None, code="EXP", name="专家库", kind=UnitKind.EXPERT_POOL, parent=self.office
        )
        self.building = industry_upsert(
            actor=None,
            code="JZ",
            name="建筑施工",
            regulator=self.dept_a,
            committees=[self.committee],
        )
        self.chemicals = industry_upsert(
            actor=None, code="WHP", name="危险化学品", regulator=self.dept_b
        )
        self.people: dict[str, User] = {}
        for username, unit, role in [
            ("alice", self.office, Role.DISTRICT_ADMIN),
            ("leo", self.gov, Role.DISTRICT_LEADER),
            ("tom", self.town_a, Role.TERRITORY_OFFICER),
            ("tina", self.town_b, Role.TERRITORY_OFFICER),
            ("dora", self.dept_a, Role.DEPARTMENT_OFFICER),
            ("carl", self.committee, Role.COMMITTEE_MEMBER),
            ("eve", None, Role.ENTERPRISE_USER),
            ("xena", self.experts, Role.EXPERT),
            ("fred", self.dept_a, Role.ENFORCEMENT_OFFICER),
            ("sam", self.gov, Role.SUPERVISOR),
            ("hank", self.office, Role.HOTLINE_OPERATOR),
            ("cora", self.office, Role.IDENTITY_CUSTODIAN),
        ]:
            self.people[username] = person_upsert(
                actor=None,
                username=username,
                full_name=username.title(),
                unit=unit,
                roles=[role],
                password="correct-horse-9",
            )
        self.nobody = person_upsert(
            actor=None, username="nobody", unit=self.town_a, password="correct-horse-9"
        )

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["people"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    def units(self) -> list[Unit]:
        return [self.gov, self.office, self.town_a, self.town_b, self.dept_a, self.dept_b]


@pytest.fixture
def district(db) -> TinyDistrict:
    return TinyDistrict()


@pytest.fixture
def client_for(client):
    """Log a fixture person in: client_for(district.tom)."""

    def login(user: User):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: cached counts are keyed by the audit head, which
    a rolled-back test database repeats."""
    from django.core.cache import cache

    cache.clear()
