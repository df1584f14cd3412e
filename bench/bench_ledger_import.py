"""Benchmark: import a 50,000-row office hazard ledger (.xlsx) and print one JSON line.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hl_ledgers_bench HAZARDLEDGER_DEMO=1 \\
        .venv/bin/python bench/bench_ledger_import.py [--rows 50000]

Run on a database prepared by `bench/generate.py` (the demo district plus province-scale
cards). The ledger is written in the office's shape (title row, 填报单位 row, office column
names, 整改资金（万元）, legacy states, a 合计 row) for enterprises of the registry, then
uploaded (the preview: every row read and checked) and applied (checked again and written)
as the district admin. Reports wall seconds of each step and the process's peak memory.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HEADER = [
    "序号", "统一社会信用代码", "企业名称", "隐患部位", "隐患内容", "隐患等级", "发现日期",
    "整改措施", "整改资金（万元）", "整改责任人", "整改期限", "临时防范措施", "整改完成情况",
    "整改完成时间", "原编号", "备注",
]  # fmt: skip


def _ledger(rows: int, firms: list[tuple[str, str]], today) -> bytes:
    import xlsxwriter

    rng = random.Random(4754)
    out = io.BytesIO()
    # Shared strings, as Excel and WPS save a workbook.
    book = xlsxwriter.Workbook(out, {"strings_to_numbers": False})
    sheet = book.add_worksheet("隐患台账")
    sheet.write_row(0, 0, ["2025年度隐患排查治理台账"])
    sheet.write_row(1, 0, ["填报单位：区安委办"])
    sheet.write_row(2, 0, HEADER)
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for i in range(rows):
        code, name = firms[i % len(firms)]
        found = today - timedelta(days=rng.randint(30, 700))
        done = rng.random() < 0.6
        r = i + 3
        sheet.write_row(r, 0, [i + 1, code, name, "车间", f"第{i}号隐患：配电箱未接地", "一般"])
        sheet.write_datetime(r, 6, found, day)
        sheet.write_row(r, 7, ["重新接地", round(rng.random() * 5, 2), "王五"])
        sheet.write_datetime(r, 10, found + timedelta(days=30), day)
        sheet.write_string(r, 11, "设置围挡")
        sheet.write_string(r, 12, "已整改" if done else "整改中")
        if done:
            sheet.write_datetime(r, 13, found + timedelta(days=20), day)
        sheet.write_string(r, 14, f"BENCH-{i:06d}")
    sheet.write_row(rows + 3, 0, ["合计"])
    book.close()
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--write", help=argparse.SUPPRESS)  # child process: write the file
    args = parser.parse_args()
    os.environ.setdefault("HAZARDLEDGER_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hazardledger.settings")
    import django

    django.setup()
    from datetime import datetime

    from django.utils import timezone

    from hazardledger.enterprises.models import Enterprise
    from hazardledger.hazards.imports.services import ledger_apply, ledger_upload
    from hazardledger.hazards.models import Hazard
    from hazardledger.org.models import User

    admin = User.objects.get(username="admin")
    firms = list(Enterprise.objects.order_by("pk").values_list("credit_code", "name")[:5000])
    today = datetime.combine(timezone.localdate(), datetime.min.time())
    if args.write:
        Path(args.write).write_bytes(_ledger(args.rows, firms, today))
        return
    cards_before = Hazard.objects.count()
    # The file is written by a child process, so this one's peak memory is the import's.
    path = Path(tempfile.gettempdir()) / f"bench-ledger-{args.rows}.xlsx"
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, __file__, "--rows", str(args.rows), "--write", str(path)], check=True
    )
    data = path.read_bytes()
    t1 = time.perf_counter()
    batch = ledger_upload(actor=admin, filename="bench.xlsx", data=data)
    t2 = time.perf_counter()
    batch = ledger_apply(actor=admin, batch_id=batch.pk)
    t3 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "rows": args.rows,
                "cards_before": cards_before,
                "status": batch.status,
                "created": batch.created,
                "errors": batch.error_count,
                "file_mb": round(len(data) / 2**20, 1),
                "write_file_seconds": round(t1 - t0, 1),
                "preview_seconds": round(t2 - t1, 1),
                "apply_seconds": round(t3 - t2, 1),
                "import_seconds": round(t3 - t1, 1),
                "peak_rss_mb": round(peak_mb),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
