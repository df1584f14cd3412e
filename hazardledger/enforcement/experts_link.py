"""The one place enforcement reaches the expert pool (hazardledger.experts)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from hazardledger.experts import selectors as pool
from hazardledger.experts import services as pool_services
from hazardledger.experts.models import Expert


def is_assigned(user: Any, target: Model) -> bool:
    return pool.is_assigned(user, target)


def suggested(enterprise: Any) -> list[Expert]:
    return pool.experts_suggested(enterprise=enterprise)


def assign(*, actor: Any, expert: Expert, target: Model, enterprise: Any, note: str = "") -> None:
    pool_services.expert_assign(
        actor=actor, expert=expert, target=target, enterprise=enterprise, note=note
    )


def release_all(*, actor: Any, target: Model, reason: str) -> None:
    pool_services.expert_release_target(actor=actor, target=target, reason=reason)


def assigned_ids(user: Any, model: type[Model]):
    return pool.assigned_object_ids(user, model)


def assigned_experts(target: Model) -> list[Expert]:
    return [a.expert for a in pool.open_assignments_for_target(target)]
