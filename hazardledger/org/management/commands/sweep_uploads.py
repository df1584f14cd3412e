from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hazardledger.org.maintenance import sweep_uploads


class Command(BaseCommand):
    help = (
        "清理无人引用的上传文件（事务回滚或进程中断留下的）。只处理超过宽限时间的文件；"
        "后台任务每天运行一次。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--grace-hours", type=float, default=24.0, help="宽限时间（小时）")
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep_uploads(grace_hours=options["grace_hours"], dry_run=options["dry_run"])
        verb = "可清理" if options["dry_run"] else "已清理"
        self.stdout.write(
            f"检查 {result.examined} 个文件，{verb} {result.removed} 个无人引用的文件"
            f"（{result.bytes_removed} 字节）"
        )
