"""Benchmark: export of N hazard cards to .xlsx — time and peak memory.

    .venv/bin/python bench/bench_hazard_export.py [--rows 100000] [--data-dir /tmp/hl-bench]

Fills a separate database (SQLite in the data folder, or DATABASE_URL) with N cards once,
then runs the export in fresh child processes for N/10 and N rows, so each peak RSS is the
export's own. Prints one JSON line; "constant memory" shows as equal peaks for both sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(data_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hazardledger.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["HAZARDLEDGER_DATA_DIR"] = data_dir
    import django

    django.setup()


def populate(rows: int) -> None:
    from datetime import timedelta
    from decimal import Decimal

    from django.core.management import call_command
    from django.utils import timezone

    from hazardledger.enterprises.models import Enterprise
    from hazardledger.hazards.models import Hazard
    from hazardledger.org.models import UnitKind
    from hazardledger.org.services import industry_upsert, unit_upsert
    from hazardledger.policy.services import load_policy_file

    call_command("migrate", verbosity=0)
    have = Hazard.objects.count()
    if have >= rows:
        return
    load_policy_file(
        actor=None, activate=True, path=ROOT / "hazardledger/policy/profiles/zhoucun-demo.yaml"
    )
    gov = unit_upsert(
        actor=None, code="B-GOV", name="基准区", kind=UnitKind.DISTRICT_GOVERNMENT, parent=None
    )
    town = unit_upsert(actor=None, code="B-T", name="基准镇", kind=UnitKind.TOWN, parent=gov)
    dept = unit_upsert(actor=None, code="B-D", name="基准局", kind=UnitKind.DEPARTMENT, parent=gov)
    industry = industry_upsert(actor=None, code="B-I", name="基准行业", regulator=dept)
    enterprises = [
        Enterprise.objects.get_or_create(
            credit_code=f"91370306BENCH{i:05d}",
            defaults={"name": f"基准企业{i:04d}有限公司", "territory": town, "industry": industry},
        )[0]
        for i in range(200)
    ]
    now = timezone.now()
    today = timezone.localdate()
    statuses = [
        "registered",
        "confirmed",
        "rectifying",
        "rectified",
        "acceptance_pending",
        "closed",
    ]
    batch = []
    for i in range(have, rows):
        status = statuses[i % len(statuses)]
        batch.append(
            Hazard(
                card_no=f"370306-YH-BENCH-{i:07d}",
                enterprise=enterprises[i % 200],
                territory=town,
                industry=industry,
                department=dept,
                location="车间",
                description=f"基准隐患描述第{i}条：配电箱未接地，消防通道堵塞，防护装置缺失。",
                category="site_management",
                nature="thing",
                level="general",
                source="government_inspection",
                found_by="检查组",
                found_on=today - timedelta(days=i % 300),
                status=status,
                stage_started_at=now,
                registered_at=now,
                measures="停用设备，委托整改，整改后检测。",
                funds_yuan=Decimal(5000),
                responsible_person="王五",
                deadline=today + timedelta(days=30),
                emergency_plan="设置警戒区，专人值守。",
                closed_at=now if status == "closed" else None,
                accepted_at=now if status == "closed" else None,
            )
        )
        if len(batch) == 5000:
            Hazard.objects.bulk_create(batch)
            batch = []
    Hazard.objects.bulk_create(batch)


def _peak_rss_mb() -> float:
    """VmHWM of this process; unlike ru_maxrss it is not inherited across exec()."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def export(rows: int) -> dict:
    from hazardledger.hazards.models import Hazard
    from hazardledger.hazards.xlsx import export_to_tempfile

    qs = Hazard.objects.order_by("pk")
    last = qs.values_list("pk", flat=True)[rows - 1]
    baseline = _peak_rss_mb()
    start = time.perf_counter()
    out = export_to_tempfile(Hazard.objects.filter(pk__lte=last))
    seconds = time.perf_counter() - start
    size = os.fstat(out.fileno()).st_size
    out.close()
    peak = _peak_rss_mb()
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "file_mb": round(size / 2**20, 1),
        "baseline_rss_mb": baseline,
        "peak_rss_mb": peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--data-dir", default="/tmp/hl-bench")
    parser.add_argument("--export-only", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    _setup(args.data_dir)
    if args.export_only:
        print(json.dumps(export(args.export_only)))
        return
    start = time.perf_counter()
    populate(args.rows)
    fill = round(time.perf_counter() - start, 1)
    runs = []
    for n in (args.rows // 10, args.rows):
        child = subprocess.run(
            [sys.executable, __file__, "--data-dir", args.data_dir, "--export-only", str(n)],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
    from django.db import connection

    print(
        json.dumps(
            {
                "benchmark": "hazard_export",
                "database": connection.vendor,
                "populate_seconds": fill,
                "runs": runs,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
