"""The tip-off API: the public channel (/api/v1/public/tipoffs…, no login, rate-limited)
and the staff endpoints (/api/v1/tipoffs/…), calling the same services as the pages."""

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.security import django_auth

from hazardledger.enterprises.selectors import enterprises_visible_to
from hazardledger.lib.workflow import ActionNotAvailable, ConcurrentChange, GuardFailed
from hazardledger.org.models import TERRITORY_KINDS, Unit, UnitKind
from hazardledger.policy.services import active_policy

from . import selectors, services, throttle
from .headers import private
from .models import Author, Kind, Reward, TipOff, Verification
from .models import Status as TipStatus

router = Router(tags=["tipoffs"])


class Error(Schema):
    detail: str


class FieldErrors(Schema):
    detail: str
    errors: Any = None


ERRORS = {401: Error, 403: Error, 404: Error, 409: Error, 422: FieldErrors}
PUBLIC_ERRORS = {409: Error, 422: FieldErrors, 429: Error}


class ReceiptOut(Schema):
    number: str
    receipt_code: str


class CodeIn(Schema):
    receipt_code: str


class MessageOut(Schema):
    at: datetime
    is_feedback: bool
    body: str


class PublicStatusOut(Schema):
    number: str
    kind: str
    status: str
    status_label: str
    verification: str
    received_at: datetime
    messages: list[MessageOut]
    reward_status: str | None
    reward_yuan: int | None


def _run(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except Http404:
        return Status(404, {"detail": "找不到该举报，或不在您的办理范围内"})
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc) or "无权执行该操作"})
    except GuardFailed as exc:
        return Status(422, {"detail": "；".join(exc.messages), "errors": exc.fields or None})
    except (ActionNotAvailable, ConcurrentChange) as exc:
        return Status(409, {"detail": "；".join(exc.messages)})


def _public_payload(request: HttpRequest) -> tuple[dict[str, Any], list]:
    if request.content_type == "multipart/form-data":
        return request.POST.dict(), request.FILES.getlist("files")
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        raise GuardFailed("请求数据应为 JSON 对象", fields={"body": "请求数据应为 JSON 对象"})
    return data, []


SUBMIT_BODY = {
    "requestBody": {
        "content": {
            content: {
                "schema": {
                    "type": "object",
                    "required": ["kind", "subject", "description"],
                    "properties": {
                        "kind": {"type": "string", "enum": Kind.values},
                        "subject": {"type": "string", "maxLength": 200},
                        "location": {"type": "string", "maxLength": 200},
                        "description": {"type": "string", "maxLength": 4000},
                        "is_anonymous": {"type": "boolean", "default": True},
                        "is_insider": {"type": "boolean"},
                        "name": {"type": "string", "maxLength": 50},
                        "phone": {"type": "string", "maxLength": 20},
                        "id_number": {"type": "string", "maxLength": 18},
                        **(
                            {
                                "files": {
                                    "type": "array",
                                    "items": {"type": "string", "format": "binary"},
                                }
                            }
                            if content == "multipart/form-data"
                            else {}
                        ),
                    },
                }
            }
            for content in ("application/json", "multipart/form-data")
        },
        "required": True,
    }
}


@router.post(
    "/public/tipoffs",
    auth=None,
    response={201: ReceiptOut, **PUBLIC_ERRORS},
    summary="提交举报（无需登录；查询码只返回这一次）",
    openapi_extra=SUBMIT_BODY,
)
def public_submit(request: HttpRequest, response: HttpResponse):
    private(response)
    try:
        throttle.count_submission(throttle.client_key(request), active_policy().tipoffs.throttling)
    except throttle.Throttled as exc:
        return Status(429, {"detail": exc.message})

    def call():
        data, uploads = _public_payload(request)
        done = services.tipoff_submit(actor=None, data=data, uploads=uploads)
        return Status(201, {"number": done.tipoff.number, "receipt_code": done.receipt_code})

    return _run(call)


def _public_status(tipoff: TipOff) -> dict[str, Any]:
    reward = Reward.objects.filter(tipoff=tipoff).first()
    shown = reward and reward.status in ("approved", "paid")
    return {
        "number": tipoff.number,
        "kind": tipoff.kind,
        "status": tipoff.status,
        "status_label": tipoff.get_status_display(),
        "verification": tipoff.get_verification_display() if tipoff.verification else "",
        "received_at": tipoff.received_at,
        "messages": [
            {"at": m.created_at, "is_feedback": m.is_feedback, "body": m.body}
            for m in tipoff.messages.filter(author=Author.STAFF)
        ],
        "reward_status": reward.get_status_display() if reward else None,
        "reward_yuan": reward.amount_yuan if shown else None,
    }


@router.post(
    "/public/tipoffs/status",
    auth=None,
    response={200: PublicStatusOut, **PUBLIC_ERRORS},
    summary="凭查询码查询办理进度（查询码放在请求体中）",
)
def public_status(request: HttpRequest, payload: CodeIn, response: HttpResponse):
    private(response)
    try:
        tipoff = services.tipoff_lookup(
            code=payload.receipt_code, client=throttle.client_key(request)
        )
    except throttle.Throttled as exc:
        return Status(429, {"detail": exc.message})
    except services.CodeRefused as exc:
        return Status(422, {"detail": exc.message, "errors": {"receipt_code": exc.message}})
    return Status(200, _public_status(tipoff))


# ---- staff ---------------------------------------------------------------------------------


class TipOffOut(Schema):
    id: int
    number: str
    pseudonym: str
    is_anonymous: bool
    kind: str
    channel: str
    status: str
    status_label: str
    subject: str
    enterprise_id: int | None
    territory: str | None
    department: str | None
    received_at: datetime


class TipOffDetail(TipOffOut):
    location: str
    description: str
    verification: str
    verification_note: str
    hazards: list[str]
    duplicate_of: str | None


def _out(t: TipOff) -> dict[str, Any]:
    return {
        "id": t.pk,
        "number": t.number,
        "pseudonym": t.pseudonym,
        "is_anonymous": t.is_anonymous,
        "kind": t.kind,
        "channel": t.channel,
        "status": t.status,
        "status_label": t.get_status_display(),
        "subject": t.subject,
        "enterprise_id": t.enterprise_id,
        "territory": t.territory.name if t.territory_id else None,
        "department": t.department.name if t.department_id else None,
        "received_at": t.received_at,
    }


def _get(request: HttpRequest, tipoff_id: int) -> TipOff:
    return selectors.tipoff_get_for_user_or_404(request.user, pk=tipoff_id)


@router.get(
    "/tipoffs/",
    auth=django_auth,
    response={200: list[TipOffOut], **ERRORS},
    summary="举报列表（最新 100 件）",
)
def list_tipoffs(
    request: HttpRequest,
    response: HttpResponse,
    status: TipStatus | None = None,
    before: int | None = None,
):
    private(response)
    qs = selectors.tipoffs_visible_to(request.user)
    if status:
        qs = qs.filter(status=status)
    if before:
        qs = qs.filter(pk__lt=before)
    return [_out(t) for t in qs.order_by("-pk")[:100]]


@router.get(
    "/tipoffs/{tipoff_id}",
    auth=django_auth,
    response={200: TipOffDetail, **ERRORS},
    summary="举报详情（举报人只显示代称）",
)
def get_tipoff(request: HttpRequest, tipoff_id: int, response: HttpResponse):
    private(response)

    def call():
        t = _get(request, tipoff_id)
        return {
            **_out(t),
            "location": t.location,
            "description": t.description,
            "verification": t.verification,
            "verification_note": t.verification_note,
            "hazards": list(t.hazards.values_list("card_no", flat=True)),
            "duplicate_of": t.duplicate_of.number if t.duplicate_of_id else None,
        }

    return _run(call)


class AssignIn(Schema):
    territory_id: int | None = None
    department_id: int | None = None
    enterprise_id: int | None = None


class ReasonIn(Schema):
    reason: str


class VerifyIn(Schema):
    verification: Verification
    severity: str
    verification_note: str
    fine_yuan: int | None = None
    concealed_deaths: int | None = None
    accident_grade: str = ""


class MessageIn(Schema):
    body: str
    is_feedback: bool = False


def _unit(pk: int | None, kinds) -> Unit | None:
    if pk is None:
        return None
    unit = Unit.objects.filter(pk=pk, kind__in=kinds).first()
    if unit is None:
        raise GuardFailed("单位不存在", fields={"unit": "单位不存在"})
    return unit


@router.post(
    "/tipoffs/{tipoff_id}/assign",
    auth=django_auth,
    response={200: TipOffOut, **ERRORS},
    summary="分派承办",
)
def assign(request: HttpRequest, tipoff_id: int, payload: AssignIn, response: HttpResponse):
    private(response)

    def call():
        t = _get(request, tipoff_id)
        enterprise = None
        if payload.enterprise_id:
            enterprise = (
                enterprises_visible_to(request.user).filter(pk=payload.enterprise_id).first()
            )
            if enterprise is None:
                raise Http404
        services.tipoff_assign(
            actor=request.user,
            tipoff=t,
            territory=_unit(payload.territory_id, TERRITORY_KINDS),
            department=_unit(payload.department_id, [UnitKind.DEPARTMENT]),
            enterprise=enterprise,
        )
        return _out(t)

    return _run(call)


def _simple(name: str, service: Callable[..., Any], with_reason: bool):
    if with_reason:

        def endpoint(
            request: HttpRequest, tipoff_id: int, payload: ReasonIn, response: HttpResponse
        ):
            private(response)

            def call():
                t = _get(request, tipoff_id)
                service(actor=request.user, tipoff=t, reason=payload.reason)
                return _out(t)

            return _run(call)
    else:

        def endpoint(request: HttpRequest, tipoff_id: int, response: HttpResponse):
            private(response)

            def call():
                t = _get(request, tipoff_id)
                service(actor=request.user, tipoff=t)
                return _out(t)

            return _run(call)

    endpoint.__name__ = f"tipoff_{name}"
    return endpoint


for _name, _service, _reason, _summary in [
    ("accept", services.tipoff_accept, False, "受理核查"),
    ("close", services.tipoff_close, False, "办结"),
    ("reject", services.tipoff_reject, True, "不予受理"),
    ("send_back", services.tipoff_send_back, True, "退回（不属本单位）"),
    ("extend", services.tipoff_extend, True, "延长办理期限"),
]:
    router.post(
        f"/tipoffs/{{tipoff_id}}/{_name}",
        auth=django_auth,
        response={200: TipOffOut, **ERRORS},
        summary=_summary,
    )(_simple(_name, _service, _reason))


@router.post(
    "/tipoffs/{tipoff_id}/verify",
    auth=django_auth,
    response={200: TipOffOut, **ERRORS},
    summary="登记核查结果",
)
def verify(request: HttpRequest, tipoff_id: int, payload: VerifyIn, response: HttpResponse):
    private(response)

    def call():
        t = _get(request, tipoff_id)
        services.tipoff_verify(actor=request.user, tipoff=t, data=payload.dict())
        return _out(t)

    return _run(call)


@router.post(
    "/tipoffs/{tipoff_id}/messages",
    auth=django_auth,
    response={201: MessageOut, **ERRORS},
    summary="向举报人提问或反馈",
)
def post_message(request: HttpRequest, tipoff_id: int, payload: MessageIn, response: HttpResponse):
    private(response)

    def call():
        t = _get(request, tipoff_id)
        m = services.tipoff_message(
            actor=request.user, tipoff=t, body=payload.body, is_feedback=payload.is_feedback
        )
        return Status(201, {"at": m.created_at, "is_feedback": m.is_feedback, "body": m.body})

    return _run(call)
