"""Read-only admin: entries change only through the services (and so the audit trail)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import CheckLog, Entry, Ground, PartnerNotice


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "credit_code", "status", "listed_on", "expires_on", "removed_on"]
    list_filter = ["status", "removal_reason"]
    search_fields = ["credit_code", "enterprise__name", "decision_no"]
    list_select_related = ["enterprise"]
    show_full_result_count = False


@admin.register(Ground)
class GroundAdmin(ReadOnlyAdmin):
    list_display = ["entry", "content_type", "object_id", "label"]
    list_select_related = ["entry__enterprise", "content_type"]


@admin.register(PartnerNotice)
class PartnerNoticeAdmin(ReadOnlyAdmin):
    list_display = ["entry", "kind", "recipient", "channel", "sent_on", "about_removal"]
    list_select_related = ["entry__enterprise"]


@admin.register(CheckLog)
class CheckLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "unit", "credit_code", "restricted"]
    list_select_related = ["user", "unit"]
    show_full_result_count = False
