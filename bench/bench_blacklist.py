"""Benchmark: the restriction query GET /api/v1/blacklist/check on gunicorn (2 workers).

    .venv/bin/python bench/bench_blacklist.py [--database-url URL] [--seconds 20]
        [--requests 20000] [--clients 4] [--official-share 0.1] [--keep]

Fills its own PostgreSQL database (default hl_blacklist_bench on loopback) with 100,000
enterprises and 10,000 entries in every state (some expired by date), starts gunicorn with two
workers on loopback and drives it with a bounded loop: `--clients` processes, each sending
requests one after another on a keep-alive connection until the request budget or the time
runs out. Codes are drawn from listed, unlisted and expired enterprises; a share of the
callers are signed in (their queries are answered from decided entries and logged). The rate
limit stays on, with the limits raised in the bench's policy so the run measures answers.
Prints one JSON line; `--keep` leaves the data (it is dropped otherwise).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hl_blacklist_bench"
ENTERPRISES = 100_000
ENTRIES = 10_000
SEED = 1214


def _ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _setup(url: str, data_dir: str) -> None:
    os.environ["HAZARDLEDGER_DATA_DIR"] = data_dir
    os.environ["HAZARDLEDGER_DEMO"] = "1"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hazardledger.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _policy() -> None:
    import yaml

    from hazardledger.policy.services import parse_policy, policy_store

    path = ROOT / "hazardledger" / "policy" / "profiles" / "zhoucun-demo.yaml"
    content = yaml.safe_load(path.read_bytes())
    content["code"] = "bench-blacklist"
    content["blacklist"]["check_limits"] = {
        "anonymous_per_minute": 100_000,
        "signed_in_per_minute": 1_000_000,
    }
    raw = yaml.safe_dump(content, allow_unicode=True).encode()
    policy_store(actor=None, data=parse_policy(raw), source=raw, activate=True)


def _fill(rng: random.Random) -> dict[str, list[str]]:
    """100,000 enterprises, 10,000 entries; returns the codes by what the check should say."""
    from django.utils import timezone

    from hazardledger.blacklist import rules
    from hazardledger.blacklist.models import Entry, EntryStatus
    from hazardledger.enterprises.models import Enterprise
    from hazardledger.lib import credit_code
    from hazardledger.org.models import Role
    from hazardledger.org.services import person_upsert

    proposer = person_upsert(
        actor=None, username="bench.admin", roles=[Role.DISTRICT_ADMIN], password=None
    )
    person_upsert(actor=None, username="bench.dept", roles=[Role.DEPARTMENT_OFFICER], password=None)
    if Enterprise.objects.count() < ENTERPRISES:
        codes: set[str] = set(Enterprise.objects.values_list("credit_code", flat=True))
        while len(codes) < ENTERPRISES:
            codes.add(credit_code.generate(rng))
        have = set(Enterprise.objects.values_list("credit_code", flat=True))
        Enterprise.objects.bulk_create(
            [
                Enterprise(credit_code=c, name=f"基准企业{i:06d}")
                for i, c in enumerate(sorted(codes - have))
            ],
            batch_size=5000,
        )
    enterprises = list(Enterprise.objects.order_by("pk").values_list("pk", "credit_code"))
    today = timezone.localdate()
    if Entry.objects.count() < ENTRIES:
        Entry.objects.all().delete()
        states = (
            [EntryStatus.PUBLISHED] * 60 + [EntryStatus.APPROVED] * 10 + [EntryStatus.REPAIRING] * 5
            + [EntryStatus.OBJECTION] * 5 + [EntryStatus.NOTIFIED] * 5 + [EntryStatus.PROPOSED] * 5
            + [EntryStatus.REMOVED] * 10
        )  # fmt: skip
        chosen = rng.sample(enterprises, ENTRIES)
        rows = []
        for i, (pk, code) in enumerate(chosen):
            status = states[i % len(states)]
            listed = today - timedelta(days=rng.randint(1, 1500))  # some past their term
            rows.append(
                Entry(
                    enterprise_id=pk, credit_code=code, grounds="基准：受到行政处罚，情节严重",
                    legal_basis="令11号", restrictions=["bank_loans", "land_approval"],
                    restriction_labels=["用地审批", "银行贷款"], status=status,
                    proposed_by=proposer, proposed_at=timezone.now(),
                    listed_on=listed, expires_on=rules.expires_on(listed, 3),
                )
            )  # fmt: skip
        Entry.objects.bulk_create(rows, batch_size=5000)
    from hazardledger.blacklist.selectors import PUBLIC_STATES

    listed = list(
        Entry.objects.filter(
            status__in=PUBLIC_STATES, listed_on__lte=today, expires_on__gte=today
        ).values_list("credit_code", flat=True)
    )
    expired = list(Entry.objects.filter(expires_on__lt=today).values_list("credit_code", flat=True))
    entry_codes = set(Entry.objects.values_list("credit_code", flat=True))
    free = [c for _pk, c in enterprises if c not in entry_codes][:20_000]
    return {"listed": listed, "expired": expired, "free": free}


def _session(username: str) -> str:
    from django.conf import settings
    from django.test import Client

    from hazardledger.org.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _client(args: tuple) -> dict:
    """One client: requests one after another on a keep-alive connection, bounded."""
    port, paths, cookie_share, cookie, budget, until, seed = args
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    latencies, statuses, wrong = [], {}, 0
    sent = 0
    while sent < budget and time.monotonic() < until:
        path, expect = paths[rng.randrange(len(paths))]
        headers = {"Cookie": f"sessionid={cookie}"} if rng.random() < cookie_share else {}
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            statuses["error"] = statuses.get("error", 0) + 1
            sent += 1
            continue
        latencies.append(time.perf_counter() - start)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        answer = json.loads(body) if expect is not None and response.status == 200 else {}
        if answer and not headers and answer["restricted"] != expect:
            wrong += 1
        sent += 1
    conn.close()
    return {"latencies": latencies, "statuses": statuses, "wrong": wrong}


def _measure(port: int, paths: list, share: float, cookie: str, args) -> dict:
    budget = args.requests // args.clients
    until = time.monotonic() + args.seconds
    jobs = [(port, paths, share, cookie, budget, until, i + 1) for i in range(args.clients)]
    begin = time.perf_counter()
    with multiprocessing.Pool(args.clients) as pool:
        results = pool.map(_client, jobs)
    elapsed = time.perf_counter() - begin
    latencies = sorted(x for r in results for x in r["latencies"])
    statuses: dict = {}
    for r in results:
        for k, v in r["statuses"].items():
            statuses[str(k)] = statuses.get(str(k), 0) + v

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 2)

    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(latencies[-1] * 1000, 2),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2),
        "statuses": statuses,
        "wrong_answers": sum(r["wrong"] for r in results),
    }


def _drop(url: str) -> None:
    from hazardledger.blacklist.models import CheckLog, Entry
    from hazardledger.enterprises.models import Enterprise

    CheckLog.objects.all().delete()
    Entry.objects.all().delete()
    Enterprise.objects.all().delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--official-share", type=float, default=0.1)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    _ensure_database(args.database_url)
    data_dir = "/tmp/hl-blacklist-bench"
    os.makedirs(data_dir, exist_ok=True)
    _setup(args.database_url, data_dir)
    _policy()
    rng = random.Random(SEED)
    started = time.monotonic()
    codes = _fill(rng)
    fill_seconds = round(time.monotonic() - started, 1)
    cookie = _session("bench.dept")
    url = "/api/v1/blacklist/check?credit_code="
    paths = (
        [(url + c, True) for c in rng.sample(codes["listed"], min(3000, len(codes["listed"])))]
        + [(url + c, False) for c in rng.sample(codes["expired"], min(1000, len(codes["expired"])))]
        + [(url + c, False) for c in rng.sample(codes["free"], 6000)]
    )
    port = _free_port()
    env = {**os.environ, "HAZARDLEDGER_DEMO": "1", "DATABASE_URL": args.database_url,
           "HAZARDLEDGER_DATA_DIR": data_dir}  # fmt: skip
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "hazardledger.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--worker-class", "gthread",
         "--threads", str(args.threads),
         "--keep-alive", "5"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait(port)
        # Warm both workers (imports, policy, connections) outside the measured loop.
        warm = [(port, paths, 0.5, cookie, 300, time.monotonic() + 10, -i) for i in range(4)]
        with multiprocessing.Pool(4) as pool:
            pool.map(_client, warm)
        check = _measure(port, paths, args.official_share, cookie, args)
        # The floor in the same run: the API's health probe (no database) through the same
        # server and middleware, so the machine's load of the moment is in both figures.
        floor = _measure(port, [("/api/v1/health", None)], 0.0, cookie, args)
    finally:
        server.terminate()
        server.wait(timeout=30)
    from hazardledger.blacklist.models import CheckLog

    line = {
        "scenario": "blacklist_check",
        "enterprises": ENTERPRISES,
        "entries": ENTRIES,
        "fill_seconds": fill_seconds,
        "gunicorn": f"2 gthread workers × {args.threads} thread(s), keep-alive",
        "clients": args.clients,
        "official_share": args.official_share,
        **check,
        "queries_logged": CheckLog.objects.count(),
        "floor_health": {k: floor[k] for k in ("requests", "rps", "p50_ms", "p99_ms")},
        "load_average": os.getloadavg()[0],
    }
    print(json.dumps(line, ensure_ascii=False), flush=True)
    if not args.keep:
        _drop(args.database_url)


if __name__ == "__main__":
    main()
