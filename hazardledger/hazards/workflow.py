"""The hazard lifecycle as a transition table (DESIGN.md §3.3, §5; domain-rules §5.2).

Guards are pure: they read the card and a context that the service prepares
(`rules`: the policy's HazardRules, `today`, `now`, `actor`, `data`: the submitted values, and
facts looked up beforehand such as `pending_extension` or `evidence_count`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hazardledger.lib.workflow import Transition, Workflow
from hazardledger.org.models import Role

from . import hooks, rules
from .models import OPEN_STATUSES, HazardStatus

S = HazardStatus
OFFICERS = frozenset({Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER})
ENTERPRISE = frozenset({Role.ENTERPRISE_USER})
ADMIN = frozenset({Role.DISTRICT_ADMIN})
EXPERT = frozenset({Role.EXPERT})
# Who may register a card (not a transition: a card has no state before it exists).
REGISTER_ROLES = OFFICERS | ENTERPRISE

ACTIONS = {
    "confirm": gettext_lazy("确认定级"),
    "transfer": gettext_lazy("抄告移送"),
    "save_plan": gettext_lazy("保存整改方案"),
    "submit_plan": gettext_lazy("落实五落实并开始整改"),
    "rectify_immediately": gettext_lazy("立即整改完毕"),
    "report_progress": gettext_lazy("报告整改进展"),
    "request_extension": gettext_lazy("申请延期"),
    "approve_extension": gettext_lazy("批准延期"),
    "reject_extension": gettext_lazy("不批准延期"),
    "mark_rectified": gettext_lazy("整改完成"),
    "apply_acceptance": gettext_lazy("申请验收"),
    "assign_expert": gettext_lazy("指派评估专家"),
    "evaluation_pass": gettext_lazy("专家评估通过"),
    "evaluation_fail": gettext_lazy("专家评估不通过"),
    "accept": gettext_lazy("验收合格并销号"),
    "reject": gettext_lazy("验收不合格"),
    "void": gettext_lazy("作废"),
    "reopen": gettext_lazy("重新打开"),
    "list_supervised": gettext_lazy("挂牌督办"),
    "delist_supervised": gettext_lazy("解除挂牌督办"),
    "suspend_production": gettext_lazy("责令停产停业"),
    "resume_production": gettext_lazy("恢复生产"),
}


def _text(context: Mapping[str, Any], name: str) -> str:
    return str(context.get("data", {}).get(name) or "").strip()


def _required(name: str, message: str):
    def guard(hazard: Any, context: Mapping[str, Any]) -> dict[str, str]:
        return {} if _text(context, name) else {name: message}

    return guard


def _all(*guards):
    def guard(hazard: Any, context: Mapping[str, Any]) -> dict[str, str]:
        problems: dict[str, str] = {}
        for g in guards:
            for key, value in g(hazard, context).items():
                problems.setdefault(key, value)
        return problems

    return guard


def _confirm(hazard: Any, context: Mapping[str, Any]) -> dict[str, str]:
    data = {
        name: context["data"].get(name, getattr(hazard, name))
        for name in ("level", "criteria_standard", "criteria_article", "harm_analysis")
    }
    return rules.major_problems(context["rules"], data["level"], data)


def _transfer(hazard: Any, context: Mapping[str, Any]) -> dict[str, str]:
    department = context["data"].get("department")
    if department is None:
        return {"department": _("请选择接收抄告的主管部门")}
    if department.pk == hazard.department_id:
        return {"department": _("接收部门与本隐患的主管部门相同，无需抄告")}
    return {}


def _plan_complete(hazard: Any, context: Mapping[str, Any]) -> dict[str, str]:
    problems = rules.plan_problems(
        context["rules"], hazard.level, context["plan"], context["today"]
    )
    return {"__all__": "；".join(problems)} if problems else {}


def _evidence(hazard: Any, context: Mapping[str, Any]) -> dict[str, str]:
    problems = {}
    if context.get("evidence_count", 0) < 1:
        problems["photos"] = _("请上传至少一张整改后照片作为整改证据")
    if not _text(context, "note"):
        problems["note"] = _("请填写整改情况说明")
    return problems


def _immediate(hazard: Any, context: Mapping[str, Any]) -> dict[str, str]:
    if not rules.can_rectify_immediately(context["rules"], hazard.level):
        return {"__all__": _("按现行政策，该级别隐患不能立即整改，须制定整改方案")}
    return _evidence(hazard, context)


def _extension_request(hazard: Any, context: Mapping[str, Any]) -> dict[str, str]:
    if context.get("pending_extension"):
        return {"__all__": _("已有一项延期申请待审批")}
    problems = rules.extension_problems(
        context["rules"], hazard.deadline, context["data"].get("new_deadline"), context["today"]
    )
    return (
        _all(
            _required("reason", _("请填写延期理由")),
            _required("interim_controls", _("请填写延期期间的临时管控措施")),
        )(hazard, context)
        | problems
    )


def _extension_pending(hazard: Any, context: Mapping[str, Any]) -> dict[str, str]:
    return {} if context.get("pending_extension") else {"__all__": _("没有待审批的延期申请")}


def _assign_expert(hazard: Any, context: Mapping[str, Any]) -> dict[str, str]:
    return {} if context.get("expert_ok") else {"expert": _("请选择专家库中的专家")}


def _assigned_expert(hazard: Any, context: Mapping[str, Any]) -> dict[str, str]:
    actor = context.get("actor")
    if actor is None or hazard.expert_id != actor.pk:
        return {"__all__": _("只有被指派的评估专家可以出具评估意见")}
    return {}


def _closing(hazard: Any, context: Mapping[str, Any]) -> dict[str, str]:
    problems = rules.closing_problems(
        context["rules"], hazard.level, evaluated=hazard.evaluated_at is not None
    )
    return {"__all__": problems[0]} if problems else {}


def _reopen(hazard: Any, context: Mapping[str, Any]) -> dict[str, str]:
    problems = _required("reason", _("请填写重新打开的理由"))(hazard, context)
    deadline = context["data"].get("deadline")
    if deadline is None:
        problems["deadline"] = _("请填写新的整改时限")
    elif deadline < context["today"]:
        problems["deadline"] = _("整改时限不能早于今天")
    return problems


def _not_supervised(hazard: Any, context: Mapping[str, Any]) -> dict[str, str]:
    if hazard.is_supervised:
        return {"__all__": _("该隐患已挂牌督办")}
    return _all(
        _required("supervision_level", _("请选择督办级别")),
        _required("supervision_doc_no", _("请填写督办文号")),
    )(hazard, context)


def _supervised(hazard: Any, context: Mapping[str, Any]) -> dict[str, str]:
    if not hazard.is_supervised:
        return {"__all__": _("该隐患未挂牌督办")}
    return _required("reason", _("请填写解除督办的理由"))(hazard, context)


def _not_suspended(hazard: Any, context: Mapping[str, Any]) -> dict[str, str]:
    if hazard.production_suspended:
        return {"__all__": _("该企业已因本隐患停产停业")}
    return _required("reason", _("请填写停产停业的理由和依据"))(hazard, context)


def _suspended(hazard: Any, context: Mapping[str, Any]) -> dict[str, str]:
    if not hazard.production_suspended:
        return {"__all__": _("该企业未因本隐患停产停业")}
    problem = hooks.resume_problem(hazard)
    if problem:
        return {"__all__": problem}
    return _required("reason", _("请填写恢复生产的依据"))(hazard, context)


def _after_application(hazard: Any, context: Mapping[str, Any]) -> str:
    return rules.next_after_application(context["rules"], hazard.level)


def _after_evaluation(hazard: Any, context: Mapping[str, Any]) -> str:
    return rules.next_after_evaluation(context["rules"], hazard.level)


def _t(source, action, target, roles, guard=None, condition="", **kw) -> Transition:
    return Transition(source, action, target, roles, guard=guard, condition=condition, **kw)


OPINION = _required("opinion", gettext_lazy("请填写意见"))
AFTER_CONFIRMED = [s for s in OPEN_STATUSES if s != S.REGISTERED]

TRANSITIONS = [
    _t(
        S.REGISTERED,
        "confirm",
        S.CONFIRMED,
        OFFICERS,
        _confirm,
        gettext_lazy("重大隐患须有判定标准（标准、条款）和危害程度分析"),
    ),
    _t(
        S.REGISTERED,
        "transfer",
        S.TRANSFERRED,
        OFFICERS,
        _transfer,
        gettext_lazy("接收部门不同于本部门；对方生成新卡片，两卡互相关联"),
    ),
    _t(S.REGISTERED, "save_plan", S.REGISTERED, ENTERPRISE),
    _t(S.CONFIRMED, "save_plan", S.CONFIRMED, ENTERPRISE),
    _t(
        S.CONFIRMED,
        "submit_plan",
        S.RECTIFYING,
        ENTERPRISE,
        _plan_complete,
        gettext_lazy("五落实齐全（重大隐患另需目标任务、机构人员、物资），时限不早于今天"),
    ),
    _t(
        S.CONFIRMED,
        "rectify_immediately",
        S.RECTIFIED,
        ENTERPRISE | OFFICERS,
        _immediate,
        gettext_lazy("政策允许立即整改的级别；整改说明和整改后照片"),
    ),
    _t(
        S.RECTIFYING,
        "report_progress",
        S.RECTIFYING,
        ENTERPRISE,
        _required("text", gettext_lazy("请填写整改进展")),
        gettext_lazy("进展说明"),
    ),
    _t(
        S.RECTIFYING,
        "request_extension",
        S.RECTIFYING,
        ENTERPRISE,
        _extension_request,
        gettext_lazy("理由、临时管控措施、新时限；须在到期前按政策天数提出"),
    ),
    _t(
        S.RECTIFYING,
        "approve_extension",
        S.RECTIFYING,
        OFFICERS,
        _extension_pending,
        gettext_lazy("有待审批的延期申请；整改时限改为申请的新时限"),
    ),
    _t(
        S.RECTIFYING,
        "reject_extension",
        S.RECTIFYING,
        OFFICERS,
        _all(_extension_pending, OPINION),
        gettext_lazy("有待审批的延期申请；须填写意见"),
    ),
    _t(
        S.RECTIFYING,
        "mark_rectified",
        S.RECTIFIED,
        ENTERPRISE,
        _evidence,
        gettext_lazy("整改说明和整改后照片（证据）"),
    ),
    _t(
        S.RECTIFIED,
        "apply_acceptance",
        None,
        ENTERPRISE,
        resolve=_after_application,
        targets=(S.EVALUATING, S.ACCEPTANCE_PENDING, S.CLOSED),
        condition=gettext_lazy("下一步按政策：需专家评估的级别先评估，需部门验收的级别待验收"),
    ),
    _t(
        S.EVALUATING,
        "assign_expert",
        S.EVALUATING,
        OFFICERS,
        _assign_expert,
        gettext_lazy("专家库中的专家"),
    ),
    _t(
        S.EVALUATING,
        "evaluation_pass",
        None,
        EXPERT,
        _all(_assigned_expert, OPINION),
        resolve=_after_evaluation,
        targets=(S.ACCEPTANCE_PENDING, S.CLOSED),
        condition=gettext_lazy("被指派的专家；评估意见（可附报告）"),
    ),
    _t(
        S.EVALUATING,
        "evaluation_fail",
        S.RECTIFYING,
        EXPERT,
        _all(_assigned_expert, OPINION),
        gettext_lazy("被指派的专家；须填写意见，退回整改"),
    ),
    _t(
        S.ACCEPTANCE_PENDING,
        "accept",
        S.CLOSED,
        OFFICERS,
        _closing,
        gettext_lazy("政策要求的步骤（如专家评估）均已完成"),
    ),
    _t(
        S.ACCEPTANCE_PENDING,
        "reject",
        S.RECTIFYING,
        OFFICERS,
        OPINION,
        gettext_lazy("须填写意见，退回整改"),
    ),
    *[
        _t(
            s,
            "void",
            S.VOIDED,
            ADMIN,
            _required("reason", gettext_lazy("请填写作废原因")),
            gettext_lazy("须填写原因；卡片保留，不删除"),
        )
        for s in OPEN_STATUSES
    ],
    _t(S.CLOSED, "reopen", S.RECTIFYING, ADMIN, _reopen, gettext_lazy("须填写理由和新的整改时限")),
    *[
        _t(
            s,
            "list_supervised",
            s,
            ADMIN,
            _not_supervised,
            gettext_lazy("督办级别和文号；叠加标记，不改变状态"),
        )
        for s in AFTER_CONFIRMED
    ],
    *[
        _t(s, "delist_supervised", s, ADMIN, _supervised, gettext_lazy("已挂牌；须填写理由"))
        for s in AFTER_CONFIRMED
    ],
    *[
        _t(
            s,
            "suspend_production",
            s,
            OFFICERS,
            _not_suspended,
            gettext_lazy("须填写理由和依据；叠加标记"),
        )
        for s in OPEN_STATUSES
    ],
    *[
        _t(s, "resume_production", s, OFFICERS, _suspended, gettext_lazy("已停产；须填写依据"))
        for s in OPEN_STATUSES
    ],
]

HAZARD_WORKFLOW = Workflow(
    name="hazard",
    states=dict(HazardStatus.choices),
    actions=ACTIONS,
    transitions=TRANSITIONS,
)
