from typing import Any

from django.core.management.base import BaseCommand

from hazardledger.hazards.models import NotificationKind
from hazardledger.hazards.notifications import send_reminders


class Command(BaseCommand):
    help = (
        "发送隐患提醒：即将到期、已逾期（并向属地和主管部门负责人督促）、退回整改、验收销号。"
        "可重复运行：已发送的提醒不会重复发送。建议每天定时运行。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        created = send_reminders()
        labels = dict(NotificationKind.choices)
        if not created:
            self.stdout.write("没有新的提醒。")
            return
        for kind, n in sorted(created.items()):
            self.stdout.write(f"{labels.get(kind, kind)}：{n} 条")
