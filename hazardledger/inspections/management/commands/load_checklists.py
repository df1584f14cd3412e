from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hazardledger.inspections import catalog
from hazardledger.inspections.services import checklist_install


class Command(BaseCommand):
    help = (
        "载入随系统提供的检查表（通用及行业检查表）。已存在的检查表（按代码）保持不变，可重复运行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="*", help="检查表 YAML 文件；不指定则载入系统自带的全部检查表"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            specs = [catalog.parse(Path(f)) for f in options["files"]] or catalog.shipped()
            for spec in specs:
                version = checklist_install(actor=None, spec=spec)
                state = "已载入" if version else "已存在，未改动"
                self.stdout.write(f"  {spec.code:<16} {spec.name}：{state}")
        except ValidationError as exc:
            raise CommandError("检查表未载入：" + "；".join(exc.messages)) from exc
