"""The expert pool (专家库): experts, their specialties, certificates and availability, their
engagements with enterprises (for conflicts of interest) and their assignments to any object."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hazardledger.enterprises.models import Enterprise
from hazardledger.org.models import Industry


class Specialty(models.Model):
    """A work-safety field an expert is qualified in (危险化学品, 建筑施工, 消防 …)."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    industries = models.ManyToManyField(
        Industry,
        verbose_name=_("对应行业领域"),
        blank=True,
        related_name="expert_specialties",
        help_text=_("该行业企业的评估优先推荐此专业的专家"),
    )

    class Meta:
        verbose_name = _("专业领域")
        verbose_name_plural = _("专业领域")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Expert(models.Model):
    """A person of the pool; the login is an org user holding the expert role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        on_delete=models.PROTECT,
        related_name="expert_profile",
    )
    specialties = models.ManyToManyField(
        Specialty, verbose_name=_("专业领域"), blank=True, related_name="experts"
    )
    title = models.CharField(_("职称"), max_length=50, blank=True)
    employer = models.CharField(_("工作单位"), max_length=200, blank=True)
    employer_enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("工作单位（在册企业）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employed_experts",
        help_text=_("工作单位是本区在册企业时选择，用于利益回避"),
    )
    is_active = models.BooleanField(_("在库"), default=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("入库时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = _("专家")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.user.display_name


class CertificateKind(models.TextChoices):
    REGISTERED_SAFETY_ENGINEER = "rse", _("注册安全工程师")
    PROFESSIONAL_TITLE = "title", _("专业技术职称证书")
    EXPERT_APPOINTMENT = "appointment", _("专家聘书")
    SAFETY_ASSESSOR = "assessor", _("安全评价师")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备检验检测资格")
    OTHER = "other", _("其他")


class ExpertCertificate(models.Model):
    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.CASCADE, related_name="certificates"
    )
    kind = models.CharField(_("证书类别"), max_length=20, choices=CertificateKind.choices)
    number = models.CharField(_("证书编号"), max_length=64)
    valid_until = models.DateField(_("有效期至"))
    file = models.FileField(_("证书文件"), max_length=200, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    added_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家证书")
        verbose_name_plural = _("专家证书")
        ordering = ["-valid_until", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "kind", "number"], name="experts_certificate_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Unavailability(models.Model):
    """A period in which the expert cannot be assigned (出差、休假、回避期 …)."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.CASCADE, related_name="unavailable"
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("不可用时段")
        verbose_name_plural = _("不可用时段")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="experts_unavailable_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}～{self.ends_on}"


class EngagementKind(models.TextChoices):
    CONSULTING = "consulting", _("技术咨询")
    DIAGNOSIS = "diagnosis", _("专家诊断/安全评估")
    TRAINING = "training", _("培训授课")
    PART_TIME = "part_time", _("兼职/顾问")
    FORMER_EMPLOYMENT = "former_employment", _("曾任职")
    OTHER = "other", _("其他")


class ExpertEngagement(models.Model):
    """The expert worked for an enterprise: a conflict of interest within the policy's period."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.CASCADE, related_name="engagements"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="expert_engagements",
    )
    kind = models.CharField(_("类别"), max_length=20, choices=EngagementKind.choices)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("空表示仍在进行"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("受聘/服务记录")
        verbose_name_plural = _("受聘/服务记录")
        ordering = ["-started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="experts_engagement_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.enterprise}"


class ExpertAssignment(models.Model):
    """An expert assigned to any object (a hazard card's evaluation, a resumption …); open
    while `released_at` is empty. The expert sees the object only while it is open."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="assignments"
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    target = GenericForeignKey("content_type", "object_id")
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expert_assignments",
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指派人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("指派时间"))
    released_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解除人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("专家指派")
        verbose_name_plural = _("专家指派")
        ordering = ["-assigned_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "content_type", "object_id"],
                condition=Q(released_at__isnull=True),
                name="experts_assignment_open_unique",
                violation_error_message=_("该专家已被指派到此事项"),
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="experts_assign_target"),
            models.Index(fields=["expert", "released_at"], name="experts_assign_open"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.content_type.name} #{self.object_id}"

    @property
    def is_open(self) -> bool:
        return self.released_at is None
