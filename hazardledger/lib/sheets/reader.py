"""Open a workbook in read-only mode and stream a sheet's rows with merged cells filled in.

openpyxl's read-only sheets do not expose merged ranges, so they are read from the sheet's
XML (they follow the cell data); each merged value is repeated over the whole range, which is
how a person reads a merged 企业名称 spanning three hazard rows.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from defusedxml.ElementTree import iterparse

MAX_COLUMNS = 200
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


class SheetError(Exception):
    """A file that cannot be read as a workbook; the message is for the user."""


def load(source: IO[bytes] | bytes) -> Any:
    from openpyxl import load_workbook

    data = source if isinstance(source, bytes) else source.read()
    if not data:
        raise SheetError("文件为空")
    if not data.startswith(b"PK\x03\x04"):
        raise SheetError(
            "文件不是 Excel 2007 及以上（.xlsx）格式；请在 Excel 中“另存为 .xlsx”后再导入"
        )
    try:
        # Formulas are kept as text so that a =SUM() totals row can be recognised.
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise SheetError("无法读取该 Excel 文件：文件已损坏、加密或不是工作簿") from exc


def merged_ranges(workbook: Any, sheet: Any) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col), 1-based, of the sheet's merged cells."""
    path = getattr(sheet, "_worksheet_path", None)
    archive = getattr(workbook, "_archive", None)
    if not path or archive is None:
        return []
    ranges = []
    try:
        with archive.open(path) as handle:
            for _event, element in iterparse(handle, events=("end",)):
                if element.tag == f"{_NS}mergeCell":
                    bounds = _bounds(element.get("ref", ""))
                    if bounds:
                        ranges.append(bounds)
                elif element.tag in (f"{_NS}row", f"{_NS}c", f"{_NS}v"):
                    element.clear()
    except (KeyError, zipfile.BadZipFile, SyntaxError) as exc:
        raise SheetError("无法读取该 Excel 文件：工作表内容已损坏") from exc
    return ranges


def _bounds(ref: str) -> tuple[int, int, int, int] | None:
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return None
    if None in (min_col, min_row, max_col, max_row):
        return None
    return min_row, min_col, max_row, max_col


def open_rows(workbook: Any, sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of every row, merged ranges filled from their top-left cell."""
    ranges = merged_ranges(workbook, sheet)
    by_start: dict[int, list[tuple[int, int, int, int]]] = {}
    for bounds in ranges:
        by_start.setdefault(bounds[0], []).append(bounds)
    active: list[tuple[tuple[int, int, int, int], Any]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = list(values[:MAX_COLUMNS]) if values else []
        for bounds in by_start.pop(number, ()):
            col = bounds[1] - 1
            active.append((bounds, cells[col] if col < len(cells) else None))
        active = [(b, v) for b, v in active if b[2] >= number]
        for (_r0, c0, _r1, c1), value in active:
            if len(cells) < c1:
                cells.extend([None] * (c1 - len(cells)))
            for col in range(c0 - 1, c1):
                cells[col] = value
        yield number, tuple(cells)
