"""Benchmark: import a 10,000-row enterprise roster (.xlsx) and print one JSON line.

    .venv/bin/python bench/bench_enterprise_import.py [--rows 10000] [--database-url URL]

Runs against a throw-away SQLite database in a temporary folder unless --database-url names
another (empty) database. Three timings:
  import_seconds               a roster as Excel or WPS saves it (shared strings): the target,
                               under 10 s
  import_own_export_seconds    the same size in the format of our own export (XlsxWriter's
                               constant-memory mode writes inline strings, which openpyxl
                               reads about four times slower)
  reimport_unchanged_seconds   the first file again: every row found and compared, none changed
The *_cpu_seconds figures are this process's CPU time (the wall time grows when other work
shares the machine's two cores); PostgreSQL's own work is not in them.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

T = TypeVar("T")


def _setup(database_url: str, data_dir: str) -> None:
    os.environ["HAZARDLEDGER_DATA_DIR"] = data_dir
    # Production-like: DEBUG would make Django keep the text of every query.
    os.environ.setdefault("HAZARDLEDGER_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hazardledger.settings")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _rows(rows: int, rng: random.Random, prefix: str) -> list[list[object]]:
    from hazardledger.lib import credit_code
    from hazardledger.org.models import TERRITORY_KINDS, Industry, Unit

    towns = list(Unit.objects.filter(kind__in=TERRITORY_KINDS).values_list("name", flat=True))
    industries = list(Industry.objects.values_list("name", flat=True))
    codes: set[str] = set()
    while len(codes) < rows:
        codes.add(credit_code.generate(rng))
    body = []
    for i, code in enumerate(sorted(codes)):
        town = rng.choice(towns)
        body.append(
            [
                code,
                f"淄博{prefix}企业{i:05d}有限公司",
                f"{town}工业路{i % 300 + 1}号",
                town,
                rng.choice(industries),
                rng.choice(["高危行业", "规模以上", "人员密集场所", "其他"]),
                rng.choice(["小型", "微型", "中型"]),
                "正常生产经营",
                "否",
                "张三",
                "李四",
                "13800000000",
                "王五",
                "13900000000",
                "赵六",
                "0533-6400000",
                1,
                50,
                "",
                "",
            ]
        )
    return body


def _excel_file(body: list[list[object]]) -> bytes:
    """Shared strings, as Excel and WPS write them."""
    import xlsxwriter

    from hazardledger.enterprises.roster import COLUMNS

    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"strings_to_numbers": False})
    sheet = book.add_worksheet("企业名录")
    for col, column in enumerate(COLUMNS):
        sheet.write_string(0, col, column.title)
    for r, line in enumerate(body, start=1):
        for col, value in enumerate(line):
            if value != "":
                sheet.write(r, col, value)
    book.close()
    return output.getvalue()


def _own_export_file(body: list[list[object]]) -> bytes:
    from hazardledger.enterprises.roster import COLUMNS
    from hazardledger.lib.xlsx import Sheet, write_xlsx

    return write_xlsx([Sheet("企业名录", [c.title for c in COLUMNS], body)])


def _timed(call: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = call()
    return result, round(time.perf_counter() - started, 2)


def _cpu(call: Callable[[], T]) -> tuple[T, float, float]:
    """Wall and CPU seconds: CPU time tells the cost when other work shares the two cores."""
    started = time.process_time()
    result, wall = _timed(call)
    return result, wall, round(time.process_time() - started, 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        _setup(args.database_url, data_dir)
        from django.db import connection

        from hazardledger.demo import district
        from hazardledger.enterprises.models import Enterprise
        from hazardledger.enterprises.services import enterprise_import
        from hazardledger.org.models import User

        district.build()
        admin = User.objects.get(username="admin")
        rng = random.Random(2014)
        (excel, own), generated = _timed(
            lambda: (
                _excel_file(_rows(args.rows, rng, "甲")),
                _own_export_file(_rows(args.rows, rng, "乙")),
            )
        )

        def run(data: bytes) -> Any:
            return enterprise_import(actor=admin, source=data, filename="bench.xlsx")

        first, seconds, cpu = _cpu(lambda: run(excel))
        second, own_seconds, own_cpu = _cpu(lambda: run(own))
        again, again_seconds = _timed(lambda: run(excel))
        print(
            json.dumps(
                {
                    "bench": "enterprise_import",
                    "database": connection.vendor,
                    "rows": args.rows,
                    "file_bytes": len(excel),
                    "generate_seconds": generated,
                    "import_seconds": seconds,
                    "import_cpu_seconds": cpu,
                    "created": first.created,
                    "import_own_export_seconds": own_seconds,
                    "import_own_export_cpu_seconds": own_cpu,
                    "created_own_export": second.created,
                    "reimport_unchanged_seconds": again_seconds,
                    "unchanged": again.unchanged,
                    "enterprises": Enterprise.objects.count(),
                    "target_seconds": 10,
                },
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()
