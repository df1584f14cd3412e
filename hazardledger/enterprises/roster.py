"""The enterprise roster as a spreadsheet: its columns, the tolerant reader and the export rows.

Reading validates the whole file before anything is written (the service applies it in one
transaction): every problem becomes a (row, column, message) line of the error report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db.models import QuerySet

from hazardledger.lib import credit_code
from hazardledger.lib.xlsx import Table, XlsxError, read_table, unguard
from hazardledger.org.classification import IndustryResolver
from hazardledger.org.models import TERRITORY_KINDS, Unit, UnitKind, User
from hazardledger.org.selectors import scope_for

from . import rules
from .models import Category, Enterprise, OperatingStatus, Scale
from .selectors import enterprises_visible_to, in_scope

MAX_ROWS = 50_000
MAX_FILE_BYTES = 20 * 1024 * 1024
ERROR_REPORT_LIMIT = 5_000


@dataclass(frozen=True)
class Column:
    key: str
    aliases: tuple[str, ...]  # the first is the header written on export
    width: int = 14

    @property
    def title(self) -> str:
        return self.aliases[0]


COLUMNS = (
    Column(
        "credit_code",
        ("统一社会信用代码", "信用代码", "社会信用代码", "统一代码", "统一社会信用代码(注册号)"),
        22,
    ),
    Column("name", ("企业名称", "单位名称", "企业(单位)名称", "名称", "企业全称"), 30),
    Column(
        "address",
        ("地址", "企业地址", "单位地址", "经营地址", "注册地址", "详细地址", "生产经营地址"),
        30,
    ),
    Column(
        "territory",
        (
            "所属镇街",
            "镇街",
            "所属镇(街道)",
            "镇(街道)",
            "所属镇街道",
            "镇街道",
            "属地",
            "所属镇街(园区)",
            "所属区域",
        ),
    ),
    Column("industry", ("行业领域", "行业", "所属行业", "行业类别", "所属行业领域")),
    Column("category", ("企业类别", "类别", "企业类型")),
    Column("scale", ("企业规模", "规模")),
    Column("status", ("经营状态", "生产经营状态", "状态", "生产状态")),
    Column("is_key_project", ("重点项目", "是否重点项目")),
    Column("legal_representative", ("法定代表人", "法人代表", "法人")),
    Column("principal_name", ("主要负责人", "企业主要负责人")),
    Column("principal_phone", ("主要负责人电话", "主要负责人联系电话", "负责人电话")),
    Column("safety_manager", ("安全管理人员", "安全负责人", "安全管理员", "安全管理负责人")),
    Column("safety_manager_phone", ("安全管理人员电话", "安全负责人电话", "安全管理员电话")),
    Column("contact_name", ("联系人",)),
    Column("contact_phone", ("联系电话", "联系人电话", "电话")),
    Column("safety_engineer_count", ("注册安全工程师人数", "注册安全工程师", "安全工程师人数")),
    Column("staff_count", ("从业人数", "从业人员数", "职工人数", "员工人数", "从业人员")),
    Column("territory_contact", ("属地责任人", "镇街责任人", "属地监管责任人")),
    Column("regulator_contact", ("行业监管责任人", "监管责任人", "部门责任人", "行业部门责任人")),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED = ("credit_code", "name")
EXPORT_ONLY = ("行业主管部门", "手续是否齐全")

_STATUS_WORDS = {
    **{str(label): value for value, label in OperatingStatus.choices},
    "正常": "operating",
    "在产": "operating",
    "生产": "operating",
    "营业": "operating",
    "正常经营": "operating",
    "正常生产": "operating",
    "在建": "operating",
    "停工": "work_stopped",
    "停建": "work_stopped",
    "停产": "work_stopped",
    "整顿": "suspended",
    "停产整顿": "suspended",
    "停业整顿": "suspended",
    "关闭": "closed",
    "取缔": "closed",
    "关闭取缔": "closed",
    "已关闭": "closed",
    "拆除": "demolished",
    "已拆除": "demolished",
}
_CATEGORY_WORDS = {
    **{str(label): value for value, label in Category.choices},
    "高危": "high_risk",
    "高危企业": "high_risk",
    "规上": "above_size",
    "规上企业": "above_size",
    "规模以上企业": "above_size",
    "人员密集": "crowded",
    "其它": "other",
}
_SCALE_WORDS = {
    **{str(label): value for value, label in Scale.choices},
    "大": "large",
    "中": "medium",
    "小": "small",
    "微": "micro",
    "大型企业": "large",
    "中型企业": "medium",
    "小型企业": "small",
    "微型企业": "micro",
}
_YES = {"是", "Y", "YES", "TRUE", "1", "√", "✓", "重点", "重点项目"}
_NO = {"否", "N", "NO", "FALSE", "0", "×", "✗", ""}


@dataclass(frozen=True)
class RowError:
    row: int | None  # None: the file as a whole
    column: str
    message: str


class ImportRejected(Exception):
    """Nothing was imported; `errors` says why, row by row."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors[0].message if errors else "")
        self.errors = errors


@dataclass
class ImportPlan:
    sheet: str = ""
    rows: int = 0
    creates: list[Enterprise] = field(default_factory=list)
    updates: list[tuple[Enterprise, dict[str, list[Any]]]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    outcomes: dict[int, tuple[str, list[str]]] = field(default_factory=dict)


class _People:
    """Active officials by name, and the units each one sits under (to match a unit's people)."""

    def __init__(self) -> None:
        parents = dict(Unit.objects.values_list("pk", "parent_id"))
        self.by_name: dict[str, list[tuple[User, set[int]]]] = {}
        kinds = [*TERRITORY_KINDS, UnitKind.DEPARTMENT]
        for user in User.objects.filter(is_active=True, unit__kind__in=kinds).only(
            "pk", "username", "full_name", "unit_id"
        ):
            chain, unit = set(), user.unit_id
            while unit is not None and unit not in chain:
                chain.add(unit)
                unit = parents.get(unit)
            for key in {user.username, user.full_name}:
                if key:
                    self.by_name.setdefault(key, []).append((user, chain))

    def find(self, text: str, unit: Unit) -> User:
        matches = [u for u, chain in self.by_name.get(text, []) if unit.pk in chain]
        if not matches:
            raise ValueError(f"在{unit.name}找不到人员“{text}”")
        if len(matches) > 1:
            raise ValueError(f"{unit.name}有多名“{text}”，请改填用户名")
        return matches[0]


class _Lookups:
    def __init__(self) -> None:
        self.territories: dict[str, Unit] = {}
        for unit in Unit.objects.filter(kind__in=TERRITORY_KINDS, is_active=True):
            for key in (unit.name, unit.short_name, unit.code):
                if key:
                    self.territories[key] = unit
        self.industries = IndustryResolver()
        self.people = _People()


def _choice(text: str, words: dict[str, str], what: str) -> str:
    value = words.get(text) or (text if text in words.values() else None)
    if value is None:
        raise ValueError(f"{what}“{text}”不是可识别的取值（可填：{'、'.join(_labels(words))}）")
    return value


def _labels(words: dict[str, str]) -> list[str]:
    seen: dict[str, str] = {}
    for word, value in words.items():
        seen.setdefault(value, word)
    return list(seen.values())


def _integer(text: str, *, blank: int | None) -> int | None:
    if text == "":
        return blank
    try:
        number = float(text)
    except ValueError:
        raise ValueError("应为整数") from None
    if not number.is_integer():
        raise ValueError("应为整数")
    if number < 0:
        raise ValueError("不能为负数")
    if number > 10_000_000:
        raise ValueError("数值过大")
    return int(number)


def _boolean(text: str) -> bool:
    upper = text.upper()
    if upper in _YES:
        return True
    if upper in _NO:
        return False
    raise ValueError("应填“是”或“否”")


def _parse_value(key: str, text: str, lookups: _Lookups) -> Any:
    """One cell as the model value; raises ValueError with the message for the report."""
    if key == "territory":
        if text and text not in lookups.territories:
            raise ValueError(f"未知的镇街“{text}”")
        return lookups.territories.get(text)
    if key == "industry":
        return lookups.industries.resolve(text)
    if key == "category":
        return _choice(text, _CATEGORY_WORDS, "企业类别") if text else Category.OTHER
    if key == "scale":
        return _choice(text, _SCALE_WORDS, "企业规模") if text else ""
    if key == "status":
        return _choice(text, _STATUS_WORDS, "经营状态") if text else OperatingStatus.OPERATING
    if key == "is_key_project":
        return _boolean(text)
    if key == "safety_engineer_count":
        return _integer(text, blank=0)
    if key == "staff_count":
        return _integer(text, blank=None)
    return text


def _parse_contacts(
    enterprise: Enterprise, texts: dict[str, str], lookups: _Lookups
) -> tuple[dict[str, Any], dict[str, str]]:
    """Responsible persons are matched among the people of the row's territory and regulator."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    industry = enterprise.industry
    for key, unit, missing in (
        ("territory_contact", enterprise.territory, "未填所属镇街，不能指定属地责任人"),
        (
            "regulator_contact",
            industry.regulator if industry else None,
            "该企业没有行业主管部门，不能指定行业监管责任人",
        ),
    ):
        if key not in texts:
            continue
        text = texts[key]
        if not text:
            values[key] = None
        elif unit is None:
            errors[key] = missing
        else:
            try:
                values[key] = lookups.people.find(text, unit)
            except ValueError as exc:
                errors[key] = str(exc)
    return values, errors


def _row_values(
    table: Table, cells: tuple[Any, ...], lookups: _Lookups
) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    texts = {k: unguard(t) if t[:1] == "'" else t for k, t in table.texts(cells).items()}
    for key, text in texts.items():
        if key in ("territory_contact", "regulator_contact"):
            continue
        try:
            values[key] = _parse_value(key, text, lookups)
        except ValueError as exc:
            errors[key] = str(exc)
    code = credit_code.normalize(texts.get("credit_code", ""))
    values["credit_code"] = code
    problem = credit_code.problem(code) if code else "统一社会信用代码不能为空"
    if problem:
        errors["credit_code"] = problem
    if not values.get("name"):
        errors["name"] = "企业名称不能为空"
    return values, errors, texts


_MAX_LENGTHS = {
    f.name: f.max_length
    for f in Enterprise._meta.fields
    if f.max_length and f.name not in ("credit_code", "category", "scale", "status")
}


def _field_problems(values: dict[str, Any]) -> dict[str, str]:
    """Text lengths (the other fields were parsed into valid values already).

    Checked here rather than by `clean_fields`, which costs a second per 10,000 rows.
    """
    problems = {}
    for key, value in values.items():
        limit = _MAX_LENGTHS.get(key)
        if limit and isinstance(value, str) and len(value) > limit:
            problems[key] = f"不能超过 {limit} 个字符（现有 {len(value)} 个）"
    return problems


def _existing(codes: list[str], actor: Any) -> tuple[dict[str, Enterprise], set[str]]:
    """Enterprises already registered under these codes, and which of them the actor may see."""
    found: dict[str, Enterprise] = {}
    visible: set[str] = set()
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        for enterprise in Enterprise.objects.filter(credit_code__in=chunk):
            found[enterprise.credit_code] = enterprise
        if actor is None or scope_for(actor).everything:
            visible.update(c for c in chunk if c in found)
        else:
            visible.update(
                enterprises_visible_to(actor)
                .filter(credit_code__in=chunk)
                .values_list("credit_code", flat=True)
            )
    return found, visible


def read_roster(source: IO[bytes] | bytes) -> Table:
    try:
        return read_table(source, {c.key: c.aliases for c in COLUMNS}, REQUIRED, max_rows=MAX_ROWS)
    except XlsxError as exc:
        raise ImportRejected([RowError(None, "", str(exc))]) from exc


def plan_import(actor: Any, table: Table, *, clear_blanks: bool = True) -> ImportPlan:
    """Validate every row; build the enterprises to create and the changes to make."""
    plan = ImportPlan(sheet=table.sheet, rows=len(table.rows))
    if not table.rows:
        plan.errors.append(RowError(None, "", f"工作表“{table.sheet}”中没有企业数据"))
        return plan
    lookups = _Lookups()
    parsed = [(number, *_row_values(table, cells, lookups)) for number, cells in table.rows]
    codes = [row[1]["credit_code"] for row in parsed if "credit_code" not in row[2]]
    context = _Context(actor, table, lookups, *_existing(sorted(set(codes)), actor), clear_blanks)
    first_row: dict[str, int] = {}
    for number, values, errors, texts in parsed:
        code = values["credit_code"]
        if "credit_code" not in errors:
            if code in first_row:
                errors["credit_code"] = f"与第 {first_row[code]} 行的统一社会信用代码重复"
            first_row.setdefault(code, number)
        _plan_row(plan, context, number, values, errors, texts)
    return plan


@dataclass(frozen=True)
class _Context:
    actor: Any
    table: Table
    lookups: _Lookups
    existing: dict[str, Enterprise]
    visible: set[str]
    clear_blanks: bool = True


def _plan_row(
    plan: ImportPlan,
    ctx: _Context,
    number: int,
    values: dict[str, Any],
    errors: dict[str, str],
    texts: dict[str, str],
) -> None:
    code = values["credit_code"]
    target = ctx.existing.get(code)
    if target is not None and code not in ctx.visible and "credit_code" not in errors:
        errors["credit_code"] = "该统一社会信用代码已由您管辖范围以外的单位登记，无权修改"
    enterprise = target or Enterprise(status=OperatingStatus.OPERATING)
    if target is not None and not ctx.clear_blanks:
        # A blank cell in an update keeps the stored value unless told to clear blanks.
        blank = {k for k, t in texts.items() if t == "" and k not in REQUIRED}
        values = {k: v for k, v in values.items() if k not in blank}
        errors = {k: m for k, m in errors.items() if k not in blank}
        texts = {k: t for k, t in texts.items() if k not in blank}
    keys = [*values, *(k for k in ("territory_contact", "regulator_contact") if k in texts)]
    before = {k: _value_of(enterprise, k) for k in keys} if target else {}
    for key, value in values.items():
        setattr(enterprise, key, value)
    if not errors.keys() & {"territory", "industry"}:
        contacts, contact_errors = _parse_contacts(enterprise, texts, ctx.lookups)
        errors |= contact_errors
        for key, value in contacts.items():
            setattr(enterprise, key, value)
    _check_row(ctx.actor, enterprise, target, before, values, errors)
    if errors:
        headers = ctx.table.headers
        plan.errors.extend(
            RowError(number, headers.get(k, COLUMN_BY_KEY[k].title), m) for k, m in errors.items()
        )
        plan.outcomes[number] = ("error", [])
    elif target is None:
        plan.creates.append(enterprise)
        plan.outcomes[number] = ("created", [])
    else:
        after = {k: _value_of(enterprise, k) for k in keys}
        changes = {k: [before[k], after[k]] for k in keys if before[k] != after[k]}
        if changes:
            plan.updates.append((enterprise, changes))
            plan.outcomes[number] = ("updated", [COLUMN_BY_KEY[k].title for k in changes])
        else:
            plan.unchanged += 1
            plan.outcomes[number] = ("unchanged", [])


def _check_row(
    actor: Any,
    enterprise: Enterprise,
    target: Enterprise | None,
    before: dict[str, Any],
    values: dict[str, Any],
    errors: dict[str, str],
) -> None:
    for key, message in _field_problems(values).items():
        errors.setdefault(key, message)
    if target is not None and "status" in values and values["status"] != before["status"]:
        problem = rules.status_change_problem(before["status"], values["status"])
        if problem:
            errors.setdefault("status", problem)
    if errors or actor is None:
        return
    if not in_scope(actor, enterprise.territory_id, enterprise.industry_id):
        errors["territory"] = "所属镇街和行业领域均不在您的管辖范围内"


def _value_of(enterprise: Enterprise, key: str) -> Any:
    if key in ("territory", "industry", "territory_contact", "regulator_contact"):
        return getattr(enterprise, f"{key}_id")
    return getattr(enterprise, key)


def export_rows(qs: QuerySet[Enterprise]) -> Iterator[list[Any]]:
    """Roster rows in COLUMNS order, then the export-only columns."""
    qs = qs.select_related("territory_contact", "regulator_contact")
    for e in qs.iterator(chunk_size=2000):
        yield [
            *(_export_value(e, c.key) for c in COLUMNS),
            e.industry.regulator.name if e.industry and e.industry.regulator else "",
            "否" if getattr(e, "procedures_incomplete", False) else "是",
        ]


_EXPORTERS: dict[str, Callable[[Enterprise], Any]] = {
    "territory": lambda e: e.territory.name if e.territory else "",
    "industry": lambda e: e.industry.name if e.industry else "",
    "category": lambda e: e.get_category_display(),
    "scale": lambda e: e.get_scale_display() if e.scale else "",
    "status": lambda e: e.get_status_display(),
    "is_key_project": lambda e: "是" if e.is_key_project else "否",
    "territory_contact": lambda e: e.territory_contact.username if e.territory_contact else "",
    "regulator_contact": lambda e: e.regulator_contact.username if e.regulator_contact else "",
}


def _export_value(enterprise: Enterprise, key: str) -> Any:
    exporter = _EXPORTERS.get(key)
    return exporter(enterprise) if exporter else getattr(enterprise, key)


def export_headers() -> list[str]:
    return [c.title for c in COLUMNS] + list(EXPORT_ONLY)


def export_widths() -> list[int]:
    return [c.width for c in COLUMNS] + [16, 12]
