"""The shape of a policy profile: every number and rule of the policy document, as data.

A profile file (YAML or JSON) is validated against `PolicyData`; unknown keys are refused so
that a misspelt field cannot silently fall back to a default.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

HazardLevel = Literal["general", "major"]
Weekday = Literal[1, 2, 3, 4, 5, 6, 7]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Document(Strict):
    title: str = Field(min_length=1)
    issuer: str = Field(min_length=1)
    issued_on: date
    valid_from: date
    valid_until: date

    @model_validator(mode="after")
    def _dates_ordered(self) -> Document:
        if self.valid_until < self.valid_from:
            raise ValueError("有效期截止日期不能早于开始日期")
        return self


class District(Strict):
    name: str = Field(min_length=1)
    code: str = Field(pattern=r"^\d{6}$", description="行政区划代码，用于隐患编号")


class Targets(Strict):
    max_deaths: int = Field(ge=0, description="死亡人数目标（零死亡为 0）")
    deadline: date


class Hotline(Strict):
    number: str = Field(pattern=r"^[0-9-]{3,20}$")
    hours_per_day: int = Field(ge=1, le=24)
    free_of_charge: bool = True


class RewardCell(Strict):
    nature: str = Field(min_length=1, description="案件性质")
    severity: str = Field(min_length=1, description="隐患危害程度")
    amount_yuan: int = Field(ge=0, description="建议金额（区间的下限）")
    max_yuan: int | None = Field(default=None, ge=0, description="区间上限；不填则为固定金额")


class FineShareRule(Strict):
    """A share of the administrative fine, with a floor and a cap (national 2018, Shandong)."""

    nature: str = Field(min_length=1)
    severity: str = Field(min_length=1)
    percent: Decimal = Field(gt=0, le=100, max_digits=5, decimal_places=2)
    floor_yuan: int = Field(ge=0)
    cap_yuan: int = Field(ge=0)


class DeathGrade(Strict):
    label: str = Field(min_length=1, description="事故等级")
    amount_yuan: int = Field(ge=0, description="每查实瞒报死亡一人的奖励")


class PerDeathRule(Strict):
    """Concealed accidents: an amount per concealed death by accident grade, capped."""

    nature: str = Field(min_length=1)
    grades: dict[str, DeathGrade] = Field(min_length=1)
    cap_yuan: int = Field(ge=0)


class Rewards(Strict):
    min_yuan: int = Field(ge=0)
    max_yuan: int = Field(ge=0)
    first_reporter_only: bool
    real_name_required: bool
    natures: dict[str, str] = Field(min_length=1, description="案件性质代码 → 名称")
    severities: dict[str, str] = Field(min_length=1, description="危害程度代码 → 名称")
    matrix: list[RewardCell] = Field(default_factory=list)
    fine_share: list[FineShareRule] = Field(default_factory=list)
    per_death: PerDeathRule | None = None
    insider_bonus_percent: int = Field(default=0, ge=0, le=100, description="内部知情人加奖")
    claim_window_days: int = Field(ge=1)

    @model_validator(mode="after")
    def _matrix_is_complete_and_in_band(self) -> Rewards:
        if self.max_yuan < self.min_yuan:
            raise ValueError("奖励上限不能低于下限")
        seen: set[tuple[str, str]] = set()
        for nature, severity, where in self._covered():
            if nature not in self.natures:
                raise ValueError(f"{where}中的案件性质“{nature}”未在 natures 中定义")
            if severity not in self.severities:
                raise ValueError(f"{where}中的危害程度“{severity}”未在 severities 中定义")
            if (nature, severity) in seen:
                raise ValueError(f"{nature}×{severity} 的奖励规则重复")
            seen.add((nature, severity))
        for cell in self.matrix:
            top = cell.amount_yuan if cell.max_yuan is None else cell.max_yuan
            if not self.min_yuan <= cell.amount_yuan <= top <= self.max_yuan:
                raise ValueError(
                    f"奖励矩阵 {cell.nature}×{cell.severity} 的金额 {cell.amount_yuan} 元"
                    f"超出 {self.min_yuan}–{self.max_yuan} 元的范围"
                )
        for rule in self.fine_share:
            if rule.cap_yuan < rule.floor_yuan:
                raise ValueError(f"罚款比例规则 {rule.nature}×{rule.severity} 的上限低于下限")
        missing = [f"{n}×{s}" for n in self.natures for s in self.severities if (n, s) not in seen]
        if missing:
            raise ValueError("奖励矩阵缺少：" + "、".join(missing))
        return self

    def _covered(self) -> list[tuple[str, str, str]]:
        rows = [(c.nature, c.severity, "奖励矩阵") for c in self.matrix]
        rows += [(r.nature, r.severity, "罚款比例规则") for r in self.fine_share]
        if self.per_death is not None:
            rows += [(self.per_death.nature, s, "按死亡人数规则") for s in self.severities]
        return rows


class Throttling(Strict):
    submissions_per_hour: int = Field(default=10, ge=1, description="每个地址每小时提交举报数")
    lookups_per_hour: int = Field(default=30, ge=1, description="每个地址每小时查询次数")
    wrong_codes_in_a_row: int = Field(default=20, ge=1, description="连续输错查询码次数上限")
    lockout_minutes: int = Field(default=30, ge=1)


class Tipoffs(Strict):
    acceptance_within_days: int = Field(default=3, ge=1, description="受理时限（天）")
    handle_within_days: int = Field(ge=1)
    handle_extension_days: int = Field(ge=0)
    feedback_within_days: int = Field(ge=1)
    receipt_code_digits: int = Field(ge=16, le=32)
    reporter_access_lapse_days: int = Field(default=90, ge=1, description="查询码闲置失效天数")
    throttling: Throttling = Field(default_factory=Throttling)
    reportable: list[str] = Field(default_factory=list, description="可举报的事项（公开页面）")
    confidentiality_promise: str = Field(
        default="对举报人身份及相关信息予以保密，未经举报人同意，不以任何方式透露举报人身份。",
        min_length=1,
    )


class JointMeetings(Strict):
    committee_cadence_days: int = Field(ge=1, description="专业安委会联席会议周期（天）")
    territory_cadence_days: int = Field(ge=1, description="镇街联席会议周期（天）")
    cadence_until: date = Field(description="按周召开的截止日期")
    district_min_meetings: int = Field(ge=0)
    district_min_joint_actions: int = Field(ge=0, description="跨辖区、跨部门联合执法行动最少次数")
    district_minimums_until: date


class HazardRules(Strict):
    levels: dict[HazardLevel, str]
    expert_evaluation_levels: list[HazardLevel]
    department_acceptance_levels: list[HazardLevel]
    immediate_rectification_levels: list[HazardLevel]
    five_must_haves: list[
        Literal["responsible_person", "funds", "measures", "deadline", "emergency_plan"]
    ] = Field(min_length=1)
    major_plan_extras: list[Literal["objectives", "organisation_and_staff", "materials"]]
    major_requires_criteria_ref: bool
    acceptance_within_days: int = Field(ge=1)
    due_soon_days: int = Field(ge=0)
    extension_request_min_days_before_due: int = Field(ge=0)
    major_upward_report_same_day: bool
    supervised_progress_report_days: int = Field(ge=1)

    @model_validator(mode="after")
    def _levels_known(self) -> HazardRules:
        for name in (
            "expert_evaluation_levels",
            "department_acceptance_levels",
            "immediate_rectification_levels",
        ):
            for level in getattr(self, name):
                if level not in self.levels:
                    raise ValueError(f"{name} 中的级别“{level}”未在 levels 中定义")
        return self


class Reporting(Strict):
    daily_dispatch_time: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    weekly_bulletin_weekday: Weekday
    monthly_analysis_day: int = Field(ge=1, le=28)
    enterprise_quarterly_due_day: int = Field(ge=1, le=28)
    enterprise_annual_due: str = Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


class Inspections(Strict):
    government_min_inspectors: int = Field(ge=1)
    self_inspection_cadence_days: int = Field(ge=1)
    coverage_deadline: date


class Enforcement(Strict):
    coercive_measures: dict[str, str] = Field(min_length=1)
    power_cut_notice_hours: int = Field(ge=0)
    suspension_max_months: int = Field(ge=1)
    resumption_requires_expert_evaluation: bool
    resumption_requires_department_acceptance: bool
    key_project_review_by: str


class Blacklist(Strict):
    listing_years: int = Field(ge=1)
    earliest_repair_months: int = Field(ge=0)
    restrictions: dict[str, str] = Field(min_length=1)
    one_vote_veto: bool


class Accountability(Strict):
    veto_on_fatal_accident: bool
    admonishment_talk_on_veto: bool


class Records(Strict):
    retention_years: int = Field(ge=1)


class PolicyData(Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    name: str = Field(min_length=1)
    document: Document
    district: District
    targets: Targets
    hotline: Hotline
    rewards: Rewards
    tipoffs: Tipoffs
    joint_meetings: JointMeetings
    hazards: HazardRules
    reporting: Reporting
    inspections: Inspections
    enforcement: Enforcement
    blacklist: Blacklist
    accountability: Accountability
    records: Records

    def reward_for(self, nature: str, severity: str) -> int:
        for cell in self.rewards.matrix:
            if cell.nature == nature and cell.severity == severity:
                return cell.amount_yuan
        raise KeyError((nature, severity))

    def requires_expert_evaluation(self, level: str) -> bool:
        return level in self.hazards.expert_evaluation_levels

    def requires_department_acceptance(self, level: str) -> bool:
        return level in self.hazards.department_acceptance_levels
