"""One sheet row as card data: texts, choices, dates and money read the office's way."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hazardledger.lib import credit_code
from hazardledger.lib.sheets import ValueProblem, parse_date, parse_money, text_of
from hazardledger.lib.xlsx import unguard

from ..models import Hazard, HazardCategory, HazardLevel, HazardNature, HazardSource
from .fields import FIELD_BY_KEY


def _by_label(choices: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for value, label in choices:
        out[str(label)] = value
        out[value] = value
    return out


CHOICES = {
    "level": _by_label(HazardLevel.choices)
    | {
        "一般事故隐患": "general",
        "一般隐患": "general",
        "重大事故隐患": "major",
        "重大隐患": "major",
    },
    "category": _by_label(HazardCategory.choices)
    | {"现场类": "site_management", "现场管理": "site_management", "基础管理": "basic_management"},
    "nature": _by_label(HazardNature.choices)
    | {"物": "thing", "人": "person", "管理": "management", "环境": "environment"},
    "source": _by_label(HazardSource.choices)
    | {"检查": "government_inspection", "自查": "self_inspection", "举报": "tipoff"},
}
TEXT_KEYS = (
    "card_no",
    "original_no",
    "enterprise_name",
    "territory",
    "location",
    "description",
    "cause",
    "criteria_standard",
    "criteria_article",
    "harm_analysis",
    "found_by",
    "legal_basis",
    "measures",
    "responsible_person",
    "emergency_plan",
)
DATE_KEYS = ("found_on", "deadline", "rectified_on", "accepted_on", "closed_on")
DEFAULTS = {
    "category": HazardCategory.SITE_MANAGEMENT,
    "nature": HazardNature.THING,
    "source": HazardSource.GOVERNMENT_INSPECTION,
    "location": "未注明",
    "found_by": "台账导入",
}
_LIMITS = {
    f.name: f.max_length
    for f in Hazard._meta.fields
    if f.max_length and f.name in (*TEXT_KEYS, "card_no", "original_no")
}


def parse_cells(
    cells: dict[str, Any], factors: dict[str, Decimal]
) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """(data, field errors, notes) for one row; blank cells are left out of `data`."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    notes: list[str] = []
    for key in TEXT_KEYS:
        if key in cells:
            text = unguard(text_of(cells[key]))
            limit = _LIMITS.get(key)
            if limit and len(text) > limit:
                errors[key] = f"不能超过 {limit} 个字符（现有 {len(text)} 个）"
            data[key] = text
    for key, words in CHOICES.items():
        text = text_of(cells.get(key)).replace(" ", "")
        if text:
            data[key] = words.get(text, "")
            if not data[key]:
                options = "、".join(dict.fromkeys(k for k in words if not k.isascii()))
                errors[key] = f"“{text}”不是有效的{FIELD_BY_KEY[key].label}（可填：{options}）"
    for key in DATE_KEYS:
        try:
            data[key] = parse_date(cells.get(key))
        except ValueProblem as exc:
            errors[key] = str(exc)
            data[key] = None
    try:
        data["funds_yuan"] = parse_money(cells.get("funds_yuan"), factors.get("funds_yuan", 1))
    except ValueProblem as exc:
        errors["funds_yuan"] = str(exc)
        data["funds_yuan"] = None
    if "credit_code" in cells:
        data["credit_code"] = credit_code.normalize(text_of(cells["credit_code"]))
    for key in ("status", "closed_flag"):
        data[key] = cells.get(key)
    if not data.get("level"):
        if "level" not in errors:
            notes.append("隐患级别未填，按一般隐患导入")
        data["level"] = data.get("level") or HazardLevel.GENERAL
    for key, default in DEFAULTS.items():
        data[key] = data.get(key) or default
    return data, errors, notes
