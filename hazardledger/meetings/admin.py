"""Read-only admin: meetings and follow-up items change only through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Decision, FollowUpItem, ItemLink, Meeting


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "convener", "kind", "entered_at", "entered_by"]
    list_filter = ["kind", "convener__kind"]
    list_select_related = ["convener", "entered_by"]
    date_hierarchy = "held_on"
    inlines = [DecisionInline]


class ItemLinkInline(admin.TabularInline):
    model = ItemLink
    extra = 0
    can_delete = False
    fields = ["content_type", "object_id", "label"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FollowUpItem)
class FollowUpItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "convener", "owner_unit", "owner_person", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["convener", "owner_unit", "owner_person"]
    search_fields = ["title"]
    inlines = [ItemLinkInline]
