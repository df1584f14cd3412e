"""Demo inspections: the shipped checklists, a running dragnet campaign with partial coverage,
and self-inspection schedules with some periods missed.

Deterministic (random.Random(2014)) and idempotent: a second run finds the demo inspections
and creates nothing. Inspections, inspectors and items are bulk-inserted and the batch is one
audit event; a handful of failed items are turned into hazard cards through the hazards
service, so the card ↔ item link can be seen. Dates are relative to today.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from hazardledger.audit.services import record
from hazardledger.enterprises.models import INACTIVE_STATUSES, Enterprise, EnterpriseAccount
from hazardledger.inspections import catalog, rules
from hazardledger.inspections.models import (
    Campaign,
    ChecklistItem,
    ChecklistVersion,
    Inspection,
    InspectionItem,
    InspectionKind,
    ItemResult,
    SelfInspectionSchedule,
)
from hazardledger.inspections.selectors import campaign_targets, live_version_for
from hazardledger.inspections.services import checklist_install, inspection_item_raise_hazard
from hazardledger.org.models import Industry, Role, Unit, UnitKind, User
from hazardledger.policy.services import active_policy

SEED = 2014
MARK = "演示·"  # prefix of the summary: how a second run recognises the demo inspections
CAMPAIGN = "危险化学品和城镇燃气领域拉网式大检查"
COMMITTEE_CODE = "C-WHP"
CAMPAIGN_INDUSTRIES = ("WHP", "YHBZ", "RQ")
COVERED_SHARE = 0.6
SELF_SHARE = 0.75
HAZARD_CARDS = 6
FINDINGS = [
    ("储罐区", "可燃气体报警器未定期检定"),
    ("仓库", "禁忌物料混存，未分区分类储存"),
    ("配电室", "配电箱未设漏电保护装置"),
    ("车间", "安全出口被货物堵塞"),
    ("办公室", "应急预案未组织演练，无演练记录"),
    ("装卸区", "静电接地装置损坏"),
]


@dataclass
class _Plan:
    inspection: Inspection
    inspectors: list[User] = field(default_factory=list)
    results: list[tuple[ChecklistItem, str, str, str]] = field(default_factory=list)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _officers() -> dict[int, User]:
    """Unit id → an officer of that unit (territory or department)."""
    found: dict[int, User] = {}
    officers = User.objects.filter(
        is_active=True,
        role_grants__role__in=[Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER],
        unit__isnull=False,
    ).order_by("pk")
    for user in officers:
        found.setdefault(user.unit_id, user)
    return found


def _first(role: str) -> User | None:
    return User.objects.filter(role_grants__role=role, is_active=True).order_by("pk").first()


class _Versions:
    """The live checklist version for an enterprise, and its items, looked up once each."""

    def __init__(self) -> None:
        self.by_industry: dict[int | None, ChecklistVersion] = {}
        self.items: dict[int, list[ChecklistItem]] = {}

    def for_enterprise(self, enterprise: Enterprise) -> ChecklistVersion:
        key = enterprise.industry_id
        if key not in self.by_industry:
            self.by_industry[key] = live_version_for(enterprise)
        return self.by_industry[key]

    def items_of(self, version: ChecklistVersion) -> list[ChecklistItem]:
        if version.pk not in self.items:
            self.items[version.pk] = list(version.items.order_by("category", "position"))
        return self.items[version.pk]


def _results(rng: random.Random, items: list[ChecklistItem], fails: int):
    failing = set(rng.sample(range(len(items)), min(fails, len(items))))
    out = []
    for index, item in enumerate(items):
        if index in failing:
            location, note = rng.choice(FINDINGS)
            out.append((item, ItemResult.FAIL, note, location))
        else:
            result = ItemResult.NOT_APPLICABLE if rng.random() < 0.05 else ItemResult.PASS
            out.append((item, result, "", ""))
    return out


def _campaign(today: date) -> Campaign | None:
    committee = Unit.objects.filter(code=COMMITTEE_CODE).first()
    leader = _first(Role.DISTRICT_LEADER)
    if committee is None or leader is None:
        return None
    campaign = Campaign.objects.create(
        name=CAMPAIGN,
        description="由区政府领导带队，对辖区危险化学品、烟花爆竹和城镇燃气企业开展拉网式大检查，"
        "做到全覆盖、无缝隙，建立排查治理台账。",
        starts_on=today - timedelta(days=40),
        ends_on=today + timedelta(days=20),
        leader=leader,
        committee=committee,
        created_by=_first(Role.DISTRICT_ADMIN),
    )
    campaign.industries.set(Industry.objects.filter(code__in=CAMPAIGN_INDUSTRIES))
    return campaign


def _team(
    enterprise: Enterprise, officers: dict[int, User], fallback: list[User | None]
) -> list[User]:
    regulator = enterprise.industry.regulator_id if enterprise.industry_id else None
    team = [officers.get(enterprise.territory_id), officers.get(regulator), *fallback]
    return list(dict.fromkeys(u for u in team if u is not None))[:2]


def _campaign_plans(
    rng: random.Random, campaign: Campaign, versions: _Versions, today: date
) -> list[_Plan]:
    officers, admin, leader = _officers(), _first(Role.DISTRICT_ADMIN), campaign.leader
    plans = []
    targets = campaign_targets(campaign).select_related("industry").order_by("credit_code")
    for n, enterprise in enumerate(targets):
        if rng.random() > COVERED_SHARE:
            continue
        team = _team(enterprise, officers, [admin, leader])
        if n % 6 == 0:
            team = [leader, *team][:2]  # leaders lead some inspections themselves (M14)
        version = versions.for_enterprise(enterprise)
        day = today - timedelta(days=rng.randint(0, 38))
        inspection = Inspection(
            submission_key=_uuid(rng),
            kind=rng.choice([InspectionKind.GOVERNMENT] * 3 + [InspectionKind.JOINT]),
            enterprise=enterprise,
            campaign=campaign,
            checklist_version=version,
            inspected_on=day,
            lead=team[0],
            lead_name=team[0].display_name,
            summary=MARK + "拉网式大检查",
            representative_name=enterprise.principal_name if rng.random() < 0.8 else "",
            recorded_by=team[0],
            recorded_at=timezone.now(),
        )
        if inspection.representative_name:
            inspection.confirmed_at = timezone.now()
        fails = rng.choice([0, 0, 0, 1, 1, 2, 3])
        plans.append(_Plan(inspection, team, _results(rng, versions.items_of(version), fails)))
    return plans


def _self_plans(
    rng: random.Random,
    enterprises: list[Enterprise],
    versions: _Versions,
    today: date,
    cadence: int,
) -> tuple[list[_Plan], list[SelfInspectionSchedule]]:
    accounts = {a.enterprise_id: a.user for a in EnterpriseAccount.objects.select_related("user")}
    plans, schedules = [], []
    for enterprise in enterprises:
        starts_on = today - timedelta(days=4 * cadence + rng.randint(0, cadence - 1))
        schedules.append(SelfInspectionSchedule(enterprise=enterprise, starts_on=starts_on))
        periods = rules.closed_periods(starts_on, cadence, today)
        current = rules.period_at(starts_on, cadence, today)
        user = accounts.get(enterprise.pk)
        for index, period in enumerate([*periods, current]):
            # The demo account's enterprise misses its second period, so it has one to see.
            skip = rng.random() > SELF_SHARE or (user is not None and index == 1)
            if skip:
                continue
            last = min(period.end, today)
            day = period.start + timedelta(days=rng.randint(0, (last - period.start).days))
            version = versions.for_enterprise(enterprise)
            lead = enterprise.safety_manager or enterprise.principal_name or "企业安全管理员"
            inspection = Inspection(
                submission_key=_uuid(rng),
                kind=InspectionKind.SELF,
                enterprise=enterprise,
                checklist_version=version,
                inspected_on=day,
                lead_name=lead[:50],
                summary=MARK + "企业自查",
                recorded_by=user,
                recorded_at=timezone.now(),
            )
            fails = 1 if rng.random() < 0.1 else 0
            plans.append(
                _Plan(
                    inspection,
                    [user] if user else [],
                    _results(rng, versions.items_of(version), fails),
                )
            )
    return plans, schedules


def _insert(plans: list[_Plan]) -> None:
    Inspection.objects.bulk_create([p.inspection for p in plans], batch_size=500)
    through = Inspection.inspectors.through
    through.objects.bulk_create(
        [through(inspection_id=p.inspection.pk, user_id=u.pk) for p in plans for u in p.inspectors],
        batch_size=2000,
    )
    InspectionItem.objects.bulk_create(
        [
            InspectionItem(
                inspection=p.inspection,
                checklist_item=item,
                result=result,
                note=note,
                location=location,
            )
            for p in plans
            for item, result, note, location in p.results
        ],
        batch_size=5000,
    )


def _hazard_cards(campaign: Campaign) -> None:
    """Turn a few failed campaign items into hazard cards through the hazards service."""
    failed = (
        InspectionItem.objects.filter(
            inspection__campaign=campaign,
            result=ItemResult.FAIL,
            hazard__isnull=True,
            inspection__lead__isnull=False,
        )
        .filter(inspection__lead__role_grants__role=Role.TERRITORY_OFFICER)
        .select_related("inspection__enterprise", "inspection__lead", "checklist_item")
        .order_by("pk")[:HAZARD_CARDS]
    )
    for item in failed:
        inspection_item_raise_hazard(actor=item.inspection.lead, item=item)


def build() -> int:
    """Create the demo inspections unless they exist; returns how many were created."""
    for spec in catalog.shipped():
        checklist_install(actor=None, spec=spec)
    if Inspection.objects.filter(summary__startswith=MARK).exists():
        return 0
    enterprises = list(
        Enterprise.objects.exclude(status__in=INACTIVE_STATUSES)
        .select_related("industry")
        .order_by("credit_code")
    )
    if not enterprises or not Unit.objects.filter(kind=UnitKind.DISTRICT_GOVERNMENT).exists():
        return 0  # the enterprise demo has not run: nothing to inspect
    rng = random.Random(SEED)  # noqa: S311 (demo data)
    today = timezone.localdate()
    versions = _Versions()
    cadence = active_policy().inspections.self_inspection_cadence_days
    with transaction.atomic():
        campaign = _campaign(today)
        plans = _campaign_plans(rng, campaign, versions, today) if campaign else []
        self_plans, schedules = _self_plans(rng, enterprises, versions, today, cadence)
        SelfInspectionSchedule.objects.bulk_create(schedules, ignore_conflicts=True)
        _insert(plans + self_plans)
        record(
            actor=None,
            action="inspection.import",
            object_type="inspections.inspection",
            object_repr="演示检查记录",
            reason="load_demo",
            changes={
                "campaign": [None, campaign.pk if campaign else None],
                "campaign_inspections": [None, len(plans)],
                "self_inspections": [None, len(self_plans)],
                "schedules": [None, len(schedules)],
            },
        )
        if campaign is not None:
            _hazard_cards(campaign)
    return len(plans) + len(self_plans)
