"""Dragnet inspection campaigns, checklists, inspections and self-inspection schedules (M4, M13).

A campaign stores its scope, never its target list: the enterprises in scope are a query
(`selectors.campaign_targets`), so an enterprise registered later is counted. Checklists are
versioned; an inspection keeps the exact version it used, and a version leaves the draft
state only to become read-only, so old inspections always show the items they were run with.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hazardledger.enterprises.models import Category, Enterprise
from hazardledger.hazards.models import HazardCategory, HazardNature
from hazardledger.org.models import Industry, Unit, UnitKind

ItemCategory = HazardCategory  # 基础管理类 / 现场管理类: the same two groups as the hazard card


def _user_fk(verbose: str, related: str = "+", *, null: bool = True) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose,
        null=null,
        blank=null,
        on_delete=models.PROTECT,
        related_name=related,
    )


# ---- checklists ---------------------------------------------------------------------------


class ChecklistStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    LIVE = "live", _("启用")
    ARCHIVED = "archived", _("已停用")


class Checklist(models.Model):
    """A checklist template; its content lives in numbered versions."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    industries = models.ManyToManyField(
        Industry,
        verbose_name=_("适用行业"),
        blank=True,
        related_name="checklists",
        help_text=_("不选即为通用检查表。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查表")
        verbose_name_plural = _("检查表")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ChecklistVersion(models.Model):
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("检查表"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ChecklistStatus.choices, default=ChecklistStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("修订自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_by = _user_fk(_("编制人"))
    created_at = models.DateTimeField(_("编制时间"))
    published_at = models.DateTimeField(_("启用时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("检查表版本")
        verbose_name_plural = _("检查表版本")
        ordering = ["checklist", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "number"], name="insp_version_number"),
            models.UniqueConstraint(
                fields=["checklist"], condition=Q(status="live"), name="insp_one_live_version"
            ),
            models.UniqueConstraint(
                fields=["checklist"], condition=Q(status="draft"), name="insp_one_draft_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checklist.name} 第{self.number}版"

    @property
    def is_editable(self) -> bool:
        return self.status == ChecklistStatus.DRAFT


class ChecklistItem(models.Model):
    version = models.ForeignKey(
        ChecklistVersion, verbose_name=_("版本"), on_delete=models.CASCADE, related_name="items"
    )
    category = models.CharField(_("类别"), max_length=20, choices=ItemCategory.choices)
    position = models.PositiveIntegerField(_("序号"))
    code = models.CharField(_("编号"), max_length=16, blank=True)
    text = models.CharField(_("检查内容"), max_length=300)
    basis = models.CharField(_("检查依据"), max_length=300, blank=True)
    nature = models.CharField(
        _("不合格时的隐患性质"),
        max_length=20,
        choices=HazardNature.choices,
        default=HazardNature.THING,
    )

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["version", "category", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "category", "position"], name="insp_item_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}".strip()


# ---- campaigns ----------------------------------------------------------------------------


class Campaign(models.Model):
    """A dragnet inspection campaign (拉网式大检查) led by a district leader."""

    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("工作要求"), blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    leader = _user_fk(_("带队区领导"), "led_campaigns", null=False)
    committee = models.ForeignKey(
        Unit,
        verbose_name=_("组织专业安委会"),
        on_delete=models.PROTECT,
        related_name="campaigns",
        limit_choices_to={"kind": UnitKind.PROFESSIONAL_COMMITTEE},
    )
    # Empty scope dimensions mean "all"; the target list is computed from these, never stored.
    territories = models.ManyToManyField(
        Unit,
        verbose_name=_("检查镇街"),
        blank=True,
        related_name="campaigns_in_territory",
    )
    industries = models.ManyToManyField(
        Industry, verbose_name=_("检查行业"), blank=True, related_name="campaigns"
    )
    categories = models.JSONField(_("企业类别"), default=list, blank=True)
    checklist = models.ForeignKey(
        Checklist,
        verbose_name=_("推荐检查表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    created_by = _user_fk(_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("大检查行动")
        verbose_name_plural = _("大检查行动")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="insp_campaign_dates"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def category_labels(self) -> list[str]:
        return [str(Category(c).label) for c in self.categories if c in Category.values]


# ---- inspections --------------------------------------------------------------------------


class InspectionKind(models.TextChoices):
    GOVERNMENT = "government", _("政府检查")
    JOINT = "joint", _("联合检查")
    SELF = "self", _("企业自查")
    EXPERT = "expert", _("专家诊断")


# Inspections by government officers: the policy's minimum inspector count applies, and only
# these count toward a campaign's coverage.
GOVERNMENT_KINDS = frozenset({InspectionKind.GOVERNMENT, InspectionKind.JOINT})


class ItemResult(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")
    NOT_APPLICABLE = "na", _("不适用")


class Inspection(models.Model):
    # Generated by the form when it is first shown; a resubmitted form finds its inspection.
    submission_key = models.UUIDField(_("提交标识"), unique=True, editable=False)
    kind = models.CharField(_("检查类型"), max_length=12, choices=InspectionKind.choices)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("受检企业"), on_delete=models.PROTECT, related_name="inspections"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("所属大检查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    checklist_version = models.ForeignKey(
        ChecklistVersion,
        verbose_name=_("检查表版本"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    inspected_on = models.DateField(_("检查日期"))
    lead = _user_fk(_("带队人"), "led_inspections")
    lead_name = models.CharField(_("带队人/负责人"), max_length=50)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人员"),
        blank=True,
        related_name="inspections_joined",
    )
    other_participants = models.CharField(_("其他参加人员"), max_length=200, blank=True)
    agency = models.CharField(_("技术服务机构"), max_length=100, blank=True)
    summary = models.TextField(_("检查结论"), blank=True)
    representative_name = models.CharField(_("企业确认人"), max_length=50, blank=True)
    representative_remark = models.CharField(_("企业确认意见"), max_length=300, blank=True)
    confirmed_at = models.DateTimeField(_("企业确认时间"), null=True, blank=True)
    confirmed_by = _user_fk(_("确认账号"))
    recorded_by = _user_fk(_("录入人"), "recorded_inspections")
    recorded_at = models.DateTimeField(_("录入时间"))

    class Meta:
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        ordering = ["-inspected_on", "-pk"]
        indexes = [
            models.Index(fields=["campaign", "enterprise"], name="insp_campaign_ent"),
            models.Index(fields=["enterprise", "kind", "inspected_on"], name="insp_ent_kind_on"),
            models.Index(fields=["kind", "inspected_on", "id"], name="insp_kind_on"),
            models.Index(fields=["inspected_on", "id"], name="insp_on_id"),
            models.Index(fields=["lead", "inspected_on"], name="insp_lead_on"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.inspected_on} {self.get_kind_display()}"

    @property
    def number(self) -> str:
        return f"JC{self.pk:06d}"

    @property
    def is_government(self) -> bool:
        return self.kind in GOVERNMENT_KINDS


class InspectionItem(models.Model):
    """One checklist item's result; a failed item may become a hazard card (linked both ways)."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查记录"), on_delete=models.CASCADE, related_name="items"
    )
    checklist_item = models.ForeignKey(
        ChecklistItem, verbose_name=_("检查项"), on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(_("检查结果"), max_length=4, choices=ItemResult.choices)
    note = models.TextField(_("情况说明"), blank=True)
    location = models.CharField(_("问题部位"), max_length=200, blank=True)
    photo = models.FileField(_("照片"), max_length=200, blank=True)
    photo_content_type = models.CharField(max_length=40, blank=True)
    photo_size = models.PositiveIntegerField(null=True, blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    hazard = models.OneToOneField(
        "hazards.Hazard",
        verbose_name=_("隐患卡"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_item",
    )

    class Meta:
        verbose_name = _("检查项结果")
        verbose_name_plural = _("检查项结果")
        ordering = ["inspection", "checklist_item__category", "checklist_item__position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "checklist_item"], name="insp_item_once")
        ]
        indexes = [models.Index(fields=["inspection", "result"], name="insp_item_result")]

    def __str__(self) -> str:
        return f"{self.checklist_item} · {self.get_result_display()}"


# ---- self-inspection ----------------------------------------------------------------------


class SelfInspectionSchedule(models.Model):
    """An enterprise's recurring self-inspection (企业自查); periods follow from the dates."""

    enterprise = models.OneToOneField(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="self_inspection_schedule",
    )
    starts_on = models.DateField(_("起始日期"))
    cadence_days = models.PositiveIntegerField(
        _("周期（天）"), null=True, blank=True, help_text=_("留空则按政策参数方案的自查周期。")
    )
    checklist = models.ForeignKey(
        Checklist,
        verbose_name=_("自查检查表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = _user_fk(_("建立人"))
    created_at = models.DateTimeField(_("建立时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("企业自查计划")
        verbose_name_plural = _("企业自查计划")
        ordering = ["enterprise__name"]

    def __str__(self) -> str:
        return f"{self.enterprise} 自查计划"
