"""The enterprise registry over JSON: the same scope, services and messages as the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.security import django_auth
from pydantic import Field

from hazardledger.org.models import TERRITORY_KINDS, Industry, Unit, User
from hazardledger.org.permissions import get_in_scope_or_404
from hazardledger.org.selectors import has_role

from . import services
from .imports.api import register as register_import
from .models import Category, Enterprise, OperatingStatus
from .selectors import (
    READER_ROLES,
    ListFilters,
    enterprises_filtered,
    enterprises_visible_to,
    with_procedure_state,
)

router = Router(tags=["enterprises"], auth=django_auth)
register_import(router)  # POST /import, before the /{code} routes

NOT_FOUND = "找不到该企业，或不在您的管辖范围内"
FORBIDDEN = "无权操作"


class ErrorOut(Schema):
    detail: str


class ValidationOut(Schema):
    detail: str
    errors: list[dict[str, Any]]


class EnterpriseOut(Schema):
    credit_code: str
    name: str
    address: str
    territory: str | None = Field(None, description="所属镇街代码")
    territory_name: str | None = None
    industry: str | None = Field(None, description="行业领域代码")
    industry_name: str | None = None
    regulator_name: str | None = None
    category: str
    scale: str
    status: str
    is_key_project: bool
    legal_representative: str
    principal_name: str
    principal_phone: str
    safety_manager: str
    safety_manager_phone: str
    contact_name: str
    contact_phone: str
    safety_engineer_count: int
    staff_count: int | None
    territory_contact: str | None = Field(None, description="属地责任人用户名")
    regulator_contact: str | None = Field(None, description="行业监管责任人用户名")
    procedures_complete: bool


class EnterpriseIn(Schema):
    """Fields to set; on update, only the fields sent are changed."""

    credit_code: str | None = None
    name: str | None = None
    address: str | None = None
    territory: str | None = Field(None, description="所属镇街代码（单位代码）")
    industry: str | None = Field(None, description="行业领域代码")
    category: str | None = None
    scale: str | None = None
    status: str | None = Field(None, description="仅建档时可设；此后通过状态接口变更")
    is_key_project: bool | None = None
    legal_representative: str | None = None
    principal_name: str | None = None
    principal_phone: str | None = None
    safety_manager: str | None = None
    safety_manager_phone: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    safety_engineer_count: int | None = Field(None, ge=0, le=100_000)
    staff_count: int | None = Field(None, ge=0, le=10_000_000)
    territory_contact: str | None = Field(None, description="属地责任人用户名")
    regulator_contact: str | None = Field(None, description="行业监管责任人用户名")


class StatusIn(Schema):
    status: str
    reason: str = ""


class ListQuery(Schema):
    q: str = Field("", max_length=100, description="名称片段或信用代码")
    territory: str = Field("", max_length=32, description="所属镇街代码")
    industry: str = Field("", max_length=32, description="行业领域代码")
    status: str = ""
    category: str = ""
    procedures: str = Field("", description="incomplete | complete")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class EnterprisePage(Schema):
    items: list[EnterpriseOut]
    count: int = Field(description="符合条件的企业总数")
    limit: int
    offset: int
    has_more: bool


def _out(e: Enterprise) -> dict[str, Any]:
    data = {name: getattr(e, name) for name in EnterpriseOut.model_fields if hasattr(e, name)}
    data |= {
        "territory": e.territory.code if e.territory else None,
        "territory_name": e.territory.name if e.territory else None,
        "industry": e.industry.code if e.industry else None,
        "industry_name": e.industry.name if e.industry else None,
        "regulator_name": e.industry.regulator.name
        if e.industry and e.industry.regulator
        else None,
        "territory_contact": e.territory_contact.username if e.territory_contact else None,
        "regulator_contact": e.regulator_contact.username if e.regulator_contact else None,
        "procedures_complete": not getattr(e, "procedures_incomplete", False),
    }
    return data


def _invalid(errors: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
    items = [{"loc": ["body", k], "msg": m} for k, ms in errors.items() for m in ms]
    return 422, {"detail": "请求数据有误：" + "；".join(i["msg"] for i in items), "errors": items}


def _guarded(call: Callable[[], tuple[int, Any]]) -> Status:
    """Run an operation; map the services' exceptions to the declared responses."""
    return Status(*_outcome(call))


def _outcome(call: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
    try:
        return call()
    except Http404:
        return 404, {"detail": NOT_FOUND}
    except PermissionDenied as exc:
        return 403, {"detail": str(exc) or FORBIDDEN}
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        codes = {e.code for es in getattr(exc, "error_dict", {}).values() for e in es}
        if codes & {"unique", "conflict"}:
            return 409, {"detail": "；".join(m for ms in errors.values() for m in ms)}
        return _invalid(errors)


def _resolve(payload: EnterpriseIn) -> dict[str, Any]:
    """Codes and usernames of the API become the model instances the services take."""
    data = payload.model_dump(exclude_unset=True)
    errors: dict[str, list[str]] = {}
    lookups = {
        "territory": (Unit.objects.filter(kind__in=TERRITORY_KINDS), "code", "未知的镇街代码"),
        "industry": (Industry.objects.all(), "code", "未知的行业领域代码"),
        "territory_contact": (User.objects.filter(is_active=True), "username", "未知的人员用户名"),
        "regulator_contact": (User.objects.filter(is_active=True), "username", "未知的人员用户名"),
    }
    for name, (qs, key, message) in lookups.items():
        if name in data and data[name] not in (None, ""):
            data[name] = qs.filter(**{key: data[name]}).first()
            if data[name] is None:
                errors[name] = [f"{message}“{getattr(payload, name)}”"]
        elif name in data:
            data[name] = None
    for name in ("category", "scale", "status"):
        if data.get(name) is None:
            data.pop(name, None)
    for name, value in list(data.items()):
        if value is None and name not in lookups and name != "staff_count":
            data[name] = ""
    if errors:
        raise ValidationError(errors)
    return data


def _detail(user: Any, code: str) -> Enterprise:
    qs = with_procedure_state(enterprises_visible_to(user)).select_related(
        "territory_contact", "regulator_contact"
    )
    return get_in_scope_or_404(qs, credit_code=code)


def _require_reader(request: HttpRequest) -> None:
    if not has_role(request.user, *READER_ROLES):
        raise PermissionDenied(FORBIDDEN)


@router.get(
    "/",
    response={200: EnterprisePage, 401: ErrorOut, 403: ErrorOut, 422: ValidationOut},
    summary="企业列表",
)
def list_enterprises(request: HttpRequest, filters: Query[ListQuery]) -> Status:
    """Enterprises in the caller's scope by name; filters: territory, industry, status, category."""

    def run() -> tuple[int, Any]:
        _require_reader(request)
        errors: dict[str, list[str]] = {}
        if filters.status and filters.status not in OperatingStatus.values:
            errors["status"] = ["经营状态取值无效"]
        if filters.category and filters.category not in Category.values:
            errors["category"] = ["企业类别取值无效"]
        if filters.procedures not in ("", "incomplete", "complete"):
            errors["procedures"] = ["手续筛选取值无效（incomplete 或 complete）"]
        if errors:
            return _invalid(errors)
        qs = enterprises_filtered(
            enterprises_visible_to(request.user),
            ListFilters(
                q=filters.q,
                status=filters.status,
                category=filters.category,
                procedures=filters.procedures,
            ),
        ).select_related("territory_contact", "regulator_contact")
        if filters.territory:
            qs = qs.filter(territory__code=filters.territory)
        if filters.industry:
            qs = qs.filter(industry__code=filters.industry)
        rows = list(qs[filters.offset : filters.offset + filters.limit + 1])
        return 200, {
            "items": [_out(e) for e in rows[: filters.limit]],
            "count": qs.order_by().count(),
            "limit": filters.limit,
            "offset": filters.offset,
            "has_more": len(rows) > filters.limit,
        }

    return _guarded(run)


@router.get(
    "/{code}",
    response={200: EnterpriseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="企业详情（按统一社会信用代码）",
)
def get_enterprise(request: HttpRequest, code: str) -> Status:
    def run() -> tuple[int, Any]:
        _require_reader(request)
        return 200, _out(_detail(request.user, code.upper()))

    return _guarded(run)


@router.post(
    "/",
    response={201: EnterpriseOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ValidationOut},
    summary="新建企业档案",
)
def create_enterprise(request: HttpRequest, payload: EnterpriseIn) -> Status:
    def run() -> tuple[int, Any]:
        data = _resolve(payload)
        enterprise = services.enterprise_create(actor=request.user, data=data)
        return 201, _out(_detail(request.user, enterprise.credit_code))

    return _guarded(run)


@router.patch(
    "/{code}",
    response={
        200: EnterpriseOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ValidationOut,
    },
    summary="修改企业档案（只改所传字段）",
)
def update_enterprise(request: HttpRequest, code: str, payload: EnterpriseIn) -> Status:
    def run() -> tuple[int, Any]:
        _require_reader(request)
        enterprise = _detail(request.user, code.upper())
        data = _resolve(payload)
        if "status" in data:
            raise ValidationError({"status": ["经营状态只能通过状态变更接口修改"]})
        updated = services.enterprise_update(actor=request.user, enterprise=enterprise, data=data)
        return 200, _out(_detail(request.user, updated.credit_code))

    return _guarded(run)


@router.post(
    "/{code}/status",
    response={
        200: EnterpriseOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ValidationOut,
    },
    summary="变更经营状态",
)
def change_status(request: HttpRequest, code: str, payload: StatusIn) -> Status:
    def run() -> tuple[int, Any]:
        _require_reader(request)
        enterprise = _detail(request.user, code.upper())
        services.enterprise_change_status(
            actor=request.user, enterprise=enterprise, status=payload.status, reason=payload.reason
        )
        return 200, _out(_detail(request.user, enterprise.credit_code))

    return _guarded(run)
