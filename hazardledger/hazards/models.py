"""One card per hazard (一隐患一卡), its rectification plan (五落实) and its history (M5, M6).

The status changes only through `services` (the workflow table in `workflow.py`); derived
conditions such as overdue or acceptance-late are computed from dates in `selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hazardledger.enterprises.models import Enterprise
from hazardledger.org.models import Industry, Unit

from .notification_kinds import kind_label, register_kind


class HazardStatus(models.TextChoices):
    REGISTERED = "registered", _("待确认")
    CONFIRMED = "confirmed", _("待制定方案")
    RECTIFYING = "rectifying", _("整改中")
    RECTIFIED = "rectified", _("已整改待申请验收")
    EVALUATING = "evaluating", _("专家评估中")
    ACCEPTANCE_PENDING = "acceptance_pending", _("待验收")
    CLOSED = "closed", _("已销号")
    VOIDED = "voided", _("已作废")
    TRANSFERRED = "transferred", _("已抄告移送")


OPEN_STATUSES = (
    HazardStatus.REGISTERED,
    HazardStatus.CONFIRMED,
    HazardStatus.RECTIFYING,
    HazardStatus.RECTIFIED,
    HazardStatus.EVALUATING,
    HazardStatus.ACCEPTANCE_PENDING,
)


class HazardLevel(models.TextChoices):
    GENERAL = "general", _("一般")
    MAJOR = "major", _("重大")


class HazardCategory(models.TextChoices):
    BASIC_MANAGEMENT = "basic_management", _("基础管理类")
    SITE_MANAGEMENT = "site_management", _("现场管理类")


class HazardNature(models.TextChoices):
    THING = "thing", _("物的不安全状态")
    PERSON = "person", _("人的不安全行为")
    MANAGEMENT = "management", _("管理缺陷")
    ENVIRONMENT = "environment", _("环境因素")


class HazardSource(models.TextChoices):
    GOVERNMENT_INSPECTION = "government_inspection", _("政府检查")
    SELF_INSPECTION = "self_inspection", _("企业自查")
    TIPOFF = "tipoff", _("群众举报")
    EXPERT_DIAGNOSIS = "expert_diagnosis", _("专家诊断")
    TRANSFER = "transfer", _("抄告移送")
    OTHER = "other", _("其他")


class RectificationMode(models.TextChoices):
    IMMEDIATE = "immediate", _("立即整改")
    DEADLINE = "deadline", _("限期整改")


class SupervisionLevel(models.TextChoices):
    DISTRICT = "district", _("区级挂牌督办")
    CITY = "city", _("市级挂牌督办")
    PROVINCE = "province", _("省级挂牌督办")


class CardCounter(models.Model):
    """The last card sequence number issued per year; numbers are never handed out twice."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("隐患编号计数器")
        verbose_name_plural = _("隐患编号计数器")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


def _user_fk(verbose: str, related: str = "+") -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related,
    )


class Hazard(models.Model):
    card_no = models.CharField(_("隐患编号"), max_length=32, unique=True)
    # The number the card had in the office's own Excel ledger, when it was imported.
    original_no = models.CharField(_("原台账编号"), max_length=60, blank=True, db_default="")
    import_batch = models.ForeignKey(
        "enterprises.ImportBatch",
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="hazards"
    )
    # Snapshots of the enterprise's territory, industry and regulator at registration:
    # the ledger filters and scopes on them without a join, and a transfer changes department.
    territory = models.ForeignKey(
        Unit,
        verbose_name=_("所属镇街"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        Unit,
        verbose_name=_("主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.CharField(_("隐患部位"), max_length=200)
    description = models.TextField(_("隐患描述"))
    cause = models.TextField(_("产生原因"), blank=True)
    category = models.CharField(_("隐患类别"), max_length=20, choices=HazardCategory.choices)
    nature = models.CharField(_("隐患性质"), max_length=20, choices=HazardNature.choices)
    level = models.CharField(_("隐患级别"), max_length=10, choices=HazardLevel.choices)
    criteria_standard = models.CharField(_("判定标准"), max_length=200, blank=True)
    criteria_article = models.CharField(_("条款"), max_length=50, blank=True)
    criteria_item = models.CharField(_("项"), max_length=50, blank=True)
    harm_analysis = models.TextField(_("危害程度和整改难易程度分析"), blank=True)
    source = models.CharField(_("隐患来源"), max_length=24, choices=HazardSource.choices)
    source_ref = models.CharField(_("来源依据"), max_length=200, blank=True)
    transferred_from = models.ForeignKey(
        "self",
        verbose_name=_("抄告来源隐患"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    found_by = models.CharField(_("发现人"), max_length=100)
    found_on = models.DateField(_("发现时间"))
    legal_basis = models.TextField(_("法律依据"), blank=True)

    status = models.CharField(
        _("整改状态"),
        max_length=20,
        choices=HazardStatus.choices,
        default=HazardStatus.REGISTERED,
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    stage_started_at = models.DateTimeField(_("进入当前状态时间"))
    registered_at = models.DateTimeField(_("登记时间"))
    registered_by = _user_fk(_("登记人"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    # 五落实 (the rectification plan); the major extras come from 16号令 Art. 15.
    rectification_mode = models.CharField(
        _("整改方式"), max_length=12, choices=RectificationMode.choices, blank=True
    )
    responsible_person = models.CharField(_("整改责任人"), max_length=50, blank=True)
    responsible_phone = models.CharField(_("责任人电话"), max_length=32, blank=True)
    funds_yuan = models.DecimalField(
        _("整改资金（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    measures = models.TextField(_("整改措施"), blank=True)
    deadline = models.DateField(_("整改时限"), null=True, blank=True)
    emergency_plan = models.TextField(_("应急预案"), blank=True)
    objectives = models.TextField(_("治理目标和任务"), blank=True)
    organisation_and_staff = models.TextField(_("负责治理的机构和人员"), blank=True)
    materials = models.TextField(_("治理物资"), blank=True)
    monitoring_measures = models.TextField(_("整改期间监控措施"), blank=True)

    rectified_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    rectification_note = models.TextField(_("整改情况说明"), blank=True)
    funds_actual_yuan = models.DecimalField(
        _("实际整改资金（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    expert = _user_fk(_("评估专家"), "assigned_hazards")
    evaluated_at = models.DateTimeField(_("专家评估通过时间"), null=True, blank=True)
    evaluation_opinion = models.TextField(_("专家评估意见"), blank=True)
    acceptance_applied_at = models.DateTimeField(_("验收申请时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    accepted_by = _user_fk(_("验收人"))
    acceptance_opinion = models.TextField(_("验收意见"), blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    void_reason = models.TextField(_("作废原因"), blank=True)
    transfer_department = models.ForeignKey(
        Unit,
        verbose_name=_("抄告移送部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Overlays: flags beside the status, each set and cleared by its own audited action.
    is_supervised = models.BooleanField(_("挂牌督办"), default=False)
    supervision_level = models.CharField(
        _("督办级别"), max_length=12, choices=SupervisionLevel.choices, blank=True
    )
    supervision_doc_no = models.CharField(_("督办文号"), max_length=60, blank=True)
    supervised_at = models.DateTimeField(_("挂牌时间"), null=True, blank=True)
    production_suspended = models.BooleanField(_("停产停业"), default=False)

    class Meta:
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")
        ordering = ["-found_on", "-pk"]
        indexes = [
            # Keyset orders (sort key, pk) and the ledger's filters combined with them.
            models.Index(fields=["found_on", "id"], name="haz_found_id"),
            models.Index(fields=["registered_at", "id"], name="haz_registered_id"),
            models.Index(fields=["deadline", "id"], name="haz_deadline_id"),
            models.Index(fields=["status", "deadline", "id"], name="haz_status_deadline"),
            models.Index(fields=["status", "found_on", "id"], name="haz_status_found"),
            models.Index(fields=["territory", "status", "found_on"], name="haz_terr_status"),
            models.Index(fields=["industry", "status", "found_on"], name="haz_ind_status"),
            models.Index(fields=["department", "status", "found_on"], name="haz_dept_status"),
            # Work lists and the deadline sort: a short index range per scope and status.
            models.Index(
                fields=["territory", "status", "deadline", "id"], name="haz_terr_status_dl"
            ),
            models.Index(fields=["industry", "status", "deadline", "id"], name="haz_ind_status_dl"),
            models.Index(
                fields=["department", "status", "deadline", "id"], name="haz_dept_status_dl"
            ),
            models.Index(fields=["enterprise", "status"], name="haz_ent_status"),
            # Re-imports find a card by its office number or by enterprise + found date.
            models.Index(
                fields=["original_no"], name="haz_original_no", condition=~models.Q(original_no="")
            ),
            models.Index(fields=["enterprise", "found_on"], name="haz_ent_found"),
            models.Index(fields=["level", "status"], name="haz_level_status"),
            models.Index(fields=["source", "found_on"], name="haz_source_found"),
            models.Index(fields=["status", "acceptance_applied_at"], name="haz_status_applied"),
            models.Index(fields=["expert", "status"], name="haz_expert_status"),
            # Supervised cards are few: the work list and the filter read only them.
            models.Index(
                fields=["deadline", "id"],
                name="haz_supervised_dl",
                condition=models.Q(is_supervised=True),
            ),
        ]

    def __str__(self) -> str:
        return self.card_no

    @property
    def criteria_ref(self) -> str:
        parts = [self.criteria_standard, self.criteria_article, self.criteria_item]
        return " ".join(p for p in parts if p)


class FileKind(models.TextChoices):
    BEFORE_PHOTO = "before_photo", _("整改前照片")
    AFTER_PHOTO = "after_photo", _("整改后照片")
    PROGRESS_PHOTO = "progress_photo", _("整改进展照片")
    EMERGENCY_PLAN = "emergency_plan", _("应急预案文件")
    EVALUATION_REPORT = "evaluation_report", _("专家评估报告")


PHOTO_KINDS = frozenset({FileKind.BEFORE_PHOTO, FileKind.AFTER_PHOTO, FileKind.PROGRESS_PHOTO})


class HazardFile(models.Model):
    """A stored upload; the name on disk is generated, the content hashed."""

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("类型"), max_length=20, choices=FileKind.choices)
    file = models.FileField(_("文件"), max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=60)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = _user_fk(_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("隐患附件")
        verbose_name_plural = _("隐患附件")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["hazard", "kind", "uploaded_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"

    @property
    def is_photo(self) -> bool:
        return self.kind in PHOTO_KINDS


class HazardEvent(models.Model):
    """The card's own history (shown on the card page); written beside each audit event."""

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("时间"))
    actor = _user_fk(_("操作人"))
    role = models.CharField(_("角色"), max_length=32, blank=True)
    action = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20)
    comment = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("隐患处理记录")
        verbose_name_plural = _("隐患处理记录")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["hazard", "at"]),
            models.Index(fields=["action", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.action}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class HazardExtension(models.Model):
    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="extensions")
    requested_by = _user_fk(_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"))
    reason = models.TextField(_("延期理由"))
    interim_controls = models.TextField(_("临时管控措施"))
    old_deadline = models.DateField(_("原整改时限"))
    new_deadline = models.DateField(_("申请延至"))
    status = models.CharField(
        _("审批状态"),
        max_length=10,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
    )
    decided_by = _user_fk(_("审批人"))
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    opinion = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["hazard"],
                condition=Q(status="pending"),
                name="haz_one_pending_extension",
            )
        ]
        indexes = [models.Index(fields=["status", "hazard"])]

    def __str__(self) -> str:
        return f"{self.hazard_id} → {self.new_deadline}"


class NotificationKind(models.TextChoices):
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")
    ESCALATED = "escalated", _("逾期督促")
    RETURNED = "returned", _("退回整改")
    ACCEPTED = "accepted", _("验收销号")


for _kind in NotificationKind:
    register_kind(_kind.value, _kind.label)


class Notification(models.Model):
    """An in-app message; `key` makes every reminder idempotent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hazard_notifications"
    )
    hazard = models.ForeignKey(
        Hazard, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    # Kinds are registered by each app (notifications.register_kind), so no app needs a
    # migration of this one to send its own messages.
    kind = models.CharField(_("类型"), max_length=24)
    key = models.CharField(max_length=120, unique=True)
    message = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("时间"))
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at", "created_at"])]

    def __str__(self) -> str:
        return self.message

    def get_kind_display(self) -> str:
        return kind_label(self.kind)
