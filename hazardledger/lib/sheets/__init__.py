"""Reading the spreadsheets offices really have (pure: no models, no database).

`reader` opens a workbook in read-only mode and yields its rows with merged cells filled in;
`header` finds the header row among the first ten and maps each column to a field through a
synonym table (or lists it as ignored); `rows` tells data rows from titles, totals, notes and
blank rows; `values` reads money, dates and numbers the way offices write them.
"""

from .header import ColumnMap, Field, HeaderMatch, find_header, normalize_header
from .reader import SheetError, open_rows
from .rows import RowKind, classify_row
from .values import ValueProblem, parse_date, parse_int, parse_money, text_of

__all__ = [
    "ColumnMap",
    "Field",
    "HeaderMatch",
    "RowKind",
    "SheetError",
    "ValueProblem",
    "classify_row",
    "find_header",
    "normalize_header",
    "open_rows",
    "parse_date",
    "parse_int",
    "parse_money",
    "text_of",
]
