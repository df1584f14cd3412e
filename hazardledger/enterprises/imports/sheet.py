"""The table in an uploaded workbook: header found, every row either data or skipped."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hazardledger.lib.sheets import Field, HeaderMatch, SheetError, find_header, open_rows
from hazardledger.lib.sheets.reader import load
from hazardledger.lib.sheets.rows import SKIP_NOTES, RowKind, classify_row


@dataclass(frozen=True)
class SheetRow:
    number: int
    cells: dict[str, Any]  # field key → raw cell value


@dataclass(frozen=True)
class Skipped:
    number: int
    reason: str


class Table:
    """An open workbook's matched sheet; iterate `rows()` once per pass (constant memory)."""

    def __init__(
        self, data: bytes, fields: Sequence[Field], overrides: Mapping[str, str] | None
    ) -> None:
        self.data = data
        self.fields = fields
        self.overrides = dict(overrides or {})
        self.header = self._find()

    def _find(self) -> HeaderMatch:
        workbook = load(self.data)
        try:
            for sheet in workbook.worksheets:
                first = []
                for _number, cells in open_rows(workbook, sheet):
                    first.append(cells)
                    if len(first) >= 10:
                        break
                match = find_header(sheet.title, first, self.fields, self.overrides)
                if match is not None:
                    return match
        except SheetError:
            raise
        except Exception as exc:  # malformed sheet XML surfaces only while iterating
            raise SheetError("无法读取该 Excel 文件：工作表内容已损坏") from exc
        finally:
            workbook.close()
        wanted = "、".join(f"“{f.label}”" for f in self.fields if f.required)
        names = "、".join(f"“{ws}”" for ws in _sheet_names(self.data))
        raise SheetError(
            f"在工作表 {names} 的前 10 行中没有找到包含 {wanted} 的表头行；请检查工作表和列名"
        )

    def rows(self) -> Iterator[SheetRow | Skipped]:
        """Data rows below the header, and a Skipped for each title, total, note or blank row."""
        workbook = load(self.data)
        columns = [c for c in self.header.columns if c.key]
        try:
            sheet = workbook[self.header.sheet]
            for number, cells in open_rows(workbook, sheet):
                if number <= self.header.row:
                    continue
                kind = classify_row(cells)
                if kind is not RowKind.DATA:
                    if kind is not RowKind.BLANK:
                        yield Skipped(number, SKIP_NOTES[kind])
                    continue
                width = len(cells)
                yield SheetRow(
                    number, {c.key: cells[c.index] if c.index < width else None for c in columns}
                )
        except SheetError:
            raise
        except Exception as exc:
            raise SheetError("无法读取该 Excel 文件：工作表内容已损坏") from exc
        finally:
            workbook.close()


def _sheet_names(data: bytes) -> list[str]:
    workbook = load(data)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()
