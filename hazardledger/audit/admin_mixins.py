"""Admin screens write through the audit trail like every other change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from .services import diff, record, snapshot


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletions each append one audit event."""

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        fields = [f for f in form.changed_data if f in {x.name for x in obj._meta.fields}]
        before = {}
        if change and obj.pk:
            old = type(obj).objects.get(pk=obj.pk)
            before = snapshot(old, fields)
        super().save_model(request, obj, form, change)
        after = snapshot(obj, fields)
        record(
            actor=request.user,
            action=f"{obj._meta.model_name}.{'update' if change else 'create'}",
            obj=obj,
            changes={k: [before.get(k), after[k]] for k in fields if before.get(k) != after[k]}
            | (
                {"m2m": [None, sorted(set(form.changed_data) - set(fields))]}
                if set(form.changed_data) - set(fields)
                else {}
            ),
            role="admin",
        )

    @transaction.atomic
    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        for formset in formsets:
            for obj in formset.new_objects:
                record(
                    actor=request.user,
                    action=f"{obj._meta.model_name}.create",
                    obj=obj,
                    changes={"via": [None, str(form.instance)]},
                    role="admin",
                )
            for obj, fields in formset.changed_objects:
                record(
                    actor=request.user,
                    action=f"{obj._meta.model_name}.update",
                    obj=obj,
                    changes=diff({}, snapshot(obj, fields)),
                    role="admin",
                )
            for obj in formset.deleted_objects:
                record(
                    actor=request.user,
                    action=f"{obj._meta.model_name}.delete",
                    object_type=obj._meta.label_lower,
                    object_repr=str(obj),
                    role="admin",
                )

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        record(actor=request.user, action=f"{obj._meta.model_name}.delete", obj=obj, role="admin")
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            record(
                actor=request.user, action=f"{obj._meta.model_name}.delete", obj=obj, role="admin"
            )
        super().delete_queryset(request, queryset)
