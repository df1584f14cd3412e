"""The admin shows meetings and items read-only; list pages read in a fixed number of
queries whatever the number of rows."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hazardledger.meetings import services


def _queries(client, url: str) -> int:
    client.get(url)  # the first request of a session also refreshes the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


class AdminTestCase:
    def test_it_lists_meetings_and_items_read_only(self, district, rec, client, weekly):
        from hazardledger.org.models import User

        admin_user = User.objects.create_superuser("root", password="x-long-password-9")
        rec.meeting(district.town_a, date(2014, 9, 3), decisions=["复查"])
        client.force_login(admin_user)
        assert client.get("/admin/meetings/meeting/").status_code == 200
        assert client.get("/admin/meetings/followupitem/").status_code == 200
        assert client.get("/admin/meetings/meeting/add/").status_code == 403


class QueryCountTestCase:
    def _items(self, district, rec, n: int) -> None:
        today = timezone.localdate()
        meeting = rec.meeting(district.town_a, today - timedelta(days=1), decisions=["复查"])
        for i in range(n):
            services.item_create(
                actor=district.alice,
                data=services.ItemInput(
                    decision=meeting.decisions.get(),
                    title=f"事项{i}",
                    owner_unit=district.dept_a,
                    owner_person=district.dora,
                    due_on=today + timedelta(days=i - 1),
                ),
            )

    def test_the_item_list_does_not_grow_with_rows(self, district, rec, client_for, weekly):
        self._items(district, rec, 2)
        client = client_for(district.tom)
        few = _queries(client, "/meetings/items/")
        self._items(district, rec, 8)
        assert _queries(client, "/meetings/items/") == few

    def test_the_meeting_list_and_table_do_not_grow_with_rows(
        self, district, rec, client_for, weekly
    ):
        client = client_for(district.alice)
        rec.meeting(district.town_a, date(2014, 9, 3))
        few = (_queries(client, "/meetings/"), _queries(client, "/meetings/compliance/"))
        for day in (date(2014, 9, 10), date(2014, 9, 17), date(2014, 9, 24)):
            rec.meeting(district.town_b, day)
            rec.meeting(district.committee, day)
        assert (_queries(client, "/meetings/"), _queries(client, "/meetings/compliance/")) == few


class ApiQueryCountTestCase:
    def test_the_meeting_list_api_does_not_grow_with_rows(self, district, rec, client_for, weekly):
        client = client_for(district.alice)
        rec.meeting(district.town_a, date(2014, 9, 3))
        few = _queries(client, "/api/v1/meetings/")
        for day in (date(2014, 9, 10), date(2014, 9, 17), date(2014, 9, 24)):
            rec.meeting(district.town_b, day)
        assert _queries(client, "/api/v1/meetings/") == few
