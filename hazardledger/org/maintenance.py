"""Housekeeping shared by a command and the scheduled job."""

from __future__ import annotations

from hazardledger.audit.services import record
from hazardledger.lib.uploads import Sweep, sweep_orphans


def sweep_uploads(*, grace_hours: float = 24.0, dry_run: bool = False) -> Sweep:
    """Remove uploaded files no record names; one audit event when anything was removed."""
    result = sweep_orphans(grace_hours=grace_hours, dry_run=dry_run)
    if result.removed and not dry_run:
        record(
            actor=None,
            action="uploads.sweep",
            object_type="storage",
            object_repr="上传文件清理",
            changes={"removed": [None, result.removed], "bytes": [None, result.bytes_removed]},
        )
    return result
