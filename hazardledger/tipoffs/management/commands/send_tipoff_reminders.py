from typing import Any

from django.core.management.base import BaseCommand

from hazardledger.tipoffs.jobs import send_tipoff_reminders


class Command(BaseCommand):
    help = (
        "提醒超过受理期限、临近或超过办理和反馈期限的举报，以及待审批的身份查看申请。可重复运行。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_tipoff_reminders()
        total = sum(sent.values())
        self.stdout.write(self.style.SUCCESS(f"新发提醒 {total} 条：{sent}"))
