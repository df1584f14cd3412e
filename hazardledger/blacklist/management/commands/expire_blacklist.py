from typing import Any

from django.core.management.base import BaseCommand

from hazardledger.blacklist.jobs import expire_entries


class Command(BaseCommand):
    help = "黑名单期满移出：记录所有列入期限已届满条目的移出（每日运行，可重复运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        removed = expire_entries()
        self.stdout.write(self.style.SUCCESS(f"期满移出 {removed} 条。"))
