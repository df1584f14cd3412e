"""The JSON API: /api/v1/. Each app contributes a router from its api.py."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from hazardledger.lib.validation_zh import translate as translate_validation
from hazardledger.org.selectors import roles_of, scope_for

api = NinjaAPI(
    title="隐患台账 API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
)


class Health(Schema):
    status: str


class Error(Schema):
    detail: str


class Me(Schema):
    username: str
    name: str
    unit: str | None
    roles: list[str]
    everything: bool
    territory_ids: list[int]
    industry_ids: list[int]
    own_enterprise: bool


@api.get("/health", response=Health, auth=None, tags=["system"])
def health(request: HttpRequest) -> dict[str, str]:
    """Liveness probe."""
    return {"status": "ok"}


@api.get("/me", response={200: Me, 401: Error}, auth=django_auth, tags=["system"])
def me(request: HttpRequest) -> dict:
    """The signed-in person, their roles and their scope."""
    user = request.user
    scope = scope_for(user)
    return {
        "username": user.username,
        "name": user.display_name,
        "unit": user.unit.name if user.unit else None,
        "roles": sorted(roles_of(user)),
        "everything": scope.everything,
        "territory_ids": sorted(scope.territory_ids),
        "industry_ids": sorted(scope.industry_ids),
        "own_enterprise": scope.own_enterprise,
    }


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: Exception):
    return api.create_response(request, {"detail": "未登录或登录已过期"}, status=401)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError):
    detail, errors = translate_validation(exc.errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


from hazardledger.hazards.api import router as hazards_router  # noqa: E402

api.add_router("/hazards/", hazards_router)


from hazardledger.enterprises.api import router as enterprises_router  # noqa: E402

api.add_router("/enterprises/", enterprises_router)


from hazardledger.inspections.api import router as inspections_router  # noqa: E402

api.add_router("/inspections/", inspections_router)


from hazardledger.experts.api import router as experts_router  # noqa: E402

api.add_router("/experts/", experts_router)
from hazardledger.enforcement.api import router as enforcement_router  # noqa: E402

api.add_router("/enforcement/", enforcement_router)
from hazardledger.meetings.api import router as meetings_router  # noqa: E402

api.add_router("/meetings/", meetings_router)
from hazardledger.blacklist.api import router as blacklist_router  # noqa: E402

api.add_router("/blacklist/", blacklist_router)
from hazardledger.tipoffs.api import router as tipoffs_router  # noqa: E402

api.add_router("/", tipoffs_router)
