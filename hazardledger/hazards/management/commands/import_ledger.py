"""Import a hazard ledger (.xlsx) as a person, with progress: `import_ledger FILE --user NAME`.

`--dry-run` stops after the preview; `--batch ID` applies a batch already uploaded.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hazardledger.enterprises.models import BatchStatus, ImportBatch
from hazardledger.hazards.imports.services import ledger_apply, ledger_upload
from hazardledger.org.models import User


class Command(BaseCommand):
    help = "导入隐患台账（.xlsx）：先校验全部行，无误后一次写入"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", help="台账文件路径")
        parser.add_argument("--user", help="以该用户的身份和管辖范围导入")
        parser.add_argument("--batch", type=int, help="确认已上传的导入批次")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")

    def _progress(self, batch: ImportBatch) -> None:
        self.stderr.write(
            f"已读 {batch.rows_read} 已校验 {batch.rows_checked} 已写入 {batch.rows_written}"
        )

    def handle(self, *args, **options) -> None:
        if options["batch"]:
            batch = ImportBatch.objects.filter(pk=options["batch"]).first()
            if batch is None:
                raise CommandError("没有该导入批次")
            user = batch.created_by
        else:
            if not options["file"] or not options["user"]:
                raise CommandError("请给出文件和 --user")
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"没有用户“{options['user']}”")
            path = Path(options["file"])
            batch = ledger_upload(
                actor=user, filename=path.name, data=path.read_bytes(), progress=self._progress
            )
        if batch.status == BatchStatus.PREVIEWED and not options["dry_run"]:
            batch = ledger_apply(actor=user, batch_id=batch.pk, progress=self._progress)
        for error in batch.errors[:20]:
            self.stderr.write(f"第 {error['row']} 行 {error['column']}：{error['message']}")
        self.stdout.write(
            f"批次 {batch.pk} {batch.get_status_display()}：共 {batch.rows_total} 行，"
            f"新建 {batch.created}，更新 {batch.updated}，无变化 {batch.unchanged}，"
            f"重复 {batch.duplicates}，错误 {batch.error_count}"
        )
        if batch.status == BatchStatus.REJECTED:
            raise CommandError("有错误，未导入任何数据")
