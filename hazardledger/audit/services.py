"""The one way to write an audit event, and the chain verifier."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from .models import AuditEvent, AuditHead

GENESIS = "0" * 64
SENSITIVE_FIELDS = frozenset({"password", "reporter_identity", "identity", "receipt_code"})


def _jsonable(value: Any) -> Any:
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def canonical(event: AuditEvent) -> str:
    """The fields that the hash covers, as one stable string."""
    body = {
        "id": event.pk,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "role": event.role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "reason": event.reason,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def compute_hash(event: AuditEvent) -> str:
    key = settings.AUDIT_KEY.encode()
    return hmac.new(key, canonical(event).encode(), hashlib.sha256).hexdigest()


def _pair(value: Any) -> list[Any]:
    """Every change is stored as [before, after]; a bare value is what there is after. A value
    that is itself a list of two must come wrapped ([None, [a, b]]), or it reads as a pair."""
    return list(value) if isinstance(value, list | tuple) and len(value) == 2 else [None, value]


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Changed fields as {field: [before, after]}, sensitive fields left out."""
    changed = {}
    for name in sorted(set(before) | set(after)):
        if name in SENSITIVE_FIELDS:
            continue
        old, new = _jsonable(before.get(name)), _jsonable(after.get(name))
        if old != new:
            changed[name] = [old, new]
    return changed


def snapshot(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values of a model instance, for `diff`."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def _locked_head() -> AuditHead:
    head, _created = AuditHead.objects.get_or_create(pk=1)
    if connection.features.has_select_for_update:
        # Serialises appenders on PostgreSQL; SQLite's IMMEDIATE transactions already do.
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


@transaction.atomic
def record(
    *,
    actor: Any,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    object_repr: str = "",
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
    role: str = "",
    counted: bool = True,
) -> AuditEvent:
    """Append one event to the chain. Called by every service that changes state.

    `changes` maps each field to [before, after] (see `diff`); a bare value is stored as
    [None, value]. `counted=False` tells that the change moves no counted figure (a progress
    note on a card whose status, dates and scope stay as they were); leave it True when unsure.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    actor = actor if getattr(actor, "is_authenticated", False) else None
    head = _locked_head()
    event = AuditEvent(
        at=timezone.now(),
        actor=actor,
        actor_name=(getattr(actor, "display_name", "") or str(actor or ""))[:100],
        role=role,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_repr=object_repr[:200],
        changes={
            k: _pair(v)
            for k, v in _jsonable(dict(changes or {})).items()
            if k not in SENSITIVE_FIELDS
        },
        reason=reason,
        prev_hash=head.last_hash or GENESIS,
        hash="pending-" + GENESIS[:56],
    )
    event.save(force_insert=True)
    event.hash = compute_hash(event)
    AuditEvent.objects.filter(pk=event.pk).update(hash=event.hash)
    moved = {"last_counted_event_id": event.pk} if counted else {}
    AuditHead.objects.filter(pk=1).update(
        last_event_id=event.pk, last_hash=event.hash, count=head.count + 1, **moved
    )
    return event


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    message: str


def verify_chain(batch_size: int = 2000) -> ChainProblem | None:
    """Walk the chain in order; return the first problem, or None when it is intact."""
    prev_hash, count, last = GENESIS, 0, None
    qs = AuditEvent.objects.order_by("pk")
    for event in qs.iterator(chunk_size=batch_size):
        if event.prev_hash != prev_hash:
            return ChainProblem(event.pk, "前一条哈希不匹配：此前的事件被删除、插入或修改")
        if not hmac.compare_digest(event.hash, compute_hash(event)):
            return ChainProblem(event.pk, "哈希不匹配：事件内容被修改或事件被伪造插入")
        prev_hash, count, last = event.hash, count + 1, event
    head = AuditHead.objects.filter(pk=1).first()
    head_hash = head.last_hash if head else ""
    head_count = head.count if head else 0
    if (head_hash or GENESIS) != prev_hash or head_count != count:
        return ChainProblem(last.pk if last else None, "链头不匹配：链尾事件被删除或链外插入了事件")
    return None
