"""The shape of a policy profile: every number and rule of the policy document, as data.

A profile file (YAML or JSON) is validated against `PolicyData`; unknown keys are refused so
that a misspelt field cannot silently fall back to a default.
"""

from __future__ import annotations

from datetime import date
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
    amount_yuan: int = Field(ge=0)


class Rewards(Strict):
    min_yuan: int = Field(ge=0)
    max_yuan: int = Field(ge=0)
    first_reporter_only: bool
    real_name_required: bool
    natures: dict[str, str] = Field(min_length=1, description="案件性质代码 → 名称")
    severities: dict[str, str] = Field(min_length=1, description="危害程度代码 → 名称")
    matrix: list[RewardCell] = Field(min_length=1)
    claim_window_days: int = Field(ge=1)

    @model_validator(mode="after")
    def _matrix_is_complete_and_in_band(self) -> Rewards:
        if self.max_yuan < self.min_yuan:
            raise ValueError("奖励上限不能低于下限")
        seen = set()
        for cell in self.matrix:
            if cell.nature not in self.natures:
                raise ValueError(f"奖励矩阵中的案件性质“{cell.nature}”未在 natures 中定义")
            if cell.severity not in self.severities:
                raise ValueError(f"奖励矩阵中的危害程度“{cell.severity}”未在 severities 中定义")
            if not self.min_yuan <= cell.amount_yuan <= self.max_yuan:
                raise ValueError(
                    f"奖励矩阵 {cell.nature}×{cell.severity} 的金额 {cell.amount_yuan} 元"
                    f"超出 {self.min_yuan}–{self.max_yuan} 元的范围"
                )
            seen.add((cell.nature, cell.severity))
        missing = [f"{n}×{s}" for n in self.natures for s in self.severities if (n, s) not in seen]
        if missing:
            raise ValueError("奖励矩阵缺少：" + "、".join(missing))
        return self


class Tipoffs(Strict):
    handle_within_days: int = Field(ge=1)
    handle_extension_days: int = Field(ge=0)
    feedback_within_days: int = Field(ge=1)
    receipt_code_digits: int = Field(ge=16, le=32)


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


class BlacklistCheckLimits(Strict):
    anonymous_per_minute: int = Field(
        default=60, ge=1, le=100_000, description="匿名查询每分钟次数"
    )
    signed_in_per_minute: int = Field(
        default=600, ge=1, le=1_000_000, description="登录查询每分钟次数"
    )


class Blacklist(Strict):
    listing_years: int = Field(ge=1)
    earliest_repair_months: int = Field(ge=0)
    restrictions: dict[str, str] = Field(min_length=1)
    one_vote_veto: bool
    objection_window_days: int = Field(default=5, ge=1, le=90, description="告知后陈述申辩期（日）")
    inspection_frequency_factor: float = Field(
        default=2.0, ge=1, le=12, description="列入名单企业的检查频次倍数"
    )
    check_limits: BlacklistCheckLimits = BlacklistCheckLimits()

    @model_validator(mode="after")
    def _listing_outlasts_repair(self) -> Blacklist:
        if self.earliest_repair_months > self.listing_years * 12:
            raise ValueError("信用修复最短期限不能长于列入期限")
        return self


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
