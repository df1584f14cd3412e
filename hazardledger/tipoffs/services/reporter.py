"""What the reporter does through the receipt code: look the case up, answer, add evidence,
claim the reward. The reporter is anonymous to the system; the code is the only key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.lib.workflow import GuardFailed

from .. import receipt, rules, throttle
from ..models import Author, Message, Reward, RewardStatus, TipOff
from ..workflow import REPORTER, REWARD
from .common import audit, field_errors, policy, text
from .intake import _checked_files, store_files

TOKEN_SALT = "tipoffs.reporter"
TOKEN_MAX_AGE = 30 * 60  # a page left open for half an hour must enter the code again
_DUMMY_SALT = "00" * 16


class CodeRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def tipoff_lookup(*, code: str, client: str) -> TipOff:
    """The tip-off a receipt code opens, counting the attempt against the client's limits.

    A wrong code costs as much time as a right one (the slow hash runs either way). Not one
    transaction: a refused code must still count against the client."""
    limits = policy().tipoffs
    throttle.count_lookup(client, limits.throttling)
    digits = receipt.normalise(code)
    tipoff = TipOff.objects.filter(receipt_index=receipt.index(digits)).first() if digits else None
    if tipoff is None:
        receipt.matches(digits or "0", salt=_DUMMY_SALT, stored="")
    elif receipt.matches(digits, salt=tipoff.receipt_salt, stored=tipoff.receipt_hash):
        now = timezone.now()
        if rules.access_lapsed(tipoff.reporter_seen_at, now, limits):
            throttle.right_code(client)
            raise CodeRefused(
                _("该查询码已超过 %(d)s 天未使用而失效，请拨打举报电话联系")
                % {"d": limits.reporter_access_lapse_days}
            )
        TipOff.objects.filter(pk=tipoff.pk).update(reporter_seen_at=now)
        throttle.right_code(client)
        return tipoff
    throttle.wrong_code(client, limits.throttling)
    raise CodeRefused(_("查询码不正确，请核对后重新输入"))


def token_for(tipoff: TipOff) -> str:
    """Lets the open status page act for the reporter without carrying the code itself."""
    return signing.dumps({"t": tipoff.pk, "h": tipoff.receipt_hash[:16]}, salt=TOKEN_SALT)


def tipoff_from_token(token: str) -> TipOff | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except (signing.BadSignature, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    tipoff = TipOff.objects.filter(pk=data.get("t")).first()
    if tipoff is None or tipoff.receipt_hash[:16] != data.get("h"):
        return None
    return tipoff


@transaction.atomic
def reporter_reply(*, tipoff: TipOff, body: str, uploads: Sequence[IO[bytes]] = ()) -> Message:
    """The reporter answers a question or adds evidence, without revealing themselves."""
    errors: dict[str, str] = {}
    body = text(
        body, limit=2000, field="body", label=_("补充内容"), required=not uploads, errors=errors
    )
    field_errors(errors)
    checked = _checked_files(list(uploads))
    message = Message.objects.create(
        tipoff=tipoff, author=Author.REPORTER, body=body or "（补充附件）"
    )
    store_files(tipoff, checked, actor=None, from_reporter=True)
    TipOff.objects.filter(pk=tipoff.pk).update(reporter_seen_at=timezone.now())
    audit(
        actor=None,
        tipoff=tipoff,
        action="reporter_reply",
        changes={"message": message.pk, "files": len(checked)},
        counted=False,
    )
    return message


@transaction.atomic
def reward_claim(*, tipoff: TipOff) -> Reward:
    """The reporter claims an approved reward within the window (then collects in person)."""
    reward = Reward.objects.filter(tipoff=tipoff).first()
    if reward is None or reward.status != RewardStatus.APPROVED:
        raise GuardFailed(_("该举报目前没有可申领的奖励"))
    REWARD.check(reward.status, "claim", {REPORTER}, reward)
    if reward.claimed_at:
        raise GuardFailed(_("奖励已申领，请按通知现场领取"))
    if timezone.now() > rules.claim_closes(reward.decided_at, policy().rewards):
        raise GuardFailed(_("已超过领奖期限"))
    REWARD.apply(reward, target=RewardStatus.APPROVED, values={"claimed_at": timezone.now()})
    audit(actor=None, tipoff=tipoff, action="reward_claim", changes={"reward": reward.pk})
    return reward
