"""The enforcement lifecycles as tables (DESIGN.md §3.3): one per case type, and resumption.

Guards read the values the service passes in `context`; effects on the enterprise, the
project or the structure are the services' work, not the table's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hazardledger.lib.workflow import Transition, Workflow
from hazardledger.org.models import Role
from hazardledger.policy.services import active_policy

from .models import (
    FINAL_CASE_STATUSES,
    CaseKind,
    CaseStatus,
    ChecklistStep,
    ResumptionStatus,
)

S = CaseStatus
R = ResumptionStatus
HANDLERS = frozenset(
    {Role.ENFORCEMENT_OFFICER, Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER, Role.DISTRICT_ADMIN}
)
GROUP = frozenset({Role.ENFORCEMENT_OFFICER, Role.DISTRICT_ADMIN})
DEPT = frozenset({Role.DEPARTMENT_OFFICER})
LEADER = frozenset({Role.DISTRICT_LEADER})
SECOND = frozenset({Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER})
ADMIN = frozenset({Role.DISTRICT_ADMIN})
EXPERT = frozenset({Role.EXPERT})
APPLICANTS = frozenset({Role.ENTERPRISE_USER}) | HANDLERS
OPEN_ROLES = HANDLERS

ACTIONS = {
    "decide": gettext_lazy("作出决定"),
    "notify": gettext_lazy("送达处罚告知书"),
    "approve_lower": gettext_lazy("同意低于上限处罚"),
    "reject_lower": gettext_lazy("不同意低于上限处罚"),
    "serve": gettext_lazy("送达决定书"),
    "refuse": gettext_lazy("登记拒不执行"),
    "execute": gettext_lazy("执行"),
    "reinspect_pass": gettext_lazy("复查合格"),
    "reinspect_fail": gettext_lazy("复查不合格"),
    "lift": gettext_lazy("解除（恢复生产）"),
    "owner_demolish": gettext_lazy("当事人自行拆除"),
    "force_demolish": gettext_lazy("依法强制拆除"),
    "verify": gettext_lazy("核验"),
    "refer": gettext_lazy("移送"),
    "receipt": gettext_lazy("登记回执"),
    "close": gettext_lazy("结案"),
    "stop": gettext_lazy("停工"),
    "district_decide": gettext_lazy("登记区政府研究决定"),
    "name_helpers": gettext_lazy("明确帮办人员"),
    "resume": gettext_lazy("复工"),
    "withdraw": gettext_lazy("撤销案件"),
}

Guard = Callable[[Any, Mapping[str, Any]], dict[str, str]]


def _text(name: str, message: str) -> Guard:
    def guard(obj: Any, context: Mapping[str, Any]) -> dict[str, str]:
        value = context.get(name)
        return {} if isinstance(value, str) and value.strip() else {name: message}

    return guard


def _all(*guards: Guard) -> Guard:
    def guard(obj: Any, context: Mapping[str, Any]) -> dict[str, str]:
        problems: dict[str, str] = {}
        for g in guards:
            for key, message in g(obj, context).items():
                problems.setdefault(key, message)
        return problems

    return guard


def _checklist(step: str) -> Guard:
    def guard(case: Any, context: Mapping[str, Any]) -> dict[str, str]:
        if case is None or not case.checklists.filter(step=step).exists():
            label = ChecklistStep(step).label
            return {"checklist": _("请先完成“%(step)s”环节的次生事故防范检查") % {"step": label}}
        return {}

    return guard


def _accepted_resumption(case: Any, context: Mapping[str, Any]) -> dict[str, str]:
    if case is None or not case.resumptions.filter(status=R.ACCEPTED).exists():
        return {"__all__": _("未经专家评估和部门验收合格，不能恢复生产")}
    return {}


def _procedures_complete(case: Any, context: Mapping[str, Any]) -> dict[str, str]:
    from hazardledger.enterprises.selectors import missing_procedure_kinds

    if case is None or case.enterprise is None:
        return {}
    missing = missing_procedure_kinds(case.enterprise)
    if missing:
        names = "、".join(k.name for k in missing)
        return {"__all__": _("手续尚未完备（缺：%(names)s），不能复工") % {"names": names}}
    return {}


def _helpers(case: Any, context: Mapping[str, Any]) -> dict[str, str]:
    return {} if context.get("helpers") else {"helpers": _("请至少明确一名镇街或部门帮办人员")}


def penalty_problems(case: Any, context: Mapping[str, Any]) -> dict[str, str]:
    """一律按上限处罚: amount within the cited article; below the limit needs reason + approver."""
    articles = active_policy().enforcement.penalty_articles
    article = articles.get(str(context.get("article") or ""))
    if article is None:
        return {"article": _("请选择处罚依据条款")}
    amount = context.get("amount_yuan")
    if not isinstance(amount, int) or isinstance(amount, bool):
        return {"amount_yuan": _("请填写罚款金额（元，整数）")}
    if not article.min_yuan <= amount <= article.max_yuan:
        return {
            "amount_yuan": _("罚款金额应在 %(lo)s 至 %(hi)s 元之间")
            % {"lo": article.min_yuan, "hi": article.max_yuan}
        }
    problems: dict[str, str] = {}
    if amount < article.max_yuan:
        if not str(context.get("lower_reason") or "").strip():
            problems["lower_reason"] = _("低于法定上限处罚须书面说明理由")
        approver = context.get("second_approver")
        actor = context.get("actor")
        if approver is None:
            problems["second_approver"] = _("低于法定上限处罚须指定第二审批人")
        elif actor is not None and approver.pk == actor.pk:
            problems["second_approver"] = _("第二审批人不能是决定人本人")
        elif not (set(approver.role_grants.values_list("role", flat=True)) & SECOND):
            problems["second_approver"] = _("第二审批人须为区安委办管理员或区领导")
    return problems


def _penalty_target(case: Any, context: Mapping[str, Any]) -> str:
    article = active_policy().enforcement.penalty_articles[str(context["article"])]
    return S.DECIDED if context["amount_yuan"] >= article.max_yuan else S.PENDING_APPROVAL


def _named_second_approver(case: Any, context: Mapping[str, Any]) -> dict[str, str]:
    actor = context.get("actor")
    if case is None or actor is None or case.second_approver_id != actor.pk:
        return {"__all__": _("只有指定的第二审批人可以审批")}
    return {}


LEGAL_BASIS = _text("legal_basis", gettext_lazy("请填写法律依据"))
SERVICE = _all(
    _text("served_to", gettext_lazy("请填写受送达人")),
    _text("served_how", gettext_lazy("请填写送达方式")),
)
NOTE = _text("note", gettext_lazy("请填写情况说明"))
REASON = _text("reason", gettext_lazy("请填写理由"))


def _t(source, action, target, roles, guard=None, condition="", **kw) -> Transition:
    return Transition(
        source=source,
        action=action,
        target=target,
        roles=roles,
        guard=guard,
        condition=str(condition),
        **kw,
    )


def _decision_path(execute_target: str, execute_guard: Guard | None = None) -> list[Transition]:
    return [
        _t(S.OPENED, "decide", S.DECIDED, HANDLERS, LEGAL_BASIS, gettext_lazy("须填写法律依据")),
        _t(S.DECIDED, "serve", S.SERVED, HANDLERS, SERVICE, gettext_lazy("记录送达方式和对象")),
        _t(S.SERVED, "refuse", S.REFUSED, HANDLERS, NOTE, gettext_lazy("当事人拒不执行")),
        _t(S.SERVED, "execute", execute_target, HANDLERS, execute_guard),
        _t(S.REFUSED, "execute", execute_target, HANDLERS, execute_guard),
    ]


def _withdrawals(states: list[str]) -> list[Transition]:
    return [
        _t(s, "withdraw", S.WITHDRAWN, ADMIN, REASON, gettext_lazy("须填写理由"))
        for s in states
        if s not in FINAL_CASE_STATUSES
    ]


def _workflow(kind: str, transitions: list[Transition]) -> Workflow:
    states = {t.source for t in transitions} | {
        s for t in transitions for s in t.possible_targets()
    }
    transitions = transitions + _withdrawals(sorted(states))
    states.add(S.WITHDRAWN)
    labels = {s: label for s, label in CaseStatus.choices if s in states}
    return Workflow(name=f"case-{kind}", states=labels, actions=ACTIONS, transitions=transitions)


LIFT = _t(
    S.EXECUTED,
    "lift",
    S.LIFTED,
    DEPT,
    _accepted_resumption,
    gettext_lazy("须专家评估且部门验收合格"),
)

WORKFLOWS: dict[str, Workflow] = {
    CaseKind.STOP_WORK: _workflow(CaseKind.STOP_WORK, [*_decision_path(S.EXECUTED), LIFT]),
    CaseKind.SUSPENSION: _workflow(
        CaseKind.SUSPENSION,
        [
            *_decision_path(S.EXECUTED),
            _t(S.EXECUTED, "reinspect_pass", S.RECTIFIED, HANDLERS, NOTE),
            _t(S.EXECUTED, "reinspect_fail", S.REINSPECTION_FAILED, HANDLERS, NOTE),
            _t(S.REINSPECTION_FAILED, "reinspect_pass", S.RECTIFIED, HANDLERS, NOTE),
            _t(
                S.RECTIFIED,
                "lift",
                S.LIFTED,
                DEPT,
                _accepted_resumption,
                gettext_lazy("须专家评估且部门验收合格"),
            ),
        ],
    ),
    CaseKind.CLOSURE: _workflow(
        CaseKind.CLOSURE,
        _decision_path(S.CLOSED_DOWN, _checklist(ChecklistStep.CLOSURE)),
    ),
    CaseKind.DEMOLITION: _workflow(
        CaseKind.DEMOLITION,
        [
            *_decision_path(S.DEMOLISHED, _checklist(ChecklistStep.DEMOLITION))[:3],
            _t(S.SERVED, "owner_demolish", S.DEMOLISHED, HANDLERS, NOTE),
            _t(
                S.SERVED,
                "force_demolish",
                S.DEMOLISHED,
                HANDLERS,
                _checklist(ChecklistStep.DEMOLITION),
                gettext_lazy("须先完成次生事故防范检查"),
            ),
            _t(
                S.REFUSED,
                "force_demolish",
                S.DEMOLISHED,
                HANDLERS,
                _checklist(ChecklistStep.DEMOLITION),
                gettext_lazy("须先完成次生事故防范检查"),
            ),
            _t(S.DEMOLISHED, "verify", S.VERIFIED, HANDLERS, NOTE),
        ],
    ),
    CaseKind.PENALTY: _workflow(
        CaseKind.PENALTY,
        [
            _t(S.OPENED, "notify", S.NOTIFIED, HANDLERS, SERVICE),
            _t(
                S.NOTIFIED,
                "decide",
                None,
                HANDLERS,
                penalty_problems,
                gettext_lazy("默认按上限；低于上限须书面理由和第二审批人"),
                resolve=_penalty_target,
                targets=(S.DECIDED, S.PENDING_APPROVAL),
            ),
            _t(S.PENDING_APPROVAL, "approve_lower", S.DECIDED, SECOND, _named_second_approver),
            _t(
                S.PENDING_APPROVAL,
                "reject_lower",
                S.NOTIFIED,
                SECOND,
                _all(_named_second_approver, REASON),
            ),
            _t(S.DECIDED, "serve", S.SERVED, HANDLERS, SERVICE),
            _t(S.SERVED, "close", S.CLOSED, HANDLERS, NOTE, gettext_lazy("罚款缴纳或依法处理")),
        ],
    ),
    CaseKind.REFERRAL: _workflow(
        CaseKind.REFERRAL,
        [
            _t(
                S.OPENED,
                "refer",
                S.REFERRED,
                HANDLERS,
                _text("referred_to", gettext_lazy("请填写移送机关")),
            ),
            _t(
                S.REFERRED,
                "receipt",
                S.RECEIPTED,
                HANDLERS,
                _text("receipt_number", gettext_lazy("请填写回执编号")),
            ),
            _t(S.RECEIPTED, "close", S.CLOSED, HANDLERS, NOTE),
        ],
    ),
    CaseKind.KEY_PROJECT: _workflow(
        CaseKind.KEY_PROJECT,
        [
            _t(S.OPENED, "stop", S.STOPPED, HANDLERS, LEGAL_BASIS, gettext_lazy("先停工整顿")),
            _t(
                S.STOPPED,
                "district_decide",
                S.DISTRICT_DECIDED,
                LEADER,
                _text("decision", gettext_lazy("请填写区政府研究决定")),
                gettext_lazy("区政府逐个研究"),
            ),
            _t(S.DISTRICT_DECIDED, "name_helpers", S.COMPLETING, GROUP, _helpers),
            _t(
                S.COMPLETING,
                "resume",
                S.RESUMED,
                HANDLERS,
                _all(_procedures_complete, _checklist(ChecklistStep.RESUMPTION)),
                gettext_lazy("手续完备且完成次生事故防范检查后复工"),
            ),
        ],
    ),
}


def workflow_for(kind: str) -> Workflow:
    return WORKFLOWS[kind]


# ---- resumption acceptance (复工验收) ---------------------------------------------------------

RESUMPTION_ACTIONS = {
    "assign_experts": gettext_lazy("指派专家"),
    "evaluate_pass": gettext_lazy("专家评估通过"),
    "evaluate_fail": gettext_lazy("专家评估不通过"),
    "accept": gettext_lazy("部门验收合格"),
    "reject": gettext_lazy("部门验收不合格"),
    "withdraw": gettext_lazy("撤回申请"),
}


def _experts_given(obj: Any, context: Mapping[str, Any]) -> dict[str, str]:
    return {} if context.get("experts") else {"experts": _("请至少指派一名专家")}


def _is_assigned_expert(obj: Any, context: Mapping[str, Any]) -> dict[str, str]:
    from .experts_link import is_assigned

    actor = context.get("actor")
    if actor is None or obj is None or not is_assigned(actor, obj):
        return {"__all__": _("只有被指派的专家可以评估")}
    return {}


def _evaluation_target(obj: Any, context: Mapping[str, Any]) -> str:
    if active_policy().enforcement.resumption_requires_department_acceptance:
        return R.EVALUATED
    return R.ACCEPTED


def _expert_evaluation_optional(obj: Any, context: Mapping[str, Any]) -> dict[str, str]:
    if active_policy().enforcement.resumption_requires_expert_evaluation:
        return {"__all__": _("复工须先经专家评估，未评估不能验收")}
    return {}


REPORT = _text("report", gettext_lazy("请填写专家评估意见"))
OPINION = _text("opinion", gettext_lazy("请填写验收意见"))


def _on_case(guard: Guard) -> Guard:
    """Run a case guard (the checklist) against the resumption's case."""

    def wrapped(obj: Any, context: Mapping[str, Any]) -> dict[str, str]:
        return guard(getattr(obj, "case", None), context)

    return wrapped


RESUMPTION_TRANSITIONS = [
    _t(R.APPLIED, "assign_experts", R.EXPERTS_ASSIGNED, GROUP | DEPT, _experts_given),
    _t(
        R.EXPERTS_ASSIGNED,
        "evaluate_pass",
        None,
        EXPERT,
        _all(_is_assigned_expert, REPORT),
        resolve=_evaluation_target,
        targets=(R.EVALUATED, R.ACCEPTED),
    ),
    _t(R.EXPERTS_ASSIGNED, "evaluate_fail", R.APPLIED, EXPERT, _all(_is_assigned_expert, REPORT)),
    _t(
        R.EVALUATED,
        "accept",
        R.ACCEPTED,
        DEPT,
        _all(OPINION, _on_case(_checklist(ChecklistStep.RESUMPTION))),
        gettext_lazy("须完成复工环节次生事故防范检查"),
    ),
    _t(
        R.APPLIED,
        "accept",
        R.ACCEPTED,
        DEPT,
        _all(
            _expert_evaluation_optional,
            OPINION,
            _on_case(_checklist(ChecklistStep.RESUMPTION)),
        ),
        gettext_lazy("仅当政策不要求专家评估时"),
    ),
    _t(R.EVALUATED, "reject", R.APPLIED, DEPT, OPINION),
    _t(R.APPLIED, "withdraw", R.WITHDRAWN, APPLICANTS, REASON),
]

RESUMPTION_WORKFLOW = Workflow(
    name="resumption",
    states=dict(ResumptionStatus.choices),
    actions=RESUMPTION_ACTIONS,
    transitions=RESUMPTION_TRANSITIONS,
)
