"""The ledger's table body, rendered in Python.

Every ledger page shows up to a hundred rows of nine cells; through the template engine those
cells cost more than the page's query and the rest of the page together, so the rows are
formatted here from one row pattern. Every text cell goes through `html.escape` (what
Django's own escaping calls, without its per-call laziness checks, which cost more than the
escaping here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from html import escape
from typing import Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import rules
from .models import HazardLevel, HazardStatus

# What the ledger's table shows, read as plain values: a card has some sixty columns, and
# fifty model instances with their related rows cost more than the query.
LEDGER_COLUMNS = (
    "card_no",
    "found_on",
    "registered_at",
    "deadline",
    "status",
    "level",
    "description",
    "is_supervised",
    "enterprise_id",
    "enterprise__name",
    "territory__name",
    "industry__name",
)

ROW = (
    '<tr><td><a href="{url}{id}/">{card_no}</a></td><td>{enterprise}</td><td>{territory}</td>'
    "<td>{industry}</td><td>{summary}</td><td>{level}</td><td>{found}</td>"
    "<td>{due}{overdue}</td><td>{status}{supervised}</td></tr>"
)
# One enterprise's cards (its page and printed dossier): the enterprise, its territory and its
# industry are the page's own, and an A4 page has no width to repeat them on every row.
ENTERPRISE_ROW = (
    '<tr><td><a href="{url}{id}/">{card_no}</a></td><td>{summary}</td><td>{level}</td>'
    "<td>{found}</td><td>{due}{overdue}</td><td>{status}{supervised}</td></tr>"
)


# Marks later apps put after an enterprise's name (the blacklist's 黑名单 tag): each takes the
# page's enterprise ids and the day and returns the ids it marks, in one query per page.
EnterpriseMark = Callable[[Iterable[int], date], Iterable[int]]
_enterprise_marks: dict[str, tuple[EnterpriseMark, str]] = {}


def register_enterprise_mark(key: str, marked: EnterpriseMark, label: Any) -> None:
    _enterprise_marks[key] = (marked, label)


def _marks(rows: list[dict[str, Any]], today: date) -> dict[int, str]:
    if not _enterprise_marks or not rows:
        return {}
    ids = {row["enterprise_id"] for row in rows}
    out: dict[int, str] = {}
    for marked, label in _enterprise_marks.values():
        tag = format_html(' <span class="tag warn">{}</span>', label)
        for pk in marked(ids, today):
            out[pk] = out.get(pk, "") + tag
    return out


def card_url_prefix() -> str:
    """The address of a card without its id: reversed once per page, not once per row."""
    return reverse("hazards:detail", args=[0]).removesuffix("0/")


def _labels(choices: Any) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def _summary(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def ledger_rows_html(
    rows: list[dict[str, Any]], today: date, *, one_enterprise: bool = False
) -> SafeString:
    """The <tr> elements for rows read with the ledger's columns (`LEDGER_COLUMNS`);
    `one_enterprise` leaves out the columns that are the same for every card of one."""
    pattern = ENTERPRISE_ROW if one_enterprise else ROW
    # Labels and tags translated once per page, not once per row.
    levels, statuses = _labels(HazardLevel), _labels(HazardStatus)
    major = HazardLevel.MAJOR.value
    overdue_tag = format_html(' <span class="tag warn">{}</span>', _("逾期"))
    supervised_tag = format_html(' <span class="tag">{}</span>', _("督办"))
    url = escape(card_url_prefix())
    marks = {} if one_enterprise else _marks(rows, today)

    def cells(row: dict[str, Any]) -> str:
        level = escape(levels[row["level"]])
        deadline = row["deadline"]
        return pattern.format(
            url=url,
            id=int(row["id"]),
            card_no=escape(row["card_no"]),
            enterprise=escape(row["enterprise__name"]) + marks.get(row["enterprise_id"], ""),
            territory=escape(row["territory__name"] or ""),
            industry=escape(row["industry__name"] or ""),
            summary=escape(_summary(row["description"])),
            level=f'<span class="warn">{level}</span>' if row["level"] == major else level,
            found=row["found_on"].isoformat(),
            due=deadline.isoformat() if deadline else "—",
            overdue=overdue_tag if rules.is_overdue(row["status"], deadline, today) else "",
            status=escape(statuses[row["status"]]),
            supervised=supervised_tag if row["is_supervised"] else "",
        )

    return mark_safe("\n".join(cells(row) for row in rows))  # noqa: S308 — every cell escaped
