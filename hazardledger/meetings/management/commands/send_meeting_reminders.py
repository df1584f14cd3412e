from typing import Any

from django.core.management.base import BaseCommand

from hazardledger.meetings.jobs import send_meeting_reminders


class Command(BaseCommand):
    help = "发送联席会议到期、未按期召开和督办事项逾期提醒（每天运行一次；重复运行不会重复发送）。"

    def handle(self, *args: Any, **options: Any) -> None:
        from hazardledger.hazards.notification_kinds import kind_label

        sent = send_meeting_reminders()
        total = sum(sent.values())
        detail = "，".join(f"{kind_label(k)} {v}" for k, v in sorted(sent.items())) or "无"
        self.stdout.write(f"已发送提醒 {total} 条（{detail}）。")
