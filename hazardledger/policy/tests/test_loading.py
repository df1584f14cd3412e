"""Policy profiles: the shipped files load, invalid files are refused by field, one is active."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from hazardledger.audit.models import AuditEvent
from hazardledger.policy.models import PolicyProfile
from hazardledger.policy.services import (
    NoActivePolicy,
    PolicyFileError,
    active_policy,
    parse_policy,
    policy_store,
)

PROFILES = Path(__file__).resolve().parents[1] / "profiles"
DOCUMENT = PROFILES / "zhoucun-2014.yaml"


def document_data() -> dict:
    return yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))


def write(tmp_path: Path, content: dict, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return path


class DocumentProfileTestCase:
    def test_it_holds_the_numbers_of_the_document(self):
        data = parse_policy(DOCUMENT.read_bytes())
        assert str(data.document.valid_from) == "2014-08-29"
        assert str(data.document.valid_until) == "2014-12-31"
        assert data.hotline.number == "6800001" and data.hotline.hours_per_day == 24
        assert (data.rewards.min_yuan, data.rewards.max_yuan) == (500, 3000)
        assert data.joint_meetings.committee_cadence_days == 7
        assert str(data.joint_meetings.cadence_until) == "2014-09-30"
        assert data.joint_meetings.district_min_meetings == 2
        assert data.joint_meetings.district_min_joint_actions == 2
        assert data.targets.max_deaths == 0
        assert data.hazards.acceptance_within_days == 10
        assert data.requires_expert_evaluation("major")
        assert not data.requires_expert_evaluation("general")
        assert data.requires_department_acceptance("general")
        assert set(data.hazards.five_must_haves) == {
            "responsible_person",
            "funds",
            "measures",
            "deadline",
            "emergency_plan",
        }
        assert data.reward_for("hazard", "major") == 2000

    def test_it_ships_a_demo_copy_that_differs_only_in_dates_and_names(self):
        doc = parse_policy(DOCUMENT.read_bytes()).model_dump(mode="json")
        demo = parse_policy((PROFILES / "zhoucun-demo.yaml").read_bytes()).model_dump(mode="json")
        text = json.dumps(doc, ensure_ascii=False).replace("2014-", "2026-")
        doc2 = json.loads(text)
        for key in ("code", "name"):
            doc2.pop(key), demo.pop(key)
        assert doc2 == demo


class LoadCommandTestCase:
    def test_it_loads_and_activates_a_valid_file(self, db):
        call_command("load_policy", str(DOCUMENT), "--activate")
        assert active_policy().code == "zhoucun-2014"
        assert AuditEvent.objects.filter(action="policy.activate").count() == 1

    def test_it_redates_to_a_given_year(self, db):
        call_command("load_policy", str(DOCUMENT), "--activate", "--year", "2031")
        policy = active_policy()
        assert str(policy.document.valid_until) == "2031-12-31"
        assert str(policy.joint_meetings.cadence_until) == "2031-09-30"

    @pytest.mark.parametrize(
        ("mutate", "field"),
        [
            (lambda d: d["hotline"].pop("number"), "hotline.number：缺少必填项"),
            (lambda d: d["rewards"].update(max_yuan="很多"), "rewards.max_yuan：应为整数"),
            (lambda d: d["document"].update(valid_until="2014-13-01"), "document.valid_until"),
            (
                lambda d: d["hazards"].update(expert_evaluation_levels=["huge"]),
                "hazards.expert_evaluation_levels[0]",
            ),
            (
                lambda d: d["joint_meetings"].update(weekly=True),
                "joint_meetings.weekly：不是可识别",
            ),
            (lambda d: d["rewards"]["matrix"][0].update(amount_yuan=5000), "超出 500–3000"),
            (lambda d: d["rewards"]["matrix"].pop(), "奖励矩阵缺少"),
            (lambda d: d["district"].update(code="ABC"), "district.code：格式不正确"),
        ],
    )
    def test_it_refuses_an_invalid_file_naming_the_field(self, db, tmp_path, mutate, field):
        data = document_data()
        mutate(data)
        with pytest.raises(CommandError) as exc:
            call_command("load_policy", str(write(tmp_path, data)), "--activate")
        assert field in str(exc.value)
        assert not PolicyProfile.objects.exists()

    def test_it_refuses_a_file_that_is_not_yaml(self, db, tmp_path):
        path = tmp_path / "bad.yaml"
        path.write_bytes(b"\xff\xfe: [")
        with pytest.raises(CommandError, match="不是有效的 YAML/JSON"):
            call_command("load_policy", str(path))

    def test_it_accepts_json(self, db, tmp_path):
        path = tmp_path / "p.json"
        path.write_text(json.dumps(document_data(), default=str), encoding="utf-8")
        call_command("load_policy", str(path), "--activate")
        assert active_policy().hotline.number == "6800001"

    def test_it_reports_a_missing_file(self, db):
        with pytest.raises(CommandError, match="找不到文件"):
            call_command("load_policy", "/nonexistent.yaml")


class ActiveProfileTestCase:
    def test_it_keeps_exactly_one_active_profile(self, db, tmp_path):
        call_command("load_policy", str(DOCUMENT), "--activate")
        other = document_data() | {"code": "other-2015", "name": "另一方案"}
        call_command("load_policy", str(write(tmp_path, other)), "--activate")
        assert list(
            PolicyProfile.objects.filter(is_active=True).values_list("code", flat=True)
        ) == ["other-2015"]
        assert active_policy().code == "other-2015"

    def test_it_refuses_two_active_rows_at_the_database(self, db, tmp_path):
        call_command("load_policy", str(DOCUMENT), "--activate")
        other = document_data() | {"code": "other-2015"}
        call_command("load_policy", str(write(tmp_path, other)))
        with pytest.raises(IntegrityError), transaction.atomic():
            PolicyProfile.objects.update(is_active=True)

    def test_it_loads_without_activating(self, db):
        call_command("load_policy", str(DOCUMENT))
        with pytest.raises(NoActivePolicy):
            active_policy()

    def test_it_sees_a_reloaded_profile_at_once(self, db, tmp_path):
        call_command("load_policy", str(DOCUMENT), "--activate")
        assert active_policy().hazards.acceptance_within_days == 10
        data = document_data()
        data["hazards"]["acceptance_within_days"] = 7
        call_command("load_policy", str(write(tmp_path, data)), "--activate")
        assert active_policy().hazards.acceptance_within_days == 7

    def test_it_writes_nothing_when_the_same_file_is_loaded_again(self, db):
        call_command("load_policy", str(DOCUMENT), "--activate")
        before = AuditEvent.objects.count()
        call_command("load_policy", str(DOCUMENT), "--activate")
        assert AuditEvent.objects.count() == before

    def test_it_stores_the_source_hash(self, db):
        raw = DOCUMENT.read_bytes()
        profile = policy_store(actor=None, data=parse_policy(raw), source=raw, activate=True)
        import hashlib

        assert profile.source_sha256 == hashlib.sha256(raw).hexdigest()


class PolicyPagesTestCase:
    def test_it_shows_the_active_profile_to_officials(self, client_for, district):
        call_command("load_policy", str(DOCUMENT), "--activate")
        page = client_for(district.tom).get("/policy/").content.decode()
        assert "6800001" in page and "500–3000" in page
        assert "载入新方案" not in page

    def test_it_lets_the_admin_upload_a_profile(self, client_for, district):
        client = client_for(district.alice)
        with DOCUMENT.open("rb") as fh:
            response = client.post("/policy/upload/", {"file": fh, "activate": "on"})
        assert response.status_code == 302
        assert active_policy().code == "zhoucun-2014"

    def test_it_shows_upload_errors_by_field_and_stores_nothing(
        self, client_for, district, tmp_path
    ):
        data = document_data()
        data["hotline"]["hours_per_day"] = 25
        path = write(tmp_path, data)
        with path.open("rb") as fh:
            response = client_for(district.alice).post("/policy/upload/", {"file": fh})
        assert response.status_code == 400
        assert "hotline.hours_per_day：数值过大" in response.content.decode()
        assert not PolicyProfile.objects.exists()

    def test_it_refuses_uploads_by_other_roles(self, client_for, district):
        with DOCUMENT.open("rb") as fh:
            response = client_for(district.tom).post("/policy/upload/", {"file": fh})
        assert response.status_code == 403
        assert not PolicyProfile.objects.exists()

    def test_it_refuses_a_file_of_the_wrong_type(self, client_for, district, tmp_path):
        path = tmp_path / "p.exe"
        path.write_bytes(b"MZ")
        with path.open("rb") as fh:
            response = client_for(district.alice).post("/policy/upload/", {"file": fh})
        assert response.status_code == 400
        assert "只接受" in response.content.decode()


def test_parse_errors_are_a_validation_error_with_messages():
    with pytest.raises(PolicyFileError) as exc:
        parse_policy(b"- a list\n")
    assert "键值表" in exc.value.messages[0]
