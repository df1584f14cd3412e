from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hazardledger.policy.services import PolicyFileError, load_policy_file


class Command(BaseCommand):
    help = "载入政策参数方案（YAML 或 JSON）；--activate 将其设为唯一启用的方案。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--activate", action="store_true", help="载入后启用")
        parser.add_argument("--year", type=int, help="把所有日期整体平移到该年份（演示用）")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            profile = load_policy_file(
                actor=None, path=path, activate=options["activate"], year=options["year"]
            )
        except PolicyFileError as exc:
            raise CommandError("政策参数文件无效：\n" + "\n".join(exc.messages)) from exc
        state = "已启用" if profile.is_active else "未启用"
        self.stdout.write(f"已载入 {profile.code}（{profile.name}），{state}")
