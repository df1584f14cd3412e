"""What a follow-up item may point at: hazard cards, enterprises and enforcement cases.

Each kind says how a person names the object (card number, credit code, case number), how
it is found within the person's scope, and where its page is. A link is shown only to those
who may see its object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hazardledger.enforcement.models import Case
from hazardledger.enforcement.selectors import cases_visible_to
from hazardledger.enterprises.models import Enterprise
from hazardledger.enterprises.selectors import enterprises_visible_to
from hazardledger.hazards.models import Hazard
from hazardledger.hazards.selectors import hazards_visible_to


@dataclass(frozen=True)
class LinkKind:
    code: str
    label: str | Promise
    model: type[Model]
    key_field: str
    visible: Callable[[Any], QuerySet[Any]]
    url: Callable[[Any], str]
    describe: Callable[[Any], str]


KINDS: dict[str, LinkKind] = {
    "hazard": LinkKind(
        "hazard",
        _("隐患"),
        Hazard,
        "card_no",
        hazards_visible_to,
        lambda h: reverse("hazards:detail", args=[h.pk]),
        lambda h: f"{h.card_no}",
    ),
    "enterprise": LinkKind(
        "enterprise",
        _("企业"),
        Enterprise,
        "credit_code",
        enterprises_visible_to,
        lambda e: reverse("enterprises:detail", args=[e.credit_code]),
        lambda e: e.name,
    ),
    "case": LinkKind(
        "case",
        _("执法案件"),
        Case,
        "number",
        cases_visible_to,
        lambda c: reverse("enforcement:detail", args=[c.pk]),
        lambda c: c.number,
    ),
}


def kind_for_model(model: type[Model]) -> LinkKind | None:
    for kind in KINDS.values():
        if kind.model is model:
            return kind
    return None


def resolve(user: Any, kind_code: str, keys: list[str]) -> tuple[list[Any], list[str]]:
    """The objects the user may see named by `keys`, and the keys that named none."""
    kind = KINDS[kind_code]
    found = {
        getattr(o, kind.key_field): o
        for o in kind.visible(user).filter(**{f"{kind.key_field}__in": keys})
    }
    return [found[k] for k in keys if k in found], [k for k in keys if k not in found]


def visible_links(user: Any, links: list[Any]) -> list[dict[str, str]]:
    """The item's links the viewer may open, as label, kind and address."""
    by_type: dict[int, list[Any]] = {}
    for link in links:
        by_type.setdefault(link.content_type_id, []).append(link)
    shown = []
    for type_id, rows in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        kind = kind_for_model(model) if model else None
        if kind is None:
            continue
        objects = {o.pk: o for o in kind.visible(user).filter(pk__in=[r.object_id for r in rows])}
        for row in rows:
            obj = objects.get(row.object_id)
            if obj is not None:
                shown.append({"kind": str(kind.label), "label": row.label, "url": kind.url(obj)})
    return shown
