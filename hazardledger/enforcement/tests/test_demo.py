"""The demo cases: every type, several states, the named stories, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from hazardledger.demo import enforcement as demo
from hazardledger.enforcement.models import (
    Case,
    CaseKind,
    IllegalStructure,
    JointAction,
    Measure,
    Resumption,
)


@pytest.fixture
def loaded(db, monkeypatch, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("HAZARDLEDGER_DEMO_PASSWORD", "demo-password-2026")
    call_command("load_demo", verbosity=0)


class DemoTestCase:
    def test_it_builds_every_case_type_once(self, loaded):
        kinds = set(Case.objects.values_list("kind", flat=True))
        assert kinds >= set(CaseKind.values) - {CaseKind.STOP_WORK}
        assert Case.objects.values("status").distinct().count() >= 6
        assert Resumption.objects.filter(status="accepted").exists()
        assert Measure.objects.filter(kind="cut_power", status="lifted").exists()
        assert IllegalStructure.objects.filter(status="verified").exists()
        assert Case.objects.filter(kind=CaseKind.KEY_PROJECT, status="completing").exists()
        assert JointAction.objects.count() == 1
        count = Case.objects.count()
        assert demo.build() == 0 and Case.objects.count() == count
