"""A stored import: the uploaded file, its mapping, the preview and the per-row outcome.

Shared by the roster and the hazard ledger imports (hazards imports downward from here).
An upload is parsed into a batch (状态 previewed) before anything is written; applying it
writes every row or none and stores the outcome of each row on the batch.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    ROSTER = "roster", _("企业名录")
    HAZARDS = "hazards", _("隐患台账")


class BatchStatus(models.TextChoices):
    PREVIEWED = "previewed", _("待确认")
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    APPLIED = "applied", _("已导入")
    REJECTED = "rejected", _("有错误，未导入")


class ImportBatch(models.Model):
    kind = models.CharField(_("类型"), max_length=10, choices=ImportKind.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PREVIEWED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    filename = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("大小"))
    content = models.BinaryField(_("文件内容"), editable=False)
    sheet = models.CharField(_("工作表"), max_length=100, blank=True)
    header_row = models.PositiveIntegerField(_("表头行"), default=0)
    mapping = models.JSONField(_("列映射"), default=dict, blank=True)
    clear_blanks = models.BooleanField(_("空白单元格清空原值"), default=False)
    columns = models.JSONField(_("列"), default=list, blank=True)
    preview = models.JSONField(_("预览行"), default=list, blank=True)
    skipped = models.JSONField(_("跳过的行"), default=list, blank=True)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    outcomes = models.JSONField(_("逐行结果"), default=list, blank=True)
    rows_read = models.PositiveIntegerField(_("已读行数"), default=0)
    rows_checked = models.PositiveIntegerField(_("已校验行数"), default=0)
    rows_written = models.PositiveIntegerField(_("已写入行数"), default=0)
    rows_total = models.PositiveIntegerField(_("数据行数"), default=0)
    created = models.PositiveIntegerField(_("新建"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化"), default=0)
    duplicates = models.PositiveIntegerField(_("重复"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "created_by", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename}"


class SavedMapping(models.Model):
    """A person's correction of a mapping (header → field), used for their next upload."""

    kind = models.CharField(_("类型"), max_length=10, choices=ImportKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_mappings"
    )
    mapping = models.JSONField(_("列映射"), default=dict)
    updated_at = models.DateTimeField(_("保存时间"), auto_now=True)

    class Meta:
        verbose_name = _("保存的列映射")
        verbose_name_plural = _("保存的列映射")
        constraints = [
            models.UniqueConstraint(fields=["kind", "user"], name="ent_savedmapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()}"
