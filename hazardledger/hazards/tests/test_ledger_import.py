"""Office hazard ledgers in the shapes districts have: titles, merged cells, totals, 万元,
office column names, legacy states; all rows or none, and re-imports that change nothing."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook

from hazardledger.audit.models import AuditEvent
from hazardledger.enterprises.models import BatchStatus
from hazardledger.hazards.imports.services import ledger_apply, ledger_upload
from hazardledger.hazards.models import Hazard, HazardEvent, HazardStatus

S = HazardStatus
HEADER = [
    "序号",
    "统一社会信用代码",
    "企业名称",
    "隐患内容",
    "隐患等级",
    "发现日期",
    "整改措施",
    "整改资金（万元）",
    "整改责任人",
    "整改期限",
    "临时防范措施",
    "整改完成情况",
    "整改完成时间",
    "销号日期",
    "原编号",
    "备注",
]


def office_ledger(rows, *, title=True, merge_enterprise=False, total=True) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "隐患台账"
    if title:
        sheet.append(["2025年度生产安全事故隐患排查治理台账"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
        sheet.append(["填报单位：甲镇安监办", None, None, None, None, "填报日期：2025-06-30"])
    sheet.append(HEADER)
    first = sheet.max_row + 1
    for row in rows:
        sheet.append(row)
    if merge_enterprise and len(rows) > 1:
        sheet.merge_cells(
            start_row=first, start_column=3, end_row=first + len(rows) - 1, end_column=3
        )
        sheet.merge_cells(
            start_row=first, start_column=2, end_row=first + len(rows) - 1, end_column=2
        )
    if total:
        sheet.append(
            ["合计", None, None, None, None, None, None, f"=SUM(H{first}:H{sheet.max_row})"]
        )
        sheet.append([])
        sheet.append(["填表人：张三"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(kit, n, *, state="", done=None, closed=None, funds=3.25, level="一般", desc=None):
    today = timezone.localdate()
    return [
        n,
        kit.ent_a.credit_code,
        kit.ent_a.name,
        desc or f"第{n}处配电箱未接地",
        level,
        today - timedelta(days=30),
        "重新接地并检测",
        funds,
        "王五",
        today + timedelta(days=10),
        "设置警示围挡",
        state,
        done,
        closed,
        f"JZ-2025-{n:03d}",
        "复查",
    ]


@pytest.fixture
def kit(district):
    from hazardledger.hazards.tests.conftest import Kit

    return Kit(district)


def imported(user, data, name="甲镇台账.xlsx"):
    batch = ledger_upload(actor=user, filename=name, data=data)
    if batch.status == BatchStatus.PREVIEWED:
        batch = ledger_apply(actor=user, batch_id=batch.pk)
    return batch


class LedgerImportTestCase:
    def test_it_reads_an_office_ledger_with_title_rows_totals_and_wan_yuan(self, kit):
        data = office_ledger([row(kit, 1), row(kit, 2, funds="3,000元"), row(kit, 3, funds="3千")])
        batch = ledger_upload(actor=kit.district.tom, filename="甲镇.xlsx", data=data)
        assert batch.status == BatchStatus.PREVIEWED, batch.errors
        assert batch.header_row == 3 and batch.rows_total == 3
        assert Hazard.objects.count() == 0  # the preview writes nothing
        mapped = {c["header"]: c["key"] for c in batch.columns}
        assert mapped["隐患内容"] == "description" and mapped["发现日期"] == "found_on"
        assert mapped["整改资金（万元）"] == "funds_yuan"
        ignored = [c["header"] for c in batch.columns if not c["key"]]
        assert ignored == ["序号", "备注"]  # every column is mapped or listed
        assert [s["reason"] for s in batch.skipped] == ["合计/小计行", "注释或签名行"]
        batch = ledger_apply(actor=kit.district.tom, batch_id=batch.pk)
        assert batch.status == BatchStatus.APPLIED and batch.created == 3
        funds = sorted(Hazard.objects.values_list("funds_yuan", flat=True))
        assert funds == [Decimal("3000.00"), Decimal("3000.00"), Decimal("32500.00")]
        assert set(Hazard.objects.values_list("original_no", flat=True)) == {
            "JZ-2025-001",
            "JZ-2025-002",
            "JZ-2025-003",
        }

    def test_it_enters_legacy_states_with_an_import_history_and_one_audit_event(self, kit):
        today = timezone.localdate()
        rows = [
            row(kit, 1, state="未整改"),
            row(kit, 2, state="已整改", done=today - timedelta(days=5)),
            row(
                kit,
                3,
                state="已整改",
                done=today - timedelta(days=5),
                closed=today - timedelta(days=2),
            ),
        ]
        before = AuditEvent.objects.count()
        batch = imported(kit.district.tom, office_ledger(rows))
        assert batch.status == BatchStatus.APPLIED, batch.errors
        by_no = {h.original_no: h for h in Hazard.objects.all()}
        assert by_no["JZ-2025-001"].status == S.RECTIFYING
        assert by_no["JZ-2025-002"].status == S.RECTIFIED
        assert by_no["JZ-2025-003"].status == S.CLOSED
        assert by_no["JZ-2025-003"].closed_at.date() == today - timedelta(days=2)
        event = HazardEvent.objects.get(hazard=by_no["JZ-2025-003"])
        assert event.action == "import" and event.actor == kit.district.tom
        assert event.data["sha256"] == batch.sha256 and event.data["file"] == "甲镇台账.xlsx"
        assert AuditEvent.objects.count() == before + 1
        audit = AuditEvent.objects.latest("pk")
        assert audit.action == "hazard.import"
        assert audit.changes["file"][1]["sha256"] == batch.sha256

    def test_it_refuses_a_closed_row_without_dates_and_writes_nothing(self, kit):
        rows = [row(kit, 1), row(kit, 2, state="已销号"), row(kit, 3, state="整改好了")]
        batch = imported(kit.district.tom, office_ledger(rows))
        assert batch.status == BatchStatus.REJECTED
        assert Hazard.objects.count() == 0
        problems = {(e["row"], e["column"]) for e in batch.errors}
        assert (5, "整改完成时间") in problems and (5, "销号日期") in problems
        assert (6, "整改完成情况") in problems

    def test_it_reads_merged_enterprise_cells_for_every_row_they_span(self, kit):
        rows = [row(kit, 1), row(kit, 2), row(kit, 3)]
        for r in rows[1:]:
            r[1] = r[2] = None
        batch = imported(kit.district.tom, office_ledger(rows, merge_enterprise=True))
        assert batch.status == BatchStatus.APPLIED, batch.errors
        assert Hazard.objects.filter(enterprise=kit.ent_a).count() == 3

    def test_it_changes_nothing_when_the_same_file_is_imported_twice(self, kit):
        data = office_ledger([row(kit, 1), row(kit, 2, state="未整改")])
        first = imported(kit.district.tom, data)
        assert first.created == 2
        events = AuditEvent.objects.count()
        second = imported(kit.district.tom, data)
        assert second.status == BatchStatus.APPLIED
        assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
        assert Hazard.objects.count() == 2
        assert AuditEvent.objects.count() == events + 1  # the import is recorded, nothing else

    def test_it_reports_a_repeated_row_as_a_duplicate(self, kit):
        same = row(kit, 1)
        again = list(same)
        again[14] = ""
        batch = imported(kit.district.tom, office_ledger([same, again]))
        assert batch.created == 1 and batch.duplicates == 1
        assert Hazard.objects.count() == 1

    def test_it_lets_the_district_admin_import_and_a_town_officer_only_their_town(self, kit):
        outside = row(kit, 1)
        outside[1], outside[2] = kit.ent_b.credit_code, kit.ent_b.name
        data = office_ledger([row(kit, 2), outside])
        refused = imported(kit.district.tom, data)
        assert refused.status == BatchStatus.REJECTED
        assert refused.errors[0]["row"] == 5
        assert "管辖范围" in refused.errors[0]["message"]
        assert Hazard.objects.count() == 0
        admin = imported(kit.district.alice, data)
        assert admin.status == BatchStatus.APPLIED and admin.created == 2

    def test_it_keeps_blank_cells_from_clearing_a_card_and_updates_changed_fields(self, kit):
        imported(kit.district.tom, office_ledger([row(kit, 1)]))
        changed = row(kit, 1)
        changed[6] = "更换配电箱"
        changed[8] = None  # blank 整改责任人 keeps the stored one
        batch = imported(kit.district.tom, office_ledger([changed]))
        assert batch.updated == 1, batch.outcomes
        assert batch.outcomes[0][2] == "整改措施"
        card = Hazard.objects.get()
        assert card.measures == "更换配电箱" and card.responsible_person == "王五"

    def test_it_reports_unreadable_values_for_their_row(self, kit):
        bad = row(kit, 1, funds="三千块")
        bad[5] = "2025-02-30"
        batch = imported(kit.district.tom, office_ledger([bad]))
        assert batch.status == BatchStatus.REJECTED
        messages = {e["column"]: e["message"] for e in batch.errors}
        assert "金额" in messages["整改资金（万元）"]
        assert "不存在" in messages["发现日期"]

    def test_it_refuses_roles_that_may_not_import(self, kit):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            ledger_upload(actor=kit.district.leo, filename="x.xlsx", data=office_ledger([]))


class BackgroundImportTestCase:
    def test_a_long_file_is_applied_by_the_task_runner(
        self, kit, client_for, monkeypatch, django_capture_on_commit_callbacks
    ):
        from django.urls import reverse

        from hazardledger.hazards.imports import services

        monkeypatch.setattr(services, "BACKGROUND_ROWS", 1)
        data = office_ledger([row(kit, 1), row(kit, 2)])
        client = client_for(kit.district.tom)
        batch = ledger_upload(actor=kit.district.tom, filename="大台账.xlsx", data=data)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("hazards:import_apply", args=[batch.pk]))
        assert response.status_code == 302
        batch.refresh_from_db()
        # The test settings run tasks when enqueued: the worker has applied it by now.
        assert batch.status == BatchStatus.APPLIED and batch.rows_written == 2
        assert Hazard.objects.count() == 2

    def test_the_command_imports_a_file_with_progress(self, kit, tmp_path, capsys):
        from django.core.management import call_command

        path = tmp_path / "台账.xlsx"
        path.write_bytes(office_ledger([row(kit, 1), row(kit, 2)]))
        call_command("import_ledger", str(path), user="tom")
        out = capsys.readouterr()
        assert "新建 2" in out.out and "已写入 2" in out.err
        assert Hazard.objects.count() == 2


class ImportApiTestCase:
    URL = "/api/v1/hazards/import"

    def post(self, client, data, **fields):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(self.URL, {"file": SimpleUploadedFile("台账.xlsx", data), **fields})

    def test_it_imports_and_answers_the_counts(self, kit, client_for):
        response = self.post(
            client_for(kit.district.tom), office_ledger([row(kit, 1), row(kit, 2)])
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["created"], body["updated"], body["unchanged"]) == (2, 0, 0)
        assert [s["reason"] for s in body["skipped_rows"]] == ["合计/小计行", "注释或签名行"]
        assert body["errors"] == [] and Hazard.objects.count() == 2

    def test_a_dry_run_writes_nothing(self, kit, client_for):
        response = self.post(
            client_for(kit.district.tom), office_ledger([row(kit, 1)]), dry_run="true"
        )
        assert response.status_code == 200 and response.json()["created"] == 1
        assert Hazard.objects.count() == 0

    def test_errors_answer_422_and_write_nothing(self, kit, client_for):
        bad = row(kit, 1, funds="很多")
        response = self.post(client_for(kit.district.tom), office_ledger([row(kit, 2), bad]))
        assert response.status_code == 422
        errors = response.json()["errors"]
        assert errors[0]["row"] == 5 and errors[0]["column"] == "整改资金（万元）"
        assert Hazard.objects.count() == 0

    def test_a_mapping_can_ignore_a_column(self, kit, client_for):
        import json

        data = office_ledger([row(kit, 1)])
        response = self.post(
            client_for(kit.district.tom), data, mapping=json.dumps({"整改资金": ""})
        )
        assert response.status_code == 200
        assert "整改资金（万元）" in response.json()["ignored_columns"]
        assert Hazard.objects.get().funds_yuan is None

    def test_it_answers_403_to_a_reader_and_401_to_nobody(self, kit, client_for, client):
        assert self.post(client, office_ledger([row(kit, 1)])).status_code == 401
        response = self.post(client_for(kit.district.leo), office_ledger([row(kit, 1)]))
        assert response.status_code == 403 and "无权" in response.json()["detail"]

    def test_a_broken_mapping_is_a_422(self, kit, client_for):
        response = self.post(
            client_for(kit.district.tom), office_ledger([row(kit, 1)]), mapping="[1"
        )
        assert response.status_code == 422 and "mapping" in response.json()["detail"]
