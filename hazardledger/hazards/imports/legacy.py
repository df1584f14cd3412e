"""Which status an imported row enters, and what that status requires of it.

A legacy ledger says where each item stands (整改完成情况 / 整改状态 / 是否销号, with dates).
The row enters that status directly — it is history, not a sequence of clicks — but only
with the facts the workflow (`hazards/workflow.py`) demands on the way there: the plan items
of the active policy (the five must-haves, the 重大 extras) for every status from 整改中 on,
the completion date from 已整改 on, the acceptance or 销号 date for 已销号.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from hazardledger.lib.sheets import text_of

from .. import rules
from ..models import HazardStatus

S = HazardStatus
_WORDS = {
    **{str(label): value for value, label in HazardStatus.choices},
    "新登记": S.REGISTERED,
    "已登记": S.REGISTERED,
    "待整改": S.RECTIFYING,
    "未整改": S.RECTIFYING,
    "整改中": S.RECTIFYING,
    "正在整改": S.RECTIFYING,
    "限期整改": S.RECTIFYING,
    "未完成": S.RECTIFYING,
    "否": S.RECTIFYING,
    "已整改": S.RECTIFIED,
    "整改完成": S.RECTIFIED,
    "已完成": S.RECTIFIED,
    "完成": S.RECTIFIED,
    "是": S.RECTIFIED,
    "已整改待验收": S.ACCEPTANCE_PENDING,
    "待验收": S.ACCEPTANCE_PENDING,
    "已验收": S.CLOSED,
    "已销号": S.CLOSED,
    "销号": S.CLOSED,
    "已整改已销号": S.CLOSED,
}
_YES = {"是", "已销号", "销号", "Y", "YES", "√", "1"}
_NO = {"否", "未销号", "N", "NO", "×", "0", ""}
IMPORTABLE = (S.REGISTERED, S.RECTIFYING, S.RECTIFIED, S.ACCEPTANCE_PENDING, S.CLOSED)
PLAN_FROM = (S.RECTIFYING, S.RECTIFIED, S.ACCEPTANCE_PENDING, S.CLOSED)
DONE_FROM = (S.RECTIFIED, S.ACCEPTANCE_PENDING, S.CLOSED)


def target_status(status_text: Any, closed_flag: Any, closed_on: date | None) -> str:
    """The status a row names; raises ValueError for a word the table does not know."""
    text = text_of(status_text).replace(" ", "")
    flag = text_of(closed_flag).upper()
    if flag and flag not in _YES | _NO:
        raise ValueError(f"是否销号“{text_of(closed_flag)}”应填“是”或“否”")
    if flag in _YES or (closed_on and not text):
        return S.CLOSED
    if not text:
        return S.REGISTERED
    if text not in _WORDS:
        known = "、".join(["未整改", "整改中", "已整改", "待验收", "已销号"])
        raise ValueError(f"整改状态“{text}”不是可识别的取值（可填：{known}）")
    word = _WORDS[text]
    if closed_on and word in (S.RECTIFIED, S.ACCEPTANCE_PENDING):
        return S.CLOSED  # a 销号 date says the item was closed after it was rectified
    return word


def entry_problems(
    policy: Any, target: str, data: Mapping[str, Any], today: date
) -> dict[str, str]:
    """What the row lacks to stand in `target` (field key → message)."""
    problems: dict[str, str] = {}
    if target not in IMPORTABLE:
        problems["status"] = f"不能以“{HazardStatus(target).label}”状态导入"
        return problems
    if target in PLAN_FROM:
        plan = {**data, "has_emergency_plan_file": False}
        missing = rules.missing_plan_items(policy, data.get("level", ""), plan)
        if missing:
            problems["status"] = (
                f"“{HazardStatus(target).label}”的隐患须有完整的整改方案，缺少："
                + "、".join(missing)
            )
    found, done = data.get("found_on"), data.get("rectified_on")
    if target in DONE_FROM and done is None:
        problems["rectified_on"] = "已整改的隐患须填写整改完成时间"
    if target == S.CLOSED and data.get("closed_on") is None and data.get("accepted_on") is None:
        problems["closed_on"] = "已销号的隐患须填写销号时间或验收时间"
    for key in ("rectified_on", "accepted_on", "closed_on"):
        value = data.get(key)
        if value and value > today:
            problems[key] = "日期不能晚于今天"
        elif value and found and value < found:
            problems[key] = "日期不能早于发现时间"
    return problems
