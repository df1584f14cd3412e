"""The notice to the enterprise (.docx from an editable docxtpl template) and the list (.xlsx)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from hazardledger.lib.xlsx import Sheet, write_xlsx
from hazardledger.org.selectors import district_name
from hazardledger.policy.services import active_policy

from .models import Entry

TEMPLATES = Path(__file__).resolve().parent / "doc_templates"
NOTICE_TEMPLATE = TEMPLATES / "notice.docx"


def _day(value: Any) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "____年__月__日"


def notice_context(entry: Entry) -> dict[str, Any]:
    policy = active_policy().blacklist
    enterprise = entry.enterprise
    return {
        "district": district_name() or active_policy().district.name,
        "enterprise_name": enterprise.name,
        "credit_code": entry.credit_code,
        "address": enterprise.address,
        "legal_representative": enterprise.legal_representative,
        "grounds": entry.grounds,
        "legal_basis": entry.legal_basis,
        "restrictions": list(entry.restriction_labels),
        "listing_years": policy.listing_years,
        "repair_months": policy.earliest_repair_months,
        "window_days": policy.objection_window_days,
        "notified_on": _day(entry.notified_on),
        "objection_deadline": _day(entry.objection_deadline),
        "today": _day(timezone.localdate()),
        "entry_id": entry.pk,
    }


def notice_docx(entry: Entry, template: Path = NOTICE_TEMPLATE) -> bytes:
    """列入严重失信主体名单告知书, rendered from the office's template file."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(template))
    document.render(notice_context(entry), autoescape=True)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


LIST_HEADERS = (
    "序号",
    "企业名称",
    "统一社会信用代码",
    "状态",
    "列入事由",
    "列入依据",
    "决定文号",
    "惩戒措施",
    "列入日期",
    "计划移出日期",
    "公示日期",
    "移出日期",
    "移出原因",
)


def list_xlsx(entries: QuerySet[Entry]) -> bytes:
    rows = (
        (
            index,
            e.enterprise.name,
            e.credit_code,
            e.get_status_display(),
            e.grounds,
            e.legal_basis,
            e.decision_no,
            "、".join(e.restriction_labels),
            e.listed_on,
            e.expires_on,
            e.published_on,
            e.removed_on,
            e.get_removal_reason_display() if e.removal_reason else "",
        )
        for index, e in enumerate(entries.order_by("pk").iterator(chunk_size=1000), start=1)
    )
    return write_xlsx(
        [
            Sheet(
                "黑名单",
                LIST_HEADERS,
                rows,
                widths=(6, 30, 22, 14, 40, 30, 20, 40, 12, 12, 12, 12, 14),
            )
        ]
    )
