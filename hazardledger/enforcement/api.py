"""The enforcement API (/api/v1/enforcement/): subjects, cases, measures, proposals,
resumptions and joint actions, through the same selectors and services as the pages."""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.security import django_auth
from pydantic import Field, model_validator

from hazardledger.lib.workflow import ActionNotAvailable, ConcurrentChange, GuardFailed
from hazardledger.org.models import Unit, User

from . import joint, measures, resumption, selectors, services, subjects
from .forms import penalty_args
from .models import FINAL_CASE_STATUSES, Case, CaseKind, Finding
from .workflow import workflow_for

router = Router(tags=["enforcement"], auth=django_auth)
MAX_ID = 2**62


class In(Schema):
    """Every request body: no NUL bytes in any text (PostgreSQL refuses them in queries)."""

    @model_validator(mode="after")
    def _no_nul(self) -> Any:
        for value in self.__dict__.values():
            texts = value if isinstance(value, list) else [value]
            if any(isinstance(t, str) and "\x00" in t for t in texts):
                raise ValueError("内容包含无效字符")
        return self


class Error(Schema):
    detail: str


class FieldErrors(Schema):
    detail: str
    errors: Any = None


ERRORS = {401: Error, 403: Error, 404: Error, 409: Error, 422: FieldErrors}
NOT_FOUND = "找不到该记录，或不在您的管辖范围内"


def _run(call: Callable[[], Any]) -> Any:
    """Map the services' refusals to the declared error responses (Chinese messages)."""
    try:
        return call()
    except (Http404, ObjectDoesNotExist):
        return Status(404, {"detail": NOT_FOUND})
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc) or "无权执行该操作"})
    except GuardFailed as exc:
        return Status(
            422, {"detail": "；".join(exc.messages), "errors": exc.fields or exc.messages}
        )
    except (ActionNotAvailable, ConcurrentChange) as exc:
        return Status(409, {"detail": "；".join(exc.messages)})
    except ValidationError as exc:
        errors = getattr(exc, "message_dict", {"__all__": exc.messages})
        detail = "；".join(m for ms in errors.values() for m in ms)
        return Status(422, {"detail": detail, "errors": errors})
    except IntegrityError:
        return Status(409, {"detail": "该记录刚刚已被他人处理，请刷新后重试"})


class CaseOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    enterprise_id: int | None
    subject: str
    origin: str
    legal_basis: str
    period_end: date | None
    amount_yuan: int | None
    actions: list[str]


def _case_out(case: Case, user: Any) -> dict:
    from hazardledger.org.selectors import roles_of

    flow = workflow_for(case.kind)
    return {
        "id": case.pk,
        "number": case.number,
        "kind": case.kind,
        "kind_label": case.get_kind_display(),
        "status": case.status,
        "status_label": case.get_status_display(),
        "enterprise_id": case.enterprise_id,
        "subject": case.subject_label,
        "origin": case.origin_text(),
        "legal_basis": case.legal_basis,
        "period_end": case.period_end,
        "amount_yuan": case.amount_yuan,
        "actions": [t.action for t in flow.available(case.status, roles_of(user))],
    }


def _case(request: HttpRequest, case_id: int) -> Case:
    if not 0 < case_id < MAX_ID:
        raise Http404
    return selectors.case_get_for_user_or_404(request.user, pk=case_id)


class CaseQuery(Schema):
    kind: CaseKind | None = None
    open: bool = False
    enterprise_id: int | None = Field(None, ge=1, le=MAX_ID)
    before: int | None = Field(None, ge=1, le=MAX_ID)


@router.get("/cases", response={200: list[CaseOut], **ERRORS}, summary="执法案件")
def list_cases(request: HttpRequest, q: Query[CaseQuery]):
    qs = selectors.cases_visible_to(request.user).order_by("-pk")
    if q.kind:
        qs = qs.filter(kind=q.kind)
    if q.open:
        qs = qs.exclude(status__in=FINAL_CASE_STATUSES)
    if q.enterprise_id:
        qs = qs.filter(enterprise_id=q.enterprise_id)
    if q.before:
        qs = qs.filter(pk__lt=q.before)
    return [_case_out(c, request.user) for c in qs[:100]]


@router.get("/cases/{case_id}", response={200: CaseOut, **ERRORS}, summary="案件详情")
def get_case(request: HttpRequest, case_id: int):
    return _run(lambda: _case_out(_case(request, case_id), request.user))


class CaseIn(In):
    kind: CaseKind
    facts: str = Field(min_length=1, max_length=5000)
    enterprise_id: int | None = Field(None, ge=1, le=MAX_ID)
    project_id: int | None = Field(None, ge=1, le=MAX_ID)
    structure_id: int | None = Field(None, ge=1, le=MAX_ID)
    legal_basis: str = Field("", max_length=5000)
    findings: list[Finding] = []


@router.post("/cases", response={201: CaseOut, **ERRORS}, summary="立案")
def open_case(request: HttpRequest, payload: CaseIn):
    def call():
        user = request.user
        enterprise = project = structure = None
        if payload.enterprise_id:
            enterprise = selectors.enterprises_for_cases(user).get(pk=payload.enterprise_id)
        if payload.project_id:
            project = selectors.projects_visible_to(user).get(pk=payload.project_id)
        if payload.structure_id:
            structure = selectors.structures_visible_to(user).get(pk=payload.structure_id)
        case = services.case_open(
            actor=user,
            kind=payload.kind,
            facts=payload.facts,
            enterprise=enterprise,
            project=project,
            structure=structure,
            legal_basis=payload.legal_basis,
            findings=[str(f) for f in payload.findings],
        )
        return Status(201, _case_out(case, user))

    return _run(call)


class ActionIn(In):
    legal_basis: str | None = Field(None, max_length=5000)
    served_to: str | None = Field(None, max_length=100)
    served_how: str | None = Field(None, max_length=40)
    note: str | None = Field(None, max_length=5000)
    reason: str | None = Field(None, max_length=5000)
    article: str | None = Field(None, max_length=40)
    amount_yuan: int | None = Field(None, ge=0, le=10**12)
    lower_reason: str | None = Field(None, max_length=5000)
    second_approver_id: int | None = Field(None, ge=1, le=MAX_ID)
    referred_to: str | None = Field(None, max_length=100)
    receipt_number: str | None = Field(None, max_length=60)
    receipt_on: date | None = None
    decision: str | None = Field(None, max_length=5000)
    helper_ids: list[int] = []


@router.post(
    "/cases/{case_id}/actions/{action}", response={200: CaseOut, **ERRORS}, summary="案件操作"
)
def case_action(request: HttpRequest, case_id: int, action: str, payload: ActionIn):
    def call():
        case = _case(request, case_id)
        if action not in workflow_for(case.kind).actions:
            raise Http404
        data = {k: v for k, v in payload.dict().items() if v not in (None, [])}
        if "second_approver_id" in data:
            data["second_approver"] = User.objects.get(pk=data.pop("second_approver_id"))
        if "helper_ids" in data:
            data["helpers"] = list(User.objects.filter(pk__in=data.pop("helper_ids")))
        if case.kind == CaseKind.PENALTY and action == "decide":
            data = penalty_args(data)
        services.case_perform(actor=request.user, case=case, action=action, **data)
        case.refresh_from_db()
        return _case_out(case, request.user)

    return _run(call)


class MeasureOut(Schema):
    id: int
    case_id: int
    kind: str
    status: str
    executed_at: datetime | None
    lifted_at: datetime | None
    missing: list[str]


def _measure_out(m: Any) -> dict:
    missing = measures.prerequisite_problems(m) if m.status == "planned" else []
    return {
        "id": m.pk,
        "case_id": m.case_id,
        "kind": m.kind,
        "status": m.status,
        "executed_at": m.executed_at,
        "lifted_at": m.lifted_at,
        "missing": missing,
    }


@router.get("/measures", response={200: list[MeasureOut], **ERRORS}, summary="强制措施")
def list_measures(request: HttpRequest):
    return [_measure_out(m) for m in selectors.measures_visible_to(request.user)[:200]]


class MeasureIn(In):
    kind: str = Field(max_length=24)
    items: str = Field("", max_length=5000)
    seal_numbers: str = Field("", max_length=200)
    executing_unit_id: int | None = Field(None, ge=1, le=MAX_ID)


@router.post("/cases/{case_id}/measures", response={201: MeasureOut, **ERRORS}, summary="采取措施")
def plan_measure(request: HttpRequest, case_id: int, payload: MeasureIn):
    def call():
        unit = Unit.objects.get(pk=payload.executing_unit_id) if payload.executing_unit_id else None
        m = measures.measure_plan(
            actor=request.user,
            case=_case(request, case_id),
            kind=payload.kind,
            items=payload.items,
            seal_numbers=payload.seal_numbers,
            executing_unit=unit,
        )
        return Status(201, _measure_out(m))

    return _run(call)


class MeasureStepIn(In):
    decided_on: date | None = None
    reference: str | None = Field(None, max_length=100)
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    served_to: str | None = Field(None, max_length=100)
    served_how: str | None = Field(None, max_length=40)
    executed_by: str | None = Field(None, max_length=100)
    lifted_by: str | None = Field(None, max_length=100)
    reason: str | None = Field(None, max_length=5000)


STEP_ARGS = {
    "collective": (measures.measure_record_collective_decision, ("decided_on", "reference")),
    "approve": (measures.measure_approve, ()),
    "unit": (measures.measure_set_executing_unit, ("unit",)),
    "notice": (measures.measure_serve_notice, ("served_to", "served_how")),
    "execute": (measures.measure_execute, ("executed_by",)),
    "lift": (measures.measure_lift, ("lifted_by", "reason")),
}


@router.post(
    "/measures/{measure_id}/{step}", response={200: MeasureOut, **ERRORS}, summary="措施步骤"
)
def measure_step(request: HttpRequest, measure_id: int, step: str, payload: MeasureStepIn):
    def call():
        if step not in STEP_ARGS or not 0 < measure_id < MAX_ID:
            raise Http404
        m = selectors.measures_visible_to(request.user).get(pk=measure_id)
        service, names = STEP_ARGS[step]
        data = payload.dict()
        if "unit" in names:
            data["unit"] = Unit.objects.get(pk=data["unit_id"]) if data["unit_id"] else None
        args = {n: data.get(n) for n in names}
        missing = [n for n, v in args.items() if v in (None, "")]
        if missing:
            raise ValidationError({n: ["此项为必填项"] for n in missing})
        service(actor=request.user, measure=m, **args)
        m.refresh_from_db()
        return _measure_out(m)

    return _run(call)


class ProposalOut(Schema):
    id: int
    case_id: int
    rule: str
    proposed_kind: str
    status: str
    reason: str
    resulting_case_id: int | None


@router.get("/proposals", response={200: list[ProposalOut], **ERRORS}, summary="处置建议")
def list_proposals(request: HttpRequest):
    return list(selectors.proposals_visible_to(request.user)[:200])


class DecideIn(In):
    accept: bool
    reason: str = Field(min_length=1, max_length=5000)


@router.post(
    "/proposals/{proposal_id}/decide", response={200: ProposalOut, **ERRORS}, summary="处理建议"
)
def decide_proposal(request: HttpRequest, proposal_id: int, payload: DecideIn):
    def call():
        if not 0 < proposal_id < MAX_ID:
            raise Http404
        p = selectors.proposals_visible_to(request.user).get(pk=proposal_id)
        return services.proposal_decide(
            actor=request.user, proposal=p, accept=payload.accept, reason=payload.reason
        )

    return _run(call)


class ResumptionOut(Schema):
    id: int
    case_id: int
    status: str
    evidence: str
    evaluation_report: str
    acceptance_opinion: str


@router.get("/resumptions", response={200: list[ResumptionOut], **ERRORS}, summary="复工验收")
def list_resumptions(request: HttpRequest):
    return list(selectors.resumptions_visible_to(request.user)[:200])


class ApplyIn(In):
    evidence: str = Field(min_length=1, max_length=5000)


@router.post(
    "/cases/{case_id}/resumptions", response={201: ResumptionOut, **ERRORS}, summary="申请复工"
)
def apply_resumption(request: HttpRequest, case_id: int, payload: ApplyIn):
    def call():
        r = resumption.resumption_apply(
            actor=request.user, case=_case(request, case_id), evidence=payload.evidence
        )
        return Status(201, r)

    return _run(call)


class ResumptionStepIn(In):
    expert_ids: list[int] = []
    report: str = Field("", max_length=5000)
    opinion: str = Field("", max_length=5000)
    reason: str = Field("", max_length=5000)


@router.post(
    "/resumptions/{resumption_id}/{action}",
    response={200: ResumptionOut, **ERRORS},
    summary="复工验收步骤",
)
def resumption_step(
    request: HttpRequest, resumption_id: int, action: str, payload: ResumptionStepIn
):
    from hazardledger.experts.models import Expert

    def call():
        if not 0 < resumption_id < MAX_ID:
            raise Http404
        r = selectors.resumptions_visible_to(request.user).get(pk=resumption_id)
        data: dict[str, Any] = {
            "assign_experts": {"experts": list(Expert.objects.filter(pk__in=payload.expert_ids))},
            "evaluate_pass": {"report": payload.report},
            "evaluate_fail": {"report": payload.report},
            "accept": {"opinion": payload.opinion},
            "reject": {"opinion": payload.opinion},
            "withdraw": {"reason": payload.reason},
        }.get(action)
        if data is None:
            raise Http404
        resumption.resumption_perform(actor=request.user, resumption=r, action=action, **data)
        r.refresh_from_db()
        return r

    return _run(call)


class StructureOut(Schema):
    id: int
    location: str
    territory_id: int
    owner: str
    area_m2: Decimal
    use: str
    status: str


@router.get("/structures", response={200: list[StructureOut], **ERRORS}, summary="违法建筑")
def list_structures(request: HttpRequest):
    return list(selectors.structures_visible_to(request.user)[:200])


class StructureIn(In):
    location: str = Field(min_length=1, max_length=300)
    territory_id: int = Field(ge=1, le=MAX_ID)
    owner: str = Field(min_length=1, max_length=100)
    area_m2: Decimal = Field(gt=0, max_digits=10, decimal_places=2)
    use: str = Field("", max_length=100)
    discovered_on: date


@router.post("/structures", response={201: StructureOut, **ERRORS}, summary="登记违法建筑")
def create_structure(request: HttpRequest, payload: StructureIn):
    def call():
        data = payload.dict()
        data["territory"] = Unit.objects.get(pk=data.pop("territory_id"))
        return Status(201, subjects.structure_register(actor=request.user, **data))

    return _run(call)


class ProjectOut(Schema):
    id: int
    enterprise_id: int
    name: str
    is_key_project: bool
    status: str


@router.get("/projects", response={200: list[ProjectOut], **ERRORS}, summary="建设项目")
def list_projects(request: HttpRequest):
    return list(selectors.projects_visible_to(request.user)[:200])


class ProjectIn(In):
    enterprise_id: int = Field(ge=1, le=MAX_ID)
    name: str = Field(min_length=1, max_length=200)
    location: str = Field("", max_length=300)
    is_key_project: bool = False


@router.post("/projects", response={201: ProjectOut, **ERRORS}, summary="登记建设项目")
def create_project(request: HttpRequest, payload: ProjectIn):
    def call():
        data = payload.dict()
        data["enterprise"] = selectors.enterprises_for_cases(request.user).get(
            pk=data.pop("enterprise_id")
        )
        return Status(201, subjects.project_register(actor=request.user, **data))

    return _run(call)


class JointOut(Schema):
    id: int
    acted_on: date
    title: str
    lead_unit_id: int
    crosses_territories: bool
    crosses_departments: bool


@router.get("/joint-actions", response={200: list[JointOut], **ERRORS}, summary="联合执法")
def list_joint(request: HttpRequest):
    return list(selectors.joint_actions_visible_to(request.user)[:200])


class JointIn(In):
    acted_on: date
    title: str = Field(min_length=1, max_length=200)
    lead_unit_id: int = Field(ge=1, le=MAX_ID)
    unit_ids: list[int] = Field(min_length=1, max_length=100)
    territory_ids: list[int] = Field([], max_length=100)
    note: str = Field("", max_length=5000)


@router.post("/joint-actions", response={201: JointOut, **ERRORS}, summary="登记联合执法")
def create_joint(request: HttpRequest, payload: JointIn):
    def call():
        action = joint.joint_action_record(
            actor=request.user,
            acted_on=payload.acted_on,
            title=payload.title,
            lead_unit=Unit.objects.get(pk=payload.lead_unit_id),
            units=list(Unit.objects.filter(pk__in=payload.unit_ids)),
            territories=list(Unit.objects.filter(pk__in=payload.territory_ids)),
            note=payload.note,
        )
        return Status(201, selectors.joint_actions_visible_to(request.user).get(pk=action.pk))

    return _run(call)
