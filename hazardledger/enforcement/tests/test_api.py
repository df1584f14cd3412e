"""The API speaks with the pages' permissions and messages."""

from __future__ import annotations

import json

from hazardledger.enforcement.models import Case, CaseKind, CaseStatus


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


class ApiTestCase:
    def test_it_needs_a_login(self, kit, client):
        assert client.get("/api/v1/enforcement/cases").status_code == 401

    def test_it_lists_only_the_scope(self, kit, client_for):
        mine = kit.case(CaseKind.SUSPENSION)
        other = kit.case(CaseKind.SUSPENSION, enterprise=kit.ent_b)
        rows = client_for(kit.district.tom).get("/api/v1/enforcement/cases").json()
        assert [r["id"] for r in rows] == [mine.pk]
        assert (
            client_for(kit.district.tom).get(f"/api/v1/enforcement/cases/{other.pk}").status_code
            == 404
        )

    def test_it_opens_and_moves_a_case(self, kit, client_for):
        client = client_for(kit.district.fred)
        created = post(
            client,
            "/api/v1/enforcement/cases",
            {"kind": "suspension", "enterprise_id": kit.ent_a.pk, "facts": "重大隐患"},
        )
        assert created.status_code == 201, created.content
        case_id = created.json()["id"]
        assert "decide" in created.json()["actions"]
        url = f"/api/v1/enforcement/cases/{case_id}/actions/decide"
        refused = post(client, url, {})
        assert refused.status_code == 422 and "法律依据" in refused.json()["detail"]
        assert post(client, url, {"legal_basis": "安全生产法"}).json()["status"] == "decided"
        again = post(client, url, {"legal_basis": "安全生产法"})
        assert again.status_code == 409
        eve = post(
            client_for(kit.district.eve),
            f"/api/v1/enforcement/cases/{case_id}/actions/serve",
            {"served_to": "x", "served_how": "直接送达"},
        )
        assert eve.status_code == 403

    def test_it_refuses_bad_input_without_a_500(self, kit, client_for):
        client = client_for(kit.district.fred)
        for body in (
            {"kind": "suspension", "enterprise_id": 10**30, "facts": "x"},
            {"kind": "nonsense", "facts": "x"},
            {"kind": "suspension", "enterprise_id": kit.ent_a.pk, "facts": ""},
            {"kind": "stop_work", "enterprise_id": kit.ent_b.pk, "facts": "x"},
        ):
            response = post(client, "/api/v1/enforcement/cases", body)
            assert response.status_code == 422, (body, response.content)
        assert (
            post(
                client,
                "/api/v1/enforcement/structures",
                {
                    "location": "x",
                    "territory_id": kit.district.town_a.pk,
                    "owner": "y",
                    "area_m2": "10",
                    "discovered_on": "2026-02-30",
                },
            ).status_code
            == 422
        )
        assert Case.objects.count() == 0

    def test_it_names_missing_power_cut_prerequisites(self, kit, client_for):
        case = kit.case(CaseKind.SUSPENSION, CaseStatus.SERVED)
        client = client_for(kit.district.fred)
        m = post(client, f"/api/v1/enforcement/cases/{case.pk}/measures", {"kind": "cut_power"})
        assert m.status_code == 201
        assert len(m.json()["missing"]) == 5
        executed = post(
            client,
            f"/api/v1/enforcement/measures/{m.json()['id']}/execute",
            {"executed_by": "王五"},
        )
        assert executed.status_code == 422
        assert "集体讨论决定" in executed.json()["detail"]

    def test_joint_actions_and_proposals(self, kit, client_for):
        d = kit.district
        client = client_for(d.fred)
        created = post(
            client,
            "/api/v1/enforcement/joint-actions",
            {
                "acted_on": "2026-03-05",
                "title": "联合检查",
                "lead_unit_id": d.dept_a.pk,
                "unit_ids": [d.dept_b.pk, d.town_a.pk, d.town_b.pk],
            },
        )
        assert created.status_code == 201, created.content
        assert created.json()["crosses_territories"] and created.json()["crosses_departments"]
        case = kit.case(CaseKind.SUSPENSION, CaseStatus.EXECUTED)
        post(
            client_for(d.tom),
            f"/api/v1/enforcement/cases/{case.pk}/actions/reinspect_fail",
            {"note": "未整改"},
        )
        proposals = client.get("/api/v1/enforcement/proposals").json()
        assert [p["proposed_kind"] for p in proposals] == ["closure"]
        decided = post(
            client,
            f"/api/v1/enforcement/proposals/{proposals[0]['id']}/decide",
            {"accept": True, "reason": "依规关闭"},
        )
        assert decided.status_code == 200 and decided.json()["resulting_case_id"]


class RobustnessTestCase:
    def test_nul_bytes_are_refused_before_any_query(self, kit, client_for):
        client = client_for(kit.district.fred)
        case = kit.case(CaseKind.SUSPENSION)
        for url, body in (
            ("/api/v1/enforcement/cases", {"kind": "suspension", "facts": "a\x00b"}),
            (f"/api/v1/enforcement/cases/{case.pk}/actions/decide", {"legal_basis": "\x00"}),
            (f"/api/v1/enforcement/cases/{case.pk}/resumptions", {"evidence": "x\x00"}),
        ):
            response = post(client, url, body)
            assert response.status_code == 422, response.content
        case.refresh_from_db()
        assert case.status == CaseStatus.OPENED

    def test_a_stale_click_is_answered_409(self, kit, client_for):
        from hazardledger.enforcement.services import case_perform

        case = kit.case(CaseKind.SUSPENSION, CaseStatus.DECIDED)
        stale = Case.objects.get(pk=case.pk)
        case_perform(
            actor=kit.district.fred, case=case, action="serve", served_to="x", served_how="直接送达"
        )
        response = post(
            client_for(kit.district.fred),
            f"/api/v1/enforcement/cases/{stale.pk}/actions/serve",
            {"served_to": "x", "served_how": "直接送达"},
        )
        assert response.status_code == 409
