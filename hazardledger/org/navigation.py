"""The navigation bar: each app registers its entries with the roles that see them."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from .models import Role

OFFICIAL_ROLES = frozenset(Role.values) - {Role.ENTERPRISE_USER}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int


_items: list[NavItem] = []


def register(label: str, url_name: str, roles: frozenset[str] | set[str], order: int) -> None:
    if not any(i.url_name == url_name for i in _items):
        _items.append(NavItem(label, url_name, frozenset(roles), order))
        _items.sort(key=lambda i: i.order)


def items_for(roles: frozenset[str]) -> list[dict[str, str]]:
    return [
        {"label": str(i.label), "url": reverse(i.url_name), "url_name": i.url_name}
        for i in _items
        if i.roles & roles
    ]
