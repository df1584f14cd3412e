from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from .navigation import badges_for, items_for
from .selectors import district_name, roles_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    name = cache.get_or_set("org:district_name", district_name, 300)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "district_name": name}
    menu = items_for(roles_of(user))
    badges = badges_for(user, menu)
    items = [{**item, "badge": badges.get(item["url_name"], 0)} for item in menu]
    return {"nav_items": items, "district_name": name}
