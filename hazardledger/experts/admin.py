from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hazardledger.audit.admin_mixins import AuditedAdmin

from .models import (
    Expert,
    ExpertAssignment,
    ExpertCertificate,
    ExpertEngagement,
    Specialty,
    Unavailability,
)


@admin.register(Specialty)
class SpecialtyAdmin(AuditedAdmin):
    """The specialty taxonomy and the industries each one evaluates first."""

    list_display = ["code", "name", "order"]
    search_fields = ["code", "name"]
    filter_horizontal = ["industries"]


class CertificateInline(admin.TabularInline):
    model = ExpertCertificate
    extra = 0
    fields = ["kind", "number", "valid_until", "original_name"]
    readonly_fields = ["original_name"]


class EngagementInline(admin.TabularInline):
    model = ExpertEngagement
    extra = 0
    fields = ["enterprise", "kind", "started_on", "ended_on", "note"]
    autocomplete_fields = ["enterprise"]


class UnavailabilityInline(admin.TabularInline):
    model = Unavailability
    extra = 0


@admin.register(Expert)
class ExpertAdmin(AuditedAdmin):
    list_display = ["__str__", "title", "employer", "is_active"]
    list_filter = ["is_active", "specialties"]
    search_fields = ["user__username", "user__full_name", "employer"]
    autocomplete_fields = ["user", "employer_enterprise"]
    filter_horizontal = ["specialties"]
    inlines = [CertificateInline, EngagementInline, UnavailabilityInline]


@admin.register(ExpertAssignment)
class ExpertAssignmentAdmin(admin.ModelAdmin):
    """Read-only: assignments are made and ended by the services (card pages, API)."""

    list_display = [
        "expert",
        "content_type",
        "object_id",
        "enterprise",
        "assigned_at",
        "released_at",
    ]
    list_filter = ["content_type", "released_at"]
    search_fields = ["expert__user__full_name", "enterprise__name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
