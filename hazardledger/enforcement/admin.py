"""Read-only admin: enforcement records change only through the services (and the audit)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Case,
    ConstructionProject,
    Document,
    IllegalStructure,
    JointAction,
    Measure,
    Proposal,
    Resumption,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "status", "enterprise", "opened_at"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "facts"]
    list_select_related = ["enterprise"]


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "status", "executed_at", "lifted_at"]
    list_filter = ["kind", "status"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["case", "rule", "proposed_kind", "status"]
    list_filter = ["status", "proposed_kind"]


@admin.register(Resumption)
class ResumptionAdmin(ReadOnlyAdmin):
    list_display = ["case", "status", "applied_at", "accepted_at"]
    list_filter = ["status"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "case", "served_at"]
    search_fields = ["number"]


@admin.register(IllegalStructure)
class IllegalStructureAdmin(ReadOnlyAdmin):
    list_display = ["location", "territory", "owner", "area_m2", "status"]
    list_filter = ["status"]


@admin.register(ConstructionProject)
class ConstructionProjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "enterprise", "is_key_project", "status"]


@admin.register(JointAction)
class JointActionAdmin(ReadOnlyAdmin):
    list_display = ["acted_on", "title", "lead_unit"]
