"""Inspection pages: thin wrappers around selectors (reads) and services (writes)."""

from __future__ import annotations

from .campaigns import (
    TARGET_STATES,
    campaign_create,
    campaign_detail,
    campaign_edit,
    campaign_export,
    campaign_targets,
    campaigns,
)
from .checklists import (
    checklist_archive,
    checklist_create,
    checklist_edit,
    checklist_publish,
    checklist_version,
    checklists,
)
from .records import (
    inspection_confirm,
    inspection_create,
    inspection_detail,
    inspection_list,
    item_hazard,
    item_photo,
)
from .selfcheck import (
    schedule_edit,
    schedules_create,
    self_export,
    self_inspection,
)

__all__ = [
    "TARGET_STATES",
    "campaign_create",
    "campaign_detail",
    "campaign_edit",
    "campaign_export",
    "campaign_targets",
    "campaigns",
    "checklist_archive",
    "checklist_create",
    "checklist_edit",
    "checklist_publish",
    "checklist_version",
    "checklists",
    "inspection_confirm",
    "inspection_create",
    "inspection_detail",
    "inspection_list",
    "item_hazard",
    "item_photo",
    "schedule_edit",
    "schedules_create",
    "self_export",
    "self_inspection",
]
