from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from hazardledger.audit.admin_mixins import AuditedAdmin

from .models import GroupMembership, Industry, IndustryAlias, IndustryClass, RoleGrant, Unit, User

admin.site.site_header = _("隐患台账 · 系统管理")
admin.site.site_title = _("隐患台账")
admin.site.index_title = _("系统管理")


class MembershipInline(admin.TabularInline):
    model = GroupMembership
    fk_name = "group"
    extra = 0
    autocomplete_fields = ["person", "member_unit"]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "parent", "head", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code", "short_name"]
    autocomplete_fields = ["parent", "head"]
    inlines = [MembershipInline]


@admin.register(Industry)
class IndustryAdmin(AuditedAdmin):
    list_display = ["name", "code", "regulator"]
    list_filter = ["regulator"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["regulator"]
    filter_horizontal = ["committees"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "unit", "post", "phone", "is_active"]
    list_filter = ["is_active", "role_grants__role", "unit__kind"]
    search_fields = ["username", "full_name", "phone", "unit__name"]
    autocomplete_fields = ["unit"]
    inlines = [RoleGrantInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "unit", "post", "phone", "email")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        (_("个人信息"), {"fields": ("full_name", "unit", "post", "phone")}),
    )


@admin.register(IndustryClass)
class IndustryClassAdmin(admin.ModelAdmin):
    """GB/T 4754-2017 is shipped data: shown, never edited here."""

    list_display = ("code", "name", "level")
    list_filter = ("level",)
    search_fields = ("code", "name")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IndustryAlias)
class IndustryAliasAdmin(AuditedAdmin):
    list_display = ("alias", "industry", "created_by", "created_at")
    search_fields = ("alias",)
    autocomplete_fields = ()
