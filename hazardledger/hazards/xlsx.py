"""Excel export of the ledger (XlsxWriter, constant memory); the import is in `imports/`.

The export streams rows from the database cursor into a temporary file (not memory: the
shared `lib.xlsx.write_xlsx` returns bytes), so memory stays flat however many cards there
are. Its headers are the import's own, dates are real Excel dates and funds are headed with
their unit, so an exported ledger imports back with no change and no duplicate.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import IO, Any

import xlsxwriter
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.lib.xlsx import safe_text

from .models import OPEN_STATUSES, Hazard, HazardLevel, HazardSource, HazardStatus

# (header, width); the headers are the import's own synonyms, so an export imports back.
EXPORT_SPEC = [
    ("序号", 6),
    ("隐患编号", 24),
    ("原台账编号", 14),
    ("统一社会信用代码", 22),
    ("企业名称", 28),
    ("所属镇街", 12),
    ("行业", 12),
    ("隐患部位", 16),
    ("隐患描述", 40),
    ("隐患级别", 8),
    ("来源", 10),
    ("判定标准", 24),
    ("条款", 10),
    ("发现时间", 12),
    ("整改措施", 36),
    ("整改资金（元）", 14),
    ("整改责任人", 12),
    ("整改时限", 12),
    ("应急预案", 30),
    ("整改状态", 14),
    ("是否逾期", 8),
    ("是否挂牌督办", 10),
    ("整改完成时间", 12),
    ("验收时间", 12),
    ("验收人", 10),
    ("销号时间", 12),
]
EXPORT_COLUMNS = [title for title, _w in EXPORT_SPEC]
WIDTHS = [width for _t, width in EXPORT_SPEC]
CHUNK = 2000


def _local_day(value: datetime | None) -> date | None:
    return timezone.localtime(value).date() if value else None


LEVELS = dict(HazardLevel.choices)
STATUSES = dict(HazardStatus.choices)
SOURCES = dict(HazardSource.choices)
EXPORT_FIELDS = (
    "card_no",
    "original_no",
    "enterprise__credit_code",
    "enterprise__name",
    "territory__name",
    "industry__name",
    "location",
    "description",
    "level",
    "source",
    "criteria_standard",
    "criteria_article",
    "found_on",
    "measures",
    "funds_yuan",
    "responsible_person",
    "deadline",
    "emergency_plan",
    "status",
    "is_supervised",
    "rectified_at",
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
    sources = {k: str(v) for k, v in SOURCES.items()}
    today = timezone.localdate()
    values = qs.order_by("pk").values_list(*EXPORT_FIELDS)
    for n, row in enumerate(values.iterator(chunk_size=CHUNK), start=1):
        item = dict(zip(EXPORT_FIELDS, row, strict=True))
        deadline, status = item["deadline"], item["status"]
        overdue = bool(deadline and deadline < today and status in OPEN_STATUSES)
        yield [
            n,
            item["card_no"],
            item["original_no"],
            item["enterprise__credit_code"],
            item["enterprise__name"],
            item["territory__name"] or "",
            item["industry__name"] or "",
            item["location"],
            item["description"],
            levels.get(item["level"], item["level"]),
            sources.get(item["source"], item["source"]),
            item["criteria_standard"],
            item["criteria_article"],
            item["found_on"],
            item["measures"],
            float(item["funds_yuan"]) if item["funds_yuan"] is not None else "",
            item["responsible_person"],
            deadline,
            item["emergency_plan"],
            statuses.get(status, status),
            "是" if overdue else "否",
            "是" if item["is_supervised"] else "否",
            _local_day(item["rectified_at"]),
            _local_day(item["accepted_at"]),
            item["accepted_by__full_name"] or item["accepted_by__username"] or "",
            _local_day(item["closed_at"]),
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
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for col, (title, width) in enumerate(zip(EXPORT_COLUMNS, WIDTHS, strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, title, bold)
    count = 0
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, safe_text(value))
            elif isinstance(value, date):
                sheet.write_datetime(r, c, datetime.combine(value, datetime.min.time()), day)
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
