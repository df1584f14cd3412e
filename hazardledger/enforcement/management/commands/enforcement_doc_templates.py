"""Create the default enforcement document templates that are missing (or all, with --force)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from hazardledger.enforcement.doc_builder import build_missing
from hazardledger.enforcement.documents import DOC_KINDS


class Command(BaseCommand):
    help = "Write default .docx templates for enforcement documents (docxtpl tags)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="overwrite edited templates")

    def handle(self, *args, force: bool = False, **options) -> None:
        kinds = {k: str(v) for k, v in DOC_KINDS.items()}
        for path in build_missing(kinds, force=force):
            self.stdout.write(str(path))
