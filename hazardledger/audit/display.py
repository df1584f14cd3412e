"""Audit changes as people read them: field labels, and names instead of foreign-key ids."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .models import AuditEvent, value_text


def _field(object_type: str, name: str) -> models.Field | None:
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return None
    for candidate in (name, name.removesuffix("_id")):
        try:
            return model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
    return None


def _ids(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, int | str) and v != ""]
    return [value] if isinstance(value, int | str) and value != "" else []


def attach_rows(events: Sequence[AuditEvent]) -> None:
    """Set `display_rows` on each event: (label, before, after), FK ids read as names.

    The related names of a page are fetched in one query per related model.
    """
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    plans = []
    for event in events:
        plan = []
        for name, before, after in event.change_list:
            field = _field(event.object_type, name)
            related = field.related_model if field is not None and field.is_relation else None
            if related is not None:
                wanted[related].update(_ids(before) + _ids(after))
            label = (
                str(field.verbose_name)
                if field is not None and hasattr(field, "verbose_name")
                else name
            )
            plan.append((label, related, before, after))
        plans.append(plan)
    names: dict[type[models.Model], dict[str, str]] = {}
    for model, ids in wanted.items():
        clean = [i for i in ids if str(i).isdigit()]
        names[model] = {str(o.pk): str(o) for o in model._default_manager.filter(pk__in=clean)}

    def shown(related: Any, value: Any) -> str:
        if related is None:
            return value_text(value)
        found = names.get(related, {})
        if isinstance(value, list | tuple):
            return value_text([found.get(str(v), f"#{v}") for v in value])
        return "—" if value in (None, "") else found.get(str(value), f"#{value}")

    for event, plan in zip(events, plans, strict=True):
        event.display_rows = [
            (label, shown(related, before), shown(related, after))
            for label, related, before, after in plan
        ]
