"""Idle timeout without a session write on every request."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# A session seen within this many seconds is not saved again: the idle timeout
# (SESSION_COOKIE_AGE) is then exact to within this margin.
REFRESH_SECONDS = 60


class SessionKeepAlive:
    """Moves the session's expiry on when the user is active, at most once a minute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - session.get("_seen", 0) >= REFRESH_SECONDS:
                session["_seen"] = now
        return self.get_response(request)
