"""About 2,000 demo hazard cards over the demo enterprises, in every status.

Deterministic (random.Random(2014)) and idempotent: a second run finds the demo cards and
creates nothing. Cards, histories and extensions are bulk-inserted; numbers come from the
same never-reused yearly counter as real cards; the batch is one audit event. Dates are
relative to today, so overdue, due-soon and acceptance-late cards exist whenever it runs.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hazardledger.audit.services import record
from hazardledger.enterprises.models import Enterprise, EnterpriseAccount
from hazardledger.hazards.models import (
    CardCounter,
    ExtensionStatus,
    Hazard,
    HazardEvent,
    HazardExtension,
    HazardStatus,
)
from hazardledger.org.models import Role, User
from hazardledger.policy.services import active_policy

COUNT = 2000
SEED = 2014
MARK = "演示·"  # prefix of source_ref: how a second run recognises the demo cards
S = HazardStatus
# status → share of the cards
MIX = [
    (S.REGISTERED, 8),
    (S.CONFIRMED, 8),
    (S.RECTIFYING, 30),
    (S.RECTIFIED, 6),
    (S.EVALUATING, 4),
    (S.ACCEPTANCE_PENDING, 8),
    (S.CLOSED, 30),
    (S.VOIDED, 3),
    (S.TRANSFERRED, 3),
]
# The actions that lead to each status, for the card's history.
PATHS = {
    S.REGISTERED: [],
    S.CONFIRMED: ["confirm"],
    S.RECTIFYING: ["confirm", "submit_plan"],
    S.RECTIFIED: ["confirm", "submit_plan", "mark_rectified"],
    S.EVALUATING: ["confirm", "submit_plan", "mark_rectified", "apply_acceptance"],
    S.ACCEPTANCE_PENDING: ["confirm", "submit_plan", "mark_rectified", "apply_acceptance"],
    S.CLOSED: ["confirm", "submit_plan", "mark_rectified", "apply_acceptance", "accept"],
    S.VOIDED: ["void"],
    S.TRANSFERRED: ["transfer"],
}
STEP_STATUS = {
    "confirm": S.CONFIRMED,
    "submit_plan": S.RECTIFYING,
    "mark_rectified": S.RECTIFIED,
    "apply_acceptance": S.ACCEPTANCE_PENDING,
    "accept": S.CLOSED,
    "void": S.VOIDED,
    "transfer": S.TRANSFERRED,
}
FINDINGS = [
    ("配电室", "配电箱未可靠接地，箱门无警示标识", "thing", "site_management"),
    ("仓库", "消防通道被货物堵塞，疏散指示灯损坏", "thing", "site_management"),
    ("车间", "冲压设备安全防护装置缺失", "thing", "site_management"),
    ("车间", "作业人员未按规定佩戴防护用品", "person", "site_management"),
    ("有限空间", "有限空间作业未执行“先通风、再检测、后作业”", "person", "site_management"),
    ("办公室", "未建立隐患排查治理制度，台账缺失", "management", "basic_management"),
    ("办公室", "特种作业人员未持证上岗", "management", "basic_management"),
    ("储罐区", "可燃气体报警装置失效", "thing", "site_management"),
    ("厂区", "违章搭建彩钢板临时建筑", "environment", "site_management"),
    ("粉尘车间", "除尘系统未设置泄爆装置", "thing", "site_management"),
]
MEASURES = "停用并隔离相关设备；委托专业单位整改；整改后检测验收。"
SOURCES = ["government_inspection", "self_inspection", "tipoff", "expert_diagnosis", "other"]


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _people() -> dict[str, Any]:
    def first(role: str) -> User | None:
        return User.objects.filter(role_grants__role=role, is_active=True).order_by("pk").first()

    return {
        "officer": first(Role.TERRITORY_OFFICER) or first(Role.DEPARTMENT_OFFICER),
        "admin": first(Role.DISTRICT_ADMIN),
        "enterprise": first(Role.ENTERPRISE_USER),
        "experts": list(User.objects.filter(role_grants__role=Role.EXPERT).order_by("pk")),
    }


def _reserve_numbers(year: int, n: int) -> int:
    """Reserve n numbers of the year's counter; returns the first."""
    CardCounter.objects.get_or_create(year=year)
    CardCounter.objects.filter(year=year).update(last=F("last") + n)
    return CardCounter.objects.get(year=year).last - n + 1


def _card(rng: random.Random, enterprise: Enterprise, status: str, people: dict, today: date):
    location, description, nature, category = rng.choice(FINDINGS)
    level = "major" if status == S.EVALUATING or rng.random() < 0.1 else "general"
    found = today - timedelta(days=rng.randint(5, 300))
    h = Hazard(
        enterprise=enterprise,
        territory_id=enterprise.territory_id,
        industry_id=enterprise.industry_id,
        department=enterprise.industry.regulator if enterprise.industry_id else None,
        location=location,
        description=description,
        nature=nature,
        category=category,
        level=level,
        source=rng.choice(SOURCES),
        source_ref=f"{MARK}检查记录",
        found_by=rng.choice(["区安监局检查组", "镇安监办", "企业安全员", "聘请专家"]),
        found_on=found,
        legal_basis="《安全生产法》第四十一条",
        status=status,
        registered_at=_at(found, 15),
        registered_by=people["officer"],
        stage_started_at=_at(found, 15),
    )
    if level == "major":
        h.criteria_standard = "工贸企业重大事故隐患判定标准（应急管理部令第10号）"
        h.criteria_article, h.criteria_item = "第三条", "（一）"
        h.harm_analysis = "可能导致群死群伤；整改需局部停产并投入较多资金"
    return h


def _plan(h: Hazard, rng: random.Random, today: date) -> None:
    h.confirmed_at = h.registered_at + timedelta(days=1)
    h.rectification_mode = "deadline"
    h.responsible_person = rng.choice(["王建国", "李红梅", "张志强", "刘海涛", "陈晓峰"])
    h.responsible_phone = f"1{rng.randint(3000000000, 9999999999)}"
    h.funds_yuan = Decimal(rng.choice([0, 500, 2000, 8000, 30000, 150000]))
    h.measures = MEASURES
    h.emergency_plan = "整改期间设置警戒区，专人值守，发现异常立即停产撤人。"
    h.monitoring_measures = "每日巡查两次并记录"
    if h.level == "major":
        h.objectives = "彻底消除隐患，达到判定标准要求"
        h.organisation_and_staff = "企业主要负责人牵头，设备、安全部门各2人"
        h.materials = "防护装置、检测仪器"
    start = h.found_on + timedelta(days=2)
    h.deadline = start + timedelta(days=rng.randint(15, 60))


def _shape(h: Hazard, rng: random.Random, today: date, people: dict) -> None:
    """Fill the fields that the status implies, with a realistic mix of timing."""
    status = h.status
    if status in (S.REGISTERED, S.VOIDED, S.TRANSFERRED):
        if status == S.VOIDED:
            h.void_reason = "重复登记，已合并至同一隐患卡片"
        return
    _plan(h, rng, today)
    if status == S.CONFIRMED:
        h.rectification_mode, h.deadline = "", None
        return
    if status == S.RECTIFYING:
        # A third overdue, some due within days, the rest running.
        roll = rng.random()
        if roll < 0.3:
            h.deadline = today - timedelta(days=rng.randint(1, 40))
        elif roll < 0.45:
            h.deadline = today + timedelta(days=rng.randint(0, 3))
        else:
            h.deadline = today + timedelta(days=rng.randint(4, 60))
        if h.deadline < h.found_on + timedelta(days=10):
            # An overdue card was found well before its deadline.
            h.found_on = h.deadline - timedelta(days=rng.randint(15, 45))
            h.registered_at = _at(h.found_on, 15)
            h.confirmed_at = h.registered_at + timedelta(days=1)
        h.stage_started_at = h.confirmed_at + timedelta(days=1)
        return
    done = min(today - timedelta(days=1), h.deadline)
    h.rectified_at = _at(max(done, h.found_on + timedelta(days=3)), 16)
    h.rectification_note = "已按整改措施完成整改，附整改后照片。"
    h.stage_started_at = h.rectified_at
    if status in (S.EVALUATING, S.ACCEPTANCE_PENDING, S.CLOSED):
        h.acceptance_applied_at = h.rectified_at + timedelta(days=1)
        h.stage_started_at = h.acceptance_applied_at
    if status == S.EVALUATING and people["experts"]:
        h.expert = rng.choice(people["experts"])
    if h.level == "major" and status in (S.ACCEPTANCE_PENDING, S.CLOSED):
        h.evaluated_at = h.acceptance_applied_at + timedelta(days=2)
        h.evaluation_opinion = "整改措施落实到位，同意申请验收。"
        h.expert = rng.choice(people["experts"]) if people["experts"] else None
    if status == S.ACCEPTANCE_PENDING:
        # Some applications older than the policy's acceptance window (acceptance late).
        days = rng.choice([1, 3, 6, 15, 25])
        h.acceptance_applied_at = timezone.now() - timedelta(days=days)
        h.stage_started_at = h.acceptance_applied_at
    if status == S.CLOSED:
        h.accepted_at = h.acceptance_applied_at + timedelta(days=rng.randint(2, 9))
        h.accepted_by = people["officer"]
        h.acceptance_opinion = "经现场复查，整改合格，同意销号。"
        h.closed_at = h.accepted_at
        h.stage_started_at = h.closed_at


def _events(h: Hazard, people: dict) -> list[HazardEvent]:
    at = h.registered_at
    events = [
        HazardEvent(
            hazard=h,
            at=at,
            actor=people["officer"],
            action="register",
            to_status=S.REGISTERED,
            role="territory_officer",
        )
    ]
    previous = S.REGISTERED
    for action in PATHS[h.status]:
        target = STEP_STATUS[action]
        if action == "apply_acceptance":
            target = (
                h.status
                if h.status in (S.EVALUATING, S.ACCEPTANCE_PENDING)
                else (S.ACCEPTANCE_PENDING)
            )
        at = min(at + timedelta(days=2), h.stage_started_at) if h.stage_started_at > at else at
        actor = (
            people["admin"]
            if action == "void"
            else (
                people["enterprise"]
                if action in ("submit_plan", "mark_rectified", "apply_acceptance")
                else people["officer"]
            )
        )
        comment = {"void": h.void_reason, "accept": h.acceptance_opinion}.get(action, "")
        events.append(
            HazardEvent(
                hazard=h,
                at=at,
                actor=actor,
                action=action,
                from_status=previous,
                to_status=target,
                comment=comment,
            )
        )
        previous = target
    return events


def _overlays(cards: list[Hazard], rng: random.Random, today: date, people: dict):
    """Supervised, suspended and extended cards; returns the extension rows."""
    extensions = []
    for h in cards:
        open_major = h.level == "major" and h.status in (
            S.RECTIFYING,
            S.RECTIFIED,
            S.EVALUATING,
            S.ACCEPTANCE_PENDING,
            S.CONFIRMED,
        )
        if open_major and rng.random() < 0.6:
            h.is_supervised = True
            h.supervision_level = rng.choice(["district", "district", "city"])
            h.supervision_doc_no = f"周安委办督〔{today.year}〕{rng.randint(1, 60)}号"
            h.supervised_at = h.registered_at + timedelta(days=1)
            h.production_suspended = rng.random() < 0.5
        if h.status == S.RECTIFYING and rng.random() < 0.2:
            approved = rng.random() < 0.6
            old = h.deadline - timedelta(days=20) if approved else h.deadline
            extensions.append(
                HazardExtension(
                    hazard=h,
                    requested_by=people["enterprise"],
                    requested_at=h.stage_started_at + timedelta(days=3),
                    reason="整改所需设备采购周期较长",
                    interim_controls="停用相关设备，设置警戒区",
                    old_deadline=old,
                    new_deadline=old + timedelta(days=20),
                    status=ExtensionStatus.APPROVED if approved else ExtensionStatus.PENDING,
                    decided_by=people["officer"] if approved else None,
                    decided_at=h.stage_started_at + timedelta(days=5) if approved else None,
                    opinion="同意延期" if approved else "",
                )
            )
            if not approved:
                h.deadline = max(h.deadline, today + timedelta(days=5))
    return extensions


def _statuses(rng: random.Random, n: int) -> list[str]:
    weights = [w for _s, w in MIX]
    return [s for s in rng.choices([s for s, _w in MIX], weights=weights, k=n)]


def build(count: int = COUNT) -> int:
    """Create the demo cards unless they exist; returns how many were created."""
    if Hazard.objects.filter(source_ref__startswith=MARK).exists():
        return 0
    enterprises = list(
        Enterprise.objects.select_related("industry__regulator").order_by("credit_code")
    )
    if not enterprises:
        return 0  # the enterprise demo has not run: nothing to hang cards on
    rng = random.Random(SEED)  # noqa: S311 (demo data)
    today = timezone.localdate()
    people = _people()
    own = set(EnterpriseAccount.objects.values_list("enterprise_id", flat=True))
    # The demo enterprise account's enterprise gets cards in every status first.
    owned = [e for e in enterprises if e.pk in own]
    statuses = [s for s, _w in MIX] * 3 if owned else []
    cards = []
    for i, status in enumerate(statuses + _statuses(rng, count - len(statuses))):
        enterprise = owned[0] if i < len(statuses) else rng.choice(enterprises)
        card = _card(rng, enterprise, status, people, today)
        _shape(card, rng, today, people)
        cards.append(card)
    extensions = _overlays(cards, rng, today, people)
    with transaction.atomic():
        first = _reserve_numbers(today.year, len(cards))
        code = active_policy().district.code
        for offset, card in enumerate(cards):
            card.card_no = f"{code}-YH-{today.year}-{first + offset:06d}"
        Hazard.objects.bulk_create(cards, batch_size=500)
        events = [e for card in cards for e in _events(card, people)]
        HazardEvent.objects.bulk_create(events, batch_size=2000)
        HazardExtension.objects.bulk_create(extensions, batch_size=500)
        record(
            actor=None,
            action="hazard.import",
            object_type="hazards.hazard",
            object_repr="演示隐患",
            reason="load_demo",
            changes={
                "created": [None, f"{cards[0].card_no} … {cards[-1].card_no}"],
                "count": [None, len(cards)],
            },
        )
    return len(cards)
