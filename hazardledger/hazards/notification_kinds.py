"""Labels of in-app message kinds. Each app registers its own kinds in `AppConfig.ready`, so a
new kind of message needs no migration of the hazards app."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, str | Promise] = {}


def register_kind(code: str, label: str | Promise) -> None:
    if len(code) > 24:
        raise ValueError(f"notification kind code too long: {code}")
    _LABELS[code] = label


def kind_label(code: str) -> str:
    return str(_LABELS.get(code, _("提醒")))
