"""In-app notifications (and e-mail when configured) for hazard deadlines and outcomes.

Every notification has a unique key built from what it is about (card, deadline, event,
recipient), so sending twice creates nothing new: the reminder command is safe to re-run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.enterprises.models import EnterpriseAccount
from hazardledger.org.models import Unit, User
from hazardledger.policy.services import active_policy

from .models import Hazard, HazardEvent, Notification, NotificationKind
from .selectors import due_soon_q, overdue_q

EVENT_KINDS = {
    "evaluation_fail": NotificationKind.RETURNED,
    "reject": NotificationKind.RETURNED,
    "accept": NotificationKind.ACCEPTED,
}
EVENT_LOOKBACK_DAYS = 30
BATCH = 2000


def _enterprise_users(enterprise_ids: Iterable[int]) -> dict[int, list[int]]:
    users: dict[int, list[int]] = defaultdict(list)
    for enterprise_id, user_id in EnterpriseAccount.objects.filter(
        enterprise_id__in=set(enterprise_ids), user__is_active=True
    ).values_list("enterprise_id", "user_id"):
        users[enterprise_id].append(user_id)
    return users


def _save(rows: list[Notification]) -> list[Notification]:
    """Insert the rows whose key is new; returns those."""
    if not rows:
        return []
    existing = set(
        Notification.objects.filter(key__in=[r.key for r in rows]).values_list("key", flat=True)
    )
    new = [r for r in rows if r.key not in existing]
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    _email(new)
    return new


def _email(rows: list[Notification]) -> None:
    if not getattr(settings, "HAZARD_EMAIL_NOTIFICATIONS", False) or not rows:
        return
    emails = dict(
        User.objects.filter(pk__in={r.user_id for r in rows})
        .exclude(email="")
        .values_list("pk", "email")
    )
    for row in rows:
        if row.user_id in emails:
            send_mail(
                _("隐患台账提醒"), row.message, None, [emails[row.user_id]], fail_silently=True
            )


def _event_rows(events: Iterable[HazardEvent]) -> list[Notification]:
    events = list(events)
    users = _enterprise_users(e.hazard.enterprise_id for e in events)
    rows = []
    for event in events:
        kind = EVENT_KINDS[event.action]
        if kind == NotificationKind.RETURNED:
            message = _("隐患 %(no)s 被退回整改：%(why)s")
        else:
            message = _("隐患 %(no)s 验收合格，已销号")
        text = (message % {"no": event.hazard.card_no, "why": event.comment})[:300]
        for user_id in users.get(event.hazard.enterprise_id, []):
            rows.append(
                Notification(
                    user_id=user_id,
                    hazard_id=event.hazard_id,
                    kind=kind,
                    key=f"{kind}:{event.pk}:{user_id}",
                    message=text,
                    created_at=event.at,
                )
            )
    return rows


def notify_for_event(event_id: int) -> int:
    """Notifications for one returned/accepted event (called on commit by the services)."""
    events = HazardEvent.objects.filter(pk=event_id, action__in=EVENT_KINDS).select_related(
        "hazard"
    )
    return len(_save(_event_rows(events)))


def _deadline_rows(now) -> Iterable[list[Notification]]:
    rules = active_policy().hazards
    today = timezone.localdate(now)
    heads = dict(Unit.objects.filter(head__isnull=False).values_list("pk", "head_id"))
    fields = ("pk", "card_no", "deadline", "enterprise_id", "territory_id", "department_id")
    due = Hazard.objects.filter(due_soon_q(today, rules) | overdue_q(today)).values_list(*fields)
    batch: list[tuple] = []
    for row in due.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) >= BATCH:
            yield _rows_for_cards(batch, today, heads, now)
            batch = []
    if batch:
        yield _rows_for_cards(batch, today, heads, now)


def _rows_for_cards(batch, today, heads, now) -> list[Notification]:
    users = _enterprise_users(r[3] for r in batch)
    rows = []
    for pk, card_no, deadline, enterprise_id, territory_id, department_id in batch:
        overdue = deadline < today
        kind = NotificationKind.OVERDUE if overdue else NotificationKind.DUE_SOON
        if overdue:
            text = _("隐患 %(no)s 已超过整改时限 %(d)s，请立即整改") % {
                "no": card_no,
                "d": deadline,
            }
        else:
            text = _("隐患 %(no)s 将于 %(d)s 到期，请按时完成整改") % {"no": card_no, "d": deadline}
        for user_id in users.get(enterprise_id, []):
            rows.append(
                Notification(
                    user_id=user_id,
                    hazard_id=pk,
                    kind=kind,
                    key=f"{kind}:{pk}:{deadline}:{user_id}",
                    message=text,
                    created_at=now,
                )
            )
        if overdue:
            # Escalation: the heads of the responsible territory and department.
            esc = _("逾期督促：隐患 %(no)s 已超过整改时限 %(d)s") % {"no": card_no, "d": deadline}
            for unit_id in {territory_id, department_id} - {None}:
                head_id = heads.get(unit_id)
                if head_id:
                    rows.append(
                        Notification(
                            user_id=head_id,
                            hazard_id=pk,
                            kind=NotificationKind.ESCALATED,
                            key=f"escalated:{pk}:{deadline}:{head_id}",
                            message=esc,
                            created_at=now,
                        )
                    )
    return rows


def send_reminders(now=None) -> dict[str, int]:
    """Create every due notification that does not exist yet; returns counts by kind."""
    now = now or timezone.now()
    created: dict[str, int] = defaultdict(int)
    for rows in _deadline_rows(now):
        # The same head may be escalated to twice (territory and department): keep one.
        unique = list({r.key: r for r in rows}.values())
        for row in _save(unique):
            created[row.kind] += 1
    events = HazardEvent.objects.filter(
        Q(action__in=EVENT_KINDS), at__gte=now - timedelta(days=EVENT_LOOKBACK_DAYS)
    ).select_related("hazard")
    for row in _save(_event_rows(events.iterator(chunk_size=BATCH))):
        created[row.kind] += 1
    return dict(created)


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all when `ids` is None); not audited: not a
    change to any record of the ledger."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def notify(
    *,
    user: User | int,
    kind: str,
    key: str,
    message: str,
    link: str = "",
    hazard: Hazard | None = None,
    now=None,
) -> bool:
    """Send one in-app message (and e-mail when configured) unless one with `key` exists.

    Every app sends its messages through here; `key` names what the message is about
    (object, deadline, recipient), so calling twice sends once. Returns whether it was new.
    """
    user_id = user if isinstance(user, int) else user.pk
    row = Notification(
        user_id=user_id,
        hazard=hazard,
        kind=kind[:24],
        key=key[:120],
        message=message[:300],
        # Only paths inside the system: a message never links elsewhere.
        link=link[:300] if link.startswith("/") and not link.startswith("//") else "",
        created_at=now or timezone.now(),
    )
    return bool(_save([row]))


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
