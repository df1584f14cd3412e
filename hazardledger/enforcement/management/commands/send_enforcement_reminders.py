"""Tell the closure/demolition group of suspension cases whose period has run out."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from hazardledger.enforcement.jobs import remind_overdue


class Command(BaseCommand):
    help = "Send reminders for suspension cases past their period (idempotent)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"overdue cases: {remind_overdue()}")
