"""The demo expert pool: the demo experts with specialties, certificates and availability,
one employed by a demo enterprise and one engaged by another (conflicts of interest), and the
demo cards under evaluation assigned through the pool as far as the policy allows.

Idempotent: a second run finds the experts and assignments and creates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from hazardledger.audit.services import record
from hazardledger.enterprises.models import Enterprise
from hazardledger.experts.models import (
    CertificateKind,
    EngagementKind,
    Expert,
    ExpertAssignment,
    ExpertCertificate,
    ExpertEngagement,
    Specialty,
    Unavailability,
)
from hazardledger.experts.services import expert_assign
from hazardledger.hazards.models import Hazard, HazardStatus
from hazardledger.org.models import Industry, Role, Unit, UnitKind, User
from hazardledger.org.services import person_upsert
from hazardledger.policy.services import active_policy

# Specialty code → the demo industries whose cards it evaluates first.
SPECIALTY_INDUSTRIES = {
    "hazchem": ["WHP"],
    "fireworks": ["YHBZ"],
    "gas": ["RQ"],
    "metallurgy_trade": ["YJ", "FZ", "JX", "JC", "QG"],
    "construction": ["JZSG", "SLGC"],
    "transport": ["DLYS", "DLJT", "NJ"],
    "fire": ["XFZD", "SMLS", "XX", "YL", "WHYL"],
    "special_equipment": ["TZSB"],
}


@dataclass(frozen=True)
class DemoExpert:
    username: str
    full_name: str
    specialties: tuple[str, ...]
    title: str
    employer: str
    certificate_days: int = 700  # valid for this many days from today (negative: expired)
    employed_by_industry: str = ""  # employed by the first demo enterprise of this industry
    engaged_by_industry: str = ""  # engaged 10 months ago by one of this industry
    away_days: int = 0  # unavailable from today for this many days


EXPERTS = [
    DemoExpert(
        "expert", "冯建平", ("hazchem", "occupational_health"), "高级工程师", "山东省化工研究院"
    ),
    DemoExpert(
        "expert2",
        "马文杰",
        ("construction", "special_equipment"),
        "教授级高工",
        "淄博市建筑设计研究院",
    ),
    DemoExpert("expert3", "林淑芬", ("fire", "electrical"), "高级工程师", "淄博市消防技术服务中心"),
    DemoExpert(
        "expert4",
        "赵建业",
        ("construction",),
        "工程师",
        "",
        employed_by_industry="JZSG",
    ),
    DemoExpert(
        "expert5",
        "钱明远",
        ("hazchem", "metallurgy_trade"),
        "注册安全工程师",
        "淄博安泰安全技术咨询有限公司",
        engaged_by_industry="WHP",
    ),
    DemoExpert(
        "expert6",
        "孙丽娟",
        ("transport",),
        "高级工程师",
        "淄博市交通运输事务中心",
        certificate_days=-30,
    ),
    DemoExpert(
        "expert7",
        "周永刚",
        ("electrical", "metallurgy_trade"),
        "高级技师",
        "国网淄博供电公司",
        away_days=14,
    ),
]


def _link_specialties() -> None:
    industries = {i.code: i for i in Industry.objects.all()}
    for code, industry_codes in SPECIALTY_INDUSTRIES.items():
        specialty = Specialty.objects.filter(code=code).first()
        linked = [industries[c] for c in industry_codes if c in industries]
        if specialty is not None and linked:
            specialty.industries.add(*linked)


def _first_of(industry: str) -> Enterprise | None:
    return Enterprise.objects.filter(industry__code=industry).order_by("pk").first()


def _login(spec: DemoExpert, unit: Unit | None) -> User:
    user = User.objects.filter(username=spec.username).first()
    if user is not None:
        return user
    return person_upsert(
        actor=None,
        username=spec.username,
        full_name=spec.full_name,
        unit=unit,
        post="安全生产专家",
        roles=[Role.EXPERT],
    )


def _expert(spec: DemoExpert, unit: Unit | None) -> Expert | None:
    user = _login(spec, unit)
    if Expert.objects.filter(user=user).exists():
        return None
    employer = _first_of(spec.employed_by_industry) if spec.employed_by_industry else None
    expert = Expert.objects.create(
        user=user,
        title=spec.title,
        employer=spec.employer or (employer.name if employer else ""),
        employer_enterprise=employer,
    )
    expert.specialties.set(Specialty.objects.filter(code__in=spec.specialties))
    today = timezone.localdate()
    ExpertCertificate.objects.create(
        expert=expert,
        kind=CertificateKind.REGISTERED_SAFETY_ENGINEER,
        number=f"ZC{user.pk:04d}{today.year % 100:02d}",
        valid_until=today + timedelta(days=spec.certificate_days),
    )
    if spec.engaged_by_industry and (client := _first_of(spec.engaged_by_industry)):
        ExpertEngagement.objects.create(
            expert=expert,
            enterprise=client,
            kind=EngagementKind.DIAGNOSIS,
            started_on=today - timedelta(days=330),
            ended_on=today - timedelta(days=300),
            note="受企业委托开展安全评估",
        )
    if spec.away_days:
        Unavailability.objects.create(
            expert=expert,
            starts_on=today,
            ends_on=today + timedelta(days=spec.away_days),
            reason="外出培训",
        )
    return expert


def _busy(expert: Expert) -> bool:
    """Leave every demo expert room for two more assignments below the policy's limit, so
    that the demo (and its journeys) can still assign each of them."""
    limit = active_policy().experts.max_open_assignments
    if not limit:
        return False
    opened = ExpertAssignment.objects.filter(expert=expert, released_at__isnull=True).count()
    return opened >= max(limit - 2, 1)


def _assign_evaluations() -> int:
    """Demo cards being evaluated get their expert through the pool; where the pool refuses
    (a conflict, the policy's limit), the card waits for an officer to assign one."""
    ct = ContentType.objects.get_for_model(Hazard)
    assigned = set(
        ExpertAssignment.objects.filter(content_type=ct, released_at__isnull=True).values_list(
            "object_id", flat=True
        )
    )
    made, waiting = 0, []
    cards = Hazard.objects.filter(status=HazardStatus.EVALUATING, expert__isnull=False)
    for card in cards.select_related("enterprise", "expert").order_by("pk"):
        if card.pk in assigned:
            continue
        entry = Expert.objects.filter(user=card.expert).first()
        try:
            if entry is None or _busy(entry):
                raise ValidationError("not in the pool, or no room left")
            expert_assign(actor=None, expert=entry, target=card, enterprise=card.enterprise)
            made += 1
        except ValidationError:
            waiting.append(card.pk)
    if waiting:
        Hazard.objects.filter(pk__in=waiting).update(expert=None)
        record(
            actor=None,
            action="demo.evaluations_waiting",
            object_type="hazards.hazard",
            object_repr="演示隐患：待指派评估专家",
            changes={"cards": [None, len(waiting)]},
        )
    return made


def build() -> int:
    """Create the missing demo experts and assignments; returns how many experts were added."""
    _link_specialties()
    unit = Unit.objects.filter(kind=UnitKind.EXPERT_POOL).order_by("pk").first()
    created = [e for spec in EXPERTS if (e := _expert(spec, unit)) is not None]
    if created:
        record(
            actor=None,
            action="expert.import",
            object_type="experts.expert",
            object_repr="演示专家库",
            changes={"experts": [None, [e.pk for e in created]]},
        )
    _assign_evaluations()
    return len(created)
