"""Excel export (XlsxWriter, constant memory) and import (openpyxl, read-only) of the ledger.

The export streams rows from the database cursor into a temporary file (not memory: the
shared `lib.xlsx.write_xlsx` returns bytes), so memory stays flat however many cards there
are. The import reads with `lib.xlsx.read_table`, validates every row first and creates all
cards in one transaction, or none.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

import xlsxwriter
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.enterprises.models import Enterprise
from hazardledger.enterprises.selectors import enterprises_visible_to
from hazardledger.lib.workflow import GuardFailed
from hazardledger.lib.xlsx import XlsxError, cell_text, read_table, safe_text, unguard

from .models import Hazard, HazardCategory, HazardLevel, HazardNature, HazardSource, HazardStatus

EXPORT_COLUMNS = [
    "序号",
    "隐患编号",
    "企业名称",
    "所属镇街",
    "行业",
    "隐患描述",
    "隐患级别",
    "发现时间",
    "整改措施",
    "整改资金",
    "整改责任人",
    "整改时限",
    "应急预案",
    "整改状态",
    "验收时间",
    "验收人",
    "销号时间",
]
WIDTHS = [6, 24, 28, 12, 12, 40, 8, 12, 36, 12, 12, 12, 30, 14, 18, 10, 18]
CHUNK = 2000


def _local(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


LEVELS = dict(HazardLevel.choices)
STATUSES = dict(HazardStatus.choices)
EXPORT_FIELDS = (
    "card_no",
    "enterprise__name",
    "territory__name",
    "industry__name",
    "description",
    "level",
    "found_on",
    "measures",
    "funds_yuan",
    "responsible_person",
    "deadline",
    "emergency_plan",
    "status",
    "accepted_at",
    "accepted_by__full_name",
    "accepted_by__username",
    "closed_at",
)


def export_rows(qs: QuerySet[Hazard]) -> Iterator[list[Any]]:
    """The export's rows in the office column order, read with a server-side cursor."""
    # Translate the labels once, not once per row.
    levels = {k: str(v) for k, v in LEVELS.items()}
    statuses = {k: str(v) for k, v in STATUSES.items()}
    values = qs.order_by("pk").values_list(*EXPORT_FIELDS)
    for n, row in enumerate(values.iterator(chunk_size=CHUNK), start=1):
        (
            card_no,
            enterprise,
            territory,
            industry,
            description,
            level,
            found_on,
            measures,
            funds,
            person,
            deadline,
            plan,
            status,
            accepted_at,
            acc_name,
            acc_user,
            closed_at,
        ) = row
        yield [
            n,
            card_no,
            enterprise,
            territory or "",
            industry or "",
            description,
            levels.get(level, level),
            found_on.isoformat(),
            measures,
            float(funds) if funds is not None else "",
            person,
            deadline.isoformat() if deadline else "",
            plan,
            statuses.get(status, status),
            _local(accepted_at),
            acc_name or acc_user or "",
            _local(closed_at),
        ]


def write_export(rows: Iterable[list[Any]], out: IO[bytes]) -> int:
    """Write the workbook to `out` in constant memory; returns the number of data rows."""
    book = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "tmpdir": tempfile.gettempdir(),
        },
    )
    sheet = book.add_worksheet(_("隐患排查治理台账"))
    bold = book.add_format({"bold": True, "bg_color": "#EEF2F6", "border": 1})
    for col, (title, width) in enumerate(zip(EXPORT_COLUMNS, WIDTHS, strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, title, bold)
    count = 0
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(r, c, safe_text(value))
            else:
                sheet.write_number(r, c, value)
        count = r
    book.close()
    return count


def export_to_tempfile(qs: QuerySet[Hazard]) -> IO[bytes]:
    """The finished workbook in an anonymous temporary file, rewound for reading."""
    # Handed to FileResponse, which closes (and so deletes) it after streaming.
    out = tempfile.TemporaryFile()  # noqa: SIM115
    write_export(export_rows(qs), out)
    out.seek(0)
    return out


# ---- import -------------------------------------------------------------------------------

# Card field → accepted column titles; the export's titles are among them, so an exported
# ledger imports back.
IMPORT_ALIASES = {
    "credit_code": ["统一社会信用代码", "信用代码"],
    "enterprise_name": ["企业名称", "单位名称"],
    "location": ["隐患部位", "排查部位", "隐患部位/场所"],
    "description": ["隐患描述", "隐患内容"],
    "cause": ["产生原因", "隐患原因"],
    "category": ["隐患类别"],
    "nature": ["隐患性质"],
    "level": ["隐患级别", "级别"],
    "criteria_standard": ["判定标准"],
    "criteria_article": ["条款"],
    "harm_analysis": ["危害程度和整改难易程度分析"],
    "source": ["隐患来源", "来源"],
    "found_by": ["发现人", "排查人员"],
    "found_on": ["发现时间", "排查时间"],
    "legal_basis": ["法律依据"],
    "measures": ["整改措施", "治理措施"],
    "funds_yuan": ["整改资金", "治理资金"],
    "responsible_person": ["整改责任人", "责任人"],
    "deadline": ["整改时限", "治理时限"],
    "emergency_plan": ["应急预案", "临时防范措施"],
}
REQUIRED_KEYS = ("description", "level", "found_on")
PLAN_KEYS = ("measures", "funds_yuan", "responsible_person", "deadline", "emergency_plan")
MAX_IMPORT_ROWS = 5000


@dataclass
class ImportResult:
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: list[Hazard] = field(default_factory=list)
    rows: int = 0


def _by_label(choices) -> dict[str, str]:
    out = {}
    for value, label in choices:
        out[str(label)] = value
        out[value] = value
    return out


CHOICE_MAPS = {
    "level": _by_label(HazardLevel.choices) | {"一般事故隐患": "general", "重大事故隐患": "major"},
    "category": _by_label(HazardCategory.choices)
    | {
        "现场类": "site_management",
        "生产现场类": "site_management",
        "基础管理": "basic_management",
    },
    "nature": _by_label(HazardNature.choices)
    | {"物": "thing", "人": "person", "管理": "management", "环境": "environment"},
    "source": _by_label(HazardSource.choices),
}


def _label(key: str) -> str:
    return IMPORT_ALIASES[key][0]


def _cell_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value).replace("/", "-").replace(".", "-")
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise ValueError(_("日期格式不正确（应为 YYYY-MM-DD）：%s") % text) from exc


def _parse_row(values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """One sheet row as registration data, plus its problems."""
    data: dict[str, Any] = {}
    problems = []
    for key in (
        "credit_code",
        "enterprise_name",
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
    ):
        data[key] = unguard(cell_text(values.get(key)))
    for key, mapping in CHOICE_MAPS.items():
        text = cell_text(values.get(key))
        data[key] = mapping.get(text, "") if text else ""
        if text and not data[key]:
            problems.append(_("“%(v)s”不是有效的%(f)s") % {"v": text, "f": _label(key)})
    for key in ("found_on", "deadline"):
        try:
            data[key] = _cell_date(values.get(key))
        except ValueError as exc:
            problems.append(f"{_label(key)}：{exc}")
            data[key] = None
    funds = cell_text(values.get("funds_yuan"))
    try:
        data["funds_yuan"] = Decimal(funds) if funds else None
    except InvalidOperation:
        problems.append(_("整改资金应为数字：%s") % funds)
        data["funds_yuan"] = None
    data["category"] = data["category"] or HazardCategory.SITE_MANAGEMENT
    data["nature"] = data["nature"] or HazardNature.THING
    data["source"] = data["source"] or HazardSource.GOVERNMENT_INSPECTION
    data["location"] = data["location"] or _("未注明")
    data["found_by"] = data["found_by"] or _("台账导入")
    return data, problems


def read_rows(upload: IO[bytes]) -> list[tuple[int, dict[str, Any]]]:
    """The sheet's rows keyed by card field; raises GuardFailed for an unusable file."""
    try:
        table = read_table(upload, IMPORT_ALIASES, REQUIRED_KEYS, max_rows=MAX_IMPORT_ROWS)
    except XlsxError as exc:
        raise GuardFailed(str(exc)) from exc
    if "credit_code" not in table.columns and "enterprise_name" not in table.columns:
        raise GuardFailed(_("缺少“统一社会信用代码”或“企业名称”列"))
    return [
        (number, {k: (values[i] if i < len(values) else None) for k, i in table.columns.items()})
        for number, values in table.rows
    ]


def import_ledger(*, actor: Any, upload: IO[bytes]) -> ImportResult:
    """Validate every row, then register all cards in one transaction — or none."""
    from .services import card_field_errors, hazard_register, plan_field_errors

    rows = read_rows(upload)
    result = ImportResult(rows=len(rows))
    if not rows:
        result.errors = [(1, _("文件中没有数据行"))]
        return result
    visible = enterprises_visible_to(actor)
    by_code = {e.credit_code: e for e in visible}
    by_name = {e.name: e for e in by_code.values()}
    today = timezone.localdate()
    parsed: list[tuple[Enterprise, dict[str, Any]]] = []
    for number, values in rows:
        data, problems = _parse_row(values)
        enterprise = by_code.get(data["credit_code"]) or by_name.get(data["enterprise_name"])
        if enterprise is None:
            problems.append(_("企业不存在或不在您的管辖范围内"))
        problems += [f"{_label(k)}：{v}" for k, v in card_field_errors(data, today).items()]
        plan = {k: data[k] for k in PLAN_KEYS}
        problems += [f"{_label(k)}：{v}" for k, v in plan_field_errors(plan, today).items()]
        result.errors += [(number, p) for p in problems]
        if not problems:
            parsed.append((enterprise, data))
    if result.errors:
        return result
    with transaction.atomic():
        for enterprise, data in parsed:
            plan = {k: data.pop(k) for k in PLAN_KEYS}
            result.created.append(
                hazard_register(actor=actor, enterprise=enterprise, data=data, plan=plan)
            )
    return result
