"""Pages of measures, proposals, resumptions, subjects and joint actions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hazardledger.org.models import Role
from hazardledger.org.selectors import roles_of, territories_visible_to

from . import experts_link, forms, joint, measures, resumption, selectors, subjects
from .models import Measure, Proposal, Resumption
from .services import proposal_decide
from .views import case_or_404, posted, submit
from .workflow import HANDLERS, OPEN_ROLES, RESUMPTION_WORKFLOW

MEASURE_STEPS = {
    "collective": (measures.measure_record_collective_decision, _("登记集体讨论决定")),
    "approve": (measures.measure_approve, _("批准")),
    "unit": (measures.measure_set_executing_unit, _("确定执行单位")),
    "notice": (measures.measure_serve_notice, _("送达书面通知（催告书）")),
    "execute": (measures.measure_execute, _("执行")),
    "lift": (measures.measure_lift, _("解除")),
}


def _form_page(request, case, form, label, status, condition=""):
    return render(
        request,
        "enforcement/form.html",
        {"case": case, "form": form, "label": label, "condition": condition},
        status=status,
    )


@login_required
def measure_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk)
    if not roles_of(request.user) & HANDLERS:
        raise PermissionDenied
    form = forms.MeasurePlanForm(*posted(request, files=True))
    done, status = submit(
        request,
        form,
        lambda d: measures.measure_plan(
            actor=request.user,
            case=case,
            kind=d["kind"],
            items=d["items"],
            seal_numbers=d["seal_numbers"],
            executing_unit=d["executing_unit"],
            photo=d["photo"],
        ),
    )
    if done is not None:
        return redirect("enforcement:detail", case.pk)
    return _form_page(request, case, form, _("采取强制措施"), status)


@login_required
def measure_step(request: HttpRequest, measure_id: int, step: str) -> HttpResponse:
    if step not in MEASURE_STEPS:
        raise Http404
    measure = _get(selectors.measures_visible_to(request.user), measure_id, Measure)
    service, label = MEASURE_STEPS[step]
    if step != "approve" and not roles_of(request.user) & HANDLERS:
        raise PermissionDenied
    form = forms.measure_form(step, posted(request)[0])
    done, status = submit(
        request,
        form,
        lambda d: service(actor=request.user, measure=measure, **d),
    )
    if done is not None:
        return redirect("enforcement:detail", measure.case_id)
    problems = measures.prerequisite_problems(measure) if step == "execute" else []
    return _form_page(
        request, measure.case, form, f"{measure} · {label}", status, "；".join(problems)
    )


def _get(qs, pk: int, model):
    try:
        return qs.get(pk=pk)
    except model.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def proposal(request: HttpRequest, proposal_id: int) -> HttpResponse:
    item = _get(selectors.proposals_visible_to(request.user), proposal_id, Proposal)
    if not roles_of(request.user) & OPEN_ROLES:
        raise PermissionDenied
    form = forms.ProposalForm(posted(request)[0])
    done, status = submit(
        request,
        form,
        lambda d: proposal_decide(
            actor=request.user,
            proposal=item,
            accept=d["decision"] == "accept",
            reason=d["reason"],
        ),
    )
    if done is not None:
        return redirect("enforcement:detail", item.case_id)
    return _form_page(
        request, item.case, form, _("处理建议：") + item.get_proposed_kind_display(), status
    )


@login_required
def resumption_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk)
    if not roles_of(request.user) & (HANDLERS | {Role.ENTERPRISE_USER}):
        raise PermissionDenied
    form = forms.ResumptionApplyForm(posted(request)[0])
    done, status = submit(
        request,
        form,
        lambda d: resumption.resumption_apply(
            actor=request.user, case=case, evidence=d["evidence"]
        ),
    )
    if done is not None:
        return redirect("enforcement:detail", case.pk)
    return _form_page(request, case, form, _("申请复工验收"), status)


@login_required
def resumption_step(request: HttpRequest, resumption_id: int, action: str) -> HttpResponse:
    if action not in RESUMPTION_WORKFLOW.actions:
        raise Http404
    item = _get(selectors.resumptions_visible_to(request.user), resumption_id, Resumption)
    transition = RESUMPTION_WORKFLOW.find(item.status, action)
    if transition is None:
        return render(
            request,
            "enforcement/refused.html",
            {"case": item.case, "message": _("当前状态下不能执行该操作")},
            status=409,
        )
    if not transition.roles & roles_of(request.user):
        raise PermissionDenied
    experts = None
    if action == "assign_experts":
        suggested = experts_link.suggested(item.case.enterprise)
        from hazardledger.experts.models import Expert

        experts = Expert.objects.filter(pk__in=[e.pk for e in suggested])
    form = forms.resumption_form(action, experts, posted(request)[0])
    done, status = submit(
        request,
        form,
        lambda d: resumption.resumption_perform(
            actor=request.user, resumption=item, action=action, **d
        ),
    )
    if done is not None:
        return redirect("enforcement:detail", item.case_id)
    return _form_page(
        request,
        item.case,
        form,
        RESUMPTION_WORKFLOW.actions[action],
        status,
        transition.condition,
    )


@login_required
def structures(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.structures_visible_to(request.user).order_by("-pk")[:200])
    can_add = bool(roles_of(request.user) & HANDLERS)
    return render(request, "enforcement/structures.html", {"rows": rows, "can_add": can_add})


@login_required
def structure_new(request: HttpRequest) -> HttpResponse:
    if not roles_of(request.user) & HANDLERS:
        raise PermissionDenied
    from hazardledger.org.models import TERRITORY_KINDS, Unit

    territories = (
        Unit.objects.filter(kind__in=TERRITORY_KINDS)
        if roles_of(request.user) & set(selectors.GROUP_ROLES)
        else territories_visible_to(request.user)
    )
    form = forms.StructureForm(posted(request)[0], territories=territories)
    done, status = submit(
        request, form, lambda d: subjects.structure_register(actor=request.user, **d)
    )
    if done is not None:
        return redirect("enforcement:structures")
    return _form_page(request, None, form, _("登记违法建筑"), status)


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.projects_visible_to(request.user).order_by("-pk")[:200])
    can_add = bool(roles_of(request.user) & HANDLERS)
    return render(request, "enforcement/projects.html", {"rows": rows, "can_add": can_add})


@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    if not roles_of(request.user) & HANDLERS:
        raise PermissionDenied
    form = forms.ProjectForm(
        posted(request)[0], enterprises=selectors.enterprises_for_cases(request.user)
    )
    done, status = submit(
        request, form, lambda d: subjects.project_register(actor=request.user, **d)
    )
    if done is not None:
        return redirect("enforcement:projects")
    return _form_page(request, None, form, _("登记建设项目"), status)


@login_required
def joint_actions(request: HttpRequest) -> HttpResponse:
    if not roles_of(request.user) - {Role.ENTERPRISE_USER}:
        raise PermissionDenied
    rows = list(selectors.joint_actions_visible_to(request.user)[:200])
    can_add = bool(roles_of(request.user) & set(joint.JOINT_ROLES))
    return render(request, "enforcement/joint.html", {"rows": rows, "can_add": can_add})


@login_required
def joint_new(request: HttpRequest) -> HttpResponse:
    if not roles_of(request.user) & set(joint.JOINT_ROLES):
        raise PermissionDenied
    form = forms.JointActionForm(posted(request)[0])
    done, status = submit(
        request, form, lambda d: joint.joint_action_record(actor=request.user, **d)
    )
    if done is not None:
        return redirect("enforcement:joint")
    return _form_page(request, None, form, _("登记联合执法行动"), status)
