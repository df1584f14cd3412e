"""Login throttling with django-axes (enabled here only; off elsewhere in tests)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    yield
    settings.AXES_ENABLED = False


def attempt(client, password: str):
    return client.post(
        reverse("login"), {"username": "tom", "password": password}, REMOTE_ADDR="10.0.0.9"
    )


class ThrottlingTestCase:
    def test_it_locks_out_after_repeated_failures(self, client, district, axes_on):
        for _ in range(2):
            assert attempt(client, "wrong").status_code == 200
        response = attempt(client, "wrong")
        assert response.status_code == 429
        assert "登录失败次数过多" in response.content.decode()
        # Even the right password is refused while locked.
        response = attempt(client, "correct-horse-9")
        assert response.status_code == 429
        assert client.get(reverse("home")).status_code == 302

    def test_it_lets_the_right_password_in_before_the_limit(self, client, district, axes_on):
        attempt(client, "wrong")
        assert attempt(client, "correct-horse-9").status_code == 302
        assert not AccessAttempt.objects.filter(username="tom").exists()

    def test_it_keeps_other_users_unaffected(self, client, district, axes_on):
        for _ in range(3):
            attempt(client, "wrong")
        response = client.post(
            reverse("login"),
            {"username": "tina", "password": "correct-horse-9"},
            REMOTE_ADDR="10.0.0.9",
        )
        assert response.status_code == 302


class SessionTestCase:
    def test_it_expires_idle_sessions_and_keeps_active_ones(self, settings, client, district):
        from datetime import timedelta

        import time_machine
        from django.utils import timezone

        assert settings.SESSION_COOKIE_AGE <= 1800
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            client.force_login(district.tom)
            assert client.get(reverse("home")).status_code == 200
            for _ in range(3):  # active every 25 minutes: never logged out
                clock.shift(timedelta(minutes=25))
                assert client.get(reverse("home")).status_code == 200
            clock.shift(timedelta(minutes=31))  # then idle past the timeout
            assert client.get(reverse("home")).status_code == 302

    def test_it_does_not_write_the_session_on_every_request(self, client, district):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(district.tom)
        client.get(reverse("home"))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("home"))
        assert not any("UPDATE" in q["sql"] and "session" in q["sql"] for q in queries)

    def test_it_refuses_weak_passwords(self, district):
        from django.core.exceptions import ValidationError

        from hazardledger.org.services import person_upsert

        with pytest.raises(ValidationError):
            person_upsert(actor=None, username="weak", password="12345678")
