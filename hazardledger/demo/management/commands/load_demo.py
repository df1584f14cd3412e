from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hazardledger.demo import blacklist as demo_blacklist
from hazardledger.demo import district
from hazardledger.demo import enforcement as demo_enforcement
from hazardledger.demo import enterprises as demo_enterprises
from hazardledger.demo import experts as demo_experts
from hazardledger.demo import hazards as demo_hazards
from hazardledger.demo import inspections as demo_inspections
from hazardledger.demo import meetings as demo_meetings
from hazardledger.demo import tipoffs as demo_tipoffs


class Command(BaseCommand):
    help = "建立（或更新）演示区县：组织机构、行业领域、政策参数和各角色演示账号。可重复运行。"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                accounts, password = district.build()
                created = demo_enterprises.build()
                hazards_created = demo_hazards.build()
                inspections_created = demo_inspections.build()
                experts_created = demo_experts.build()
                cases_created = demo_enforcement.build()
                meetings_created, items_created = demo_meetings.build()
                blacklist_created = demo_blacklist.build()
                tipoffs_created = demo_tipoffs.build()
        except ValidationError as exc:
            raise CommandError("演示数据未载入：" + "；".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS("演示区县已就绪。演示账号（密码相同）："))
        for user in accounts:
            roles = "、".join(g.get_role_display() for g in user.role_grants.all())
            self.stdout.write(f"  {user.username:<11} {user.display_name}（{roles}）")
        self.stdout.write(f"  密码：{password}")
        self.stdout.write(f"演示企业：新建 {created} 家（已有的不重复创建）。")
        self.stdout.write(f"演示隐患：新建 {hazards_created} 条（已有的不重复创建）。")
        self.stdout.write(f"演示检查记录：新建 {inspections_created} 条（已有的不重复创建）。")
        self.stdout.write(f"演示专家：新建 {experts_created} 名（已有的不重复创建）。")
        self.stdout.write(f"演示执法案件：新建 {cases_created} 件（已有的不重复创建）。")
        self.stdout.write(
            f"演示联席会议：新建 {meetings_created} 次，"
            f"督办事项 {items_created} 项（已有的不重复创建）。"
        )
        self.stdout.write(f"演示黑名单：新建 {blacklist_created} 条（已有的不重复创建）。")
        self.stdout.write(f"演示举报：新建 {tipoffs_created} 件（已有的不重复创建）。")
