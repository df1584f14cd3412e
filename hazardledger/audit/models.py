"""Append-only, hash-chained audit events (DESIGN.md §3.5)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Chinese names of action codes; each app adds its own with `register_action_labels`.
ACTION_LABELS: dict[str, object] = {}


def register_action_labels(labels: dict[str, object]) -> None:
    ACTION_LABELS.update(labels)


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or remove a written audit event."""


class AuditEvent(models.Model):
    """One attributable change. Rows are written once by `audit.services.record`."""

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    role = models.CharField(_("角色"), max_length=32, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Guard rail only: the chain verifier is what proves integrity.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("audit events are append-only")

    @property
    def change_list(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) per change. Services record [before, after] pairs; a value of
        any other shape (a list of items, a count) is shown as the value after."""
        out = []
        for name, value in (self.changes or {}).items():
            if isinstance(value, list | tuple) and len(value) == 2:
                out.append((name, value[0], value[1]))
            else:
                out.append((name, None, value))
        return out

    @property
    def change_rows(self) -> list[tuple[str, str, str]]:
        """`change_list` as text for the audit page: lists and mappings read as short lists."""
        return [
            (name, value_text(before), value_text(after))
            for name, before, after in self.change_list
        ]

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


SHOWN_ITEMS = 10


def value_text(value: Any) -> str:
    """A stored value as a person reads it: an import of 300 enterprises shows the first ten
    codes and the count, not three hundred quoted strings."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        items = [f"{k}：{value_text(v)}" for k, v in value.items()]
    elif isinstance(value, list | tuple):
        items = [value_text(v) for v in value]
    else:
        return str(value)
    if not items:
        return "—"
    shown = "、".join(items[:SHOWN_ITEMS])
    return shown if len(items) <= SHOWN_ITEMS else f"{shown} 等 {len(items)} 项"


class AuditHead(models.Model):
    """The newest event of the chain; lets the verifier notice a removed tail."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_event_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")
    count = models.BigIntegerField(default=0)
    # The newest event that may have changed a counted figure (see `record(counted=...)`):
    # cached counts are keyed by it, so a write that changes no figure does not void them.
    last_counted_event_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.last_event_id} ({self.count})"
