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
    def test_it_expires_idle_sessions(self, settings):
        assert settings.SESSION_COOKIE_AGE <= 1800
        assert settings.SESSION_SAVE_EVERY_REQUEST is True

    def test_it_refuses_weak_passwords(self, district):
        from django.core.exceptions import ValidationError

        from hazardledger.org.services import person_upsert

        with pytest.raises(ValidationError):
            person_upsert(actor=None, username="weak", password="12345678")
