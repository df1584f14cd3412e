"""Cell values as offices write them: 3.25 万元, "3,000元", "3千", full-width digits, dates."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

# Excel's day 0 (with the 1900 leap-year bug folded in for every serial after February 1900).
EXCEL_EPOCH = date(1899, 12, 30)
MAX_YUAN = Decimal("999999999999.99")  # what a DecimalField(14, 2) holds
UNIT_FACTORS = {"亿元": Decimal(100_000_000), "万元": Decimal(10_000), "千元": Decimal(1000)}
_MULTIPLIERS = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "千": Decimal(1000)}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s.*)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


class ValueProblem(ValueError):
    """A cell that cannot be read; the message is for the person who filled it in."""


def text_of(value: Any) -> str:
    """A cell as trimmed text with full-width forms folded (“３，０００” → "3,000")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = unicodedata.normalize("NFKC", str(value)).replace("\x00", "")
    return text.strip()


def unit_factor(header: str) -> Decimal:
    """The multiplier a column header names: "整改资金（万元）" → 10000; plain "元" → 1."""
    folded = unicodedata.normalize("NFKC", header)
    for unit, factor in UNIT_FACTORS.items():
        if unit in folded:
            return factor
    return Decimal(1)


def parse_money(value: Any, factor: Decimal = Decimal(1)) -> Decimal | None:
    """Yuan from a cell; `factor` is the header's unit. A cell naming its own unit wins."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueProblem("应为金额")
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value)) * factor
    else:
        amount = _money_text(text_of(value), factor)
        if amount is None:
            return None
    if amount < 0:
        raise ValueProblem("金额不能为负数")
    if amount > MAX_YUAN:
        raise ValueProblem("金额过大")
    return amount.quantize(Decimal("0.01"))


def _money_text(text: str, factor: Decimal) -> Decimal | None:
    cleaned = text.replace(",", "").replace("，", "").replace(" ", "").replace("￥", "")
    cleaned = cleaned.removeprefix("¥").removeprefix("人民币")
    if cleaned in ("", "-", "—", "/", "无"):
        return None
    for unit, unit_factor_ in UNIT_FACTORS.items():
        if cleaned.endswith(unit):
            cleaned, factor = cleaned[: -len(unit)], unit_factor_
            break
    else:
        if cleaned.endswith("元"):
            cleaned, factor = cleaned[:-1], Decimal(1)
    if cleaned[-1:] in _MULTIPLIERS:
        cleaned, factor = cleaned[:-1], _MULTIPLIERS[cleaned[-1]]
    if not _NUMBER.match(cleaned) or len(cleaned) > 20:
        raise ValueProblem(f"“{text}”不是可识别的金额（如 3000、3,000元、3千、3.25万元）")
    try:
        return Decimal(cleaned) * factor
    except InvalidOperation:
        raise ValueProblem(f"“{text}”不是可识别的金额") from None


def parse_date(value: Any) -> date | None:
    """A date from an Excel date, an Excel serial number or text (2024-3-5, 2024年3月5日…)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueProblem("应为日期")
    if isinstance(value, int | float):
        return _serial(float(value))
    text = text_of(value)
    if not text or text in ("-", "—", "/", "无"):
        return None
    if _NUMBER.match(text) and len(text) <= 5:
        return _serial(float(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups()[:3])
            try:
                return date(year, month, day)
            except ValueError:
                raise ValueProblem(f"日期“{text}”不存在") from None
    raise ValueProblem(f"“{text}”不是可识别的日期（如 2024-03-05 或 2024年3月5日）")


def _serial(number: float) -> date:
    if not 1 <= number < 2_958_466:  # 9999-12-31
        raise ValueProblem(f"“{number:g}”不是可识别的日期")
    return EXCEL_EPOCH + timedelta(days=int(number))


def parse_int(value: Any, *, maximum: int = 10_000_000) -> int | None:
    """A whole number from a cell ("12", "１２", 12.0); blank is None."""
    text = text_of(value).replace(",", "")
    if text == "":
        return None
    if not _NUMBER.match(text) or len(text) > 20:
        raise ValueProblem("应为整数")
    number = Decimal(text)
    if number != number.to_integral_value():
        raise ValueProblem("应为整数")
    if number < 0:
        raise ValueProblem("不能为负数")
    if number > maximum:
        raise ValueProblem("数值过大")
    return int(number)
