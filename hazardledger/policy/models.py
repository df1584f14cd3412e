"""Stored policy profiles; exactly one is active at a time (M19)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyProfile(models.Model):
    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    valid_from = models.DateField(_("生效日期"))
    valid_until = models.DateField(_("有效期至"))
    data = models.JSONField(_("参数"))
    source_sha256 = models.CharField(_("来源文件哈希"), max_length=64)
    is_active = models.BooleanField(_("当前启用"), default=False)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("载入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("政策参数方案")
        verbose_name_plural = _("政策参数方案")
        ordering = ["-is_active", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="policy_one_active_profile",
            )
        ]

    def __str__(self) -> str:
        return self.name
