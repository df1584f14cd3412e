from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hazardledger.demo import district


class Command(BaseCommand):
    help = "建立（或更新）演示区县：组织机构、行业领域、政策参数和各角色演示账号。可重复运行。"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                accounts, password = district.build()
        except ValidationError as exc:
            raise CommandError("演示数据未载入：" + "；".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS("演示区县已就绪。演示账号（密码相同）："))
        for user in accounts:
            roles = "、".join(g.get_role_display() for g in user.role_grants.all())
            self.stdout.write(f"  {user.username:<11} {user.display_name}（{roles}）")
        self.stdout.write(f"  密码：{password}")
