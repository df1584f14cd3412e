"""The Redis (RQ) queue end to end: a real worker process, a real Redis, its own database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[3]


class RedisQueueTestCase:
    def test_it_runs_the_schedule_on_rq_once(self, tmp_path):
        url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
        redis.Redis.from_url(url).flushdb()  # CI starts Redis; a missing one must fail here
        env = {
            k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PYTEST_CURRENT_TEST"}
        }
        env.update(
            HAZARDLEDGER_DATA_DIR=str(tmp_path),
            HAZARDLEDGER_DEMO="1",
            REDIS_URL=url,
        )

        def manage(*args: str) -> str:
            done = subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=True,
            )
            return done.stdout

        manage("migrate", "--noinput", "-v", "0")
        manage("load_policy", "hazardledger/policy/profiles/zhoucun-demo.yaml", "--activate")
        assert "已排队 7 个" in manage("run_worker", "--once")
        assert "已排队 0 个" in manage("run_worker", "--once")
        db = sqlite3.connect(next(tmp_path.glob("*.sqlite3")))
        rows = dict(db.execute("select job, status from jobs_scheduledrun").fetchall())
        assert set(rows.values()) == {"done"}
        assert {"hazard_reminders", "sweep_uploads", "meeting_reminders"} <= set(rows)
