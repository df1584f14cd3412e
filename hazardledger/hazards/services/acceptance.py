"""Expert evaluation, acceptance, rejection, void and reopen."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hazardledger.experts import selectors as experts
from hazardledger.experts.services import expert_assign, expert_release_target
from hazardledger.lib import files
from hazardledger.lib.workflow import GuardFailed
from hazardledger.org.models import Role, User
from hazardledger.org.selectors import has_role

from ..models import (
    FileKind,
    Hazard,
)
from .core import Upload, _checked, _notify_after_commit, _store_files, _transition


@transaction.atomic
def hazard_apply_acceptance(*, actor: User, hazard: Hazard, comment: str = "") -> Hazard:
    """Apply for acceptance; the policy decides whether expert evaluation comes first."""
    _transition(actor=actor, hazard=hazard, action="apply_acceptance", comment=comment)
    return hazard


@transaction.atomic
def hazard_assign_expert(*, actor: User, hazard: Hazard, expert: User | None) -> Hazard:
    """Assign an expert of the pool to evaluate the rectification (experts.expert_assign):
    conflicts of interest with the card's enterprise and unavailable experts are refused
    (422, on the expert field). Another expert's open assignment to the card ends; assigning
    the same expert again keeps theirs."""
    entry = experts.expert_of(expert) if expert is not None else None
    ok = entry is not None and expert.is_active and has_role(expert, Role.EXPERT)
    already = ok and experts.is_assigned(expert, hazard)
    refusal = (
        "" if not ok or already else "；".join(experts.refusal_reasons(entry, hazard.enterprise))
    )
    _transition(
        actor=actor,
        hazard=hazard,
        action="assign_expert",
        values={"expert": expert},
        facts={"expert_ok": ok, "expert_refusal": refusal},
    )
    if ok and not already:
        _reassign(actor=actor, hazard=hazard, entry=entry)
    return hazard


def _reassign(*, actor: User, hazard: Hazard, entry: Any) -> None:
    expert_release_target(actor=actor, target=hazard, reason="assign_expert")
    try:
        expert_assign(actor=actor, expert=entry, target=hazard, enterprise=hazard.enterprise)
    except ValidationError as exc:  # changed between the check and now: nothing is kept
        raise GuardFailed(exc.messages, fields={"expert": "；".join(exc.messages)}) from exc


def _evaluate(
    *, actor: User, hazard: Hazard, passed: bool, opinion: str, report: Upload | None
) -> Hazard:
    checked = _checked([report] if report else [], "report", files.check_document)
    now = timezone.now()
    values: dict[str, Any] = {"evaluation_opinion": opinion}
    if passed:
        values["evaluated_at"] = now
    _, event = _transition(
        actor=actor,
        hazard=hazard,
        action="evaluation_pass" if passed else "evaluation_fail",
        data={"opinion": opinion},
        values=values,
        comment=opinion,
    )
    _store_files(
        actor=actor, hazard=hazard, kind=FileKind.EVALUATION_REPORT, checked=checked, now=now
    )
    _notify_after_commit(event)
    return hazard


@transaction.atomic
def hazard_evaluation_pass(
    *, actor: User, hazard: Hazard, opinion: str, report: Upload | None = None
) -> Hazard:
    """The assigned expert finds the rectification adequate."""
    return _evaluate(actor=actor, hazard=hazard, passed=True, opinion=opinion, report=report)


@transaction.atomic
def hazard_evaluation_fail(
    *, actor: User, hazard: Hazard, opinion: str, report: Upload | None = None
) -> Hazard:
    """The assigned expert returns the card to rectification, with an opinion."""
    return _evaluate(actor=actor, hazard=hazard, passed=False, opinion=opinion, report=report)


@transaction.atomic
def hazard_accept(*, actor: User, hazard: Hazard, opinion: str = "") -> Hazard:
    """验收合格: close (销号) the card; production may resume."""
    now = timezone.now()
    _, event = _transition(
        actor=actor,
        hazard=hazard,
        action="accept",
        data={"opinion": opinion},
        values={
            "accepted_at": now,
            "accepted_by": actor,
            "acceptance_opinion": opinion,
            "production_suspended": False,
        },
        comment=opinion,
    )
    _notify_after_commit(event)
    return hazard


@transaction.atomic
def hazard_reject(*, actor: User, hazard: Hazard, opinion: str) -> Hazard:
    """验收不合格: back to rectification with the opinion."""
    _, event = _transition(
        actor=actor,
        hazard=hazard,
        action="reject",
        data={"opinion": opinion},
        values={"acceptance_opinion": opinion},
        comment=opinion,
    )
    _notify_after_commit(event)
    return hazard


# ---- administration -----------------------------------------------------------------------


@transaction.atomic
def hazard_void(*, actor: User, hazard: Hazard, reason: str) -> Hazard:
    """Void the card with a reason; it stays in the ledger and keeps its number."""
    _transition(
        actor=actor,
        hazard=hazard,
        action="void",
        data={"reason": reason},
        values={"void_reason": reason},
        comment=reason,
    )
    return hazard


@transaction.atomic
def hazard_reopen(*, actor: User, hazard: Hazard, reason: str, deadline: date | None) -> Hazard:
    """Reopen a closed card for another round of rectification with a new deadline."""
    _transition(
        actor=actor,
        hazard=hazard,
        action="reopen",
        data={"reason": reason, "deadline": deadline},
        values={"deadline": deadline, "closed_at": None, "accepted_at": None, "accepted_by": None},
        comment=reason,
    )
    return hazard
