"""Settings come from the environment; production refuses to start without a secret key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def load_settings(env: dict[str, str], expr: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    code = f"import hazardledger.settings as s; print(({expr},))"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


class SettingsTestCase:
    def test_it_refuses_to_start_in_production_without_a_secret_key(self, tmp_path):
        result = load_settings({"HAZARDLEDGER_DATA_DIR": str(tmp_path)}, "s.SECRET_KEY")
        assert result.returncode != 0
        assert "SECRET_KEY must be set" in result.stderr

    def test_it_reads_secrets_from_files(self, tmp_path):
        secret = tmp_path / "key"
        secret.write_text("from-a-file-" + "k" * 40 + "\n")
        result = load_settings(
            {"SECRET_KEY_FILE": str(secret), "HAZARDLEDGER_DATA_DIR": str(tmp_path)},
            "s.SECRET_KEY, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE",
        )
        assert result.stdout.strip() == f"('{'from-a-file-' + 'k' * 40}', True, True)"

    def test_it_keeps_one_generated_key_in_demo_mode(self, tmp_path):
        env = {"HAZARDLEDGER_DEMO": "1", "HAZARDLEDGER_DATA_DIR": str(tmp_path)}
        first = load_settings(env, "s.SECRET_KEY").stdout
        assert first == load_settings(env, "s.SECRET_KEY").stdout
        assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0

    def test_it_switches_database_and_cache_by_url(self, tmp_path):
        result = load_settings(
            {
                "DEBUG": "1",
                "HAZARDLEDGER_DATA_DIR": str(tmp_path),
                "DATABASE_URL": "postgres://u@db.internal:5432/hl",
                "REDIS_URL": "redis://127.0.0.1:6379/3",
            },
            "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'], "
            "s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.TIME_ZONE, s.LANGUAGE_CODE",
        )
        assert result.stdout.strip() == (
            "('django.db.backends.postgresql', 'db.internal', "
            "'django_redis.cache.RedisCache', 'django.contrib.sessions.backends.cached_db', "
            "'Asia/Shanghai', 'zh-hans')"
        )

    def test_it_defaults_to_sqlite_in_the_data_folder(self, tmp_path):
        result = load_settings(
            {"DEBUG": "1", "HAZARDLEDGER_DATA_DIR": str(tmp_path)},
            "s.DATABASES['default']['NAME'], s.DATABASES['default']['OPTIONS']['transaction_mode']",
        )
        assert result.stdout.strip() == f"({Path(tmp_path / 'db.sqlite3')!r}, 'IMMEDIATE')"
