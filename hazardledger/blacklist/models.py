"""Blacklist entries (严重失信主体名单), their grounds, partner notifications and the check log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from hazardledger.enterprises.models import Enterprise
from hazardledger.org.models import Unit


class EntryStatus(models.TextChoices):
    PROPOSED = "proposed", _("拟列入")
    NOTIFIED = "notified", _("已告知（陈述申辩期）")
    APPROVED = "approved", _("已决定列入")
    PUBLISHED = "published", _("已公示")
    OBJECTION = "objection", _("异议处理中")
    REPAIRING = "repairing", _("信用修复申请中")
    REMOVED = "removed", _("已移出")


class RemovalReason(models.TextChoices):
    EXPIRED = "expired", _("期满移出")
    REPAIRED = "repaired", _("信用修复提前移出")
    REVOKED = "revoked", _("撤销移出")
    WITHDRAWN = "withdrawn", _("撤回（未列入）")


class NoticeChannel(models.TextChoices):
    DOCUMENT = "document", _("书面送达")
    POST = "post", _("邮寄送达")
    IN_PERSON = "in_person", _("当面送达")
    SYSTEM = "system", _("信息系统推送")
    EMAIL = "email", _("电子邮件")
    FAX = "fax", _("传真")
    ANNOUNCEMENT = "announcement", _("公告送达")


class PartnerKind(models.TextChoices):
    DEPARTMENT = "department", _("行政审批和主管部门")
    BANK = "bank", _("人民银行和银行业金融机构")
    FINANCE = "finance", _("财政和政府采购")
    LAND = "land", _("自然资源部门")
    CREDIT = "credit", _("信用信息共享平台")
    OTHER = "other", _("其他单位")


class Entry(models.Model):
    """One listing of one enterprise. Whether it restricts on a day is a date condition
    (`selectors.effective_q`): listed_on ≤ day ≤ expires_on in a listed state."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="blacklist_entries",
    )
    # Copied at proposal so that the restriction query is one indexed lookup with no join.
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    grounds = models.TextField(_("列入事由"), max_length=2000)
    legal_basis = models.CharField(_("列入依据"), max_length=300)
    decision_no = models.CharField(_("列入决定文号"), max_length=100, blank=True)
    restrictions = models.JSONField(_("惩戒措施"), default=list)
    # The labels as the decision named them (the policy's catalogue may change later).
    restriction_labels = models.JSONField(_("惩戒措施名称"), default=list)
    status = models.CharField(
        _("状态"), max_length=16, choices=EntryStatus.choices, default=EntryStatus.PROPOSED
    )
    version = models.PositiveIntegerField(default=0)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposing_unit = models.ForeignKey(
        Unit, verbose_name=_("提出单位"), null=True, blank=True, on_delete=models.SET_NULL
    )
    proposed_at = models.DateTimeField(_("提出时间"))
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    notice_channel = models.CharField(
        _("告知方式"), max_length=16, choices=NoticeChannel.choices, blank=True
    )
    objection_deadline = models.DateField(_("陈述申辩截止日"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    listed_on = models.DateField(_("列入日期"), null=True, blank=True)
    expires_on = models.DateField(_("计划移出日期"), null=True, blank=True)
    earliest_repair_on = models.DateField(_("最早可申请修复日期"), null=True, blank=True)
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    objection_from = models.CharField(
        _("异议前状态"), max_length=16, choices=EntryStatus.choices, blank=True
    )
    objection_text = models.TextField(_("异议内容"), max_length=2000, blank=True)
    objection_on = models.DateField(_("异议提出日期"), null=True, blank=True)
    repair_applied_on = models.DateField(_("修复申请日期"), null=True, blank=True)
    repair_reason = models.TextField(_("修复申请理由"), max_length=2000, blank=True)
    repair_evidence = models.TextField(_("修复证明材料"), max_length=2000, blank=True)
    repair_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修复初审人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_reason = models.CharField(
        _("移出原因"), max_length=16, choices=RemovalReason.choices, blank=True
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("移出批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removal_note = models.TextField(_("移出说明"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("黑名单条目")
        verbose_name_plural = _("黑名单条目")
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["credit_code", "status"], name="blacklist_code_status"),
            models.Index(fields=["status", "expires_on"], name="blacklist_status_expiry"),
            models.Index(fields=["enterprise", "status"], name="blacklist_enterprise_status"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name}（{self.get_status_display()}）"


class Ground(models.Model):
    """A record the listing rests on: any model instance (a penalty, a case, a hazard card)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="ground_links")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    # What the record was called when linked, shown if the record is gone.
    label = models.CharField(_("名称"), max_length=300)

    class Meta:
        verbose_name = _("列入依据记录")
        verbose_name_plural = _("列入依据记录")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "content_type", "object_id"], name="blacklist_ground_unique"
            )
        ]

    def __str__(self) -> str:
        target = self.target
        return str(target) if target is not None else self.label


class PartnerNotice(models.Model):
    """Who outside the office was told of a listing or removal, when and how (通报)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="partner_notices")
    kind = models.CharField(_("单位类别"), max_length=16, choices=PartnerKind.choices)
    recipient = models.CharField(_("接收单位"), max_length=200)
    channel = models.CharField(_("通报方式"), max_length=16, choices=NoticeChannel.choices)
    sent_on = models.DateField(_("通报日期"))
    about_removal = models.BooleanField(_("通报移出"), default=False)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("通报记录")
        verbose_name_plural = _("通报记录")
        ordering = ["-sent_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.sent_on}"


class CheckLog(models.Model):
    """One restriction query by a signed-in caller (a department): who asked about whom.

    Not an audit event: a query changes nothing, and the audit chain serialises its writers."""

    at = models.DateTimeField(_("查询时间"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查询人"), on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("查询单位"), null=True, blank=True, on_delete=models.SET_NULL
    )
    credit_code = models.CharField(_("被查询代码"), max_length=18, db_index=True)
    restricted = models.BooleanField(_("结果：受限"))
    entry_id = models.BigIntegerField(_("命中条目"), null=True, blank=True)

    class Meta:
        verbose_name = _("限制查询记录")
        verbose_name_plural = _("限制查询记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} → {self.credit_code}"
