"""The restriction query: the shape, who is answered from what, 422, rate limits, the log."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from hazardledger.blacklist.models import CheckLog, EntryStatus
from hazardledger.lib import credit_code

S = EntryStatus
pytestmark = pytest.mark.django_db
URL = "/api/v1/blacklist/check"


def _public_page_row(client, code: str) -> dict | None:
    """What the public page shows for the code (the one row's cells), None if no row."""
    html = client.get("/public/blacklist/", {"q": code}).content.decode()
    match = re.search(r'<tr data-entry="(\d+)">(.*?)</tr>', html, re.S)
    if match is None:
        return None
    cells = re.findall(r"<td>(.*?)</td>", match.group(2), re.S)
    return {
        "entry": int(match.group(1)),
        "credit_code": cells[1],
        "grounds": cells[2],
        "since": cells[4],
        "restrictions": cells[5].split("、") if cells[5] else [],
    }


class CheckTestCase:
    def test_it_answers_exactly_the_shape_of_the_issue(self, kit, client):
        entry = kit.entry(S.PUBLISHED)
        response = client.get(URL, {"credit_code": kit.ent_a.credit_code})
        assert response.status_code == 200
        assert response.json() == {
            "credit_code": kit.ent_a.credit_code,
            "restricted": True,
            "restrictions": entry.restriction_labels,
            "since": entry.listed_on.isoformat(),
            "grounds": entry.grounds,
            "entry": entry.pk,
        }

    def test_it_answers_an_unlisted_code_as_not_restricted(self, kit, client):
        assert client.get(URL, {"credit_code": kit.ent_b.credit_code}).json() == {
            "credit_code": kit.ent_b.credit_code,
            "restricted": False,
            "restrictions": [],
            "since": None,
            "grounds": "",
            "entry": None,
        }

    @pytest.mark.parametrize(
        "state",
        [S.PROPOSED, S.NOTIFIED, S.APPROVED, S.PUBLISHED, S.OBJECTION, S.REPAIRING, S.REMOVED],
    )
    def test_anonymous_callers_are_answered_exactly_as_the_public_page(self, kit, client, state):
        kit.entry(state)
        code = kit.ent_a.credit_code
        answer = client.get(URL, {"credit_code": code}).json()
        row = _public_page_row(client, code)
        assert answer["restricted"] == (row is not None)
        if row is not None:
            assert row == {k: answer[k] for k in row}
        assert answer["restricted"] == (state in (S.PUBLISHED, S.REPAIRING))

    def test_officials_are_answered_from_decided_entries_too(self, kit, client_for, district):
        entry = kit.entry(S.APPROVED)
        code = kit.ent_a.credit_code
        client = client_for(district.dora)
        answer = client.get(URL, {"credit_code": code}).json()
        assert answer["restricted"] and answer["entry"] == entry.pk
        client.logout()
        assert not client.get(URL, {"credit_code": code}).json()["restricted"]

    def test_an_enterprise_user_is_answered_as_the_public(self, kit, client_for, district):
        kit.entry(S.APPROVED)
        client = client_for(district.eve)
        assert not client.get(URL, {"credit_code": kit.ent_a.credit_code}).json()["restricted"]

    def test_an_expired_entry_does_not_restrict(self, kit, client):
        kit.entry(S.PUBLISHED, listed_on=timezone.localdate() - timedelta(days=3 * 366 + 1))
        assert not client.get(URL, {"credit_code": kit.ent_a.credit_code}).json()["restricted"]

    def test_it_normalises_what_people_paste(self, kit, client):
        kit.entry(S.PUBLISHED)
        pasted = " " + kit.ent_a.credit_code.lower() + " "
        assert client.get(URL, {"credit_code": pasted}).json()["restricted"]

    @pytest.mark.parametrize(
        "bad", ["91370306MA3C00000X", "123", "\x00" * 18, "Ｉ" * 18, "9" * 200]
    )
    def test_an_invalid_code_is_422_with_the_checksum_message(self, kit, client, bad):
        response = client.get(URL, {"credit_code": bad})
        assert response.status_code == 422
        body = response.json()
        if len(bad) <= 100:
            assert body["detail"] == credit_code.problem(credit_code.normalize(bad))

    def test_a_wrong_check_character_says_so(self, kit, client):
        code = kit.ent_a.credit_code
        wrong = code[:17] + ("0" if code[17] != "0" else "1")
        response = client.get(URL, {"credit_code": wrong})
        assert response.status_code == 422
        assert "校验位错误" in response.json()["detail"]

    def test_a_missing_code_is_422(self, kit, client):
        assert client.get(URL).status_code == 422

    def test_every_query_by_a_department_is_logged(self, kit, client_for, district):
        kit.entry(S.PUBLISHED)
        client = client_for(district.dora)
        client.get(URL, {"credit_code": kit.ent_a.credit_code})
        client.get(URL, {"credit_code": kit.ent_b.credit_code})
        rows = list(
            CheckLog.objects.order_by("pk").values_list(
                "user_id", "unit_id", "credit_code", "restricted"
            )
        )
        assert rows == [
            (district.dora.pk, district.dept_a.pk, kit.ent_a.credit_code, True),
            (district.dora.pk, district.dept_a.pk, kit.ent_b.credit_code, False),
        ]

    def test_anonymous_queries_are_not_logged_and_write_no_session(self, kit, client):
        response = client.get(URL, {"credit_code": kit.ent_a.credit_code})
        assert not CheckLog.objects.exists()
        assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies

    def test_it_is_rate_limited_per_caller(self, kit, client, client_for, district, settings):
        limit = kit.policy.check_limits.anonymous_per_minute
        code = kit.ent_a.credit_code
        statuses = [client.get(URL, {"credit_code": code}).status_code for _ in range(limit + 1)]
        assert statuses[:limit] == [200] * limit
        refused = client.get(URL, {"credit_code": code})
        assert refused.status_code == 429 and "查询过于频繁" in refused.json()["detail"]
        assert int(refused["Retry-After"]) > 0
        # Another caller keeps its own count.
        assert client_for(district.dora).get(URL, {"credit_code": code}).status_code == 200

    def test_the_check_reads_two_queries_anonymously(
        self, kit, client, django_assert_max_num_queries
    ):
        kit.entry(S.PUBLISHED)
        with django_assert_max_num_queries(2):
            client.get(URL, {"credit_code": kit.ent_a.credit_code})
