"""Registry services and pages: create, edit, status history, procedures, M13 records, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hazardledger.audit.models import AuditEvent
from hazardledger.enterprises import services
from hazardledger.enterprises.models import (
    Enterprise,
    OperatingStatus,
    ProcedureStatus,
    RuleKind,
    StatusChange,
)
from hazardledger.enterprises.selectors import missing_procedure_kinds, with_procedure_state

from .helpers import REAL_CODES


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


class CreateTestCase:
    def test_it_creates_with_history_and_one_audit_event(self, district, codes):
        e = services.enterprise_create(
            actor=district.tom,
            data={
                "credit_code": codes(),
                "name": "甲镇丝绸厂",
                "territory": district.town_a,
                "industry": district.building,
                "staff_count": 40,
            },
        )
        assert e.status == OperatingStatus.OPERATING
        assert StatusChange.objects.filter(enterprise=e, from_status="").count() == 1
        assert events("enterprise.create") == 1

    def test_it_keeps_a_town_officer_inside_the_town(self, district, codes):
        with pytest.raises(ValidationError) as caught:
            services.enterprise_create(
                actor=district.tom,
                data={
                    "credit_code": codes(),
                    "name": "越界",
                    "territory": district.town_b,
                    "industry": district.chemicals,
                },
            )
        assert "管辖范围" in caught.value.message_dict["territory"][0]

    def test_it_refuses_readers(self, district, codes):
        for user in (district.leo, district.carl, district.eve, district.sam):
            with pytest.raises(PermissionDenied):
                services.enterprise_create(actor=user, data={"credit_code": codes(), "name": "x"})

    def test_it_checks_the_responsible_persons_units(self, district, codes):
        with pytest.raises(ValidationError) as caught:
            services.enterprise_create(
                actor=district.alice,
                data={
                    "credit_code": codes(),
                    "name": "甲",
                    "territory": district.town_a,
                    "industry": district.building,
                    "territory_contact": district.tina,
                    "regulator_contact": district.tom,
                },
            )
        errors = caught.value.message_dict
        assert "甲镇" in errors["territory_contact"][0]
        assert "区住建局" in errors["regulator_contact"][0]

    def test_it_accepts_matching_responsible_persons(self, district, codes):
        e = services.enterprise_create(
            actor=district.alice,
            data={
                "credit_code": codes(),
                "name": "甲",
                "territory": district.town_a,
                "industry": district.building,
                "territory_contact": district.tom,
                "regulator_contact": district.dora,
            },
        )
        assert e.territory_contact == district.tom and e.regulator_contact == district.dora


class UpdateTestCase:
    def test_it_lets_a_regulator_change_registry_fields(self, district, firms):
        services.enterprise_update(
            actor=district.tom,
            enterprise=firms["a"],
            data={"name": "甲镇建筑集团", "is_key_project": True},
        )
        firms["a"].refresh_from_db()
        assert firms["a"].name == "甲镇建筑集团" and firms["a"].is_key_project
        event = AuditEvent.objects.get(action="enterprise.update")
        assert event.changes["name"] == ["甲镇建筑公司", "甲镇建筑集团"]

    def test_it_writes_nothing_when_nothing_changes(self, district, firms):
        services.enterprise_update(
            actor=district.tom, enterprise=firms["a"], data={"name": "甲镇建筑公司"}
        )
        assert events("enterprise.update") == 0

    def test_it_lets_the_enterprise_user_change_contact_and_safety_staff(self, district, firms):
        services.enterprise_update(
            actor=district.eve,
            enterprise=firms["b"],
            data={
                "contact_phone": "13800000000",
                "safety_manager": "王安全",
                "safety_engineer_count": 2,
            },
        )
        firms["b"].refresh_from_db()
        assert firms["b"].safety_manager == "王安全" and firms["b"].safety_engineer_count == 2

    @pytest.mark.parametrize(
        "field,value",
        [("name", "改名"), ("staff_count", 9), ("is_key_project", True), ("address", "新址")],
    )
    def test_it_refuses_the_enterprise_user_other_fields(self, district, firms, field, value):
        with pytest.raises(PermissionDenied):
            services.enterprise_update(
                actor=district.eve, enterprise=firms["b"], data={field: value}
            )
        assert Enterprise.objects.get(pk=firms["b"].pk).name == "乙街道化工公司"

    def test_it_refuses_the_enterprise_user_another_enterprise(self, district, firms):
        with pytest.raises(PermissionDenied):
            services.enterprise_update(
                actor=district.eve, enterprise=firms["a"], data={"contact_phone": "1"}
            )

    def test_it_refuses_the_leader_who_only_reads(self, district, firms):
        with pytest.raises(PermissionDenied):
            services.enterprise_update(
                actor=district.leo, enterprise=firms["a"], data={"name": "x"}
            )


class StatusTestCase:
    def test_it_changes_status_with_history_and_reason(self, district, firms):
        services.enterprise_change_status(
            actor=district.tom,
            enterprise=firms["a"],
            status=OperatingStatus.SUSPENDED,
            reason="重大隐患",
        )
        change = StatusChange.objects.filter(enterprise=firms["a"]).first()
        assert (change.from_status, change.to_status, change.reason) == (
            "operating",
            "suspended",
            "重大隐患",
        )
        assert AuditEvent.objects.get(action="enterprise.change_status").reason == "重大隐患"

    def test_it_needs_a_reason_and_a_change(self, district, firms):
        with pytest.raises(ValidationError) as caught:
            services.enterprise_change_status(
                actor=district.tom,
                enterprise=firms["a"],
                status=OperatingStatus.OPERATING,
                reason="",
            )
        assert set(caught.value.message_dict) == {"status", "reason"}

    def test_it_ends_at_demolished(self, district, firms):
        services.enterprise_change_status(
            actor=district.alice,
            enterprise=firms["a"],
            status=OperatingStatus.DEMOLISHED,
            reason="拆除",
        )
        with pytest.raises(ValidationError):
            services.enterprise_change_status(
                actor=district.alice,
                enterprise=firms["a"],
                status=OperatingStatus.OPERATING,
                reason="复产",
            )

    def test_it_loses_a_race_cleanly(self, district, firms):
        stale = Enterprise.objects.get(pk=firms["a"].pk)
        services.enterprise_change_status(
            actor=district.tom,
            enterprise=firms["a"],
            status=OperatingStatus.WORK_STOPPED,
            reason="停工",
        )
        with pytest.raises(ValidationError) as caught:
            services.enterprise_change_status(
                actor=district.tom, enterprise=stale, status=OperatingStatus.CLOSED, reason="关闭"
            )
        assert "已被他人修改" in caught.value.messages[0]

    def test_it_is_not_changed_by_update(self, district, firms):
        with pytest.raises(ValidationError):
            services.enterprise_update(
                actor=district.alice, enterprise=firms["a"], data={"status": OperatingStatus.CLOSED}
            )

    def test_it_refuses_the_enterprise_user(self, district, firms):
        with pytest.raises(PermissionDenied):
            services.enterprise_change_status(
                actor=district.eve, enterprise=firms["b"], status=OperatingStatus.CLOSED, reason="x"
            )


@pytest.fixture
def licence(district):
    return services.procedure_kind_upsert(
        actor=district.alice, code="aqsc", name="安全生产许可证", industries=[district.chemicals]
    )


class ProcedureTestCase:
    def incomplete(self) -> set[str]:
        qs = with_procedure_state(Enterprise.objects.all()).filter(procedures_incomplete=True)
        return set(qs.values_list("name", flat=True))

    def test_it_computes_incomplete_from_the_industrys_required_kinds(
        self, district, firms, licence
    ):
        assert self.incomplete() == {"乙街道化工公司"}
        assert missing_procedure_kinds(firms["b"]) == [licence]

    def test_it_is_complete_with_a_current_procedure(self, district, firms, licence):
        services.procedure_add(
            actor=district.tina,
            enterprise=firms["b"],
            data={
                "kind": licence,
                "number": "(鲁)WH安许证字〔2024〕000123",
                "status": "valid",
                "issued_on": timezone.localdate() - timedelta(days=10),
                "expires_on": timezone.localdate() + timedelta(days=1000),
            },
        )
        assert self.incomplete() == set()

    @pytest.mark.parametrize(
        "status,days",
        [
            (ProcedureStatus.VALID, -1),
            (ProcedureStatus.APPLYING, 100),
            (ProcedureStatus.REVOKED, 100),
        ],
    )
    def test_it_does_not_count_expired_or_not_valid(self, district, firms, licence, status, days):
        services.procedure_add(
            actor=district.tina,
            enterprise=firms["b"],
            data={
                "kind": licence,
                "status": status,
                "expires_on": timezone.localdate() + timedelta(days=days),
            },
        )
        assert self.incomplete() == {"乙街道化工公司"}

    def test_it_follows_the_configuration(self, district, firms, licence):
        services.procedure_kind_upsert(
            actor=district.alice, code="aqsc", name="安全生产许可证", industries=[district.building]
        )
        assert self.incomplete() == {"甲镇建筑公司"}

    def test_it_refuses_expiry_before_issue(self, district, firms, licence):
        with pytest.raises(ValidationError) as caught:
            services.procedure_add(
                actor=district.tina,
                enterprise=firms["b"],
                data={
                    "kind": licence,
                    "status": "valid",
                    "issued_on": timezone.localdate(),
                    "expires_on": timezone.localdate() - timedelta(days=1),
                },
            )
        assert "expires_on" in caught.value.message_dict

    def test_it_lets_only_the_district_admin_configure(self, district):
        with pytest.raises(PermissionDenied):
            services.procedure_kind_upsert(actor=district.tom, code="x", name="x")

    def test_it_lists_incomplete_on_the_page(self, district, firms, licence, client_for):
        page = client_for(district.alice).get(
            reverse("enterprises:list") + "?procedures=incomplete"
        )
        content = page.content.decode()
        assert "乙街道化工公司" in content and "甲镇建筑公司" not in content


class MainResponsibilityTestCase:
    def test_it_files_rules_with_a_checked_document(self, district, firms, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        pdf = SimpleUploadedFile("制度.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        rule = services.rule_add(
            actor=district.tina,
            enterprise=firms["b"],
            data={"kind": RuleKind.REPORT_REWARD, "title": "内部隐患报告奖励办法"},
            document=pdf,
        )
        assert rule.document.name.endswith(".pdf")
        assert "制度" not in rule.document.name

    def test_it_refuses_a_document_whose_content_lies(self, district, firms, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        fake = SimpleUploadedFile("制度.pdf", b"MZ\x90\x00 not a pdf")
        with pytest.raises(ValidationError) as caught:
            services.rule_add(
                actor=district.tina,
                enterprise=firms["b"],
                data={"kind": RuleKind.REPORTING, "title": "报告制度"},
                document=fake,
            )
        assert "内容与扩展名不符" in caught.value.message_dict["document"][0]

    def test_it_refuses_a_document_over_the_limit(self, district, firms, settings, tmp_path):
        from hazardledger.lib.files import MAX_DOCUMENT_BYTES

        settings.MEDIA_ROOT = tmp_path
        big = SimpleUploadedFile("制度.pdf", b"%PDF-1.4" + b"0" * MAX_DOCUMENT_BYTES)
        with pytest.raises(ValidationError) as caught:
            services.rule_add(
                actor=district.tina,
                enterprise=firms["b"],
                data={"kind": RuleKind.REPORTING, "title": "报告制度"},
                document=big,
            )
        assert caught.value.message_dict["document"] == ["文件过大（上限 10 MB）"]
        assert not firms["b"].rules.exists()

    def test_it_records_an_expert_diagnosis_and_serves_the_report_in_scope(
        self, district, firms, settings, tmp_path, client_for
    ):
        settings.MEDIA_ROOT = tmp_path
        png = SimpleUploadedFile("r.png", b"\x89PNG\r\n\x1a\n....")
        record = services.service_record_add(
            actor=district.tina,
            enterprise=firms["b"],
            data={"kind": "expert", "provider": "区专家组", "performed_on": timezone.localdate()},
            report=png,
        )
        url = reverse("enterprises:attachment", args=[firms["b"].credit_code, "service", record.pk])
        assert client_for(district.tina).get(url).status_code == 200
        assert client_for(district.tom).get(url).status_code == 404

    def test_it_pages_through_the_forms(self, district, firms, client_for, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        client = client_for(district.tina)
        code = firms["b"].credit_code
        response = client.post(
            reverse("enterprises:rule_add", args=[code]),
            {
                "kind": "investigation",
                "title": "隐患排查制度",
                "document": SimpleUploadedFile("a.exe", b"MZ"),
            },
        )
        assert response.status_code == 400
        assert "只接受" in response.content.decode()
        response = client.post(
            reverse("enterprises:rule_add", args=[code]),
            {"kind": "investigation", "title": "隐患排查制度"},
        )
        assert response.status_code == 302
        response = client.post(
            reverse("enterprises:service_add", args=[code]),
            {"kind": "agency", "provider": "某安评公司", "performed_on": "2024-05-01"},
        )
        assert response.status_code == 302
        page = client.get(reverse("enterprises:detail", args=[code])).content.decode()
        assert "隐患排查制度" in page and "某安评公司" in page


class PageTestCase:
    def test_it_creates_through_the_form_and_refuses_an_invalid_code(self, district, client_for):
        client = client_for(district.tom)
        data = {
            "credit_code": REAL_CODES[0][:-1] + "0",
            "name": "华为甲镇分公司",
            "territory": district.town_a.pk,
            "category": "other",
            "safety_engineer_count": 0,
            "status": "operating",
        }
        response = client.post(reverse("enterprises:create"), data)
        assert response.status_code == 400
        assert "校验位错误" in response.content.decode()
        assert not Enterprise.objects.exists()
        response = client.post(reverse("enterprises:create"), data | {"credit_code": REAL_CODES[0]})
        assert response.status_code == 302
        assert Enterprise.objects.get().name == "华为甲镇分公司"

    def test_it_shows_the_detail_with_responsibility_gaps(self, district, firms, client_for):
        page = (
            client_for(district.tom)
            .get(reverse("enterprises:detail", args=[firms["a"].credit_code]))
            .content.decode()
        )
        assert "甲镇建筑公司" in page and "区住建局" in page and "未指定（监管盲区）" in page

    def test_it_prints_the_dossier_on_its_own_page(self, district, firms, client_for):
        response = client_for(district.tom).get(
            reverse("enterprises:dossier", args=[firms["a"].credit_code])
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "企业安全生产档案" in page and "js/print.js" in page and "<script>" not in page

    def test_it_edits_through_the_form(self, district, firms, client_for):
        e = firms["a"]
        response = client_for(district.tom).post(
            reverse("enterprises:edit", args=[e.credit_code]),
            {
                "credit_code": e.credit_code,
                "name": "甲镇建筑新名",
                "territory": district.town_a.pk,
                "industry": district.building.pk,
                "category": "high_risk",
                "safety_engineer_count": 1,
                "territory_contact": district.tom.pk,
            },
        )
        assert response.status_code == 302
        e.refresh_from_db()
        assert e.name == "甲镇建筑新名" and e.territory_contact == district.tom

    def test_it_changes_the_status_through_the_form(self, district, firms, client_for):
        url = reverse("enterprises:status", args=[firms["a"].credit_code])
        client = client_for(district.tom)
        assert client.post(url, {"status": "closed", "reason": ""}).status_code == 400
        assert client.post(url, {"status": "closed", "reason": "关闭取缔"}).status_code == 302
        assert Enterprise.objects.get(pk=firms["a"].pk).status == "closed"

    def test_it_configures_procedure_kinds(self, district, client_for):
        client = client_for(district.alice)
        response = client.post(
            reverse("enterprises:procedure_kind_create"),
            {
                "code": "rqxk",
                "name": "燃气经营许可证",
                "sort_order": 1,
                "industries": [district.chemicals.pk],
            },
        )
        assert response.status_code == 302
        assert (
            "燃气经营许可证" in client.get(reverse("enterprises:procedure_kinds")).content.decode()
        )
        response = client.post(
            reverse("enterprises:procedure_kind_create"),
            {"code": "rqxk", "name": "重复", "sort_order": 1},
        )
        assert response.status_code == 400
        assert (
            client_for(district.tom).get(reverse("enterprises:procedure_kinds")).status_code == 403
        )
