"""The enterprise file (一企一档): registry of production, business and construction units (M3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hazardledger.org.models import Industry, Unit


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


class Enterprise(models.Model):
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("企业名称"), max_length=200, db_index=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    territory = models.ForeignKey(
        Unit,
        verbose_name=_("所属镇街"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
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
