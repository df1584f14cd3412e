"""The hazard ledger importer run by `enterprises.imports.batch` (check, then write).

A row matches an existing card by its card number, its original office number, or the same
enterprise + description + found date; a match updates the card's descriptive fields or is
reported (a duplicate, or a status that differs from the card's), never a second card. New
cards enter the status the row names (see `legacy`) with an `import` history row naming the
file and its SHA-256; the audit chain gets one event for the whole file.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from hazardledger.enterprises.bulk import insert_many
from hazardledger.enterprises.imports.batch import RowResult
from hazardledger.enterprises.imports.sheet import SheetRow, Table
from hazardledger.enterprises.models import Enterprise, ImportBatch, ImportKind
from hazardledger.enterprises.selectors import enterprises_visible_to
from hazardledger.org.selectors import scope_for
from hazardledger.policy.services import active_policy

from .. import rules
from ..models import CardCounter, Hazard, HazardEvent, HazardStatus
from ..selectors import hazards_visible_to
from ..services import REQUIRED_CARD_FIELDS, plan_field_errors
from . import legacy
from .fields import DERIVED, FIELD_BY_KEY, FIELDS
from .parse import parse_cells

COMPARED = (
    "location",
    "description",
    "cause",
    "category",
    "nature",
    "level",
    "criteria_standard",
    "criteria_article",
    "harm_analysis",
    "source",
    "found_by",
    "found_on",
    "legal_basis",
    "measures",
    "funds_yuan",
    "responsible_person",
    "deadline",
    "emergency_plan",
)
PLAN_KEYS = ("measures", "funds_yuan", "responsible_person", "deadline", "emergency_plan")
CARD_COLUMNS = ("pk", "card_no", "original_no", "enterprise_id", "description", "found_on")
SHOWN = ("card_no", "original_no", "description", "level", "found_on", "funds_yuan", "status")


def _local_dt(day: date | None) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time(12))) if day else None


def _shown(data: dict[str, Any], target: str, enterprise: Any) -> dict[str, str]:
    out = {"enterprise": enterprise.name if enterprise else ""}
    for key in SHOWN:
        value = target if key == "status" else data.get(key)
        if key == "status":
            value = HazardStatus(target).label if target else ""
        elif key == "level" and value:
            value = {"general": "一般", "major": "重大"}.get(value, value)
        elif key == "funds_yuan" and value is not None:
            value = f"{value:,.2f} 元"
        out[key] = "" if value is None else str(value)
    return out


class LedgerImporter:
    kind = ImportKind.HAZARDS
    action = "hazard.import"
    fields = FIELDS
    chunk = 2000

    def __init__(self, *, actor: Any, batch: ImportBatch | None = None) -> None:
        self.actor, self.batch = actor, batch
        self.created: list[str] = []
        self.updates: dict[str, dict[str, list[Any]]] = {}
        self._pending: dict[int, tuple[str, dict[str, Any], Any, dict | None, dict]] = {}

    # ---- check --------------------------------------------------------------------------

    def prepare(self, table: Table, *, clear_blanks: bool) -> None:
        self.policy = active_policy().hazards
        self.today = timezone.localdate()
        self.present = set(table.header.by_key())
        self.factors = {c.key: c.factor for c in table.header.columns if c.key}
        self.everything = scope_for(self.actor).everything
        self.seen: dict[Any, int] = {}
        if "credit_code" not in self.present and "enterprise_name" not in self.present:
            from hazardledger.lib.sheets import SheetError

            raise SheetError("缺少“统一社会信用代码”或“企业名称”列")

    def _enterprises(self, parsed: list[tuple[int, dict, dict, list]]) -> dict[str, Any]:
        codes = {d["credit_code"] for _n, d, _e, _x in parsed if d.get("credit_code")}
        names = {d["enterprise_name"] for _n, d, _e, _x in parsed if d.get("enterprise_name")}
        found: dict[str, Any] = {}
        base = Enterprise.objects.select_related("territory", "industry")
        match = Q(credit_code__in=codes) | Q(name__in=names)
        visible = (
            base
            if self.everything
            else enterprises_visible_to(self.actor).select_related("territory", "industry")
        )
        for e in visible.filter(match):
            found[f"c:{e.credit_code}"] = found.setdefault(f"n:{e.name}", e)
        for e in Enterprise.objects.filter(match).only("pk", "credit_code", "name"):
            found.setdefault(f"c:{e.credit_code}", False)
            found.setdefault(f"n:{e.name}", False)
        return found

    def _cards(self, parsed: list, firms: dict[str, Any]) -> dict[Any, dict]:
        nos = {d["card_no"] for _n, d, _e, _x in parsed if d.get("card_no")}
        olds = {d["original_no"] for _n, d, _e, _x in parsed if d.get("original_no")}
        firm_ids = {e.pk for e in firms.values() if e}
        days = {d["found_on"] for _n, d, _e, _x in parsed if d.get("found_on")}
        query = Q(card_no__in=nos) | Q(original_no__in=olds)
        if firm_ids and days:
            query |= Q(enterprise_id__in=firm_ids, found_on__in=days)
        cards: dict[Any, dict] = {}
        for row in Hazard.objects.filter(query).values(*CARD_COLUMNS, "status", *COMPARED):
            cards[("no", row["card_no"])] = row
            if row["original_no"]:
                cards.setdefault(("old", row["original_no"]), row)
            key = ("same", row["enterprise_id"], row["description"], row["found_on"])
            cards.setdefault(key, row)
        return cards

    def check(self, rows: list[SheetRow]) -> list[RowResult]:
        parsed = [(r.number, *parse_cells(r.cells, self.factors)) for r in rows]
        firms = self._enterprises(parsed)
        cards = self._cards(parsed, firms)
        self._pending = {}
        return [self._check_row(n, d, e, x, firms, cards) for n, d, e, x in parsed]

    def _firm(self, data: dict[str, Any], result: RowResult, firms: dict) -> Any:
        code, name = data.get("credit_code"), data.get("enterprise_name")
        firm = firms.get(f"c:{code}") if code else None
        if firm is None and name:
            firm = firms.get(f"n:{name}")
        if firm is False:
            column = "credit_code" if code else "enterprise_name"
            result.fail(column, "该企业不在您的管辖范围内，不能导入其隐患")
        elif firm is None:
            column = "credit_code" if code else "enterprise_name"
            result.fail(column, f"企业名录中没有“{code or name}”，请先登记企业")
        return firm or None

    def _check_row(
        self, number: int, data: dict, errors: dict, notes: list, firms: dict, cards: dict
    ) -> RowResult:
        result = RowResult(number, notes=list(notes))
        for key, message in errors.items():
            result.fail(key, message)
        firm = self._firm(data, result, firms)
        try:
            target = legacy.target_status(
                data.get("status"), data.get("closed_flag"), data.get("closed_on")
            )
        except ValueError as exc:
            result.fail("status", str(exc))
            target = HazardStatus.REGISTERED
        result.shown = _shown(data, target, firm)
        if firm is not None and data.get("territory"):
            registered = firm.territory
            if registered is None or data["territory"] not in (
                registered.name,
                registered.short_name,
            ):
                shown = registered or "（未登记）"
                result.notes.append(
                    f"所属镇街“{data['territory']}”与企业登记的“{shown}”不一致，以企业登记为准"
                )
        card = self._match(data, firm, cards)
        if card is not None and result.outcome != "error":
            return self._check_existing(result, data, target, card)
        if firm is None:
            return result
        self._check_new(result, data, target)
        if result.outcome == "error":
            return result
        key = ("same", firm.pk, data["description"], data.get("found_on"))
        first = self.seen.get(key) or self.seen.get(("old", data.get("original_no") or None))
        if first:
            result.outcome = "duplicate"
            result.notes.append(f"与第 {first} 行是同一隐患，未重复导入")
            return result
        self.seen[key] = number
        if data.get("original_no"):
            self.seen[("old", data["original_no"])] = number
        if result.outcome == "created":
            self._pending[number] = ("create", data, firm, None, {"target": target})
        return result

    def _check_new(self, result: RowResult, data: dict, target: str) -> None:
        if data.get("card_no"):
            result.fail(
                "card_no", f"系统中没有隐患编号“{data['card_no']}”（新隐患不填编号，由系统生成）"
            )
            return
        problems = self._card_errors(data)
        if target == HazardStatus.REGISTERED:
            # A new card is registered as the form would; a legacy item keeps its old deadline.
            plan = {k: data.get(k) for k in PLAN_KEYS if data.get(k) not in (None, "")}
            problems.update(plan_field_errors(plan, self.today))
        problems.update(legacy.entry_problems(self.policy, target, data, self.today))
        failed = {column for column, _m in result.errors}
        for key, message in problems.items():
            if key not in failed:  # one message per cell: the first problem found
                result.fail(key, message)

    def _card_errors(self, data: dict) -> dict[str, str]:
        """`services.card_field_errors` with the policy read once per import, not per row."""
        errors = {
            name: str(message)
            for name, message in REQUIRED_CARD_FIELDS.items()
            if not str(data.get(name) or "").strip()
        }
        found_on = data.get("found_on")
        if isinstance(found_on, date) and found_on > self.today:
            errors["found_on"] = "发现时间不能晚于今天"
        for name, message in rules.major_problems(self.policy, data["level"], data).items():
            errors.setdefault(name, str(message))
        return errors

    def _match(self, data: dict, firm: Any, cards: dict) -> dict | None:
        if data.get("card_no"):
            return cards.get(("no", data["card_no"]))
        if data.get("original_no") and ("old", data["original_no"]) in cards:
            return cards[("old", data["original_no"])]
        if firm is not None:
            return cards.get(("same", firm.pk, data.get("description"), data.get("found_on")))
        return None

    def _check_existing(self, result: RowResult, data: dict, target: str, card: dict) -> RowResult:
        if (
            not self.everything
            and not hazards_visible_to(self.actor).filter(pk=card["pk"]).exists()
        ):
            result.fail("card_no", f"隐患 {card['card_no']} 不在您的管辖范围内")
            return result
        seen = self.seen.get(("card", card["pk"]))
        if seen:
            result.outcome = "duplicate"
            result.notes.append(f"与第 {seen} 行对应同一隐患 {card['card_no']}")
            return result
        self.seen[("card", card["pk"])] = result.row
        changes = {
            key: [card[key], data[key]]
            for key in COMPARED
            if key in self.present
            and key not in DERIVED
            and data.get(key) not in (None, "")
            and data[key] != card[key]
        }
        status_named = "status" in self.present or "closed_flag" in self.present
        if (
            status_named
            and target != card["status"]
            and not (target == HazardStatus.REGISTERED and not data.get("status"))
        ):
            result.outcome = "duplicate"
            result.notes.append(
                f"已有隐患 {card['card_no']}（系统状态“{HazardStatus(card['status']).label}”，"
                f"台账为“{HazardStatus(target).label}”）；状态只在系统中办理，未更改"
            )
            return result
        if not changes:
            result.outcome = "unchanged"
            result.notes.append(f"与隐患 {card['card_no']} 一致")
            return result
        if card["status"] in (HazardStatus.CLOSED, HazardStatus.VOIDED, HazardStatus.TRANSFERRED):
            result.outcome = "duplicate"
            result.notes.append(f"隐患 {card['card_no']} 已办结，台账中的差异未写入")
            return result
        result.outcome = "updated"
        result.changed = [FIELD_BY_KEY[k].label for k in changes]
        self._pending[result.row] = ("update", data, None, card, changes)
        return result

    # ---- write --------------------------------------------------------------------------

    def write(self, rows: list[SheetRow], results: list[RowResult]) -> None:
        creates = [p for p in self._pending.values() if p[0] == "create"]
        updates = [p for p in self._pending.values() if p[0] == "update"]
        if creates:
            self._create(creates)
        for _kind, _data, _firm, card, changes in updates:
            values = {k: v[1] for k, v in changes.items()}
            Hazard.objects.filter(pk=card["pk"]).update(**values, version=F("version") + 1)
            if len(self.updates) < 1000:
                self.updates[card["card_no"]] = {
                    k: [str(a), str(b)] for k, (a, b) in changes.items()
                }
        self._pending = {}

    def _numbers(self, count: int) -> list[str]:
        year = self.today.year
        CardCounter.objects.get_or_create(year=year)
        CardCounter.objects.filter(year=year).update(last=F("last") + count)
        last = CardCounter.objects.values_list("last", flat=True).get(year=year)
        district = active_policy().district.code
        return [f"{district}-YH-{year}-{seq:06d}" for seq in range(last - count + 1, last + 1)]

    def _create(self, creates: list) -> None:
        now = timezone.now()
        numbers = self._numbers(len(creates))
        cards = [
            self._card(no, data, firm, extra["target"], now)
            for no, (_k, data, firm, _c, extra) in zip(numbers, creates, strict=True)
        ]
        insert_many(Hazard, cards, now=now)
        ids = dict(Hazard.objects.filter(card_no__in=numbers).values_list("card_no", "pk"))
        batch = self.batch
        events = [
            HazardEvent(
                hazard_id=ids[card.card_no],
                at=now,
                actor_id=self.actor.pk,
                action="import",
                from_status="",
                to_status=card.status,
                comment=f"从台账导入：{batch.filename if batch else ''}"[:200],
                data=json.dumps(
                    {
                        "batch": batch.pk if batch else None,
                        "file": batch.filename if batch else "",
                        "sha256": batch.sha256 if batch else "",
                        "original_no": card.original_no,
                    },
                    ensure_ascii=False,
                ),
            )
            for card in cards
        ]
        insert_many(HazardEvent, events, now=now)
        self.created.extend(numbers)

    def _card(self, number: str, data: dict, firm: Any, target: str, now: Any) -> Hazard:
        closed = (
            _local_dt(data.get("closed_on") or data.get("accepted_on"))
            if target == HazardStatus.CLOSED
            else None
        )
        rectified = _local_dt(data.get("rectified_on"))
        card = Hazard(
            card_no=number,
            original_no=data.get("original_no", ""),
            import_batch_id=self.batch.pk if self.batch else None,
            enterprise_id=firm.pk,
            territory_id=firm.territory_id,
            industry_id=firm.industry_id,
            department_id=firm.industry.regulator_id if firm.industry_id else None,
            status=target,
            stage_started_at=closed or rectified or now,
            registered_at=now,
            registered_by_id=self.actor.pk,
            confirmed_at=now if target != HazardStatus.REGISTERED else None,
            rectified_at=rectified if target in legacy.DONE_FROM else None,
            accepted_at=_local_dt(data.get("accepted_on"))
            if target == HazardStatus.CLOSED
            else None,
            closed_at=closed,
            acceptance_applied_at=now if target == HazardStatus.ACCEPTANCE_PENDING else None,
            rectification_mode="deadline" if data.get("deadline") else "",
        )
        for key in COMPARED:
            value = data.get(key)
            if value not in (None, ""):
                setattr(card, key, value)
        return card

    def audit_changes(self) -> dict[str, Any]:
        span = [self.created[0], self.created[-1]] if self.created else []
        return {
            "created": [None, {"count": len(self.created), "card_nos": span}],
            "updated": [None, self.updates],
        }
