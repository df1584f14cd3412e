"""What a row of a sheet is: data, or a title, total, note or blank row to skip with a note."""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum
from typing import Any

from .values import text_of

TOTAL_WORDS = ("合计", "小计", "总计", "累计", "共计")
NOTE_PREFIXES = ("注", "备注：", "备注:", "说明：", "说明:", "填表人", "填报人", "审核人", "制表")
_FORMULA_TOTAL = re.compile(r"^=\s*(SUM|SUBTOTAL|COUNT|COUNTA|AVERAGE)\s*\(", re.IGNORECASE)


class RowKind(Enum):
    DATA = "data"
    BLANK = "blank"
    TOTAL = "total"
    NOTE = "note"


SKIP_NOTES = {
    RowKind.BLANK: "空行",
    RowKind.TOTAL: "合计/小计行",
    RowKind.NOTE: "注释或签名行",
}


def classify_row(values: Sequence[Any]) -> RowKind:
    """Totals name themselves in their first cells or sum the column with a formula."""
    texts = [text_of(v) for v in values]
    filled = [t for t in texts if t]
    if not filled:
        return RowKind.BLANK
    if any(_FORMULA_TOTAL.match(t) for t in filled):
        return RowKind.TOTAL
    first = filled[0].replace(" ", "")
    if any(first.startswith(word) or first == word for word in TOTAL_WORDS):
        return RowKind.TOTAL
    if any(t.replace(" ", "") in TOTAL_WORDS for t in texts[:3]):
        return RowKind.TOTAL
    if len(filled) == 1 and first.startswith(NOTE_PREFIXES):
        return RowKind.NOTE
    return RowKind.DATA
