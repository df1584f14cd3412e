"""The hazard API (/api/v1/hazards/): the ledger, a card, registration and one endpoint per
transition, calling the same selectors and services as the pages."""

# No `from __future__ import annotations`: the per-action endpoints below are built in a loop
# and django-ninja must resolve their payload annotations from the local schema classes.

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth
from pydantic import Field

from hazardledger.enterprises.selectors import enterprises_visible_to
from hazardledger.lib.workflow import ActionNotAvailable, ConcurrentChange, GuardFailed
from hazardledger.org.models import Unit, UnitKind, User
from hazardledger.policy.services import active_policy

from . import rules, selectors
from .imports.api import register as register_import
from .models import (
    FileKind,
    Hazard,
    HazardCategory,
    HazardLevel,
    HazardNature,
    HazardSource,
    HazardStatus,
)
from .services import hazard_attach_file, hazard_perform, hazard_register, stored_plan
from .workflow import ACTIONS

router = Router(tags=["hazards"], auth=django_auth)
register_import(router)  # POST /import, before the /{hazard_id} routes


class Error(Schema):
    detail: str


class FieldErrors(Schema):
    detail: str
    errors: Any = None


ERRORS = {401: Error, 403: Error, 404: Error, 409: Error, 422: FieldErrors}


class HazardOut(Schema):
    id: int
    card_no: str
    enterprise_id: int
    enterprise_name: str
    territory: str | None
    industry: str | None
    level: str
    status: str
    status_label: str
    source: str
    found_on: date
    deadline: date | None
    overdue: bool
    is_supervised: bool
    production_suspended: bool


class EventOut(Schema):
    at: datetime
    action: str
    from_status: str
    to_status: str
    actor: str | None
    role: str
    comment: str


class HazardDetail(HazardOut):
    location: str
    description: str
    cause: str
    category: str
    nature: str
    criteria_ref: str
    harm_analysis: str
    found_by: str
    legal_basis: str
    responsible_person: str
    funds_yuan: Decimal | None
    measures: str
    emergency_plan: str
    objectives: str
    organisation_and_staff: str
    materials: str
    monitoring_measures: str
    missing_plan_items: list[str]
    acceptance_late: bool
    history: list[EventOut]


class LedgerOut(Schema):
    items: list[HazardOut]
    next_cursor: str | None
    counts: dict[str, int]
    overdue_total: int
    counts_as_of: datetime = Field(description="统计时间：按状态计数在此时刻统计（见 DESIGN.md）")


class LedgerQuery(Schema):
    territory: int | None = None
    department: int | None = None
    industry: int | None = None
    enterprise: int | None = None
    level: HazardLevel | None = None
    status: HazardStatus | None = None
    source: HazardSource | None = None
    overdue: bool = False
    acceptance_late: bool = False
    supervised: bool = False
    found_from: date | None = None
    found_to: date | None = None
    deadline_from: date | None = None
    deadline_to: date | None = None
    q: str = Field("", max_length=100)
    sort: Literal[tuple(selectors.SORTS)] = selectors.DEFAULT_SORT  # type: ignore[valid-type]
    after: str = Field("", max_length=200)
    size: int = Field(50, ge=1, le=100)


def _out(h: Hazard) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "id": h.pk,
        "card_no": h.card_no,
        "enterprise_id": h.enterprise_id,
        "enterprise_name": h.enterprise.name,
        "territory": h.territory.name if h.territory else None,
        "industry": h.industry.name if h.industry else None,
        "level": h.level,
        "status": h.status,
        "status_label": str(h.get_status_display()),
        "source": h.source,
        "found_on": h.found_on,
        "deadline": h.deadline,
        "overdue": rules.is_overdue(h.status, h.deadline, today),
        "is_supervised": h.is_supervised,
        "production_suspended": h.production_suspended,
    }


def _detail(h: Hazard) -> dict[str, Any]:
    policy = active_policy().hazards
    has_plan_file = h.files.filter(kind=FileKind.EMERGENCY_PLAN).exists()
    plan = stored_plan(h, has_plan_file=has_plan_file)
    history = [
        {
            "at": e.at,
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "actor": e.actor.display_name if e.actor else None,
            "role": e.role,
            "comment": e.comment,
        }
        for e in selectors.history_of(h)
    ]
    return (
        _out(h)
        | {
            name: getattr(h, name)
            for name in (
                "location",
                "description",
                "cause",
                "category",
                "nature",
                "criteria_ref",
                "harm_analysis",
                "found_by",
                "legal_basis",
                "responsible_person",
                "funds_yuan",
                "measures",
                "emergency_plan",
                "objectives",
                "organisation_and_staff",
                "materials",
                "monitoring_measures",
            )
        }
        | {
            "missing_plan_items": rules.missing_plan_items(policy, h.level, plan),
            "acceptance_late": rules.is_acceptance_late(
                h.status, h.acceptance_applied_at, timezone.now(), policy
            ),
            "history": history,
        }
    )


def _get(request: HttpRequest, hazard_id: int) -> Hazard:
    return selectors.hazard_get_for_user_or_404(request.user, hazard_id)


def _run(call: Callable[[], Any]) -> Any:
    """Map the services' refusals to the declared error responses."""
    try:
        return call()
    except Http404:
        return Status(404, {"detail": "找不到该隐患，或不在您的管辖范围内"})
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc) or "无权执行该操作"})
    except GuardFailed as exc:
        return Status(
            422, {"detail": "；".join(exc.messages), "errors": exc.fields or exc.messages}
        )
    except (ActionNotAvailable, ConcurrentChange) as exc:
        return Status(409, {"detail": "；".join(exc.messages)})


@router.get("/", response={200: LedgerOut, **ERRORS}, summary="隐患台账")
def list_hazards(request: HttpRequest, filters: Query[LedgerQuery]):
    """The ledger with its filters, keyset pagination (`after`) and counts by status."""
    data = filters.dict()
    after, sort, size = data.pop("after"), data.pop("sort"), data.pop("size")
    data = {
        k: ("" if v is None and k in ("level", "status", "source") else v) for k, v in data.items()
    }
    f = selectors.LedgerFilters(**data)
    base = selectors.hazards_visible_to(request.user)
    rows, cursor = selectors.ledger_page(
        selectors.ledger_filter(base, f), sort=sort, cursor=after, size=size
    )
    counts = selectors.status_counts_cached(
        selectors.ledger_filter(base, f, with_status=False),
        today=timezone.localdate(),
    )
    return {
        "items": [_out(h) for h in rows],
        "next_cursor": cursor,
        "counts": {code: n for code, _label, n in counts["by_status"]},
        "overdue_total": counts["overdue"],
        "counts_as_of": counts["as_of"],
    }


@router.get("/{hazard_id}", response={200: HazardDetail, **ERRORS}, summary="隐患卡片")
def get_hazard(request: HttpRequest, hazard_id: int):
    return _run(lambda: _detail(_get(request, hazard_id)))


class HazardIn(Schema):
    enterprise_id: int
    location: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1)
    cause: str = ""
    category: HazardCategory
    nature: HazardNature
    level: HazardLevel
    criteria_standard: str = Field("", max_length=200)
    criteria_article: str = Field("", max_length=50)
    criteria_item: str = Field("", max_length=50)
    harm_analysis: str = ""
    source: HazardSource
    source_ref: str = Field("", max_length=200)
    found_by: str = Field(min_length=1, max_length=100)
    found_on: date
    legal_basis: str = ""


@router.post("/", response={201: HazardOut, **ERRORS}, summary="登记隐患")
def create_hazard(request: HttpRequest, payload: HazardIn):
    def call():
        data = payload.dict()
        enterprise = enterprises_visible_to(request.user).filter(pk=data.pop("enterprise_id"))
        if not enterprise.exists():
            return Status(404, {"detail": "找不到该企业，或不在您的管辖范围内"})
        hazard = hazard_register(actor=request.user, enterprise=enterprise.get(), data=data)
        return Status(201, _out(hazard))

    return _run(call)


@router.post("/{hazard_id}/files", response={201: dict, **ERRORS}, summary="上传附件")
def upload_file(
    request: HttpRequest, hazard_id: int, kind: Form[FileKind], file: File[UploadedFile]
):
    """Attach evidence (e.g. after-photos before `mark-rectified`), checked by content."""

    def call():
        row = hazard_attach_file(
            actor=request.user, hazard=_get(request, hazard_id), kind=kind, upload=file
        )
        return Status(201, {"id": row.pk, "sha256": row.sha256, "kind": row.kind})

    return _run(call)


# ---- one endpoint per transition -----------------------------------------------------------


class ConfirmIn(Schema):
    level: HazardLevel | None = None
    criteria_standard: str | None = Field(None, max_length=200)
    criteria_article: str | None = Field(None, max_length=50)
    criteria_item: str | None = Field(None, max_length=50)
    harm_analysis: str | None = None
    comment: str = ""


class TransferIn(Schema):
    department_id: int
    reason: str


class PlanIn(Schema):
    responsible_person: str = Field("", max_length=50)
    responsible_phone: str = Field("", max_length=32)
    funds_yuan: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    measures: str = ""
    deadline: date | None = None
    emergency_plan: str = ""
    objectives: str = ""
    organisation_and_staff: str = ""
    materials: str = ""
    monitoring_measures: str = ""


class RectifiedIn(Schema):
    note: str
    funds_actual_yuan: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)


class ProgressIn(Schema):
    text: str
    percent: int | None = Field(None, ge=0, le=100)
    monitoring_measures: str = ""


class ExtensionIn(Schema):
    reason: str
    interim_controls: str
    new_deadline: date


class OpinionIn(Schema):
    opinion: str = ""


class CommentIn(Schema):
    comment: str = ""


class ExpertIn(Schema):
    expert_id: int


class ReasonIn(Schema):
    reason: str


class ReopenIn(Schema):
    reason: str
    deadline: date


class SupervisionIn(Schema):
    supervision_level: Literal["district", "city", "province"]
    supervision_doc_no: str = Field(min_length=1, max_length=60)
    comment: str = ""


def _plain(payload: Schema) -> dict[str, Any]:
    return payload.dict()


def _plan(payload: Schema) -> dict[str, Any]:
    return {"plan": payload.dict(exclude_unset=True)}


def _transfer(payload: Schema) -> dict[str, Any]:
    department = Unit.objects.filter(pk=payload.department_id, kind=UnitKind.DEPARTMENT).first()
    return {"department": department, "reason": payload.reason}


def _expert(payload: Schema) -> dict[str, Any]:
    return {"expert": User.objects.filter(pk=payload.expert_id).first()}


def _confirm(payload: Schema) -> dict[str, Any]:
    return payload.dict()


ACTION_SCHEMAS: dict[str, tuple[type[Schema], Callable[[Any], dict[str, Any]]]] = {
    "confirm": (ConfirmIn, _confirm),
    "transfer": (TransferIn, _transfer),
    "save_plan": (PlanIn, _plan),
    "submit_plan": (PlanIn, _plan),
    "rectify_immediately": (RectifiedIn, _plain),
    "report_progress": (ProgressIn, _plain),
    "request_extension": (ExtensionIn, _plain),
    "approve_extension": (OpinionIn, _plain),
    "reject_extension": (OpinionIn, _plain),
    "mark_rectified": (RectifiedIn, _plain),
    "apply_acceptance": (CommentIn, _plain),
    "assign_expert": (ExpertIn, _expert),
    "evaluation_pass": (OpinionIn, _plain),
    "evaluation_fail": (OpinionIn, _plain),
    "accept": (OpinionIn, _plain),
    "reject": (OpinionIn, _plain),
    "void": (ReasonIn, _plain),
    "reopen": (ReopenIn, _plain),
    "list_supervised": (SupervisionIn, _plain),
    "delist_supervised": (ReasonIn, _plain),
    "suspend_production": (ReasonIn, _plain),
    "resume_production": (ReasonIn, _plain),
}


def _endpoint(action: str, schema: type[Schema], convert: Callable[[Any], dict[str, Any]]):
    def endpoint(request: HttpRequest, hazard_id: int, payload: schema):  # type: ignore[valid-type]
        def call():
            hazard = _get(request, hazard_id)
            hazard_perform(actor=request.user, hazard=hazard, action=action, **convert(payload))
            hazard.refresh_from_db()
            return Status(200, _out(hazard))

        return _run(call)

    endpoint.__name__ = f"hazard_{action}"
    endpoint.__doc__ = f"{ACTIONS[action]}（与页面相同的权限和提示）"
    return endpoint


for _action, (_schema, _convert) in ACTION_SCHEMAS.items():
    router.post(
        f"/{{hazard_id}}/{_action.replace('_', '-')}",
        response={200: HazardOut, **ERRORS},
        summary=str(ACTIONS[_action]),
        operation_id=f"hazard_{_action}",
    )(_endpoint(_action, _schema, _convert))
