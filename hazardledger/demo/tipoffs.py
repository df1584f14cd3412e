"""Demo tip-offs: one in every state, some anonymous, a confirmed duplicate, a reward paid,
one reward refused because the reporter was not first, a reveal approved and logged, and a
notification letter with its distribution.

Everything goes through the tip-off services (so identities are encrypted and codes hashed);
idempotent: when any tip-off exists nothing is created. Receipt codes are not kept.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from hazardledger.enterprises.models import INACTIVE_STATUSES, Enterprise
from hazardledger.org.models import User
from hazardledger.tipoffs import services
from hazardledger.tipoffs.models import TipOff

REPORTS = [
    # (kind, where, text, real name?, insider?)
    ("hazard", "三号仓库", "仓库内危险化学品与可燃物混放，消防通道被货物堵死", True, False),
    ("hazard", "三号仓库", "仓库里化学品和纸箱堆在一起，消防通道堵了", False, False),
    ("illegal_operation", "后院厂房", "已责令停产的车间夜间偷偷开工生产", True, True),
    ("hazard", "配电室", "配电箱门损坏，电线裸露，雨天漏电", False, False),
    ("concealed_accident", "二号车间", "上月车间发生事故有人受伤，企业没有上报", True, True),
    ("hazard", "食堂", "液化气瓶放在灶台旁边，没有报警器", False, False),
    ("hazard", "", "这里有问题", False, False),
]
PEOPLE = [
    ("刘建国", "13905330001", "370306197501010011"),
    ("赵梅", "13905330002", ""),
    ("钱卫东", "13905330003", ""),
]


def _people() -> dict[str, User]:
    names = ["hotline", "town", "admin", "leader", "custodian"]
    return {u.username: u for u in User.objects.filter(username__in=names)}


def _submit(hotline: User | None, enterprise: Enterprise, index: int):
    kind, where, text, real, insider = REPORTS[index]
    data = {
        "kind": kind,
        "subject": enterprise.name,
        "location": where,
        "description": text,
        "is_anonymous": not real,
        "is_insider": insider,
        "channel": "hotline",
    }
    if real:
        name, phone, id_number = PEOPLE[index % len(PEOPLE)]
        data |= {"name": name, "phone": phone, "id_number": id_number}
    actor = hotline if index % 2 else None  # half by hotline, half on the web
    return services.tipoff_submit(actor=actor, data=data).tipoff


def _handle(p: dict[str, User], tipoff: TipOff, *, until: str, severity: str = "general"):
    services.tipoff_assign(
        actor=p["hotline"], tipoff=tipoff, territory=tipoff.territory, department=tipoff.department
    )
    if until == "assigned":
        return
    services.tipoff_accept(actor=p["town"], tipoff=tipoff)
    if until == "verifying":
        return
    services.tipoff_verify(
        actor=p["town"],
        tipoff=tipoff,
        data={
            "verification": "true",
            "verification_note": "现场核查，情况属实，已责令整改",
            "severity": severity,
        },
    )
    if until == "verified":
        return
    services.tipoff_message(
        actor=p["town"],
        tipoff=tipoff,
        is_feedback=True,
        body="经核查举报属实，已责令企业限期整改，感谢您的监督。",
    )
    services.tipoff_close(actor=p["town"], tipoff=tipoff)


def build() -> int:
    """Create the demo tip-offs unless some exist; returns how many were created."""
    if TipOff.objects.exists():
        return 0
    p = _people()
    if len(p) < 5 or p["town"].unit_id is None:
        return 0
    enterprises = list(
        Enterprise.objects.exclude(status__in=INACTIVE_STATUSES)
        .filter(territory=p["town"].unit)
        .exclude(industry__isnull=True)
        .order_by("credit_code")[:3]
    )
    if not enterprises:
        return 0
    with transaction.atomic():
        made = [
            _submit(p["hotline"], enterprises[i % len(enterprises)], i) for i in range(len(REPORTS))
        ]
        first, duplicate, illegal, wiring, concealed, kitchen, empty = made
        _handle(p, first, until="closed")
        _handle(p, duplicate, until="verified")
        # A reward proposed for the later report is refused once it is found not first.
        refused = services.reward_propose(actor=p["hotline"], tipoff=duplicate, amount_yuan=500)
        services.tipoff_confirm_duplicate(actor=p["hotline"], tipoff=duplicate, original=first)
        services.reward_refuse(
            actor=p["leader"], reward=refused, reason="同一事项已有更早受理的举报，非第一举报人"
        )
        reward = services.reward_propose(actor=p["hotline"], tipoff=first, amount_yuan=500)
        services.reward_approve(actor=p["admin"], reward=reward, note="同意")
        services.reward_pay(
            actor=p["hotline"],
            reward=reward,
            method="cash",
            paid_on=timezone.localdate(),
            voucher_no="JL-演示-0001",
        )
        _handle(p, illegal, until="verifying")
        services.tipoff_message(
            actor=p["town"], tipoff=illegal, body="请问夜间开工大约是几点？是否有运输车辆进出？"
        )
        _handle(p, wiring, until="assigned")
        request = services.reveal_request(
            actor=p["hotline"], tipoff=concealed, reason="核实瞒报事故需要向举报人了解受伤人员情况"
        )
        services.reveal_decide(
            actor=p["custodian"], request=request, approve=True, note="同意，仅限本案核查使用"
        )
        services.identity_read(actor=p["hotline"], tipoff=concealed)
        services.tipoff_reject(
            actor=p["hotline"], tipoff=empty, reason="举报内容不具体，无法核查，欢迎补充具体情况"
        )
        del kitchen  # stays received: waiting for triage
        letter = services.letter_create(actor=p["hotline"], industry=enterprises[0].industry)
        services.distribution_record(
            actor=p["hotline"],
            letter=letter,
            enterprise=enterprises[0],
            distributed_on=timezone.localdate(),
            copies=60,
            workers_reached=55,
        )
    return len(made)
