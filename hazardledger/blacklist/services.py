"""Every write to the blacklist (DESIGN.md §3.1).

Each service is keyword-only and atomic: it checks scope and role, validates, moves the entry
through the workflow table with a guarded update and writes one audit event; messages to the
people who act next go out on commit. Refusals raise `WorkflowError` subclasses (409/422) or
`PermissionDenied` (403) and change nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.audit.services import diff, record, snapshot
from hazardledger.enterprises.models import Enterprise, EnterpriseAccount
from hazardledger.enterprises.selectors import enterprises_visible_to
from hazardledger.lib.workflow import GuardFailed
from hazardledger.org.models import Role, User
from hazardledger.org.selectors import roles_of
from hazardledger.policy.services import active_policy

from . import rules
from .messages import tell
from .models import (
    Entry,
    EntryStatus,
    Ground,
    NoticeChannel,
    PartnerKind,
    PartnerNotice,
    RemovalReason,
)
from .selectors import entries_visible_to, leaders_to_approve
from .workflow import ENTRY_WORKFLOW, PROPOSE_ROLES, SYSTEM

S = EntryStatus
TRACKED = (
    "status",
    "grounds",
    "legal_basis",
    "decision_no",
    "restrictions",
    "notified_on",
    "notice_channel",
    "objection_deadline",
    "approved_by_id",
    "listed_on",
    "expires_on",
    "earliest_repair_on",
    "published_on",
    "objection_from",
    "objection_text",
    "repair_applied_on",
    "repair_reviewed_by_id",
    "removed_on",
    "removal_reason",
    "removed_by_id",
)
TEXT_LIMITS = {"grounds": 2000, "legal_basis": 300, "decision_no": 100, "note": 2000,
               "text": 2000, "reason": 2000, "evidence": 2000}  # fmt: skip


def _role_for(actor: User | None, allowed: frozenset[str]) -> str:
    if actor is None:
        return SYSTEM
    held = sorted(roles_of(actor) & allowed)
    return held[0] if held else ""


def _clean_text(data: Mapping[str, Any]) -> dict[str, Any]:
    """Strip text, refuse NUL bytes and over-long values with a field message."""
    cleaned: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name, value in data.items():
        if isinstance(value, str):
            value = value.strip()
            if "\x00" in value:
                problems[name] = _("内容含有不允许的字符")
            elif len(value) > TEXT_LIMITS.get(name, 2000):
                problems[name] = _("内容过长（最多 %(n)s 字）") % {"n": TEXT_LIMITS.get(name, 2000)}
        cleaned[name] = value
    if problems:
        raise GuardFailed(list(problems.values()), fields=problems)
    return cleaned


def _restrictions(codes: Sequence[str]) -> tuple[list[str], list[str]]:
    catalogue = active_policy().blacklist.restrictions
    chosen = [code for code in catalogue if code in set(codes or ())]
    unknown = [str(c) for c in codes or () if c not in catalogue]
    if unknown or not chosen:
        raise GuardFailed(
            [_("请从惩戒措施目录中选择至少一项")],
            fields={"restrictions": _("请从惩戒措施目录中选择至少一项")},
        )
    return chosen, [catalogue[code] for code in chosen]


def _enterprise_users(entry: Entry) -> list[int]:
    return list(
        EnterpriseAccount.objects.filter(enterprise_id=entry.enterprise_id).values_list(
            "user_id", flat=True
        )
    )


def _role_holders(role: str) -> list[int]:
    return list(
        User.objects.filter(role_grants__role=role, is_active=True).values_list("pk", flat=True)
    )


@transaction.atomic
def entry_propose(
    *,
    actor: User,
    enterprise: Enterprise,
    grounds: str,
    legal_basis: str,
    restrictions: Sequence[str],
    records: Sequence[models.Model] = (),
) -> Entry:
    """Propose listing `enterprise`: the grounds, the legal basis, the restrictions chosen from
    the policy's catalogue and the records (any model instance) the listing rests on."""
    if not roles_of(actor) & PROPOSE_ROLES:
        raise PermissionDenied(_("您的角色无权提出列入黑名单"))
    if not enterprises_visible_to(actor).filter(pk=enterprise.pk).exists():
        raise PermissionDenied(_("该企业不在您的管辖范围内"))
    data = _clean_text({"grounds": grounds or "", "legal_basis": legal_basis or ""})
    problems = {}
    if not data["grounds"]:
        problems["grounds"] = _("请填写列入事由（违法失信事实）")
    if not data["legal_basis"]:
        problems["legal_basis"] = _("请填写列入依据")
    if problems:
        raise GuardFailed(list(problems.values()), fields=problems)
    codes, labels = _restrictions(restrictions)
    entry = Entry.objects.create(
        enterprise=enterprise,
        credit_code=enterprise.credit_code,
        grounds=data["grounds"],
        legal_basis=data["legal_basis"],
        restrictions=codes,
        restriction_labels=labels,
        proposed_by=actor,
        proposing_unit=actor.unit,
        proposed_at=timezone.now(),
    )
    Ground.objects.bulk_create(
        [Ground(entry=entry, target=obj, label=str(obj)[:300]) for obj in records]
    )
    record(
        actor=actor,
        action="blacklist.propose",
        obj=entry,
        changes=snapshot(entry, ("status", "credit_code", "grounds", "restrictions"))
        | {"records": [None, [str(obj) for obj in records]]},
        role=_role_for(actor, PROPOSE_ROLES),
    )
    return entry


def _values(entry: Entry, action: str, actor: User | None, data: Mapping[str, Any], today: date):
    policy = active_policy().blacklist
    note = data.get("note", "")
    removal = {"removed_on": today, "removed_by": actor, "removal_note": note}
    if action == "notify":
        return {
            "notified_on": today,
            "notice_channel": data["channel"],
            "objection_deadline": rules.objection_deadline(today, policy.objection_window_days),
        }
    if action == "withdraw":
        return removal | {"removal_reason": RemovalReason.WITHDRAWN}
    if action == "object":
        return {
            "objection_from": entry.status,
            "objection_text": data["text"],
            "objection_on": today,
        }
    if action == "approve":
        return {
            "approved_by": actor,
            "decision_no": data["decision_no"],
            "listed_on": today,
            "expires_on": rules.expires_on(today, policy.listing_years),
            "earliest_repair_on": rules.earliest_repair_on(today, policy.earliest_repair_months),
        }
    if action == "publish":
        return {"published_on": today}
    if action in ("correct", "dismiss"):
        values: dict[str, Any] = {"objection_from": ""}
        if action == "correct":
            if data.get("grounds"):
                values["grounds"] = data["grounds"]
            if data.get("restrictions"):
                values["restrictions"], values["restriction_labels"] = _restrictions(
                    data["restrictions"]
                )
        return values
    if action == "revoke":
        return removal | {"removal_reason": RemovalReason.REVOKED}
    if action == "apply_repair":
        return {
            "repair_applied_on": today,
            "repair_reason": data["reason"],
            "repair_evidence": data["evidence"],
            "repair_reviewed_by": None,
        }
    if action == "review_repair":
        return {"repair_reviewed_by": actor}
    if action == "approve_repair":
        return removal | {"removal_reason": RemovalReason.REPAIRED}
    if action == "reject_repair":
        return {"repair_reviewed_by": None}
    if action == "expire":
        # Off the list the day after its last day, whenever the job records it.
        return {
            "removed_on": entry.expires_on + timedelta(days=1),
            "removed_by": None,
            "removal_reason": RemovalReason.EXPIRED,
            "removal_note": _("列入期限届满，自动移出"),
        }
    return {}


@transaction.atomic
def entry_perform(
    *,
    actor: User | None,
    entry: Entry,
    action: str,
    data: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> Entry:
    """Run one action of the table on the entry. `actor=None` is the system (expiry only)."""
    today = today or timezone.localdate()
    data = _clean_text(dict(data or {}))
    if actor is not None and not entries_visible_to(actor).filter(pk=entry.pk).exists():
        raise PermissionDenied(_("该黑名单条目不在您的管辖范围内"))
    roles = {SYSTEM} if actor is None else roles_of(actor)
    context = {"today": today, "actor": actor, "data": data}
    transition = ENTRY_WORKFLOW.check(entry.status, action, roles, entry, context)
    before = snapshot(entry, TRACKED)
    target = transition.next_state(entry, context)
    ENTRY_WORKFLOW.apply(entry, target=target, values=_values(entry, action, actor, data, today))
    reason = str(data.get("note") or data.get("text") or data.get("reason") or "")
    record(
        actor=actor,
        action=f"blacklist.{action}",
        obj=entry,
        changes=diff(before, snapshot(entry, TRACKED)),
        reason=reason,
        role=_role_for(actor, transition.roles) if actor else SYSTEM,
    )
    _tell_next(entry, action)
    return entry


def _tell_next(entry: Entry, action: str) -> None:
    """Who acts next hears of it (once per entry and step: the key makes it idempotent)."""
    link = reverse("blacklist:detail", args=[entry.pk])
    name = entry.enterprise.name
    if action == "notify":
        tell(
            _enterprise_users(entry),
            entry,
            action,
            _("拟将本企业列入严重失信主体名单，请在陈述申辩期内提出意见：%(n)s") % {"n": name},
            link,
        )
        tell(
            leaders_to_approve(entry),
            entry,
            action,
            _("拟列入黑名单待批准（陈述申辩期满后）：%(n)s") % {"n": name},
            link,
        )
    elif action == "approve":
        tell(
            _role_holders(Role.DISTRICT_ADMIN),
            entry,
            action,
            _("黑名单列入已批准，待公示：%(n)s") % {"n": name},
            link,
        )
    elif action in ("object", "apply_repair"):
        tell(
            _role_holders(Role.DISTRICT_ADMIN),
            entry,
            action,
            _("黑名单条目有待处理的申请：%(n)s") % {"n": name},
            link,
        )
    elif action == "review_repair":
        tell(
            leaders_to_approve(entry),
            entry,
            action,
            _("信用修复已初审，待批准：%(n)s") % {"n": name},
            link,
        )
    elif action in ("publish", "approve_repair", "revoke", "expire"):
        message = _("本企业黑名单状态变更为“%(s)s”：%(n)s") % {
            "s": entry.get_status_display(),
            "n": name,
        }
        tell(_enterprise_users(entry), entry, action, message, link)


@transaction.atomic
def partner_notice_add(
    *,
    actor: User,
    entry: Entry,
    kind: str,
    recipient: str,
    channel: str,
    sent_on: date,
    about_removal: bool = False,
    note: str = "",
) -> PartnerNotice:
    """Record that a department, bank or platform was told of the listing (or its removal)."""
    if not roles_of(actor) & (PROPOSE_ROLES | {Role.DISTRICT_LEADER}):
        raise PermissionDenied(_("您的角色无权登记通报"))
    if not entries_visible_to(actor).filter(pk=entry.pk).exists():
        raise PermissionDenied(_("该黑名单条目不在您的管辖范围内"))
    data = _clean_text({"recipient": recipient or "", "note": note or ""})
    problems = {}
    if kind not in PartnerKind.values:
        problems["kind"] = _("请选择单位类别")
    if channel not in NoticeChannel.values:
        problems["channel"] = _("请选择通报方式")
    if not data["recipient"]:
        problems["recipient"] = _("请填写接收单位")
    if entry.status in (S.PROPOSED, S.NOTIFIED):
        problems["__all__"] = _("尚未决定列入，不能对外通报")
    if not isinstance(sent_on, date) or sent_on > timezone.localdate():
        problems["sent_on"] = _("通报日期不能晚于今天")
    if problems:
        raise GuardFailed(list(problems.values()), fields=problems)
    notice = PartnerNotice.objects.create(
        entry=entry,
        kind=kind,
        recipient=data["recipient"],
        channel=channel,
        sent_on=sent_on,
        about_removal=about_removal,
        note=data["note"],
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    record(
        actor=actor,
        action="blacklist.partner_notice",
        obj=entry,
        changes={"partner_notice": [None, f"{notice.recipient}（{notice.get_channel_display()}）"]},
        role=_role_for(actor, PROPOSE_ROLES | {Role.DISTRICT_LEADER}),
        counted=False,
    )
    return notice
