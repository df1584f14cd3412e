"""The blacklist entry's lifecycle as a transition table (DESIGN.md §3.3; domain-rules §1.5).

Guards are pure: they read the entry and a context the service prepares (`today`, `actor`,
`data`: the submitted values, `policy`: the Blacklist section of the active policy).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hazardledger.lib.workflow import Transition, Workflow
from hazardledger.org.models import Role

from .models import EntryStatus

S = EntryStatus
# The daily expiry job acts as the system, not as a person.
SYSTEM = "system"
PROPOSERS = frozenset({Role.DISTRICT_ADMIN, Role.DEPARTMENT_OFFICER, Role.TERRITORY_OFFICER})
LEADER = frozenset({Role.DISTRICT_LEADER})
ADMIN = frozenset({Role.DISTRICT_ADMIN})
ENTERPRISE_OR_ADMIN = frozenset({Role.ENTERPRISE_USER, Role.DISTRICT_ADMIN})
REVIEWERS = frozenset({Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER})

ACTIONS = {
    "notify": gettext_lazy("告知企业"),
    "withdraw": gettext_lazy("撤回拟列入"),
    "object": gettext_lazy("提出异议（陈述申辩）"),
    "approve": gettext_lazy("批准列入"),
    "publish": gettext_lazy("公示"),
    "correct": gettext_lazy("异议成立，更正"),
    "dismiss": gettext_lazy("异议不成立，维持"),
    "revoke": gettext_lazy("撤销列入"),
    "apply_repair": gettext_lazy("申请信用修复"),
    "review_repair": gettext_lazy("修复初审通过"),
    "approve_repair": gettext_lazy("批准修复并移出"),
    "reject_repair": gettext_lazy("不予修复"),
    "expire": gettext_lazy("期满移出"),
}


def _text(context: Mapping[str, Any], name: str) -> str:
    return str(context.get("data", {}).get(name) or "").strip()


def _required(*pairs: tuple[str, str]):
    def guard(entry: Any, context: Mapping[str, Any]) -> dict[str, str]:
        return {name: message for name, message in pairs if not _text(context, name)}

    return guard


def _actor_pk(context: Mapping[str, Any]) -> Any:
    actor = context.get("actor")
    return getattr(actor, "pk", None)


def _notify(entry: Any, context: Mapping[str, Any]) -> dict[str, str]:
    return _required(("channel", _("请选择告知方式")))(entry, context)


def _withdraw(entry: Any, context: Mapping[str, Any]) -> dict[str, str]:
    return _required(("note", _("请填写撤回理由")))(entry, context)


def _object(entry: Any, context: Mapping[str, Any]) -> dict[str, str]:
    problems = _required(("text", _("请填写异议内容和理由")))(entry, context)
    if entry.status == S.NOTIFIED and context["today"] > entry.objection_deadline:
        problems["__all__"] = _("陈述申辩期已于 %(day)s 结束") % {"day": entry.objection_deadline}
    return problems


def _approve(entry: Any, context: Mapping[str, Any]) -> dict[str, str]:
    problems = _required(("decision_no", _("请填写列入决定文号")))(entry, context)
    if _actor_pk(context) == entry.proposed_by_id:
        problems["__all__"] = _("提出人不能批准自己提出的列入，须由另一位区领导批准")
    elif context["today"] <= entry.objection_deadline:
        problems["__all__"] = _("陈述申辩期至 %(day)s 止，期满后方可批准列入") % {
            "day": entry.objection_deadline
        }
    return problems


def _resolve_objection(entry: Any, context: Mapping[str, Any]) -> dict[str, str]:
    return _required(("note", _("请填写异议处理意见")))(entry, context)


def _back(entry: Any, context: Mapping[str, Any]) -> str:
    return entry.objection_from or S.NOTIFIED


def _revoke(entry: Any, context: Mapping[str, Any]) -> dict[str, str]:
    problems = _required(("note", _("请填写撤销理由")))(entry, context)
    if _actor_pk(context) in (entry.proposed_by_id, entry.approved_by_id):
        problems["__all__"] = _("撤销须由提出人和批准人以外的另一位区领导决定")
    return problems


def _apply_repair(entry: Any, context: Mapping[str, Any]) -> dict[str, str]:
    problems = _required(
        ("reason", _("请填写修复申请理由（已纠正失信行为、履行义务的情况）")),
        ("evidence", _("请列明证明材料")),
    )(entry, context)
    if entry.earliest_repair_on is None or context["today"] < entry.earliest_repair_on:
        problems["__all__"] = _("列入满规定期限后方可申请信用修复（最早 %(day)s）") % {
            "day": entry.earliest_repair_on
        }
    return problems


def _review_repair(entry: Any, context: Mapping[str, Any]) -> dict[str, str]:
    problems = _required(("note", _("请填写初审意见")))(entry, context)
    if entry.repair_reviewed_by_id is not None:
        problems["__all__"] = _("该修复申请已通过初审，待区领导批准")
    return problems


def _approve_repair(entry: Any, context: Mapping[str, Any]) -> dict[str, str]:
    problems = _required(("note", _("请填写批准意见")))(entry, context)
    if entry.repair_reviewed_by_id is None:
        problems["__all__"] = _("修复申请须先经区安委办初审")
    elif _actor_pk(context) == entry.repair_reviewed_by_id:
        problems["__all__"] = _("初审人不能再批准，移出须由第二人批准")
    return problems


def _reject_repair(entry: Any, context: Mapping[str, Any]) -> dict[str, str]:
    return _required(("note", _("请填写不予修复的理由")))(entry, context)


def _expire(entry: Any, context: Mapping[str, Any]) -> dict[str, str]:
    if entry.expires_on is None or context["today"] <= entry.expires_on:
        return {"__all__": _("列入期限尚未届满")}
    return {}


LISTED = (S.APPROVED, S.PUBLISHED, S.REPAIRING, S.OBJECTION)
T = Transition
TRANSITIONS = [
    T(S.PROPOSED, "notify", S.NOTIFIED, PROPOSERS, _notify,
      condition=gettext_lazy("登记告知方式；陈述申辩期按政策参数起算")),
    T(S.PROPOSED, "withdraw", S.REMOVED, PROPOSERS, _withdraw),
    T(S.NOTIFIED, "withdraw", S.REMOVED, PROPOSERS, _withdraw),
    T(S.NOTIFIED, "object", S.OBJECTION, ENTERPRISE_OR_ADMIN, _object,
      condition=gettext_lazy("在陈述申辩期内")),
    T(S.NOTIFIED, "approve", S.APPROVED, LEADER, _approve,
      condition=gettext_lazy("陈述申辩期已过；批准人不是提出人；填写决定文号")),
    T(S.APPROVED, "publish", S.PUBLISHED, ADMIN),
    T(S.APPROVED, "revoke", S.REMOVED, LEADER, _revoke,
      condition=gettext_lazy("由提出人、批准人以外的区领导决定")),
    T(S.PUBLISHED, "object", S.OBJECTION, ENTERPRISE_OR_ADMIN, _object,
      condition=gettext_lazy("异议处理期间不公示")),
    T(S.OBJECTION, "correct", None, REVIEWERS, _resolve_objection, resolve=_back,
      targets=(S.NOTIFIED, S.PUBLISHED), condition=gettext_lazy("更正事由或措施，回到异议前状态")),
    T(S.OBJECTION, "dismiss", None, REVIEWERS, _resolve_objection, resolve=_back,
      targets=(S.NOTIFIED, S.PUBLISHED), condition=gettext_lazy("回到异议前状态")),
    T(S.OBJECTION, "revoke", S.REMOVED, LEADER, _revoke,
      condition=gettext_lazy("异议成立，由提出人、批准人以外的区领导决定")),
    T(S.PUBLISHED, "revoke", S.REMOVED, LEADER, _revoke,
      condition=gettext_lazy("由提出人、批准人以外的区领导决定")),
    T(S.PUBLISHED, "apply_repair", S.REPAIRING, ENTERPRISE_OR_ADMIN, _apply_repair,
      condition=gettext_lazy("列入满政策规定的最短期限")),
    T(S.REPAIRING, "review_repair", S.REPAIRING, ADMIN, _review_repair,
      condition=gettext_lazy("第一人：区安委办初审")),
    T(S.REPAIRING, "approve_repair", S.REMOVED, LEADER, _approve_repair,
      condition=gettext_lazy("第二人：区领导批准，不能是初审人")),
    T(S.REPAIRING, "reject_repair", S.PUBLISHED, REVIEWERS, _reject_repair),
    *[
        T(state, "expire", S.REMOVED, frozenset({SYSTEM}), _expire,
          condition=gettext_lazy("计划移出日期已过（每日任务记录）"))
        for state in LISTED
    ],
]  # fmt: skip

ENTRY_WORKFLOW = Workflow(
    name="blacklist",
    states=dict(EntryStatus.choices),
    actions=ACTIONS,
    transitions=TRANSITIONS,
)
# Who may propose (not a transition: an entry has no state before it exists).
PROPOSE_ROLES = PROPOSERS
