"""The navigation bar and the home page's action buttons: each app registers its entries with
the roles that see them, so `org` imports no later app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language

from .models import Role

OFFICIAL_ROLES = frozenset(Role.values) - {Role.ENTERPRISE_USER}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int


_items: list[NavItem] = []
# A menu entry may show a count (unread messages, items waiting): url_name → count(user).
_badges: dict[str, Callable[[Any], int]] = {}


def register(
    label: str,
    url_name: str,
    roles: frozenset[str] | set[str],
    order: int,
    *,
    badge: Callable[[Any], int] | None = None,
) -> None:
    if not any(i.url_name == url_name for i in _items):
        _items.append(NavItem(label, url_name, frozenset(roles), order))
        _items.sort(key=lambda i: i.order)
    if badge is not None:
        _badges[url_name] = badge


def badges_for(user: Any, menu: tuple[dict[str, str], ...]) -> dict[str, int]:
    """The counts to show beside the user's menu entries (only those above zero)."""
    counts = {}
    for item in menu:
        count_fn = _badges.get(item["url_name"])
        if count_fn is not None:
            n = count_fn(user)
            if n:
                counts[item["url_name"]] = n
    return counts


# The menu of each set of roles, per language: every page draws it, and the entries and their
# addresses do not change while the process runs.
_menus: dict[tuple[frozenset[str], str, int], tuple[dict[str, str], ...]] = {}


def items_for(roles: frozenset[str]) -> tuple[dict[str, str], ...]:
    key = (roles, get_language(), len(_items))
    menu = _menus.get(key)
    if menu is None:
        menu = _menus[key] = tuple(
            {"label": str(i.label), "url": reverse(i.url_name), "url_name": i.url_name}
            for i in _items
            if i.roles & roles
        )
    return menu


@dataclass(frozen=True)
class HomeAction:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int
    primary: bool


_actions: list[HomeAction] = []


def register_home_action(
    label: str, url_name: str, roles: frozenset[str] | set[str], order: int, *, primary: bool
) -> None:
    """A button on the home page (工作台) for the people holding one of `roles`."""
    if not any(a.url_name == url_name for a in _actions):
        _actions.append(HomeAction(label, url_name, frozenset(roles), order, primary))
        _actions.sort(key=lambda a: a.order)


def home_actions_for(roles: frozenset[str]) -> list[dict[str, str | bool]]:
    return [
        {"label": str(a.label), "url": reverse(a.url_name), "primary": a.primary}
        for a in _actions
        if a.roles & roles
    ]
