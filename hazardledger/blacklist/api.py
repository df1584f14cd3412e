"""The blacklist API (/api/v1/blacklist/): the restriction query, and the entries in scope.

The check is the hot path (departments and banks ask it per application): one indexed query
for the answer, one for the policy's limits, a cache counter for the rate limit, and for a
signed-in caller one insert into the query log. It reads no session for anonymous callers and
writes none. A department token, once it exists, is a `User` set on the request like a login.
"""

import time
from datetime import date

from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.security import django_auth
from pydantic import Field

from hazardledger.lib import credit_code
from hazardledger.policy.services import active_policy

from . import ratelimit, rules, selectors
from .models import CheckLog

router = Router(tags=["blacklist"])


class Error(Schema):
    detail: str


class FieldErrors(Schema):
    detail: str
    errors: list[dict] = []


class CheckOut(Schema):
    credit_code: str
    restricted: bool
    restrictions: list[str] = Field(description="惩戒措施（决定所列名称）")
    since: date | None = Field(description="列入日期")
    grounds: str
    entry: int | None = Field(description="黑名单条目编号")


class CheckQuery(Schema):
    credit_code: str = Field(max_length=100, description="统一社会信用代码（18 位）")


class EntryOut(Schema):
    id: int
    enterprise_name: str
    credit_code: str
    status: str
    status_label: str
    grounds: str
    decision_no: str
    restrictions: list[str]
    listed_on: date | None
    expires_on: date | None
    published_on: date | None
    removed_on: date | None
    restricted_today: bool


# The policy's limits, read at most every few seconds: reading the active profile is a query,
# as costly as the answer itself. A new profile's limits apply within LIMITS_TTL seconds.
LIMITS_TTL = 5.0
_limits: list = [0.0, None]


def _check_limits():
    now = time.monotonic()
    if _limits[1] is None or now >= _limits[0]:
        _limits[:] = [now + LIMITS_TTL, active_policy().blacklist.check_limits]
    return _limits[1]


def _caller(request: HttpRequest):
    """The person asking: a token's user (request.auth) or the signed-in user, else None."""
    user = getattr(request, "auth", None) or request.user
    return user if getattr(user, "is_authenticated", False) else None


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@router.get(
    "/check",
    auth=None,
    response={200: CheckOut, 422: FieldErrors, 429: Error},
    summary="限制查询：该统一社会信用代码是否受黑名单联合惩戒限制",
)
def check(request: HttpRequest, query: Query[CheckQuery]):
    """Anonymous callers are answered from published entries only (as the public page);
    signed-in officials from decided and published ones. Every signed-in query is logged."""
    user = _caller(request)
    official = user is not None and selectors.is_official(user)
    limits = _check_limits()
    if user is not None:
        allowed, retry = ratelimit.allow(f"u{user.pk}", limits.signed_in_per_minute)
    else:
        allowed, retry = ratelimit.allow(
            f"a{_client_address(request)}", limits.anonymous_per_minute
        )
    if not allowed:
        response = JsonResponse({"detail": f"查询过于频繁，请 {retry} 秒后再试"}, status=429)
        response["Retry-After"] = str(retry)
        return response
    code = credit_code.normalize(query.credit_code)
    problem = credit_code.problem(code)
    if problem:
        return Status(
            422, {"detail": problem, "errors": [{"loc": ["query", "credit_code"], "msg": problem}]}
        )
    answer = selectors.check(code, official=official)
    if user is not None:
        CheckLog.objects.create(
            at=timezone.now(),
            user=user,
            unit_id=user.unit_id,
            credit_code=code,
            restricted=answer["restricted"],
            entry_id=answer["entry"],
        )
    # Answered as JSON directly: the schema above documents it, and validating our own dict
    # again would cost a third of the request.
    response = JsonResponse(answer, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store" if user else "public, max-age=60"
    return response


def _entry_out(e, today: date) -> dict:
    return {
        "id": e.pk,
        "enterprise_name": e.enterprise.name,
        "credit_code": e.credit_code,
        "status": e.status,
        "status_label": str(e.get_status_display()),
        "grounds": e.grounds,
        "decision_no": e.decision_no,
        "restrictions": list(e.restriction_labels),
        "listed_on": e.listed_on,
        "expires_on": e.expires_on,
        "published_on": e.published_on,
        "removed_on": e.removed_on,
        "restricted_today": rules.is_restricting(
            e.status, e.listed_on, e.expires_on, today, selectors.OFFICIAL_STATES
        ),
    }


@router.get(
    "/entries",
    auth=django_auth,
    response={200: list[EntryOut], 401: Error, 403: Error},
    summary="我管辖范围内的黑名单条目（最新 200 条）",
)
def entries(request: HttpRequest):
    today = timezone.localdate()
    return [_entry_out(e, today) for e in selectors.entries_visible_to(request.user)[:200]]


@router.get(
    "/entries/{entry_id}",
    auth=django_auth,
    response={200: EntryOut, 401: Error, 403: Error, 404: Error},
    summary="一个黑名单条目",
)
def entry(request: HttpRequest, entry_id: int):
    try:
        e = selectors.entry_get_for_user_or_404(request.user, entry_id)
    except Http404:
        return Status(404, {"detail": "没有该黑名单条目，或不在您的管辖范围内"})
    return _entry_out(e, timezone.localdate())
