"""Benchmarks of the tip-off channel; prints one JSON line per part.

    .venv/bin/python bench/bench_tipoffs.py [--database-url postgres://postgres@127.0.0.1:5432/hl_tipoffs_bench]
        [--rows 100000] [--samples 30] [--clients 50] [--seconds 60] [--keep]

duplicates   duplicate suggestions for sample tip-offs among `rows` tip-offs (pg_trgm on
             PostgreSQL); target ≤ 200 ms each.
submitters   `clients` concurrent public submitters POSTing /api/v1/public/tipoffs for
             `seconds` against gunicorn on loopback; target 0 errors. The bench activates a
             copy of the demo profile whose per-address submission limit is raised, since every
             client shares 127.0.0.1.
The bench tip-offs are deleted at the end unless --keep. Every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/hl_tipoffs_bench"

SUBJECTS = [
    "化工厂",
    "建筑工地",
    "加工点",
    "仓库",
    "饭店",
    "物流园",
    "五金厂",
    "塑料厂",
    "木器厂",
    "家具厂",
    "汽修厂",
    "加油站",
    "印刷厂",
    "纺织厂",
    "机械厂",
]
PLACES = ["东头", "西侧", "北院", "南门", "二号车间", "三号仓库", "后院", "地下室", "楼顶"]
PROBLEMS = [
    "堆放大量油漆和稀料没有灭火器",
    "脚手架没有安全网工人不系安全带",
    "配电箱门损坏电线裸露",
    "液化气瓶放在灶台旁边没有报警器",
    "消防通道被货物堵死",
    "夜间偷偷开工生产",
    "有限空间作业没有通风检测",
    "叉车司机无证驾驶",
    "粉尘很大没有除尘设备",
    "危险化学品与可燃物混放",
    "安全出口上锁",
    "发生事故有人受伤没有上报",
    "厂房私搭乱建彩钢棚",
    "锅炉没有年检",
]
TOWNS = ["北郊镇", "南郊镇", "王村镇", "萌水镇", "城北街道", "青年路街道", "丝绸路街道"]


def _setup(database_url: str, data_dir: str) -> None:
    os.environ["HAZARDLEDGER_DATA_DIR"] = data_dir
    os.environ.setdefault("HAZARDLEDGER_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hazardledger.settings")
    os.environ["DATABASE_URL"] = database_url
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    _activate(raised=True)


def _activate(*, raised: bool) -> None:
    import yaml

    from hazardledger.policy.services import parse_policy, policy_store

    path = ROOT / "hazardledger" / "policy" / "profiles" / "zhoucun-demo.yaml"
    content = yaml.safe_load(path.read_bytes())
    if raised:
        content["code"] = "bench-tipoffs"
        content["tipoffs"]["throttling"]["submissions_per_hour"] = 10_000_000
    raw = yaml.safe_dump(content, allow_unicode=True).encode()
    policy_store(actor=None, data=parse_policy(raw), source=raw, activate=True)


def _text(rng: random.Random) -> tuple[str, str, str]:
    subject = rng.choice(TOWNS) + rng.choice(["", "某", "老"]) + rng.choice(SUBJECTS)
    place = rng.choice(PLACES)
    problem = "，".join(rng.sample(PROBLEMS, rng.randint(1, 3)))
    return subject, place, problem


def _fill(rows: int, rng: random.Random) -> float:
    """Bulk-insert `rows` bench tip-offs (bypassing the services: only the duplicate search is
    measured here); returns the seconds taken."""
    from django.utils import timezone

    from hazardledger.tipoffs import rules
    from hazardledger.tipoffs.models import TipOff

    started = time.monotonic()
    now = timezone.now()
    batch = []
    for i in range(rows):
        subject, place, problem = _text(rng)
        batch.append(
            TipOff(
                number=f"BENCH-{i:08d}",
                channel="web",
                kind="hazard",
                received_at=now - timezone.timedelta(minutes=rows - i),
                subject=subject,
                location=place,
                description=problem,
                match_text=rules.match_text(subject, place, problem),
                pseudonym=f"举报人{i}",
                receipt_index=secrets.token_hex(32),
                receipt_hash="0" * 64,
                receipt_salt="0" * 32,
                reporter_seen_at=now,
            )
        )
        if len(batch) == 5000:
            TipOff.objects.bulk_create(batch)
            batch = []
    TipOff.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tipoffs_tipoff")
    return time.monotonic() - started


def bench_duplicates(rows: int, samples: int) -> dict:
    from django.db import connection

    from hazardledger.tipoffs import duplicates
    from hazardledger.tipoffs.models import TipOff

    rng = random.Random(2014)
    existing = TipOff.objects.filter(number__startswith="BENCH-").count()
    fill_seconds = _fill(rows - existing, rng) if existing < rows else 0.0
    pool = TipOff.objects.all()
    ids = list(TipOff.objects.filter(number__startswith="BENCH-").values_list("pk", flat=True))
    timings, found = [], []
    for pk in rng.sample(ids, min(samples, len(ids))):
        tipoff = TipOff.objects.get(pk=pk)
        started = time.perf_counter()
        result = duplicates.suggestions(tipoff, pool)
        timings.append((time.perf_counter() - started) * 1000)
        found.append(len(result))
    timings.sort()
    return {
        "bench": "tipoff_duplicates",
        "vendor": connection.vendor,
        "rows": TipOff.objects.count(),
        "samples": len(timings),
        "fill_seconds": round(fill_seconds, 1),
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "max_ms": round(timings[-1], 1),
        "suggestions_median": statistics.median(found),
        "target_ms": 200,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(database_url: str, data_dir: str, workers: int) -> tuple[subprocess.Popen, str]:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "HAZARDLEDGER_DATA_DIR": data_dir,
        "HAZARDLEDGER_DEMO": "1",
    }
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "hazardledger.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def bench_submitters(
    database_url: str, data_dir: str, clients: int, seconds: float, workers: int
) -> dict:
    proc, base = _serve(database_url, data_dir, workers)
    stop_at = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []

    def client(n: int) -> None:
        rng = random.Random(n)
        for _ in range(100_000):  # bounded; the clock ends the loop long before
            if time.monotonic() >= stop_at:
                return
            subject, place, problem = _text(rng)
            body = json.dumps(
                {
                    "kind": "hazard",
                    "subject": subject,
                    "location": place,
                    "description": problem,
                    "is_anonymous": rng.random() < 0.5,
                    "name": "压测",
                    "phone": "13900000000",
                }
            ).encode()
            request = urllib.request.Request(
                base + "/api/v1/public/tipoffs",
                data=body,
                headers={"Content-Type": "application/json"},
            )
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    ok = response.status == 201 and len(json.load(response)["receipt_code"]) >= 16
                    failure = "" if ok else f"status {response.status}"
            except (urllib.error.URLError, OSError, ValueError, KeyError) as exc:
                failure = type(exc).__name__ + ": " + str(exc)[:80]
            with lock:
                latencies.append(time.perf_counter() - started)
                if failure:
                    errors.append(failure)

    try:
        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=seconds + 60)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    latencies.sort()
    return {
        "bench": "tipoff_public_submitters",
        "clients": clients,
        "seconds": seconds,
        "gunicorn_workers": workers,
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "per_second": round(len(latencies) / seconds, 1),
        "median_ms": round(statistics.median(latencies) * 1000) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000) if latencies else None,
    }


def _cleanup() -> None:
    from hazardledger.tipoffs.models import IdentityRecord, LookupGuard, TipOff

    IdentityRecord.objects.all().delete()
    TipOff.objects.all().delete()
    LookupGuard.objects.all().delete()


def _createdb(database_url: str) -> None:
    name = database_url.rsplit("/", 1)[1]
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", name],
        stderr=subprocess.DEVNULL,
        check=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--skip-duplicates", action="store_true")
    parser.add_argument("--skip-submitters", action="store_true")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    _createdb(args.database_url)
    with tempfile.TemporaryDirectory() as data_dir:
        _setup(args.database_url, data_dir)
        try:
            if not args.skip_duplicates:
                print(
                    json.dumps(bench_duplicates(args.rows, args.samples), ensure_ascii=False),
                    flush=True,
                )
            if not args.skip_submitters:
                result = bench_submitters(
                    args.database_url, data_dir, args.clients, args.seconds, args.workers
                )
                print(json.dumps(result, ensure_ascii=False), flush=True)
        finally:
            if not args.keep:
                _cleanup()
            _activate(raised=False)


if __name__ == "__main__":
    main()
