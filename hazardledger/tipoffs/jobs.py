"""Scheduled work: reminders of tip-off deadlines and waiting reveal requests. Idempotent:
each message has a key of (what, which tip-off, which deadline, whom), so a second run sends
nothing new. Messages name the tip-off by number only."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from hazardledger.hazards.notifications import notify
from hazardledger.org.models import Role, User
from hazardledger.policy.services import active_policy

from . import rules
from .models import Author, LookupGuard, Message, RevealRequest, RevealStatus, Status, TipOff

SOON = timedelta(days=3)
BATCH = 500


def _holders(role: str, unit_id: int | None = None) -> list[int]:
    qs = User.objects.filter(is_active=True, role_grants__role=role)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    return list(qs.values_list("pk", flat=True).distinct())


def _officers(tipoff: TipOff) -> list[int]:
    ids = []
    if tipoff.territory_id:
        ids += _holders(Role.TERRITORY_OFFICER, tipoff.territory_id)
    if tipoff.department_id:
        ids += _holders(Role.DEPARTMENT_OFFICER, tipoff.department_id)
    return sorted(set(ids))


def _send(users, tipoff: TipOff, what: str, due: datetime, message: str, sent: Counter) -> None:
    link = reverse("tipoffs:detail", args=[tipoff.pk])
    day = timezone.localdate(due).isoformat()
    for user_id in users:
        key = f"tipoff:{what}:{tipoff.pk}:{day}:{user_id}"
        if notify(user=user_id, kind="tipoff", key=key, message=message, link=link):
            sent[what] += 1


def send_tipoff_reminders(now: datetime | None = None) -> dict[str, int]:
    """Create every due reminder that does not exist yet; returns counts by kind."""
    now = now or timezone.now()
    limits = active_policy().tipoffs
    sent: Counter = Counter()
    hotline = _holders(Role.HOTLINE_OPERATOR)
    for tipoff in TipOff.objects.filter(status=Status.RECEIVED).iterator(chunk_size=BATCH):
        due = rules.acceptance_due(tipoff.received_at, limits)
        if due <= now:
            _send(
                hotline,
                tipoff,
                "triage",
                due,
                f"举报 {tipoff.number} 已超过受理期限，尚未分派",
                sent,
            )
    for tipoff in TipOff.objects.filter(status=Status.VERIFYING).iterator(chunk_size=BATCH):
        due = rules.handling_due(tipoff.accepted_at, tipoff.extended, limits)
        if due - SOON <= now:
            late = "已超过" if due <= now else "即将到达"
            _send(
                _officers(tipoff),
                tipoff,
                "handling",
                due,
                f"举报 {tipoff.number} {late}办理期限（{timezone.localdate(due)}）",
                sent,
            )
    answered = Message.objects.filter(tipoff=OuterRef("pk"), author=Author.STAFF, is_feedback=True)
    waiting = TipOff.objects.filter(status=Status.VERIFIED).exclude(Exists(answered))
    for tipoff in waiting.iterator(chunk_size=BATCH):
        due = rules.feedback_due(tipoff.verified_at, limits)
        if due - SOON <= now:
            _send(
                _officers(tipoff),
                tipoff,
                "feedback",
                due,
                f"举报 {tipoff.number} 须在 {timezone.localdate(due)} 前向举报人反馈核查结果",
                sent,
            )
    custodians = _holders(Role.IDENTITY_CUSTODIAN)
    for request in RevealRequest.objects.filter(status=RevealStatus.PENDING).select_related(
        "tipoff"
    ):
        targets = [u for u in custodians if u != request.requested_by_id]
        link = reverse("tipoffs:reveals")
        for user_id in targets:
            key = f"tipoff:reveal:{request.pk}:{user_id}"
            if notify(
                user=user_id,
                kind="tipoff",
                key=key,
                link=link,
                message=f"举报 {request.tipoff.number} 有查看举报人身份的申请待审批",
            ):
                sent["reveal"] += 1
    sent["guards_removed"] = _sweep_guards(now)
    return {k: v for k, v in sent.items() if v}


def _sweep_guards(now: datetime) -> int:
    """Throttling rows of addresses not seen for a day and not locked out: kept no longer
    than they are needed."""
    stale = LookupGuard.objects.filter(window_start__lt=now - timedelta(days=1)).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    )
    return stale.delete()[0]


def scheduled(period: str) -> str:
    """The hourly scheduled job."""
    from hazardledger.hazards.notification_kinds import kind_label

    sent = send_tipoff_reminders()
    return "、".join(f"{kind_label(k)} {n} 条" for k, n in sorted(sent.items())) or "没有新的提醒"
