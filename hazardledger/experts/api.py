"""The expert pool over JSON: the same scope, services and messages as the pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.security import django_auth
from pydantic import AfterValidator, Field

from hazardledger.enterprises.models import Enterprise
from hazardledger.enterprises.selectors import enterprises_visible_to
from hazardledger.org.models import Role, User
from hazardledger.org.selectors import has_role

from . import pool, selectors, services
from .models import CertificateKind, EngagementKind, Expert, ExpertAssignment, Specialty
from .views import target_url

router = Router(tags=["experts"], auth=django_auth)


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("不能包含空字符")
    return value


# Every text that comes in: NUL bytes are refused before any query sees them.
Text = Annotated[str, AfterValidator(_no_nul)]

NOT_FOUND = "找不到该专家或记录，或您无权查看"
FORBIDDEN = "无权操作"
BROWSE_ROLES = selectors.READER_ROLES | selectors.ASSIGNER_ROLES


class ErrorOut(Schema):
    detail: str


class ValidationOut(Schema):
    detail: str
    errors: list[dict[str, Any]]


def responses(status: int, schema: Any, *, conflict: bool = False) -> dict[int, Any]:
    """The answers of an operation: its success and every error it can give (401/403/404/422,
    and 409 where a state or a duplicate can clash)."""
    errors: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationOut}
    if conflict:
        errors[409] = ErrorOut
    return {status: schema, **errors}


class SpecialtyOut(Schema):
    code: str
    name: str


class CertificateOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str
    valid_until: date
    expired: bool
    has_file: bool


class EngagementOut(Schema):
    id: int
    enterprise: str = Field(description="统一社会信用代码")
    enterprise_name: str
    kind: str
    kind_label: str
    started_on: date
    ended_on: date | None


class PeriodOut(Schema):
    id: int
    starts_on: date
    ends_on: date
    reason: str


class ExpertOut(Schema):
    id: int
    username: str
    name: str
    specialties: list[SpecialtyOut]
    title: str
    employer: str
    employer_enterprise: str | None = Field(None, description="统一社会信用代码")
    is_active: bool
    open_assignments: int
    problems: list[str] = Field(description="今日不能指派的原因（空为可指派）")


class ExpertDetailOut(ExpertOut):
    note: str
    certificates: list[CertificateOut]
    engagements: list[EngagementOut]
    unavailable: list[PeriodOut]


class ExpertPage(Schema):
    items: list[ExpertOut]
    limit: int
    offset: int
    has_more: bool


class AssignmentOut(Schema):
    id: int
    expert_id: int
    expert_name: str
    target_type: str
    target_id: int
    target: str
    url: str
    enterprise: str | None
    assigned_by: str | None
    assigned_at: Any
    released_at: Any | None
    note: str


class ListQuery(Schema):
    q: Text = Field("", max_length=50)
    specialty: Text = Field("", max_length=32, description="专业领域代码")
    state: Text = Field("", description="active | inactive")
    certificate: Text = Field("", description="valid | expired")
    available: bool = False
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class SuggestQuery(Schema):
    enterprise: Text = Field(max_length=18, description="企业统一社会信用代码")
    specialty: Text = Field("", max_length=32, description="专业领域代码；空时按企业行业匹配")


class AccountIn(Schema):
    username: Text = Field(max_length=150)
    full_name: Text = Field(max_length=50)
    phone: Text = Field("", max_length=32)
    password: Text | None = Field(None, max_length=128)


class ExpertIn(Schema):
    username: Text | None = Field(None, max_length=150, description="已有专家账号的用户名")
    account: AccountIn | None = Field(None, description="或：新建账号")
    specialties: list[Text] = Field(default_factory=list, max_length=50, description="专业领域代码")
    title: Text = Field("", max_length=50)
    employer: Text = Field("", max_length=200)
    employer_enterprise: Text | None = Field(None, max_length=18, description="统一社会信用代码")
    is_active: bool = True
    note: Text = Field("", max_length=300)


class CertificateIn(Schema):
    kind: Text
    number: Text = Field(max_length=64)
    valid_until: date


class EngagementIn(Schema):
    enterprise: Text = Field(max_length=18, description="统一社会信用代码")
    kind: Text
    started_on: date
    ended_on: date | None = None
    note: Text = Field("", max_length=300)


class PeriodIn(Schema):
    starts_on: date
    ends_on: date
    reason: Text = Field("", max_length=200)


def _invalid(errors: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
    items = [{"loc": ["body", k], "msg": m} for k, ms in errors.items() for m in ms]
    return 422, {"detail": "请求数据有误：" + "；".join(i["msg"] for i in items), "errors": items}


def _guarded(call: Callable[[], tuple[int, Any]]) -> Status:
    try:
        return Status(*call())
    except Http404:
        return Status(404, {"detail": NOT_FOUND})
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc) or FORBIDDEN})
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        if any(
            "已被指派" in m or "已解除" in m or "已登记" in m for ms in errors.values() for m in ms
        ):
            return Status(409, {"detail": "；".join(m for ms in errors.values() for m in ms)})
        return Status(*_invalid(errors))


def _require(request: HttpRequest, roles: frozenset[str]) -> None:
    if not has_role(request.user, *roles):
        raise PermissionDenied(FORBIDDEN)


def _expert(request: HttpRequest, pk: int) -> Expert:
    if not 0 < pk < 2**63:
        raise Http404
    expert = selectors.experts_visible_to(request.user).filter(pk=pk).first()
    if expert is None:
        raise Http404
    return expert


def _out(expert: Expert, counts: dict[int, int]) -> dict[str, Any]:
    return {
        "id": expert.pk,
        "username": expert.user.username,
        "name": expert.user.display_name,
        "specialties": [{"code": s.code, "name": s.name} for s in expert.specialties.all()],
        "title": expert.title,
        "employer": expert.employer,
        "employer_enterprise": expert.employer_enterprise.credit_code
        if expert.employer_enterprise
        else None,
        "is_active": expert.is_active,
        "open_assignments": counts.get(expert.pk, 0),
        "problems": selectors.availability_problems(expert),
    }


def _detail(expert: Expert) -> dict[str, Any]:
    today = timezone.localdate()
    return _out(expert, selectors.open_counts([expert])) | {
        "note": expert.note,
        "certificates": [
            {
                "id": c.pk,
                "kind": c.kind,
                "kind_label": c.get_kind_display(),
                "number": c.number,
                "valid_until": c.valid_until,
                "expired": c.valid_until < today,
                "has_file": bool(c.file),
            }
            for c in expert.certificates.all()
        ],
        "engagements": [
            {
                "id": g.pk,
                "enterprise": g.enterprise.credit_code,
                "enterprise_name": g.enterprise.name,
                "kind": g.kind,
                "kind_label": g.get_kind_display(),
                "started_on": g.started_on,
                "ended_on": g.ended_on,
            }
            for g in expert.engagements.select_related("enterprise")
        ],
        "unavailable": [
            {"id": p.pk, "starts_on": p.starts_on, "ends_on": p.ends_on, "reason": p.reason}
            for p in expert.unavailable.all()
        ],
    }


def _assignment_out(a: ExpertAssignment) -> dict[str, Any]:
    target = a.target
    return {
        "id": a.pk,
        "expert_id": a.expert_id,
        "expert_name": a.expert.user.display_name,
        "target_type": a.content_type.model,
        "target_id": a.object_id,
        "target": str(target) if target is not None else "",
        "url": target_url(a) if a.is_open else "",
        "enterprise": a.enterprise.credit_code if a.enterprise else None,
        "assigned_by": a.assigned_by.username if a.assigned_by else None,
        "assigned_at": a.assigned_at,
        "released_at": a.released_at,
        "note": a.note,
    }


def _enterprise(code: str | None, field: str) -> Enterprise | None:
    if not code:
        return None
    found = Enterprise.objects.filter(credit_code=code.upper()).first()
    if found is None:
        raise ValidationError({field: [f"未知的统一社会信用代码“{code}”"]})
    return found


def _specialty_ids(codes: list[str]) -> list[int]:
    found = dict(Specialty.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError({"specialties": ["未知的专业领域代码：" + "、".join(unknown)]})
    return [found[c] for c in codes]


@router.get("/specialties", response={200: list[SpecialtyOut], 401: ErrorOut}, summary="专业领域")
def list_specialties(request: HttpRequest) -> list[dict[str, str]]:
    return [{"code": s.code, "name": s.name} for s in Specialty.objects.all()]


@router.get(
    "/",
    response={200: ExpertPage, 401: ErrorOut, 403: ErrorOut, 422: ValidationOut},
    summary="专家库列表",
)
def list_experts(request: HttpRequest, filters: Query[ListQuery]) -> Status:
    def run() -> tuple[int, Any]:
        _require(request, BROWSE_ROLES)
        errors: dict[str, list[str]] = {}
        if filters.state not in ("", "active", "inactive"):
            errors["state"] = ["状态取值无效（active 或 inactive）"]
        if filters.certificate not in ("", "valid", "expired"):
            errors["certificate"] = ["证书筛选取值无效（valid 或 expired）"]
        specialty = Specialty.objects.filter(code=filters.specialty).first()
        if filters.specialty and specialty is None:
            errors["specialty"] = ["未知的专业领域代码"]
        if errors:
            return _invalid(errors)
        data = filters.model_dump() | {"specialty": specialty}
        qs = selectors.experts_listed(request.user, data)
        rows = list(qs[filters.offset : filters.offset + filters.limit + 1])
        counts = {e.pk: e.open_count for e in rows}
        return 200, {
            "items": [_out(e, counts) for e in rows[: filters.limit]],
            "limit": filters.limit,
            "offset": filters.offset,
            "has_more": len(rows) > filters.limit,
        }

    return _guarded(run)


@router.get(
    "/suggested",
    response=responses(200, list[ExpertOut]),
    summary="为企业推荐可指派的专家",
)
def suggested(request: HttpRequest, query: Query[SuggestQuery]) -> Status:
    """Available experts without a conflict with the enterprise: matching specialty first,
    then the fewest open assignments."""

    def run() -> tuple[int, Any]:
        _require(request, selectors.ASSIGNER_ROLES)
        enterprise = (
            enterprises_visible_to(request.user)
            .filter(credit_code=query.enterprise.upper())
            .first()
        )
        if enterprise is None:
            raise Http404
        if query.specialty and not Specialty.objects.filter(code=query.specialty).exists():
            return _invalid({"specialty": ["未知的专业领域代码"]})
        specialty = query.specialty or selectors.specialty_for(enterprise)
        experts = selectors.experts_suggested(enterprise=enterprise, specialty=specialty)
        counts = {e.pk: e.open_count for e in experts}
        return 200, [_out(e, counts) for e in experts]

    return _guarded(run)


@router.get(
    "/mine/assignments",
    response={200: list[AssignmentOut], 401: ErrorOut, 403: ErrorOut},
    summary="我的进行中的指派（专家）",
)
def my_assignments(request: HttpRequest) -> Status:
    def run() -> tuple[int, Any]:
        _require(request, frozenset({Role.EXPERT}))
        return 200, [_assignment_out(a) for a in selectors.assignments_for(request.user)]

    return _guarded(run)


@router.get(
    "/{int:expert_id}",
    response={200: ExpertDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="专家详情",
)
def get_expert(request: HttpRequest, expert_id: int) -> Status:
    def run() -> tuple[int, Any]:
        _require(request, BROWSE_ROLES | {Role.EXPERT})
        return 200, _detail(_expert(request, expert_id))

    return _guarded(run)


@router.get(
    "/{int:expert_id}/assignments",
    response={200: list[AssignmentOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="专家的指派记录",
)
def expert_assignments(request: HttpRequest, expert_id: int) -> Status:
    def run() -> tuple[int, Any]:
        _require(request, BROWSE_ROLES)
        expert = _expert(request, expert_id)
        rows = selectors.assignments_visible_to(request.user).filter(expert=expert)[:200]
        return 200, [_assignment_out(a) for a in rows]

    return _guarded(run)


def _expert_data(payload: ExpertIn) -> dict[str, Any]:
    return {
        "specialties": _specialty_ids(payload.specialties),
        "title": payload.title,
        "employer": payload.employer,
        "employer_enterprise": _enterprise(payload.employer_enterprise, "employer_enterprise"),
        "is_active": payload.is_active,
        "note": payload.note,
    }


@router.post(
    "/",
    response={
        201: ExpertDetailOut,
        401: ErrorOut,
        403: ErrorOut,
        409: ErrorOut,
        422: ValidationOut,
    },
    summary="添加专家",
)
def create_expert(request: HttpRequest, payload: ExpertIn) -> Status:
    def run() -> tuple[int, Any]:
        services.require_manager(request.user)
        user = None
        if payload.username:
            user = User.objects.filter(username=payload.username).first()
            if user is None:
                return _invalid({"username": [f"未知的用户名“{payload.username}”"]})
        expert = pool.expert_create(
            actor=request.user,
            data=_expert_data(payload),
            user=user,
            account=payload.account.model_dump() if payload.account and not user else None,
        )
        return 201, _detail(expert)

    return _guarded(run)


@router.put(
    "/{int:expert_id}",
    response=responses(200, ExpertDetailOut),
    summary="修改专家信息",
)
def update_expert(request: HttpRequest, expert_id: int, payload: ExpertIn) -> Status:
    def run() -> tuple[int, Any]:
        services.require_manager(request.user)
        expert = _expert(request, expert_id)
        pool.expert_update(actor=request.user, expert=expert, data=_expert_data(payload))
        return 200, _detail(expert)

    return _guarded(run)


@router.post(
    "/{int:expert_id}/certificates",
    response=responses(201, ExpertDetailOut, conflict=True),
    summary="登记证书",
)
def add_certificate(request: HttpRequest, expert_id: int, payload: CertificateIn) -> Status:
    def run() -> tuple[int, Any]:
        services.require_manager(request.user)
        expert = _expert(request, expert_id)
        if payload.kind not in CertificateKind.values:
            return _invalid({"kind": ["证书类别取值无效"]})
        pool.certificate_add(actor=request.user, expert=expert, data=payload.model_dump())
        return 201, _detail(expert)

    return _guarded(run)


@router.post(
    "/{int:expert_id}/engagements",
    response=responses(201, ExpertDetailOut),
    summary="登记受聘/服务记录",
)
def add_engagement(request: HttpRequest, expert_id: int, payload: EngagementIn) -> Status:
    def run() -> tuple[int, Any]:
        services.require_manager(request.user)
        expert = _expert(request, expert_id)
        if payload.kind not in EngagementKind.values:
            return _invalid({"kind": ["类别取值无效"]})
        data = payload.model_dump() | {"enterprise": _enterprise(payload.enterprise, "enterprise")}
        pool.engagement_add(actor=request.user, expert=expert, data=data)
        return 201, _detail(expert)

    return _guarded(run)


@router.post(
    "/{int:expert_id}/unavailable",
    response=responses(201, ExpertDetailOut),
    summary="登记不可用时段",
)
def add_period(request: HttpRequest, expert_id: int, payload: PeriodIn) -> Status:
    def run() -> tuple[int, Any]:
        services.require_manager(request.user)
        expert = _expert(request, expert_id)
        pool.unavailability_add(actor=request.user, expert=expert, data=payload.model_dump())
        return 201, _detail(expert)

    return _guarded(run)


REMOVERS = {
    "certificates": ("certificates", pool.certificate_remove, "certificate"),
    "engagements": ("engagements", pool.engagement_remove, "engagement"),
    "unavailable": ("unavailable", pool.unavailability_remove, "period"),
}


@router.delete(
    "/{int:expert_id}/{kind}/{int:child_id}",
    response={200: ExpertDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="删除证书、受聘记录或不可用时段（kind: certificates | engagements | unavailable）",
)
def remove_child(request: HttpRequest, expert_id: int, kind: str, child_id: int) -> Status:
    def run() -> tuple[int, Any]:
        services.require_manager(request.user)
        expert = _expert(request, expert_id)
        if kind not in REMOVERS or not 0 < child_id < 2**63:
            raise Http404
        related, remove, argument = REMOVERS[kind]
        obj = getattr(expert, related).filter(pk=child_id).first()
        if obj is None:
            raise Http404
        remove(actor=request.user, **{argument: obj})
        return 200, _detail(expert)

    return _guarded(run)


@router.post(
    "/assignments/{int:assignment_id}/release",
    response=responses(200, AssignmentOut, conflict=True),
    summary="解除指派",
)
def release(request: HttpRequest, assignment_id: int) -> Status:
    def run() -> tuple[int, Any]:
        _require(request, selectors.ASSIGNER_ROLES)
        if not 0 < assignment_id < 2**63:
            raise Http404
        assignment = selectors.assignments_visible_to(request.user).filter(pk=assignment_id).first()
        if assignment is None:
            raise Http404
        services.expert_release(actor=request.user, assignment=assignment)
        return 200, _assignment_out(assignment)

    return _guarded(run)
