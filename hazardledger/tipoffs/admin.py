"""Read-only admin. The identity vault is not registered at all: it is read only through the
reveal flow, which logs every reading."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Distribution, Letter, RevealRequest, Reward, TipOff


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TipOff)
class TipOffAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "channel", "status", "received_at", "pseudonym"]
    list_filter = ["status", "kind", "channel"]
    search_fields = ["number"]
    exclude = ["receipt_index", "receipt_hash", "receipt_salt", "reporter_key"]
    show_full_result_count = False


@admin.register(RevealRequest)
class RevealRequestAdmin(ReadOnlyAdmin):
    list_display = ["tipoff", "requested_by", "status", "requested_at", "decided_by"]
    list_filter = ["status"]


@admin.register(Reward)
class RewardAdmin(ReadOnlyAdmin):
    list_display = ["tipoff", "amount_yuan", "status", "proposed_by", "decided_by", "paid_on"]
    list_filter = ["status"]


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    list_display = ["scope", "enterprise", "industry", "created_at"]


@admin.register(Distribution)
class DistributionAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "distributed_on", "copies", "workers_reached"]
