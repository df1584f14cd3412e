"""Read-only admin: campaigns, checklists and inspections change only through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Campaign,
    Checklist,
    ChecklistItem,
    ChecklistVersion,
    Inspection,
    InspectionItem,
    SelfInspectionSchedule,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "starts_on", "ends_on", "leader", "committee"]
    list_select_related = ["leader", "committee"]


@admin.register(Checklist)
class ChecklistAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "sort_order"]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    can_delete = False
    fields = ["category", "position", "code", "text", "basis", "nature"]
    readonly_fields = fields


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(ReadOnlyAdmin):
    list_display = ["checklist", "number", "status", "published_at", "archived_at"]
    list_filter = ["status"]
    inlines = [ChecklistItemInline]


class InspectionItemInline(admin.TabularInline):
    model = InspectionItem
    extra = 0
    can_delete = False
    fields = ["checklist_item", "result", "note", "location", "photo_sha256", "hazard"]
    readonly_fields = fields


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "enterprise", "inspected_on", "lead_name", "campaign"]
    list_filter = ["kind"]
    list_select_related = ["enterprise", "campaign"]
    search_fields = ["enterprise__name", "lead_name"]
    show_full_result_count = False
    inlines = [InspectionItemInline]


@admin.register(SelfInspectionSchedule)
class SelfInspectionScheduleAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "starts_on", "cadence_days", "is_active"]
    list_select_related = ["enterprise"]
