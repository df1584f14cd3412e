"""Every write to a hazard card (DESIGN.md §3.1).

Each service is keyword-only and atomic: it checks scope and role, validates, moves the card
through the workflow table with a guarded update, writes one audit event (and the card's own
history row), and schedules notifications on commit. Refusals raise `WorkflowError`
subclasses (409/422) or `PermissionDenied` (403) and change nothing.
"""

from __future__ import annotations

from typing import Any

from hazardledger.org.models import User

from ..models import Hazard

# The public services, importable from here as before the split by sub-capability.
from .acceptance import (
    hazard_accept,
    hazard_apply_acceptance,
    hazard_assign_expert,
    hazard_evaluation_fail,
    hazard_evaluation_pass,
    hazard_reject,
    hazard_reopen,
    hazard_void,
)
from .core import (
    CARD_FIELDS,
    PLAN_FIELDS,
    REQUIRED_CARD_FIELDS,
    stored_plan,
)
from .overlays import (
    ATTACH_RULES,
    hazard_attach_file,
    hazard_delist_supervised,
    hazard_list_supervised,
    hazard_resume_production,
    hazard_suspend_production,
)
from .plan import (
    hazard_approve_extension,
    hazard_mark_rectified,
    hazard_rectify_immediately,
    hazard_reject_extension,
    hazard_report_progress,
    hazard_request_extension,
    hazard_save_plan,
    hazard_submit_plan,
    plan_field_errors,
)
from .register import (
    card_field_errors,
    hazard_confirm,
    hazard_register,
    hazard_transfer,
)

__all__ = [
    "ACTION_SERVICES",
    "ATTACH_RULES",
    "CARD_FIELDS",
    "PLAN_FIELDS",
    "REQUIRED_CARD_FIELDS",
    "card_field_errors",
    "hazard_accept",
    "hazard_apply_acceptance",
    "hazard_approve_extension",
    "hazard_assign_expert",
    "hazard_attach_file",
    "hazard_confirm",
    "hazard_delist_supervised",
    "hazard_evaluation_fail",
    "hazard_evaluation_pass",
    "hazard_list_supervised",
    "hazard_mark_rectified",
    "hazard_perform",
    "hazard_rectify_immediately",
    "hazard_register",
    "hazard_reject",
    "hazard_reject_extension",
    "hazard_reopen",
    "hazard_report_progress",
    "hazard_request_extension",
    "hazard_resume_production",
    "hazard_save_plan",
    "hazard_submit_plan",
    "hazard_suspend_production",
    "hazard_transfer",
    "hazard_void",
    "plan_field_errors",
    "stored_plan",
]

# ---- one entry point per action, for views, the API and tests ------------------------------

ACTION_SERVICES = {
    "confirm": hazard_confirm,
    "transfer": hazard_transfer,
    "save_plan": hazard_save_plan,
    "submit_plan": hazard_submit_plan,
    "rectify_immediately": hazard_rectify_immediately,
    "report_progress": hazard_report_progress,
    "request_extension": hazard_request_extension,
    "approve_extension": hazard_approve_extension,
    "reject_extension": hazard_reject_extension,
    "mark_rectified": hazard_mark_rectified,
    "apply_acceptance": hazard_apply_acceptance,
    "assign_expert": hazard_assign_expert,
    "evaluation_pass": hazard_evaluation_pass,
    "evaluation_fail": hazard_evaluation_fail,
    "accept": hazard_accept,
    "reject": hazard_reject,
    "void": hazard_void,
    "reopen": hazard_reopen,
    "list_supervised": hazard_list_supervised,
    "delist_supervised": hazard_delist_supervised,
    "suspend_production": hazard_suspend_production,
    "resume_production": hazard_resume_production,
}


def hazard_perform(*, actor: User, hazard: Hazard, action: str, **data: Any) -> Any:
    """Run the service of `action` (a key of the workflow's ACTIONS)."""
    return ACTION_SERVICES[action](actor=actor, hazard=hazard, **data)
