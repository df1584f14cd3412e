"""Pydantic's validation errors (what django-ninja reports) as Chinese messages for people."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

_MESSAGES = {
    "missing": "必填项，不能缺少",
    "string_type": "应为文本",
    "string_too_long": "不能超过 {max_length} 个字符",
    "string_too_short": "至少需要 {min_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数，不能带小数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_digits": "数字位数过多",
    "decimal_max_places": "小数位数过多",
    "bool_parsing": "应为是或否（true / false）",
    "bool_type": "应为是或否（true / false）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期，不能带时间",
    "date_type": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为日期时间（YYYY-MM-DDTHH:MM）",
    "datetime_from_date_parsing": "应为日期时间（YYYY-MM-DDTHH:MM）",
    "datetime_type": "应为日期时间（YYYY-MM-DDTHH:MM）",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "literal_error": "取值无效，可选：{expected}",
    "enum": "取值无效，可选：{expected}",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "list_type": "应为列表",
    "too_long": "最多 {max_length} 项",
    "too_short": "至少 {min_length} 项",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "extra_forbidden": "不接受该字段",
    "uuid_parsing": "应为 UUID",
    "url_parsing": "应为网址",
    "finite_number": "应为有限的数字",
}
FALLBACK = "取值无效"


def _field(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "file", "payload")]
    return ".".join(parts)


def message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind == "value_error":
        # Our own validators raise Chinese messages; pydantic prefixes them.
        return str(error.get("msg", "")).removeprefix("Value error, ") or FALLBACK
    template = _MESSAGES.get(kind, FALLBACK)
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return template.split("{", 1)[0].rstrip("，：") or FALLBACK


def translate(errors: Iterable[Mapping[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """(detail, errors) with a Chinese `msg` per error; the original type stays for machines."""
    out = []
    for error in errors:
        loc = list(error.get("loc", ()))
        out.append(
            {"loc": loc, "field": _field(loc), "type": error.get("type", ""), "msg": message(error)}
        )
    detail = "请求数据有误：" + "；".join(
        f"{e['field']}：{e['msg']}" if e["field"] else e["msg"] for e in out[:10]
    )
    return detail, out
