from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hazardledger.audit.admin_mixins import AuditedAdmin

from .models import Enterprise, EnterpriseAccount, ImportBatch, ProcedureKind


@admin.register(ProcedureKind)
class ProcedureKindAdmin(AuditedAdmin):
    """Which procedures each industry must hold (also editable at /enterprises/procedure-kinds/)."""

    list_display = ["code", "name", "sort_order"]
    search_fields = ["code", "name"]
    filter_horizontal = ["industries"]


@admin.register(EnterpriseAccount)
class EnterpriseAccountAdmin(AuditedAdmin):
    list_display = ["user", "enterprise"]
    search_fields = ["user__username", "user__full_name", "enterprise__name"]
    autocomplete_fields = ["user", "enterprise"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    """Read-only here: registry changes go through the services (pages, API, import)."""

    list_display = ["name", "credit_code", "territory", "industry", "status"]
    list_filter = ["status", "category", "territory", "industry"]
    search_fields = ["name", "credit_code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Imports are written by their services; the admin only shows them."""

    list_display = ("pk", "kind", "status", "filename", "created_by", "created_at", "created")
    list_filter = ("kind", "status")
    exclude = ("content",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
