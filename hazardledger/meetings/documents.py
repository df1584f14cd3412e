"""Minutes (会议纪要) and the sign-in sheet (签到表) as Word files, from the templates in
doc_templates/ that an office may edit in Word (docxtpl tags; see the tests that render them)."""

from __future__ import annotations

import io
from pathlib import Path

from django.utils import timezone
from docxtpl import DocxTemplate

from hazardledger.policy.services import active_policy

from .models import Meeting

TEMPLATES = Path(__file__).resolve().parent / "doc_templates"


def _render(name: str, context: dict) -> bytes:
    template = DocxTemplate(TEMPLATES / name)
    template.render(context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def _names(units) -> str:
    return "、".join(u.name for u in units) or "无"


def minutes_context(meeting: Meeting) -> dict:
    people = list(meeting.people_present.select_related("unit"))
    names = [p.display_name for p in people]
    if meeting.other_attendees:
        names.append(meeting.other_attendees)
    items = list(meeting.items.select_related("owner_unit", "owner_person", "decision"))
    return {
        "convener": meeting.convener.name,
        "kind": meeting.get_kind_display(),
        "held_on": f"{meeting.held_on:%Y年%m月%d日}",
        "place": meeting.place or "—",
        "chair": meeting.chair or "—",
        "units_present": _names(meeting.units_present.all()),
        "units_absent": _names(meeting.units_absent.all()),
        "people": "、".join(names) or "—",
        "problems": meeting.problems,
        "decisions": [{"seq": d.seq, "text": d.text} for d in meeting.decisions.all()],
        "items": [
            {
                "no": n,
                "title": i.title,
                "owner_unit": i.owner_unit.name,
                "owner_person": i.owner_person.display_name if i.owner_person else "",
                "due_on": f"{i.due_on:%Y-%m-%d}",
                "status": i.get_status_display(),
            }
            for n, i in enumerate(items, 1)
        ],
        "issuer": meeting.convener.name,
        "printed_on": f"{timezone.localdate():%Y年%m月%d日}",
        "district": active_policy().district.name,
    }


def minutes_docx(meeting: Meeting) -> bytes:
    return _render("minutes.docx", minutes_context(meeting))


BLANK_ROWS = 5  # for people who come without being entered beforehand


def signin_context(meeting: Meeting) -> dict:
    people = list(meeting.people_present.select_related("unit").order_by("unit__sort_order", "pk"))
    rows = [
        {
            "no": n,
            "unit": p.unit.name if p.unit else "",
            "name": p.display_name,
            "post": p.post,
            "phone": p.phone,
        }
        for n, p in enumerate(people, 1)
    ]
    start = len(rows) + 1
    rows += [
        {"no": n, "unit": "", "name": "", "post": "", "phone": ""}
        for n in range(start, start + BLANK_ROWS)
    ]
    return {
        "convener": meeting.convener.name,
        "held_on": f"{meeting.held_on:%Y年%m月%d日}",
        "place": meeting.place or "—",
        "chair": meeting.chair or "—",
        "people": rows,
    }


def signin_docx(meeting: Meeting) -> bytes:
    return _render("signin.docx", signin_context(meeting))
