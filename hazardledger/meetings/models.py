"""Joint meetings (联席会议), their decisions and the follow-up items (督办事项) they create (M10).

Whether a meeting counts for a week, or was entered late, and whether an item is overdue, are
computed from dates (cadence.py, selectors.py), never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("例行联席会议")
    SPECIAL = "special", _("专题联席会议")


class Meeting(models.Model):
    convener = models.ForeignKey(
        "org.Unit",
        verbose_name=_("召集单位"),
        on_delete=models.PROTECT,
        related_name="convened_meetings",
    )
    kind = models.CharField(
        _("会议类型"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    held_on = models.DateField(_("召开日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    chair = models.CharField(_("主持人"), max_length=50, blank=True)
    units_present = models.ManyToManyField(
        "org.Unit", verbose_name=_("参会单位"), related_name="meetings_attended"
    )
    units_absent = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("应邀未到单位"),
        blank=True,
        related_name="meetings_missed",
    )
    people_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("参会人员"),
        blank=True,
        related_name="meetings_attended",
    )
    other_attendees = models.CharField(_("其他参会人员"), max_length=500, blank=True)
    problems = models.TextField(_("研究的突出问题"), max_length=5000)
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submission_key = models.CharField(max_length=40, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["convener", "held_on"])]

    def __str__(self) -> str:
        return f"{self.convener} {self.held_on:%Y-%m-%d} {self.get_kind_display()}"


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="decisions"
    )
    seq = models.PositiveIntegerField(_("序号"))
    text = models.CharField(_("议定事项"), max_length=1000)

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["meeting", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seq"], name="meetings_decision_seq")
        ]

    def __str__(self) -> str:
        return f"{self.seq}. {self.text[:40]}"


class ItemStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    CLOSED = "closed", _("已办结")


class FollowUpItem(models.Model):
    decision = models.ForeignKey(
        Decision, verbose_name=_("议定事项"), on_delete=models.PROTECT, related_name="items"
    )
    # Copied from the decision so that scoping needs no join through it.
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="items"
    )
    convener = models.ForeignKey(
        "org.Unit", verbose_name=_("召集单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("督办内容"), max_length=500)
    owner_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="followup_items",
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followup_items",
    )
    due_on = models.DateField(_("办结时限"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evidence = models.TextField(_("办结情况"), max_length=5000, blank=True)
    evidence_file = models.FileField(_("办结佐证材料"), upload_to="meetings/", blank=True)

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner_unit", "status", "due_on"]),
            models.Index(fields=["convener", "status", "due_on"]),
            models.Index(fields=["owner_person", "status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.title[:60]


class ItemLink(models.Model):
    """A follow-up item points at a hazard card, an enterprise or an enforcement case."""

    item = models.ForeignKey(
        FollowUpItem, verbose_name=_("督办事项"), on_delete=models.CASCADE, related_name="links"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("名称"), max_length=200)

    class Meta:
        verbose_name = _("关联对象")
        verbose_name_plural = _("关联对象")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "content_type", "object_id"], name="meetings_itemlink_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label
