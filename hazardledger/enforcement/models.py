"""Enforcement (M7, M8, M9, M11, M20): subjects, cases, coercive measures, proposals of the
four "always", resumption acceptance, documents and joint enforcement actions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from hazardledger.enterprises.models import Enterprise
from hazardledger.org.models import TERRITORY_KINDS, Industry, Unit, UnitKind

USER = settings.AUTH_USER_MODEL


class ProjectStatus(models.TextChoices):
    BUILDING = "building", _("在建")
    STOPPED = "stopped", _("停工")
    RESUMED = "resumed", _("已复工")


class ConstructionProject(models.Model):
    """An enterprise's construction project; its procedures are the registry's (手续)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("建设单位"), on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField(_("项目名称"), max_length=200)
    location = models.CharField(_("项目地点"), max_length=300, blank=True)
    is_key_project = models.BooleanField(_("重点项目"), default=False)
    status = models.CharField(
        _("项目状态"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.BUILDING
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("建设项目")
        verbose_name_plural = _("建设项目")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.name


class StructureStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    NOTICE_SERVED = "notice_served", _("已送达拆除通知")
    DEMOLISHED_BY_OWNER = "demolished_by_owner", _("当事人自行拆除")
    DEMOLISHED_BY_FORCE = "demolished_by_force", _("依法强制拆除")
    VERIFIED = "verified", _("已核验")


class IllegalStructure(models.Model):
    location = models.CharField(_("位置"), max_length=300)
    territory = models.ForeignKey(
        Unit,
        verbose_name=_("所属镇街"),
        on_delete=models.PROTECT,
        related_name="illegal_structures",
        limit_choices_to={"kind__in": TERRITORY_KINDS},
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("关联企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="illegal_structures",
    )
    owner = models.CharField(_("所有人或使用人"), max_length=100)
    area_m2 = models.DecimalField(_("面积（平方米）"), max_digits=10, decimal_places=2)
    use = models.CharField(_("用途"), max_length=100, blank=True)
    discovered_by = models.ForeignKey(
        USER, verbose_name=_("发现人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    discovered_on = models.DateField(_("发现日期"))
    status = models.CharField(
        _("状态"),
        max_length=24,
        choices=StructureStatus.choices,
        default=StructureStatus.REGISTERED,
    )

    class Meta:
        verbose_name = _("违法建筑")
        verbose_name_plural = _("违法建筑")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.location}（{self.owner}）"


class CaseKind(models.TextChoices):
    STOP_WORK = "stop_work", _("手续不全停工")
    DEMOLITION = "demolition", _("违法建筑拆除")
    SUSPENSION = "suspension", _("停产整顿")
    CLOSURE = "closure", _("关闭取缔")
    PENALTY = "penalty", _("行政处罚")
    REFERRAL = "referral", _("移送追究法律责任")
    KEY_PROJECT = "key_project", _("重点项目审查")


class CaseStatus(models.TextChoices):
    OPENED = "opened", _("已立案")
    NOTIFIED = "notified", _("已告知")
    PENDING_APPROVAL = "pending_approval", _("待第二审批人审批")
    DECIDED = "decided", _("已决定")
    SERVED = "served", _("已送达")
    REFUSED = "refused", _("拒不执行")
    EXECUTED = "executed", _("已执行")
    REINSPECTION_FAILED = "reinspection_failed", _("复查不合格")
    RECTIFIED = "rectified", _("复查合格")
    LIFTED = "lifted", _("已解除（恢复生产）")
    CLOSED_DOWN = "closed_down", _("已关闭取缔")
    DEMOLISHED = "demolished", _("已拆除")
    VERIFIED = "verified", _("已核验")
    REFERRED = "referred", _("已移送")
    RECEIPTED = "receipted", _("已回执")
    STOPPED = "stopped", _("已停工待审")
    DISTRICT_DECIDED = "district_decided", _("区政府已研究决定")
    COMPLETING = "completing", _("补办手续中")
    RESUMED = "resumed", _("已复工")
    CLOSED = "closed", _("已结案")
    WITHDRAWN = "withdrawn", _("已撤销")


FINAL_CASE_STATUSES = frozenset(
    {
        CaseStatus.LIFTED,
        CaseStatus.CLOSED_DOWN,
        CaseStatus.VERIFIED,
        CaseStatus.RESUMED,
        CaseStatus.CLOSED,
        CaseStatus.WITHDRAWN,
    }
)


class Finding(models.TextChoices):
    """What the facts amount to; the four "always" propose the next measure from these."""

    ILLEGAL_PRODUCTION = "illegal_production", _("非法生产经营建设")
    VIOLATION = "violation", _("违法违规生产经营")
    CRIME = "crime", _("涉嫌犯罪")


class Case(models.Model):
    kind = models.CharField(_("案件类型"), max_length=16, choices=CaseKind.choices)
    number = models.CharField(_("案件编号"), max_length=40, unique=True)
    status = models.CharField(
        _("状态"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.OPENED
    )
    version = models.PositiveIntegerField(default=0)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("当事单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
    )
    project = models.ForeignKey(
        ConstructionProject,
        verbose_name=_("建设项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    structure = models.ForeignKey(
        IllegalStructure,
        verbose_name=_("违法建筑"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # Copied from the subject so that scoping needs no joins (like the hazard card).
    territory = models.ForeignKey(
        Unit, verbose_name=_("所属镇街"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业领域"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    origin_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin_id = models.PositiveBigIntegerField(null=True, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    findings = models.JSONField(_("违法情形"), default=list, blank=True)
    facts = models.TextField(_("违法事实"), blank=True)
    legal_basis = models.TextField(_("法律依据"), blank=True)
    opened_by = models.ForeignKey(
        USER, verbose_name=_("立案人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("立案时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        USER, verbose_name=_("决定人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    executed_at = models.DateTimeField(_("执行时间"), null=True, blank=True)
    period_end = models.DateField(_("整顿期限"), null=True, blank=True)
    # Penalty (一律按上限处罚).
    article = models.CharField(_("处罚依据条款"), max_length=40, blank=True)
    amount_yuan = models.PositiveBigIntegerField(_("罚款金额（元）"), null=True, blank=True)
    lower_reason = models.TextField(_("低于上限的理由"), blank=True)
    second_approver = models.ForeignKey(
        USER, verbose_name=_("第二审批人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Referral (移送).
    referred_to = models.CharField(_("移送机关"), max_length=100, blank=True)
    receipt_number = models.CharField(_("回执编号"), max_length=60, blank=True)
    receipt_on = models.DateField(_("回执日期"), null=True, blank=True)
    # Key-project review (重点项目审查).
    district_decision = models.TextField(_("区政府研究决定"), blank=True)
    helpers = models.ManyToManyField(USER, verbose_name=_("帮办人员"), blank=True, related_name="+")
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("执法案件")
        verbose_name_plural = _("执法案件")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["territory", "status"]),
            models.Index(fields=["industry", "status"]),
            models.Index(fields=["enterprise", "status"]),
            models.Index(fields=["origin_type", "origin_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def subject_label(self) -> str:
        return str(self.enterprise or self.structure or self.project or "")

    def origin_text(self) -> str:
        origin = self.origin
        if origin is None:
            return ""
        label = getattr(origin, "origin_label", None)
        return str(label()) if callable(label) else str(origin)

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL_CASE_STATUSES


class CaseEvent(models.Model):
    """The case's own history, shown on its page (the audit chain holds the proof)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=32)
    label = models.CharField(_("操作名称"), max_length=60)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.label}"


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("待执行")
    EXECUTED = "executed", _("已执行")
    LIFTED = "lifted", _("已解除")


class Measure(models.Model):
    """A coercive measure (联动执法): seal equipment, cut power, cut water, demolish."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(_("措施"), max_length=24)
    status = models.CharField(
        _("状态"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    version = models.PositiveIntegerField(default=0)
    items = models.TextField(_("查封物品清单"), blank=True)
    seal_numbers = models.CharField(_("封条编号"), max_length=200, blank=True)
    photo = models.FileField(_("现场照片"), upload_to="enforcement/", blank=True)
    collective_decision_on = models.DateField(_("集体讨论决定日期"), null=True, blank=True)
    collective_decision_ref = models.CharField(_("集体讨论记录"), max_length=100, blank=True)
    approved_by = models.ForeignKey(
        USER, verbose_name=_("批准人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    notice_served_at = models.DateTimeField(_("书面通知送达时间"), null=True, blank=True)
    executing_unit = models.ForeignKey(
        Unit,
        verbose_name=_("执行单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    executed_at = models.DateTimeField(_("执行时间"), null=True, blank=True)
    executed_by = models.CharField(_("执行人"), max_length=100, blank=True)
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    lifted_by = models.CharField(_("解除执行人"), max_length=100, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("强制措施")
        verbose_name_plural = _("强制措施")
        ordering = ["pk"]

    def __str__(self) -> str:
        from hazardledger.policy.services import active_policy

        label = active_policy().enforcement.coercive_measures.get(self.kind, self.kind)
        return f"{self.case.number} {label}"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("不予采纳")


class Proposal(models.Model):
    """A next measure proposed by a rule of the four "always" (M11)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="proposals")
    rule = models.CharField(_("规则"), max_length=32)
    proposed_kind = models.CharField(_("建议措施"), max_length=16, choices=CaseKind.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    resulting_case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("处置建议")
        verbose_name_plural = _("处置建议")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "rule"], name="enforcement_proposal_once")
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.get_proposed_kind_display()}"


class ResumptionStatus(models.TextChoices):
    APPLIED = "applied", _("已申请")
    EXPERTS_ASSIGNED = "experts_assigned", _("已指派专家")
    EVALUATED = "evaluated", _("专家评估通过")
    ACCEPTED = "accepted", _("部门验收合格")
    WITHDRAWN = "withdrawn", _("已撤回")


class Resumption(models.Model):
    """复工验收 (M9): application → experts → evaluation → department acceptance."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="resumptions")
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ResumptionStatus.choices,
        default=ResumptionStatus.APPLIED,
    )
    version = models.PositiveIntegerField(default=0)
    evidence = models.TextField(_("整改情况及证明材料"))
    evidence_file = models.FileField(_("证明材料"), upload_to="enforcement/", blank=True)
    applied_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    applied_at = models.DateTimeField(auto_now_add=True)
    evaluation_report = models.TextField(_("专家评估意见"), blank=True)
    evaluated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evaluated_at = models.DateTimeField(null=True, blank=True)
    acceptance_opinion = models.TextField(_("部门验收意见"), blank=True)
    accepted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("复工验收")
        verbose_name_plural = _("复工验收")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.case.number} 复工验收"


class ChecklistStep(models.TextChoices):
    CLOSURE = "closure", _("关闭取缔")
    DEMOLITION = "demolition", _("拆除")
    RESUMPTION = "resumption", _("复工")


class SafetyChecklist(models.Model):
    """次生事故防范: confirmed before closure, demolition and resumption steps."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checklists")
    step = models.CharField(_("环节"), max_length=16, choices=ChecklistStep.choices)
    items = models.JSONField(_("检查项"), default=list)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("次生事故防范检查")
        verbose_name_plural = _("次生事故防范检查")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_step_display()}"


class Counter(models.Model):
    """Per-year sequences that only grow: case numbers and document numbers."""

    series = models.CharField(max_length=16)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="enforcement_counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}: {self.last}"


class Document(models.Model):
    """An enforcement document generated from an editable template, numbered 〔year〕N号."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("文书"), max_length=32)
    title = models.CharField(_("文书名称"), max_length=60)
    number = models.CharField(_("文号"), max_length=60, unique=True)
    file = models.FileField(_("文件"), upload_to="enforcement/docs/")
    generated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    generated_at = models.DateTimeField(auto_now_add=True)
    served_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    served_how = models.CharField(_("送达方式"), max_length=40, blank=True)
    served_to = models.CharField(_("受送达人"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("执法文书")
        verbose_name_plural = _("执法文书")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"


class JointAction(models.Model):
    """联合执法: counts toward the policy's cross-territory, cross-department minimum."""

    acted_on = models.DateField(_("执法日期"))
    title = models.CharField(_("行动名称"), max_length=200)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+"
    )
    units = models.ManyToManyField(Unit, verbose_name=_("参加单位"), related_name="+")
    territories = models.ManyToManyField(
        Unit,
        verbose_name=_("涉及镇街"),
        related_name="+",
        limit_choices_to={"kind__in": TERRITORY_KINDS},
    )
    departments = models.ManyToManyField(
        Unit,
        verbose_name=_("参加部门"),
        related_name="+",
        limit_choices_to={"kind": UnitKind.DEPARTMENT},
    )
    enterprises = models.ManyToManyField(
        Enterprise, verbose_name=_("检查对象"), blank=True, related_name="joint_actions"
    )
    cases = models.ManyToManyField(
        Case, verbose_name=_("立案案件"), blank=True, related_name="joint_actions"
    )
    note = models.TextField(_("情况说明"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联合执法行动")
        verbose_name_plural = _("联合执法行动")
        ordering = ["-acted_on", "-pk"]
        indexes = [models.Index(fields=["acted_on"])]

    def __str__(self) -> str:
        return f"{self.acted_on} {self.title}"
