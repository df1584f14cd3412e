from __future__ import annotations

from django.urls import reverse

from hazardledger.audit.services import record


class AuditPageTestCase:
    def test_it_lets_the_admin_and_supervisor_read_events(self, client_for, district):
        for user in (district.alice, district.sam):
            response = client_for(user).get(reverse("audit:events"))
            assert response.status_code == 200
            assert "unit.create" in response.content.decode()

    def test_it_refuses_other_roles(self, client_for, district):
        for user in (district.tom, district.leo, district.eve, district.cora):
            assert client_for(user).get(reverse("audit:events")).status_code == 403

    def test_it_filters_by_object_person_and_time(self, client_for, district):
        record(actor=district.tom, action="test.mark", object_type="probe", object_id="42")
        client = client_for(district.alice)
        page = client.get(reverse("audit:events"), {"object_type": "probe", "object_id": "42"})
        events = page.context["events"]
        assert [e.action for e in events] == ["test.mark"]
        page = client.get(reverse("audit:events"), {"actor": "tom"})
        assert {e.actor_id for e in page.context["events"]} == {district.tom.pk}
        page = client.get(reverse("audit:events"), {"since": "2999-01-01"})
        assert list(page.context["events"]) == []

    def test_it_pages_by_keyset(self, client_for, district):
        for i in range(60):
            record(actor=None, action="test.bulk", object_type="bulk", object_id=i)
        client = client_for(district.alice)
        first = client.get(reverse("audit:events"), {"object_type": "bulk"}).context
        assert len(first["events"]) == 50 and first["next_before"]
        second = client.get(
            reverse("audit:events"), {"object_type": "bulk", "before": first["next_before"]}
        ).context
        assert len(second["events"]) == 10

    def test_it_reports_bad_filters_per_field_without_error(self, client_for, district):
        response = client_for(district.alice).get(
            reverse("audit:events"), {"since": "2020-02-30", "until": "x"}
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "有效的日期" in page

    def test_it_shows_changes_of_every_shape(self, client_for, district):
        record(
            actor=None,
            action="test.shapes",
            object_type="shapes",
            object_id=1,
            changes={"status": ["draft", "live"], "items": ["A1", "A2", "A3"], "count": 3},
        )
        response = client_for(district.alice).get(
            reverse("audit:events"), {"object_type": "shapes"}
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "<code>status</code>：draft → live" in html
        assert "<code>count</code>：— → 3" in html
        assert "<code>items</code>：— → A1、A2、A3" in html

    def test_it_shortens_long_lists_and_reads_mappings(self, client_for, district):
        codes = [f"C{i:02d}" for i in range(25)]
        record(
            actor=None,
            action="test.import",
            object_type="bulk-import",
            changes={
                "created": [None, codes],
                "updated": [None, {"C01": {"name": ["甲", "乙"]}}],
                "note": [None, "<b>x</b>"],
            },
        )
        html = (
            client_for(district.alice)
            .get(reverse("audit:events"), {"object_type": "bulk-import"})
            .content.decode()
        )
        assert "<code>created</code>：— → " + "、".join(codes[:10]) + " 等 25 项" in html
        assert "C10" not in html
        assert "<code>updated</code>：— → C01：name：甲、乙" in html
        assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html


class ForeignKeyNamesTestCase:
    def test_it_shows_names_not_ids_for_changed_foreign_keys(self, district, client_for):
        from hazardledger.audit.services import record
        from hazardledger.enterprises.models import Enterprise

        enterprise = Enterprise.objects.create(
            credit_code="91370306MA3C0000X1", name="某厂", territory=district.town_a
        )
        record(
            actor=district.alice,
            action="enterprise.update",
            obj=enterprise,
            changes={"territory": [district.town_a.pk, district.town_b.pk]},
        )
        page = client_for(district.alice).get("/audit/").content.decode()
        assert "甲镇 → 乙街道" in page
        assert f"{district.town_a.pk} → {district.town_b.pk}" not in page
        assert "所属镇街" in page
