"""Headers of every public and tip-off page: nothing cached, no Referer sent onward.

`Referrer-Policy: no-referrer` makes browsers send `Origin: null` (and no Referer) with the
page's own form posts, which Django's CSRF check refuses. These pages therefore run the same
CSRF check (cookie and form token) with one change: a null Origin is accepted when the
browser's Fetch Metadata says the request came from this very site.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt


class NullOriginCsrf(CsrfViewMiddleware):
    def _origin_verified(self, request: HttpRequest) -> bool:
        meta = request.META
        if meta.get("HTTP_ORIGIN") == "null":
            return meta.get("HTTP_SEC_FETCH_SITE") == "same-origin"
        return super()._origin_verified(request)


_csrf = decorator_from_middleware(NullOriginCsrf)


def private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, max-age=0"
    response["Pragma"] = "no-cache"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def no_store(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return private(view(request, *args, **kwargs))

    # The site-wide check is replaced by the one above, never dropped.
    return csrf_exempt(_csrf(wrapped))
