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


MeetingUnitKind = Literal["professional_committee", "town", "street", "development_zone"]
DistrictConvenerKind = Literal["safety_office", "district_government"]


class JointMeetings(Strict):
    committee_cadence_days: int = Field(ge=1, le=366, description="专业安委会联席会议周期（天）")
    territory_cadence_days: int = Field(ge=1, le=366, description="镇街联席会议周期（天）")
    cadence_until: date = Field(description="按周召开的截止日期")
    district_min_meetings: int = Field(ge=0)
    district_min_joint_actions: int = Field(ge=0, description="跨辖区、跨部门联合执法行动最少次数")
    district_minimums_until: date
    # The fields below have defaults so that older profile files keep loading.
    cadence_from: date | None = Field(
        default=None, description="按周期召开的起始日期（缺省为文件生效日期）"
    )
    unit_kinds: list[MeetingUnitKind] = Field(
        default=["professional_committee", "town", "street"],
        description="须定期召开联席会议的单位类型",
    )
    week_starts_on: Weekday = Field(default=1, description="每个周期从星期几开始（1 为星期一）")
    district_convener_kinds: list[DistrictConvenerKind] = Field(
        default=["safety_office"], min_length=1, description="代表区安委会召集会议的单位类型"
    )
    joint_action_must_cross: list[Literal["territories", "departments"]] = Field(
        default=["territories", "departments"], description="计入最少次数的联合执法须跨越的范围"
    )
    remind_days_before_due: int = Field(default=1, ge=0, le=30)
    remind_days_after_missed: int = Field(default=1, ge=1, le=30)

    @model_validator(mode="after")
    def _window_ordered(self) -> JointMeetings:
        if self.cadence_from and self.cadence_until < self.cadence_from:
            raise ValueError("联席会议周期截止日期不能早于起始日期")
        return self


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


class MeasureRule(Strict):
    """The district's implementation rule for one coercive measure (doc 三、四)."""

    requires_refusal: bool  # a decision served and refused by the party
    collective_decision: bool
    approval_roles: list[str] = Field(min_length=1)
    notice_hours: int = Field(ge=0)  # advance written notice (0: none required)
    executing_unit: str = Field(min_length=1)


class PenaltyArticle(Strict):
    title: str = Field(min_length=1)
    min_yuan: int = Field(ge=0)
    max_yuan: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> PenaltyArticle:
        if self.min_yuan > self.max_yuan:
            raise ValueError("min_yuan must not exceed max_yuan")
        return self


class AlwaysRule(Strict):
    """One of the four "always" (四个一律): a finding or event and the measure it proposes."""

    when: Literal["reinspection_failed", "illegal_production", "violation", "crime"]
    proposes: Literal["closure", "penalty", "suspension", "referral"]
    label: str = Field(min_length=1)


class Enforcement(Strict):
    coercive_measures: dict[str, str] = Field(min_length=1)
    power_cut_notice_hours: int = Field(ge=0)
    suspension_max_months: int = Field(ge=1)
    resumption_requires_expert_evaluation: bool
    resumption_requires_department_acceptance: bool
    key_project_review_by: str
    measure_rules: dict[str, MeasureRule] = Field(default_factory=dict)
    penalty_articles: dict[str, PenaltyArticle] = Field(default_factory=dict)
    four_always: dict[str, AlwaysRule] = Field(default_factory=dict)
    # "{prefix}〔{year}〕{seq}号"; prefix per document kind falls back to document_prefix.
    document_number_format: str = "{prefix}〔{year}〕{seq}号"
    document_prefix: str = "安监"
    secondary_accident_checklist: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _measures_known(self) -> Enforcement:
        unknown = set(self.measure_rules) - set(self.coercive_measures)
        if unknown:
            raise ValueError(f"measure_rules for unknown measures: {sorted(unknown)}")
        power = self.measure_rules.get("cut_power")
        if power is not None and power.notice_hours < self.power_cut_notice_hours:
            raise ValueError("cut_power notice_hours is below power_cut_notice_hours")
        if "{seq}" not in self.document_number_format:
            raise ValueError("document_number_format needs {seq}")
        return self


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


class Experts(Strict):
    conflict_lookback_months: int = Field(
        ge=0, le=240, description="回避期：专家受聘于企业或为其服务后多少个月内不得参与其评估"
    )
    certificate_must_be_valid: bool = Field(description="证书过期的专家不得指派")
    max_open_assignments: int = Field(
        ge=0, le=1000, description="每名专家同时承担的指派上限（0 为不限）"
    )


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
    experts: Experts

    def reward_for(self, nature: str, severity: str) -> int:
        for cell in self.rewards.matrix:
            if cell.nature == nature and cell.severity == severity:
                return cell.amount_yuan
        raise KeyError((nature, severity))

    def requires_expert_evaluation(self, level: str) -> bool:
        return level in self.hazards.expert_evaluation_levels

    def requires_department_acceptance(self, level: str) -> bool:
        return level in self.hazards.department_acceptance_levels
