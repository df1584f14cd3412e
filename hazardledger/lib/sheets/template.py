"""Import templates: the header, an example row, dropdowns for coded columns, and a second
sheet explaining each column."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .header import column_letter


@dataclass(frozen=True)
class TemplateColumn:
    header: str
    help: str
    example: Any = ""
    choices: Sequence[str] = field(default_factory=tuple)
    width: int = 14
    required: bool = False


def write_template(name: str, columns: Sequence[TemplateColumn]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_numbers": False})
    bold = book.add_format({"bold": True, "bg_color": "#EEF2F6", "border": 1})
    sheet = book.add_worksheet(name[:31])
    values = book.add_worksheet("取值")
    guide = book.add_worksheet("填写说明")
    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width)
        sheet.write_string(0, col, column.header + ("*" if column.required else ""), bold)
        if column.example != "":
            sheet.write(1, col, column.example)
        if column.choices:
            # Lists live on their own sheet: a dropdown typed inline holds 255 characters.
            for r, choice in enumerate(column.choices):
                values.write_string(r, col, choice)
            letter = column_letter(col)
            source = f"=取值!${letter}$1:${letter}${len(column.choices)}"
            sheet.data_validation(
                1, col, 50_000, col, {"validate": "list", "source": source, "ignore_blank": True}
            )
    sheet.freeze_panes(1, 0)
    values.hide()
    guide.set_column(0, 0, 20)
    guide.set_column(1, 1, 12)
    guide.set_column(2, 2, 80)
    for col, title in enumerate(("列名", "是否必填", "说明")):
        guide.write_string(0, col, title, bold)
    for r, column in enumerate(columns, start=1):
        guide.write_string(r, 0, column.header)
        guide.write_string(r, 1, "必填" if column.required else "选填")
        options = (
            f"（可选：{'、'.join(column.choices[:20])}…）"
            if len(column.choices) > 20
            else (f"（可选：{'、'.join(column.choices)}）" if column.choices else "")
        )
        guide.write_string(r, 2, column.help + options)
    book.close()
    return out.getvalue()
