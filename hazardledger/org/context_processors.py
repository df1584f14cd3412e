from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from .navigation import items_for
from .selectors import district_name, roles_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    name = cache.get_or_set("org:district_name", district_name, 300)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "district_name": name}
    return {"nav_items": items_for(roles_of(user)), "district_name": name}
