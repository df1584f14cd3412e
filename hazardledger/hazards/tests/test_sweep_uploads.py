"""Orphaned uploads are removed after a grace period; files a record points at never are."""

from __future__ import annotations

import os
import time
from io import StringIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from hazardledger.audit.models import AuditEvent
from hazardledger.hazards.models import Hazard, HazardFile


def _aged(name: str, hours: float) -> None:
    past = time.time() - hours * 3600
    os.utime(default_storage.path(name), (past, past))


class SweepUploadsTestCase:
    def test_it_removes_only_old_files_no_record_points_at(self, settings, tmp_path, kit):
        settings.MEDIA_ROOT = tmp_path
        hazard: Hazard = kit.card()
        kept = default_storage.save("hazards/2026/11/kept.jpg", ContentFile(b"k" * 10))
        HazardFile.objects.create(
            hazard=hazard, kind="before_photo", file=kept, original_name="a.jpg",
            content_type="image/jpeg", size=10, sha256="0" * 64, uploaded_at=timezone.now(),
        )  # fmt: skip
        orphan = default_storage.save("hazards/2026/11/orphan.jpg", ContentFile(b"o" * 7))
        young = default_storage.save("hazards/2026/11/young.jpg", ContentFile(b"y"))
        for name in (kept, orphan):
            _aged(name, 48)

        out = StringIO()
        call_command("sweep_uploads", "--dry-run", stdout=out)
        assert "可清理 1 个" in out.getvalue() and default_storage.exists(orphan)

        call_command("sweep_uploads", stdout=StringIO())
        assert not default_storage.exists(orphan)
        assert default_storage.exists(kept) and default_storage.exists(young)
        event = AuditEvent.objects.get(action="uploads.sweep")
        assert event.changes == {"removed": [None, 1], "bytes": [None, 7]}

    def test_it_does_nothing_without_a_media_folder(self, settings, tmp_path, db):
        settings.MEDIA_ROOT = tmp_path / "none"
        out = StringIO()
        call_command("sweep_uploads", stdout=out)
        assert "检查 0 个文件" in out.getvalue()
        assert not AuditEvent.objects.filter(action="uploads.sweep").exists()
