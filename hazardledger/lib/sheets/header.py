"""Finding the header row and mapping each column to a field through a synonym table."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .values import text_of, unit_factor

HEADER_SEARCH_ROWS = 10
IGNORED_HEADERS = {"序号": "序号列", "编号序号": "序号列", "备注": "备注列", "附件": "附件列"}
_UNIT_SUFFIX = re.compile(r"[(（\[【]\s*(万元|千元|亿元|元|人民币元|万|个|人|家|次)\s*[)）\]】]$")


@dataclass(frozen=True)
class Field:
    """A field an import fills; `synonyms` are the headers offices use for it (first = ours)."""

    key: str
    synonyms: tuple[str, ...]
    required: bool = False
    money: bool = False

    @property
    def label(self) -> str:
        return self.synonyms[0]


@dataclass(frozen=True)
class ColumnMap:
    index: int
    header: str
    key: str | None  # None: ignored
    factor: Decimal = Decimal(1)
    note: str = ""

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass
class HeaderMatch:
    sheet: str
    row: int  # 1-based number of the (last) header row
    columns: list[ColumnMap] = field(default_factory=list)

    def by_key(self) -> dict[str, ColumnMap]:
        return {c.key: c for c in self.columns if c.key}

    @property
    def ignored(self) -> list[ColumnMap]:
        return [c for c in self.columns if not c.key]


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def normalize_header(text: Any) -> str:
    """Fold width, drop spaces, markers and a trailing unit: "整改资金（万元）*" → "整改资金"."""
    folded = unicodedata.normalize("NFKC", text_of(text))
    folded = "".join(folded.split()).strip("*:：")
    return _UNIT_SUFFIX.sub("", folded).strip("*:：")


def _lookup(fields: Sequence[Field]) -> dict[str, str]:
    return {normalize_header(s): f.key for f in fields for s in (f.key, *f.synonyms)}


def map_columns(
    cells: Sequence[Any],
    fields: Sequence[Field],
    overrides: Mapping[str, str] | None = None,
) -> list[ColumnMap]:
    """Every non-empty header cell mapped to a field, or listed as ignored with the reason.

    `overrides` (normalized header → field key, "" to ignore) is a person's saved correction.
    """
    lookup = _lookup(fields)
    known = {f.key for f in fields}
    overrides = overrides or {}
    taken: set[str] = set()
    columns = []
    for index, cell in enumerate(cells):
        # Shown as the file has it; matched in folded form.
        header = "" if cell is None else str(cell).strip()
        if not header:
            continue
        name = normalize_header(header)
        key = overrides.get(name, lookup.get(name))
        note = ""
        if name in overrides and not overrides[name]:
            key, note = None, "按保存的映射忽略"
        elif key is not None and key not in known:
            key, note = None, "保存的映射指向未知字段"
        elif key in taken:
            key, note = None, "与前面的列对应同一字段，未导入"
        elif key is None:
            note = IGNORED_HEADERS.get(name, "未识别的列，不导入")
        if key:
            taken.add(key)
        columns.append(ColumnMap(index, header, key, unit_factor(header), note))
    return columns


def _combine(parent: Sequence[Any], child: Sequence[Any]) -> list[Any]:
    """A two-row header: the lower cell names the column where it has text."""
    width = max(len(parent), len(child))
    out = []
    for i in range(width):
        lower = child[i] if i < len(child) else None
        upper = parent[i] if i < len(parent) else None
        out.append(lower if text_of(lower) else upper)
    return out


def find_header(
    sheet: str,
    first_rows: Sequence[Sequence[Any]],
    fields: Sequence[Field],
    overrides: Mapping[str, str] | None = None,
) -> HeaderMatch | None:
    """The best header among the first ten rows (one row, or two when the header is split).

    The best is the candidate naming every required field with the most columns mapped; title
    rows, 填报单位 rows and blank rows above it simply score lower.
    """
    required = {f.key for f in fields if f.required}
    best: tuple[int, HeaderMatch] | None = None
    rows = list(first_rows[:HEADER_SEARCH_ROWS])
    for i, cells in enumerate(rows):
        candidates = [(i + 1, list(cells))]
        if i + 1 < len(rows):
            candidates.append((i + 2, _combine(cells, rows[i + 1])))
        for number, header_cells in candidates:
            columns = map_columns(header_cells, fields, overrides)
            keys = {c.key for c in columns if c.key}
            if not required <= keys or len(keys) < 2:
                continue
            score = len(keys) * 10 - number  # prefer the fuller, then the higher header
            if best is None or score > best[0]:
                best = (score, HeaderMatch(sheet, number, columns))
    return best[1] if best else None
