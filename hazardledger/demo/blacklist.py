"""Demo blacklist entries: one in every state of the lifecycle, one repaired early, one
expired, one revoked and one withdrawn, with partner notices and grounds linked to cards.

Idempotent: entries are built only while the blacklist is empty, so a second run creates
nothing. Rows are inserted directly with the dates each state implies (relative to today),
and the batch is one audit event. A second district leader (副区长, `leader2`) is added so
that revocation and credit repair, which need a person other than the approver, can be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from hazardledger.audit.services import record
from hazardledger.blacklist import rules
from hazardledger.blacklist.models import (
    Entry,
    EntryStatus,
    Ground,
    PartnerNotice,
    RemovalReason,
)
from hazardledger.demo.district import demo_password
from hazardledger.enterprises.models import INACTIVE_STATUSES, Enterprise, EnterpriseAccount
from hazardledger.hazards.models import Hazard
from hazardledger.org.models import Role, Unit, User
from hazardledger.org.services import person_upsert
from hazardledger.policy.services import active_policy

S = EntryStatus
JOURNEY_TOWN = "T-BJZ"


@dataclass(frozen=True)
class Spec:
    status: str
    proposer: str
    grounds: str
    listed_days_ago: int | None = None  # None: not decided yet
    notified_days_ago: int | None = None
    removed: str = ""
    removed_days_ago: int | None = None
    objection_from: str = ""
    reviewed: bool = False
    own_enterprise: bool = False


SPECS = [
    Spec(S.PROPOSED, "town", "发生一般生产安全事故，事故调查认定存在瞒报行为"),
    Spec(
        S.NOTIFIED,
        "dept",
        "拒不执行停产整顿指令，擅自组织生产",
        notified_days_ago=1,
        own_enterprise=True,
    ),
    Spec(
        S.NOTIFIED, "town", "重大事故隐患挂牌督办期间拒不整改，受到行政处罚", notified_days_ago=10
    ),
    Spec(
        S.APPROVED,
        "admin",
        "非法违法生产经营，被依法责令停产整顿后仍不达标",
        listed_days_ago=3,
        notified_days_ago=15,
    ),
    Spec(
        S.PUBLISHED,
        "town",
        "未经许可储存危险化学品，情节严重",
        listed_days_ago=60,
        notified_days_ago=75,
    ),
    Spec(
        S.PUBLISHED,
        "dept",
        "发生较大生产安全事故，对事故发生负有责任",
        listed_days_ago=400,
        notified_days_ago=420,
    ),
    Spec(
        S.OBJECTION,
        "admin",
        "出具虚假安全评价报告",
        listed_days_ago=30,
        notified_days_ago=45,
        objection_from=S.PUBLISHED,
    ),
    Spec(
        S.REPAIRING,
        "town",
        "拒不配合安全生产监督检查，情节恶劣",
        listed_days_ago=500,
        notified_days_ago=520,
        reviewed=True,
    ),
    Spec(
        S.REMOVED,
        "dept",
        "违法分包转包，导致生产安全事故",
        listed_days_ago=700,
        notified_days_ago=720,
        removed=RemovalReason.REPAIRED,
        removed_days_ago=200,
    ),
    Spec(
        S.REMOVED,
        "admin",
        "未按规定整改重大事故隐患被处罚",
        listed_days_ago=3 * 366 + 40,
        notified_days_ago=3 * 366 + 60,
        removed=RemovalReason.EXPIRED,
    ),
    Spec(
        S.REMOVED,
        "town",
        "违规动火作业引发火灾（经复核事实有误）",
        listed_days_ago=100,
        notified_days_ago=115,
        removed=RemovalReason.REVOKED,
        removed_days_ago=50,
    ),
    Spec(
        S.REMOVED,
        "dept",
        "超范围经营（经核实已整改，不予列入）",
        notified_days_ago=30,
        removed=RemovalReason.WITHDRAWN,
        removed_days_ago=28,
    ),
]


def _people() -> dict[str, User]:
    people = {
        u.username: u for u in User.objects.filter(username__in=["admin", "leader", "town", "dept"])
    }
    people["leader2"] = person_upsert(
        actor=None,
        username="leader2",
        full_name="王建华",
        unit=Unit.objects.filter(code="GOV").first(),
        post="副区长",
        roles=[Role.DISTRICT_LEADER],
        password=demo_password(),
    )
    return people


def _enterprises() -> tuple[list[Enterprise], list[Enterprise], Enterprise | None]:
    active = Enterprise.objects.exclude(status__in=INACTIVE_STATUSES).order_by("credit_code")
    own_ids = set(EnterpriseAccount.objects.values_list("enterprise_id", flat=True))
    town = [e for e in active.filter(territory__code=JOURNEY_TOWN) if e.pk not in own_ids]
    rest = [e for e in active.exclude(territory__code=JOURNEY_TOWN) if e.pk not in own_ids]
    own = active.filter(pk__in=own_ids).first()
    return town, rest, own


def _entry(spec: Spec, enterprise: Enterprise, people: dict[str, User], today: date) -> Entry:
    policy = active_policy().blacklist
    codes = list(policy.restrictions)
    proposer = people[spec.proposer]
    entry = Entry(
        enterprise=enterprise,
        credit_code=enterprise.credit_code,
        grounds=spec.grounds,
        legal_basis="《安全生产严重失信主体名单管理办法》（应急管理部令第11号）第六条",
        restrictions=codes,
        restriction_labels=[policy.restrictions[c] for c in codes],
        status=spec.status,
        proposed_by=proposer,
        proposing_unit=proposer.unit,
        proposed_at=timezone.now() - timedelta(days=(spec.notified_days_ago or 0) + 2),
    )
    if spec.notified_days_ago is not None:
        entry.notified_on = today - timedelta(days=spec.notified_days_ago)
        entry.notice_channel = "document"
        entry.objection_deadline = rules.objection_deadline(
            entry.notified_on, policy.objection_window_days
        )
    if spec.listed_days_ago is not None:
        listed = today - timedelta(days=spec.listed_days_ago)
        entry.approved_by = people["leader"]
        entry.decision_no = f"周应急失信决〔{listed.year}〕{SPECS.index(spec) + 11}号"
        entry.listed_on = listed
        entry.expires_on = rules.expires_on(listed, policy.listing_years)
        entry.earliest_repair_on = rules.earliest_repair_on(listed, policy.earliest_repair_months)
        if spec.status != S.APPROVED:
            entry.published_on = listed + timedelta(days=1)
    if spec.objection_from:
        entry.objection_from = spec.objection_from
        entry.objection_text = "该报告系委托方提供虚假资料所致，本机构已主动报告，请求复核。"
        entry.objection_on = today - timedelta(days=2)
    if spec.status == S.REPAIRING or spec.removed == RemovalReason.REPAIRED:
        entry.repair_applied_on = today - timedelta(days=(spec.removed_days_ago or 0) + 10)
        entry.repair_reason = "已全面整改并通过验收，按期缴纳罚款，主要负责人完成安全培训。"
        entry.repair_evidence = "整改验收报告；罚款缴纳凭证；培训合格证明。"
        if spec.reviewed or spec.removed:
            entry.repair_reviewed_by = people["admin"]
    if spec.removed:
        entry.removal_reason = spec.removed
        if spec.removed == RemovalReason.EXPIRED:
            entry.removed_on = entry.expires_on + timedelta(days=1)
            entry.removal_note = "列入期限届满，自动移出"
        else:
            entry.removed_on = today - timedelta(days=spec.removed_days_ago or 0)
            entry.removed_by = (
                people["leader2"] if spec.removed != RemovalReason.WITHDRAWN else proposer
            )
            entry.removal_note = (
                "经审核同意" if spec.removed == RemovalReason.REPAIRED else "经复核"
            )
    return entry


def _notices(entry: Entry, people: dict[str, User]) -> list[PartnerNotice]:
    if entry.listed_on is None or entry.status == S.APPROVED:
        return []
    sent = entry.published_on or entry.listed_on
    rows = [
        ("bank", "中国人民银行淄博市周村区支行", "document"),
        ("department", "区行政审批服务局", "system"),
        ("land", "区自然资源局", "document"),
        ("credit", "信用淄博（信用信息共享平台）", "system"),
    ]
    out = [
        PartnerNotice(
            entry=entry, kind=k, recipient=r, channel=c, sent_on=sent,
            recorded_by=people["admin"], recorded_at=timezone.now(),
        )
        for k, r, c in rows
    ]  # fmt: skip
    if entry.removed_on and entry.removal_reason != RemovalReason.WITHDRAWN:
        out.append(
            PartnerNotice(
                entry=entry, kind="bank", recipient=rows[0][1], channel="document",
                sent_on=entry.removed_on, about_removal=True, recorded_by=people["admin"],
                recorded_at=timezone.now(),
            )
        )  # fmt: skip
    return out


@transaction.atomic
def build() -> int:
    """Create the demo entries unless the blacklist has any; returns how many were created."""
    if Entry.objects.exists():
        return 0
    town, rest, own = _enterprises()
    if len(town) < 6 or len(rest) < 6:
        return 0  # the enterprise demo has not run
    people = _people()
    if len(people) < 5:
        return 0
    today = timezone.localdate()
    pools = {"town": iter(town), "dept": iter(rest), "admin": iter(rest[6:])}
    entries = []
    for spec in SPECS:
        enterprise = own if spec.own_enterprise and own else next(pools[spec.proposer])
        entries.append(_entry(spec, enterprise, people, today))
    Entry.objects.bulk_create(entries)
    Ground.objects.bulk_create(_grounds(entries))
    PartnerNotice.objects.bulk_create([n for e in entries for n in _notices(e, people)])
    record(
        actor=None,
        action="demo.blacklist",
        object_type="blacklist.entry",
        object_repr="演示黑名单",
        changes={"created": [None, len(entries)]},
        reason="演示数据",
    )
    return len(entries)


def _grounds(entries: list[Entry]) -> list[Ground]:
    cards: dict[int, Any] = {}
    for card in Hazard.objects.filter(
        enterprise_id__in=[e.enterprise_id for e in entries]
    ).order_by("pk"):
        cards.setdefault(card.enterprise_id, card)
    return [
        Ground(entry=e, target=cards[e.enterprise_id], label=str(cards[e.enterprise_id])[:300])
        for e in entries
        if e.enterprise_id in cards
    ]
