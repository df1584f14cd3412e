from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hazardledger.tipoffs import vault
from hazardledger.tipoffs.services import vault_rotate


class Command(BaseCommand):
    help = (
        "把举报人身份库全部记录改用当前密钥重新加密。使用密钥文件时加 --new 生成新密钥；"
        "使用 TIPOFF_VAULT_KEY 时先把新密钥放在最前、旧密钥放在其后，"
        "完成后再删去旧密钥。可重复运行。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--new", action="store_true", help="在密钥文件中生成新密钥并设为当前密钥"
        )
        parser.add_argument(
            "--drop-old", action="store_true", help="重新加密完成后从密钥文件删去旧密钥"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ring = vault.keyring()
        if options["new"]:
            if not ring.from_file:
                raise CommandError(
                    "密钥来自 TIPOFF_VAULT_KEY：请在环境变量中加入新密钥，不能用 --new"
                )
            self.stdout.write(f"新密钥：{vault.add_generated_key()}")
        count = vault_rotate()
        self.stdout.write(
            self.style.SUCCESS(f"已重新加密 {count} 条记录，当前密钥 {vault.keyring().current}")
        )
        if options["drop_old"]:
            if not ring.from_file:
                raise CommandError("密钥来自 TIPOFF_VAULT_KEY：请在环境变量中删去旧密钥")
            vault.drop_old_keys()
            self.stdout.write("已删去旧密钥。")
