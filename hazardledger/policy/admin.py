from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import PolicyProfile


@admin.register(PolicyProfile)
class PolicyProfileAdmin(admin.ModelAdmin):
    """Profiles change only by loading a file (validated); the admin shows them."""

    list_display = ["code", "name", "valid_from", "valid_until", "is_active", "loaded_at"]
    readonly_fields = [f.name for f in PolicyProfile._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
