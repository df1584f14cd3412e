"""Excel helpers: tolerant reading of uploaded tables, and safe, streaming writing.

Reading uses openpyxl in read-only mode (defusedxml installed guards the XML parser); writing
uses XlsxWriter in constant-memory mode. Text that a spreadsheet would run as a formula is
neutralised on the way out.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

# Cells starting with these are formulas (or DDE) to Excel and WPS.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER_SEARCH_ROWS = 10


class XlsxError(Exception):
    """A file that cannot be read as the expected table; the message is for the user."""


def safe_text(value: str) -> str:
    """Text as it should appear in an exported cell: never a formula."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def unguard(text: str) -> str:
    """Undo `safe_text`, so that an exported file imports back unchanged."""
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def normalize_header(text: Any) -> str:
    """Fold full-width forms, drop spaces and "*" markers: "所属镇（街道）*" → "所属镇(街道)"."""
    folded = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(folded.split()).strip("*:：")


def cell_text(value: Any) -> str:
    """A cell as text: integral floats lose their ".0", dates become YYYY-MM-DD."""
    if value is None:
        return ""
    if value.__class__ is str:  # the common case first: a roster is mostly text
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


@dataclass
class Table:
    """The rows under a recognised header row; `columns` maps a field key to a column index."""

    sheet: str
    header_row: int
    columns: dict[str, int]
    headers: dict[str, str]
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)

    def texts(self, values: tuple[Any, ...]) -> dict[str, str]:
        """Every recognised column of one row, as text."""
        width = len(values)
        return {k: cell_text(values[i]) if i < width else "" for k, i in self.columns.items()}

    def value(self, values: tuple[Any, ...], key: str) -> str:
        index = self.columns.get(key)
        if index is None or index >= len(values):
            return ""
        return cell_text(values[index])


def _match_header(
    cells: Sequence[Any], lookup: Mapping[str, str]
) -> tuple[dict[str, int], dict[str, str], list[str]]:
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    duplicates: list[str] = []
    for index, cell in enumerate(cells):
        key = lookup.get(normalize_header(cell))
        if key is None:
            continue
        if key in columns:
            duplicates.append(f"“{headers[key]}”与“{cell_text(cell)}”")
            continue
        columns[key], headers[key] = index, cell_text(cell)
    return columns, headers, duplicates


def _alias_lookup(aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    return {normalize_header(a): key for key, names in aliases.items() for a in names}


def _open(source: IO[bytes] | bytes) -> Any:
    from openpyxl import load_workbook

    data = source if isinstance(source, bytes) else source.read()
    if not data:
        raise XlsxError("文件为空")
    if not data.startswith(b"PK\x03\x04"):
        raise XlsxError(
            "文件不是 Excel 2007 及以上（.xlsx）格式；请在 Excel 中“另存为 .xlsx”后再导入"
        )
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise XlsxError("无法读取该 Excel 文件：文件已损坏、加密或不是工作簿") from exc
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise XlsxError("无法读取该 Excel 文件：文件已损坏、加密或不是工作簿") from exc


def read_table(
    source: IO[bytes] | bytes,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    *,
    max_rows: int,
) -> Table:
    """Find the first sheet with a header row naming every required column and read its rows.

    Headers may sit below a title row (searched in the first ten rows); blank rows are skipped.
    Raises XlsxError with a message for the user.
    """
    workbook = _open(source)
    lookup = _alias_lookup(aliases)
    try:
        for sheet in workbook.worksheets:
            table = _read_sheet(sheet, lookup, required, max_rows)
            if table is not None:
                return table
        names = "、".join(f"“{ws.title}”" for ws in workbook.worksheets)
        wanted = "、".join(f"“{aliases[k][0]}”" for k in required)
        raise XlsxError(f"在工作表 {names} 中没有找到包含 {wanted} 的表头行；请检查工作表和列名")
    except XlsxError:
        raise
    except Exception as exc:  # malformed sheet XML surfaces only while iterating
        raise XlsxError("无法读取该 Excel 文件：工作表内容已损坏") from exc
    finally:
        workbook.close()


def _read_sheet(
    sheet: Any, lookup: Mapping[str, str], required: Sequence[str], max_rows: int
) -> Table | None:
    rows = sheet.iter_rows(values_only=True)
    for number, cells in enumerate(rows, start=1):
        if number > HEADER_SEARCH_ROWS:
            return None
        columns, headers, duplicates = _match_header(cells or (), lookup)
        if not all(key in columns for key in required):
            continue
        if duplicates:
            raise XlsxError(f"工作表“{sheet.title}”的表头有重复的列：" + "；".join(duplicates))
        table = Table(sheet=sheet.title, header_row=number, columns=columns, headers=headers)
        for row_number, values in enumerate(rows, start=number + 1):
            if not values or all(v is None or str(v).strip() == "" for v in values):
                continue
            if len(table.rows) >= max_rows:
                raise XlsxError(f"数据超过 {max_rows} 行的上限，请分批导入")
            table.rows.append((row_number, values))
        return table
    return None


@dataclass(frozen=True)
class Sheet:
    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = ()


def write_xlsx(sheets: Iterable[Sheet]) -> bytes:
    """A workbook of plain tables, written row by row; text is never turned into a formula."""
    import xlsxwriter

    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    bold = workbook.add_format({"bold": True, "bg_color": "#EEF2F6", "border": 1})
    for spec in sheets:
        sheet = workbook.add_worksheet(spec.name[:31])
        for index, width in enumerate(spec.widths):
            sheet.set_column(index, index, width)
        for col, title in enumerate(spec.headers):
            sheet.write_string(0, col, title, bold)
        for row_index, row in enumerate(spec.rows, start=1):
            _write_row(sheet, row_index, row)
        sheet.freeze_panes(1, 0)
    workbook.close()
    return output.getvalue()


def _write_row(sheet: Any, row: int, values: Sequence[Any]) -> None:
    for col, value in enumerate(values):
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            sheet.write_string(row, col, "是" if value else "否")
        elif isinstance(value, int | float | Decimal):
            sheet.write_number(row, col, value)
        elif isinstance(value, datetime | date):
            sheet.write_string(row, col, cell_text(value))
        else:
            sheet.write_string(row, col, safe_text(str(value)))
