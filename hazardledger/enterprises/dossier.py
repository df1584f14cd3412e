"""Sections that later apps add to the enterprise page and the printed dossier.

The enterprises app imports none of them: an app registers a section in its AppConfig.ready():

    from hazardledger.enterprises.dossier import register_section
    register_section("hazards", _("隐患"), 30, render_hazard_section)

`render(request, enterprise)` returns HTML (render_to_string of the app's own template) or
None to leave the section out for this viewer. The render callable scopes its own data:
the viewer is `request.user`, already known to see `enterprise`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

Render = Callable[[HttpRequest, Any], str | None]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int
    render: Render


@dataclass(frozen=True)
class RenderedSection:
    key: str
    title: str
    html: SafeString


_sections: dict[str, Section] = {}


def register_section(key: str, title: Any, order: int, render: Render) -> None:
    """Add (or replace, for reloads) the section `key`; lower `order` comes first."""
    _sections[key] = Section(key, title, order, render)


def unregister_section(key: str) -> None:
    _sections.pop(key, None)


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def render_sections(request: HttpRequest, enterprise: Any) -> list[RenderedSection]:
    """Every registered section the viewer gets, in order. Plain strings are escaped."""
    rendered = []
    for section in sections():
        html = section.render(request, enterprise)
        if html is None:
            continue
        safe = html if isinstance(html, SafeString) else conditional_escape(html)
        rendered.append(RenderedSection(section.key, str(section.title), mark_safe(safe)))  # noqa: S308
    return rendered
