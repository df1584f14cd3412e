"""Throttling of the public channel, per client address, kept in the database so that every
worker process sees the same counts. The address is stored only as a keyed hash.

Counts are per clock hour; wrong receipt codes in a row lock the address out for the
policy's lockout period, and only a correct code resets the run.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.policy.schema import Throttling

from .models import LookupGuard
from .vault import keyed_hash


class Throttled(Exception):
    status_code = 429

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def client_key(request: HttpRequest) -> str:
    # The socket address, never a forwarded header a client could forge.
    return keyed_hash("client", request.META.get("REMOTE_ADDR", ""))[:64]


def _guard(key: str) -> LookupGuard:
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    guard, _created = LookupGuard.objects.get_or_create(key=key, defaults={"window_start": hour})
    if guard.window_start < hour:
        LookupGuard.objects.filter(pk=key, window_start__lt=hour).update(
            window_start=hour, lookups=0, submissions=0
        )
        guard.refresh_from_db()
    return guard


@transaction.atomic
def count_submission(key: str, rules: Throttling) -> None:
    guard = _guard(key)
    if guard.submissions >= rules.submissions_per_hour:
        raise Throttled(_("提交过于频繁，请稍后再试，或拨打举报电话"))
    LookupGuard.objects.filter(pk=key).update(submissions=F("submissions") + 1)


@transaction.atomic
def count_lookup(key: str, rules: Throttling) -> None:
    guard = _guard(key)
    now = timezone.now()
    if guard.locked_until and guard.locked_until > now:
        raise Throttled(
            _("查询码连续输错次数过多，请 %(m)s 分钟后再试") % {"m": rules.lockout_minutes}
        )
    if guard.lookups >= rules.lookups_per_hour:
        raise Throttled(_("查询过于频繁，请稍后再试"))
    LookupGuard.objects.filter(pk=key).update(lookups=F("lookups") + 1)


@transaction.atomic
def wrong_code(key: str, rules: Throttling) -> None:
    LookupGuard.objects.filter(pk=key).update(wrong_in_a_row=F("wrong_in_a_row") + 1)
    LookupGuard.objects.filter(pk=key, wrong_in_a_row__gte=rules.wrong_codes_in_a_row).update(
        locked_until=timezone.now() + timedelta(minutes=rules.lockout_minutes), wrong_in_a_row=0
    )


def right_code(key: str) -> None:
    LookupGuard.objects.filter(pk=key).update(wrong_in_a_row=0)
