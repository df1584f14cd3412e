"""Province-scale benchmarks: one JSON line per scenario, baselines in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hl_perf .venv/bin/python bench/run.py

Needs a database filled by `bench/generate.py`. Pages go through the full Django
request/response (test Client, production-like settings: HAZARDLEDGER_DEMO=1, DEBUG off).
`--skip` takes a comma-separated list of: pages, counts, export, import, load.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH = Path(__file__).resolve().parent
DATA_DIR = os.environ.get("HAZARDLEDGER_DATA_DIR", "/tmp/hl-perf")
REPEAT = 15  # this machine's timings jitter by a third from run to run; the median of 15 holds
DEEP_ROWS = 10_000  # the deep page starts after this many rows (page 201 at 50 rows a page)


def _setup() -> None:
    os.environ["HAZARDLEDGER_DATA_DIR"] = DATA_DIR
    os.environ.setdefault("HAZARDLEDGER_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hazardledger.settings")
    import django

    django.setup()


def _median_ms(call: Callable[[], Any], repeat: int = REPEAT) -> float:
    call()  # warm caches and connections; the first call is not measured
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def _emit(scenario: str, rows: Any, ms: float, baseline: str | None, base_ms: float | None) -> None:
    ratio = round(ms / base_ms, 2) if base_ms else None
    line = {
        "scenario": scenario,
        "rows": rows,
        "median_ms": ms,
        "baseline": baseline,
        "baseline_median_ms": base_ms,
        "ratio": ratio,
    }
    print(json.dumps(line, ensure_ascii=False), flush=True)


def _client(username: str) -> Any:
    from django.test import Client

    from hazardledger.org.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    return client


def _get(client: Any, url: str) -> Callable[[], Any]:
    def call() -> Any:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
        return response

    return call


def _sql(query: str, params: list[Any]) -> Callable[[], list[tuple]]:
    from django.db import connection

    def call() -> list[tuple]:
        with connection.cursor() as cur:
            cur.execute(query, params)
            return cur.fetchall()

    return call


# The ledger's rows as a hand-written query: the same columns the page shows, same order.
LEDGER_SQL = """
select h.id, h.card_no, h.found_on, h.status, h.level, h.deadline, h.location, h.description,
       e.name, e.credit_code, t.name, i.name
from hazards_hazard h
join enterprises_enterprise e on e.id = h.enterprise_id
left join org_unit t on t.id = h.territory_id
left join org_industry i on i.id = h.industry_id
where {where}
order by {order}
limit 51
"""


def _cold(call: Callable[[], Any]) -> Any:
    from django.core.cache import cache

    cache.clear()
    return call()


def _pick_territory() -> int:
    from django.db.models import Count

    from hazardledger.hazards.models import Hazard

    row = Hazard.objects.values("territory_id").annotate(n=Count("pk")).order_by("-n").first()
    return row["territory_id"]


def bench_ledger() -> None:
    from django.utils import timezone

    from hazardledger.hazards.models import Hazard
    from hazardledger.hazards.rules import DEADLINE_RUNS
    from hazardledger.hazards.selectors import encode_cursor

    admin = _client("admin")
    territory = _pick_territory()
    today = timezone.localdate()
    runs = [str(s) for s in DEADLINE_RUNS]
    url = f"/hazards/?territory={territory}&status=rectifying&overdue=on&sort=deadline"
    page = _median_ms(_get(admin, url))
    where = (
        "h.territory_id = %s and h.status = 'rectifying' and h.status = any(%s) and h.deadline < %s"
    )
    order = "h.deadline asc nulls last, h.id asc"
    sql_first = _sql(LEDGER_SQL.format(where=where, order=order), [territory, runs, today])
    rows = len(sql_first()) - 1
    _emit("ledger_first_page", rows, page, "sql", _median_ms(sql_first))
    admin_url = "/admin/hazards/hazard/?status__exact=rectifying"
    _emit("ledger_first_page", rows, page, "admin_changelist", _median_ms(_get(admin, admin_url)))
    # The same page when its status counts are not cached (the first view after a write).
    cold = _get(admin, url)
    _emit("ledger_first_page_uncached_counts", rows, _median_ms(lambda: _cold(cold)), None, None)
    _emit(
        "ledger_unfiltered_uncached_counts",
        50,
        _median_ms(lambda: _cold(_get(admin, "/hazards/"))),
        None,
        None,
    )

    # The deep page: the cursor of row DEEP_ROWS of the whole ledger, newest first.
    last = Hazard.objects.order_by("-found_on", "-pk").values("found_on", "pk")[DEEP_ROWS - 1]
    cursor = encode_cursor(last["found_on"], last["pk"])
    deep = _median_ms(_get(admin, f"/hazards/?after={cursor}"))
    keyset = "(h.found_on, h.id) < (%s, %s)"
    order = "h.found_on desc, h.id desc"
    sql_deep = _sql(LEDGER_SQL.format(where=keyset, order=order), [last["found_on"], last["pk"]])
    _emit("ledger_deep_page", 50, deep, "sql", _median_ms(sql_deep))
    admin_page = DEEP_ROWS // 100  # the admin shows 100 rows a page
    admin_ms = _median_ms(_get(admin, f"/admin/hazards/hazard/?p={admin_page}"), repeat=5)
    _emit("ledger_deep_page", 50, deep, "admin_changelist", admin_ms)
    # What any signed-in page costs before it reads a card: session, user and roles, the
    # middleware, and the page frame (the home page reads nothing more). Against the same
    # SQL, it shows how much of the ledger's ratio is the request cycle itself.
    floor = _median_ms(_get(admin, "/"))
    _emit("request_floor", 0, floor, "sql", _median_ms(sql_deep))


def bench_pages() -> None:
    from hazardledger.enterprises.models import Enterprise
    from hazardledger.hazards.models import Hazard

    admin = _client("admin")
    hazard = Hazard.objects.filter(card_no__contains="-PF-").order_by("pk").last()
    card_sql = _sql(
        "select h.*, e.* from hazards_hazard h join enterprises_enterprise e"
        " on e.id = h.enterprise_id where h.id = %s",
        [hazard.pk],
    )
    card = _median_ms(_get(admin, f"/hazards/{hazard.pk}/"))
    _emit("hazard_card", 1, card, "sql", _median_ms(card_sql))
    enterprise = Enterprise.objects.get(pk=hazard.enterprise_id)
    dossier_sql = _sql(
        "select e.*, (select count(*) from hazards_hazard h where h.enterprise_id = e.id)"
        " from enterprises_enterprise e where e.credit_code = %s",
        [enterprise.credit_code],
    )
    dossier = _get(admin, f"/enterprises/{enterprise.credit_code}/dossier/")
    _emit("enterprise_dossier", 1, _median_ms(dossier), "sql", _median_ms(dossier_sql))
    detail = _get(admin, f"/enterprises/{enterprise.credit_code}/")
    _emit("enterprise_detail", 1, _median_ms(detail), "sql", _median_ms(dossier_sql))
    town = _client("officer.t-msz")
    _emit("town_officer_mywork", None, _median_ms(_get(town, "/hazards/mine/")), None, None)


def bench_counts() -> None:
    from django.db.models import Count
    from django.utils import timezone

    from hazardledger.hazards.models import Hazard
    from hazardledger.hazards.rules import DEADLINE_RUNS
    from hazardledger.hazards.selectors import overdue_q

    today = timezone.localdate()

    def orm() -> list[dict[str, Any]]:
        return list(
            Hazard.objects.order_by()
            .values("territory_id", "status")
            .annotate(n=Count("pk"), overdue=Count("pk", filter=overdue_q(today)))
        )

    sql = _sql(
        "select territory_id, status, count(*),"
        " count(*) filter (where status = any(%s) and deadline < %s)"
        " from hazards_hazard group by territory_id, status",
        [[str(s) for s in DEADLINE_RUNS], today],
    )
    _emit("counts_per_territory", len(sql()), _median_ms(orm), "sql", _median_ms(sql))


def _child_json(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, *args], check=True, capture_output=True, text=True, env=env, cwd=ROOT
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_export() -> None:
    # A fresh child process, so the peak RSS is the export's own (bench_hazard_export's logic).
    script = str(BENCH / "bench_hazard_export.py")
    result = _child_json([script, "--data-dir", DATA_DIR, "--export-only", "100000"])
    _emit("export_100k", result["rows"], round(result["seconds"] * 1000, 1), None, None)
    print(json.dumps({"scenario": "export_100k_memory", **result}), flush=True)


def bench_import(import_url: str) -> None:
    from urllib.parse import urlparse

    # The import bench needs an empty database of its own; recreate it each run.
    name = urlparse(import_url).path.lstrip("/")
    for sql in (f"drop database if exists {name}", f"create database {name}"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
    env = {**os.environ, "HAZARDLEDGER_DEMO": "1"}
    script = str(BENCH / "bench_enterprise_import.py")
    result = _child_json([script, "--rows", "10000", "--database-url", import_url], env)
    _emit("import_10k", result["rows"], round(result["import_seconds"] * 1000, 1), None, None)


def _session_cookie(username: str) -> str:
    from django.conf import settings

    return _client(username).cookies[settings.SESSION_COOKIE_NAME].value


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _check_session(port: int, cookie: str) -> None:
    """The server is up and the session is valid (a 302 to the login page would make every
    request of the run a fast, meaningless login page)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/hazards/", headers={"Cookie": f"sessionid={cookie}"})
            status = conn.getresponse().status
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
    if status != 200:
        raise RuntimeError(f"load: the session was refused (HTTP {status})")


def bench_load(users: int, seconds: int) -> None:
    sessions = {
        "HL_ADMIN_SESSION": _session_cookie("admin"),
        "HL_TOWN_SESSION": _session_cookie("officer.t-msz"),
        "HL_ENTERPRISE_SESSION": _session_cookie("enterprise"),
    }
    env = {
        **os.environ,
        **sessions,
        "HAZARDLEDGER_DEMO": "1",
        "HL_TERRITORY": str(_pick_territory()),
    }
    port = _free_port()
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "hazardledger.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--threads", "4"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for cookie in sessions.values():
            _check_session(port, cookie)
        with tempfile.TemporaryDirectory() as out:
            subprocess.run(
                [str(bin_dir / "locust"), "-f", str(BENCH / "locustfile.py"), "--headless",
                 "-u", str(users), "-r", "10", "-t", f"{seconds}s", "--host",
                 f"http://127.0.0.1:{port}", "--csv", f"{out}/load", "--only-summary"],
                cwd=ROOT, env=env, check=False, capture_output=True, timeout=seconds + 60,
            )  # fmt: skip
            with open(f"{out}/load_stats.csv", newline="") as f:
                stats = list(csv.DictReader(f))
            with open(f"{out}/load_failures.csv", newline="") as f:
                failures = [
                    f"{r['Method']} {r['Name']}: {r['Error']} ×{r['Occurrences']}"
                    for r in csv.DictReader(f)
                ]
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = next(r for r in stats if r["Name"] == "Aggregated")
    line = {
        "scenario": "load",
        "users": users,
        "seconds": seconds,
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "failures": failures,
        "per_request_count_p95": {
            f"{r['Type']} {r['Name']}": [int(r["Request Count"]), float(r["95%"])]
            for r in stats
            if r["Name"] != "Aggregated"
        },
    }
    print(json.dumps(line, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip", default="")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--import-database-url", default="postgres://postgres@127.0.0.1:5432/hl_perf_import"
    )
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    _setup()
    if "pages" not in skip:
        bench_ledger()
        bench_pages()
    if "counts" not in skip:
        bench_counts()
    if "export" not in skip:
        bench_export()
    if "import" not in skip:
        bench_import(args.import_database_url)
    if "load" not in skip:
        bench_load(args.users, args.seconds)


if __name__ == "__main__":
    main()
