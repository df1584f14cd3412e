"""Read-only admin: cards change only through the services (and so the audit trail)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Hazard, HazardEvent, HazardExtension, HazardFile, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Hazard)
class HazardAdmin(ReadOnlyAdmin):
    list_display = ["card_no", "enterprise", "level", "status", "found_on", "deadline"]
    list_filter = ["status", "level", "source", "is_supervised"]
    search_fields = ["card_no", "description"]
    list_select_related = ["enterprise"]
    show_full_result_count = False


@admin.register(HazardEvent)
class HazardEventAdmin(ReadOnlyAdmin):
    list_display = ["hazard", "action", "from_status", "to_status", "actor", "at"]
    list_select_related = ["hazard", "actor"]
    show_full_result_count = False


@admin.register(HazardExtension)
class HazardExtensionAdmin(ReadOnlyAdmin):
    list_display = ["hazard", "old_deadline", "new_deadline", "status", "decided_by"]


@admin.register(HazardFile)
class HazardFileAdmin(ReadOnlyAdmin):
    list_display = ["hazard", "kind", "original_name", "size", "sha256", "uploaded_at"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "message", "created_at", "read_at"]
