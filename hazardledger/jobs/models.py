"""One row per scheduled job and period: the row is the reason a job never runs twice."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    ENQUEUED = "enqueued", _("已排队")
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ScheduledRun(models.Model):
    job = models.CharField(_("任务"), max_length=60)
    period = models.CharField(_("周期"), max_length=32)
    status = models.CharField(
        _("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.ENQUEUED
    )
    enqueued_at = models.DateTimeField(_("排队时间"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0)
    result = models.CharField(_("结果"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("定时任务运行")
        verbose_name_plural = _("定时任务运行")
        ordering = ["-enqueued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="jobs_one_run_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
