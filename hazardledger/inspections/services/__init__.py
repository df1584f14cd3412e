"""Every write of campaigns, checklists, inspections and schedules (DESIGN.md §3.1).

Each service is keyword-only and atomic: it checks the actor's role and scope, validates
(raising `ValidationError` with a Chinese message per field, so nothing changes), writes,
and records one audit event. A state clash raises `Conflict` (answered as 409).
"""

from __future__ import annotations

from .campaigns import (
    CAMPAIGN_FIELDS,
    campaign_save,
)
from .checklists import (
    CATEGORY_PREFIX,
    ItemSpec,
    checklist_archive,
    checklist_create,
    checklist_install,
    checklist_publish,
    checklist_version_save,
)
from .core import (
    Conflict,
)
from .records import (
    HAZARD_OVERRIDES,
    ItemInput,
    allowed_kinds,
    hazard_prefill,
    inspection_confirm,
    inspection_item_raise_hazard,
    inspection_problems,
    inspection_record,
)
from .schedules import (
    schedule_save,
    schedules_create_missing,
)

__all__ = [
    "CAMPAIGN_FIELDS",
    "CATEGORY_PREFIX",
    "HAZARD_OVERRIDES",
    "Conflict",
    "ItemInput",
    "ItemSpec",
    "allowed_kinds",
    "campaign_save",
    "checklist_archive",
    "checklist_create",
    "checklist_install",
    "checklist_publish",
    "checklist_version_save",
    "hazard_prefill",
    "inspection_confirm",
    "inspection_item_raise_hazard",
    "inspection_problems",
    "inspection_record",
    "schedule_save",
    "schedules_create_missing",
]
