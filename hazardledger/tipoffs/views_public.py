"""Public pages: publicity, the web form, and following a case by receipt code.

No login and no script from elsewhere; the receipt code travels only in POST bodies, and the
pages that follow a lookup carry a short-lived signed token instead of the code.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hazardledger.lib.workflow import WorkflowError
from hazardledger.policy.services import active_policy

from . import receipt, rules, services, throttle
from .headers import no_store
from .models import Author, Kind, Reward, RewardStatus, TipOff


def _public(request: HttpRequest, template: str, context: dict, status: int = 200):
    data = active_policy()
    base = {"hotline": data.hotline, "promise": data.tipoffs.confidentiality_promise}
    return render(request, f"tipoffs/public/{template}", {**base, **context}, status=status)


@no_store
def info(request: HttpRequest) -> HttpResponse:
    data = active_policy()
    return _public(
        request,
        "info.html",
        {
            "reportable": data.tipoffs.reportable or list(data.rewards.natures.values()),
            "reward_lines": rules.describe_scheme(data.rewards),
            "claim_days": data.rewards.claim_window_days,
            "lapse_days": data.tipoffs.reporter_access_lapse_days,
        },
    )


def _submit_form(request: HttpRequest, errors: dict | None = None, status: int = 200):
    return _public(
        request,
        "submit.html",
        {"kinds": Kind.choices, "errors": errors or {}, "values": request.POST},
        status=status,
    )


@no_store
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _submit_form(request)
    try:
        throttle.count_submission(throttle.client_key(request), active_policy().tipoffs.throttling)
    except throttle.Throttled as exc:
        return _public(request, "throttled.html", {"message": exc.message}, status=429)
    try:
        # An unticked checkbox sends nothing: here a missing box means "not anonymous".
        data = {**request.POST.dict(), "is_anonymous": "is_anonymous" in request.POST}
        done = services.tipoff_submit(actor=None, data=data, uploads=request.FILES.getlist("files"))
    except WorkflowError as exc:
        return _submit_form(request, exc.fields or {"__all__": exc.messages[0]}, status=422)
    return _public(
        request,
        "submitted.html",
        {"number": done.tipoff.number, "code": receipt.grouped(done.receipt_code)},
    )


def _status_page(request: HttpRequest, tipoff: TipOff, note: str = "", status: int = 200):
    reward = Reward.objects.filter(tipoff=tipoff).first()
    closes = None
    if reward and reward.status == RewardStatus.APPROVED and reward.decided_at:
        closes = rules.claim_closes(reward.decided_at, active_policy().rewards)
    return _public(
        request,
        "status.html",
        {
            "tipoff": tipoff,
            "token": services.token_for(tipoff),
            "staff_messages": tipoff.messages.filter(author=Author.STAFF),
            "replies": tipoff.messages.filter(author=Author.REPORTER).count(),
            "reward": reward,
            "claim_closes": closes,
            "note": note,
        },
        status=status,
    )


@no_store
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _public(request, "lookup.html", {})
    try:
        tipoff = services.tipoff_lookup(
            code=request.POST.get("receipt_code", ""), client=throttle.client_key(request)
        )
    except throttle.Throttled as exc:
        return _public(request, "throttled.html", {"message": exc.message}, status=429)
    except services.CodeRefused as exc:
        return _public(request, "lookup.html", {"error": exc.message}, status=422)
    return _status_page(request, tipoff)


def _from_token(request: HttpRequest) -> TipOff | None:
    return services.tipoff_from_token(request.POST.get("token", ""))


@no_store
@require_POST
def reply(request: HttpRequest) -> HttpResponse:
    tipoff = _from_token(request)
    if tipoff is None:
        return _public(request, "lookup.html", {"error": _("页面已过期，请重新输入查询码")}, 422)
    try:
        services.reporter_reply(
            tipoff=tipoff, body=request.POST.get("body", ""), uploads=request.FILES.getlist("files")
        )
    except WorkflowError as exc:
        return _status_page(request, tipoff, note=exc.messages[0], status=422)
    return _status_page(request, tipoff, note=_("已收到您的补充，承办人员会尽快查看。"))


@no_store
@require_POST
def claim(request: HttpRequest) -> HttpResponse:
    tipoff = _from_token(request)
    if tipoff is None:
        return _public(request, "lookup.html", {"error": _("页面已过期，请重新输入查询码")}, 422)
    try:
        services.reward_claim(tipoff=tipoff)
    except WorkflowError as exc:
        return _status_page(request, tipoff, note=exc.messages[0], status=422)
    return _status_page(request, tipoff, note=_("申领已登记。请凭查询码到区安委办现场领取奖励。"))
