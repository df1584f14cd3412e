"""Helpers of the enterprise tests."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

# Real, publicly listed codes (华为技术, 腾讯计算机, 小米科技, and the standard's example).
REAL_CODES = [
    "914403001922038216",
    "9144030071526726XG",
    "91110108551385082Q",
    "91350100M000100Y43",
]


def xlsx(rows: Sequence[Sequence[Any]], sheet: str = "Sheet1", extra: Sequence[str] = ()) -> bytes:
    """A workbook whose first sheet holds `rows` (header included)."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"strings_to_numbers": False})
    for name in extra:
        book.add_worksheet(name).write_string(0, 0, "说明")
    ws = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                ws.write_string(r, c, value)
            elif value is not None:
                ws.write(r, c, value)
    book.close()
    return output.getvalue()
