"""Every write of the tip-off app (DESIGN.md §3.1), one module per sub-capability."""

from .handling import (
    tipoff_accept,
    tipoff_assign,
    tipoff_close,
    tipoff_confirm_duplicate,
    tipoff_extend,
    tipoff_message,
    tipoff_raise_hazard,
    tipoff_reject,
    tipoff_send_back,
    tipoff_verify,
)
from .identity import identity_read, reveal_decide, reveal_request, vault_rotate
from .intake import Submitted, match_enterprise, tipoff_submit
from .letters import coverage, distribution_record, letter_create, letter_render
from .reporter import (
    CodeRefused,
    reporter_reply,
    reward_claim,
    tipoff_from_token,
    tipoff_lookup,
    token_for,
)
from .rewards import reward_approve, reward_pay, reward_propose, reward_refuse, suggestion

__all__ = [
    "CodeRefused",
    "Submitted",
    "coverage",
    "distribution_record",
    "identity_read",
    "letter_create",
    "letter_render",
    "match_enterprise",
    "reporter_reply",
    "reveal_decide",
    "reveal_request",
    "reward_approve",
    "reward_claim",
    "reward_pay",
    "reward_propose",
    "reward_refuse",
    "suggestion",
    "tipoff_accept",
    "tipoff_assign",
    "tipoff_close",
    "tipoff_confirm_duplicate",
    "tipoff_extend",
    "tipoff_from_token",
    "tipoff_lookup",
    "tipoff_message",
    "tipoff_raise_hazard",
    "tipoff_reject",
    "tipoff_send_back",
    "tipoff_submit",
    "tipoff_verify",
    "token_for",
    "vault_rotate",
]
