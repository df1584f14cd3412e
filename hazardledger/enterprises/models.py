"""The enterprise file (一企一档): registry of production, business and construction units (M3)."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hazardledger.org.models import TERRITORY_KINDS, Industry, Unit

from .validators import validate_credit_code


class OperatingStatus(models.TextChoices):
    OPERATING = "operating", _("正常生产经营")
    WORK_STOPPED = "work_stopped", _("停工")
    SUSPENDED = "suspended", _("停产整顿")
    CLOSED = "closed", _("关闭取缔")
    DEMOLISHED = "demolished", _("已拆除")


class Category(models.TextChoices):
    HIGH_RISK = "high_risk", _("高危行业")
    ABOVE_SIZE = "above_size", _("规模以上")
    CROWDED = "crowded", _("人员密集场所")
    OTHER = "other", _("其他")


class Scale(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


# Statuses whose enterprises are no longer supervised, so they are no coverage gap.
INACTIVE_STATUSES = frozenset({OperatingStatus.CLOSED, OperatingStatus.DEMOLISHED})


class Enterprise(models.Model):
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("该统一社会信用代码已登记")},
    )
    name = models.CharField(_("企业名称"), max_length=200, db_index=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    territory = models.ForeignKey(
        Unit,
        verbose_name=_("所属镇街"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        limit_choices_to={"kind__in": TERRITORY_KINDS},
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("行业领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    category = models.CharField(
        _("企业类别"), max_length=16, choices=Category.choices, default=Category.OTHER
    )
    status = models.CharField(
        _("经营状态"),
        max_length=16,
        choices=OperatingStatus.choices,
        default=OperatingStatus.OPERATING,
    )
    is_key_project = models.BooleanField(_("重点项目"), default=False)
    scale = models.CharField(_("企业规模"), max_length=8, choices=Scale.choices, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    principal_name = models.CharField(_("主要负责人"), max_length=50, blank=True)
    principal_phone = models.CharField(_("主要负责人电话"), max_length=32, blank=True)
    safety_manager = models.CharField(_("安全管理人员"), max_length=50, blank=True)
    safety_manager_phone = models.CharField(_("安全管理人员电话"), max_length=32, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    safety_engineer_count = models.PositiveIntegerField(_("注册安全工程师人数"), default=0)
    staff_count = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)
    # The named responsible persons of M2: one official of the territory and one of the
    # regulating department answer for this enterprise. Empty is a coverage gap, not an error.
    territory_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("属地责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="territory_enterprises",
    )
    regulator_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("行业监管责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="regulated_enterprises",
    )
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["territory", "industry"]),
            models.Index(fields=["industry"]),
            models.Index(fields=["status"]),
            models.Index(fields=["category"]),
        ]

    def __str__(self) -> str:
        return self.name


class EnterpriseAccount(models.Model):
    """Links an enterprise user's login to the enterprise it speaks for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="enterprise_account",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="accounts"
    )

    class Meta:
        verbose_name = _("企业账号")
        verbose_name_plural = _("企业账号")

    def __str__(self) -> str:
        return f"{self.user} → {self.enterprise}"


class StatusChange(models.Model):
    """One change of operating status; written only by `enterprise_change_status` and the import."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("原状态"), max_length=16, choices=OperatingStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=16, choices=OperatingStatus.choices)
    reason = models.TextField(_("原因"), blank=True)
    changed_at = models.DateTimeField(_("变更时间"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("经营状态变更")
        verbose_name_plural = _("经营状态变更")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.from_status}→{self.to_status}"


class ProcedureKind(models.Model):
    """A kind of licence or procedure (手续); the industries listed must hold it (configurable)."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    industries = models.ManyToManyField(
        Industry,
        verbose_name=_("须具备此手续的行业"),
        blank=True,
        related_name="required_procedure_kinds",
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("手续种类")
        verbose_name_plural = _("手续种类")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ProcedureStatus(models.TextChoices):
    VALID = "valid", _("有效")
    APPLYING = "applying", _("办理中")
    SUSPENDED = "suspended", _("暂扣")
    REVOKED = "revoked", _("吊销/注销")


class Procedure(models.Model):
    """One licence or procedure an enterprise or project holds (or is applying for)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="procedures"
    )
    kind = models.ForeignKey(
        ProcedureKind, verbose_name=_("手续种类"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("证照编号/文号"), max_length=100, blank=True)
    issuer = models.CharField(_("发证/审批机关"), max_length=100, blank=True)
    issued_on = models.DateField(_("发证日期"), null=True, blank=True)
    expires_on = models.DateField(
        _("有效期至"), null=True, blank=True, help_text=_("长期有效的留空。")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ProcedureStatus.choices, default=ProcedureStatus.VALID
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("手续")
        verbose_name_plural = _("手续")
        ordering = ["kind__sort_order", "kind__code", "-issued_on"]
        indexes = [models.Index(fields=["enterprise", "kind", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}".strip()

    def is_current(self, today: date) -> bool:
        return self.status == ProcedureStatus.VALID and (
            self.expires_on is None or self.expires_on >= today
        )


class RuleKind(models.TextChoices):
    INVESTIGATION = "investigation", _("隐患排查制度")
    REGISTRATION = "registration", _("隐患登记制度")
    REPORTING = "reporting", _("隐患报告制度")
    RECTIFICATION = "rectification", _("隐患整改制度")
    REPORT_REWARD = "report_reward", _("内部隐患报告奖励制度")


def _document_path(instance: models.Model, filename: str) -> str:
    # Uploaded names are user input: keep only the extension, under a random name.
    suffix = Path(filename).suffix.lower()[:8]
    return f"enterprises/{instance._meta.model_name}/{uuid.uuid4().hex}{suffix}"


class EnterpriseRule(models.Model):
    """A rule of the enterprise's own on file (M13 main responsibility)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="rules"
    )
    kind = models.CharField(_("制度类别"), max_length=16, choices=RuleKind.choices)
    title = models.CharField(_("制度名称"), max_length=200)
    adopted_on = models.DateField(_("印发日期"), null=True, blank=True)
    document = models.FileField(_("制度文件"), upload_to=_document_path, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("企业制度")
        verbose_name_plural = _("企业制度")
        ordering = ["kind", "-adopted_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class ServiceKind(models.TextChoices):
    AGENCY = "agency", _("技术服务机构")
    EXPERT = "expert", _("专家诊断")


class ServiceRecord(models.Model):
    """A hired technical service agency or an expert diagnosis, with its report (M13)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="services"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=ServiceKind.choices)
    provider = models.CharField(_("机构/专家"), max_length=200)
    performed_on = models.DateField(_("服务日期"))
    scope = models.CharField(_("服务内容"), max_length=300, blank=True)
    conclusion = models.TextField(_("结论"), blank=True)
    report = models.FileField(_("报告"), upload_to=_document_path, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("技术服务/专家诊断")
        verbose_name_plural = _("技术服务/专家诊断")
        ordering = ["-performed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.provider} {self.performed_on}"


from .import_models import BatchStatus, ImportBatch, ImportKind, SavedMapping  # noqa: E402, F401
