from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hazardledger.audit.models import AuditEvent
from hazardledger.audit.services import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链：完好时退出码为 0，否则指出第一条有问题的事件并以非零退出。"

    def handle(self, *args: Any, **options: Any) -> None:
        problem = verify_chain()
        if problem is not None:
            where = f"事件 #{problem.event_id}" if problem.event_id else "链头"
            raise CommandError(f"审计链校验失败：{where}：{problem.message}")
        self.stdout.write(f"审计链完好：共 {AuditEvent.objects.count()} 条事件")
