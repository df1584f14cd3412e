"""Generate a province-scale dataset on PostgreSQL with COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hl_perf \\
        .venv/bin/python bench/generate.py --enterprises 100000 --hazards 1000000

Run `manage.py migrate` and `manage.py load_demo` on the database first: territories, industries
and users come from the demo district. Enterprises get valid credit codes; hazards spread over
statuses, levels and years with consistent dates, some open past their deadline. Card numbers use
the `PF` series so they never collide with numbers issued by the card counter.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hazardledger.lib.credit_code import generate as credit_code  # noqa: E402

TODAY = date.today()
OPEN = ["registered", "confirmed", "rectifying", "rectified", "evaluating", "acceptance_pending"]
# Weights: most cards of past years are closed; open ones cluster in rectification.
STATUS_WEIGHTS = {
    "closed": 60,
    "rectifying": 14,
    "registered": 4,
    "confirmed": 4,
    "rectified": 4,
    "evaluating": 2,
    "acceptance_pending": 5,
    "voided": 4,
    "transferred": 3,
}
PLANNED = {"rectifying", "rectified", "evaluating", "acceptance_pending", "closed"}
HAZARD_COLUMNS = (
    "card_no, enterprise_id, territory_id, industry_id, department_id, location, description,"
    " cause, category, nature, level, criteria_standard, criteria_article, criteria_item,"
    " harm_analysis, source, source_ref, found_by, found_on, legal_basis, status, version,"
    " stage_started_at, registered_at, confirmed_at, rectification_mode, responsible_person,"
    " responsible_phone, funds_yuan, measures, deadline, emergency_plan, objectives,"
    " organisation_and_staff, materials, monitoring_measures, rectified_at, rectification_note,"
    " evaluation_opinion, acceptance_applied_at, accepted_at, acceptance_opinion, closed_at,"
    " void_reason, is_supervised, supervision_level, supervision_doc_no, production_suspended"
)
ENTERPRISE_COLUMNS = (
    "credit_code, name, address, territory_id, industry_id, category, status, is_key_project,"
    " scale, legal_representative, principal_name, principal_phone, safety_manager,"
    " safety_manager_phone, contact_name, contact_phone, safety_engineer_count, staff_count,"
    " created_at, updated_at"
)
SOURCES = ["government_inspection", "self_inspection", "tipoff", "expert_diagnosis"]
LOCATIONS = ["配电室", "仓库", "生产车间", "锅炉房", "危化品库", "消防通道", "食堂", "宿舍楼"]
DESCRIPTIONS = [
    "灭火器压力不足",
    "安全出口堵塞",
    "电气线路私拉乱接",
    "特种作业人员无证上岗",
    "安全警示标志缺失",
    "应急预案未演练",
]


def _reference(conn: psycopg.Connection) -> dict[str, list[Any]]:
    q = conn.execute
    kinds = "('town', 'street', 'development_zone')"
    territories = [r[0] for r in q(f"select id from org_unit where kind in {kinds}")]
    industries = q("select id, regulator_id from org_industry").fetchall()
    if not territories or not industries:
        raise SystemExit("run `manage.py load_demo` on this database first")
    return {"territories": territories, "industries": industries}


def _ts(d: date, rng: random.Random) -> datetime:
    return datetime(d.year, d.month, d.day, rng.randint(8, 17), rng.randint(0, 59), tzinfo=UTC)


def load_enterprises(
    conn: psycopg.Connection, ref: dict[str, list[Any]], n: int, seed: int
) -> None:
    rng = random.Random(seed)
    existing = conn.execute("select credit_code from enterprises_enterprise")
    seen: set[str] = {r[0] for r in existing}
    now = datetime.now(UTC)
    with conn.cursor().copy(f"COPY enterprises_enterprise ({ENTERPRISE_COLUMNS}) FROM STDIN") as cp:
        for i in range(n):
            code = credit_code(rng)
            while code in seen:
                code = credit_code(rng)
            seen.add(code)
            industry_id, _ = rng.choice(ref["industries"])
            cp.write_row(
                (code, f"基准企业{seed}-{i:07d}有限公司", f"某路{i % 999}号",
                 rng.choice(ref["territories"]), industry_id,
                 rng.choice(["high_risk", "above_size", "crowded", "other", "other"]),
                 rng.choices(["operating", "work_stopped", "closed"], [92, 5, 3])[0],
                 rng.random() < 0.05, rng.choice(["large", "medium", "small", "micro"]),
                 "张三", "李四", "13800000000", "王五", "13900000000", "赵六", "13700000000",
                 rng.randint(0, 3), rng.randint(5, 2000), now, now)
            )  # fmt: skip


def _hazard_row(i: int, ent: tuple[int, int, int, int | None], rng: random.Random) -> tuple:
    ent_id, territory_id, industry_id, regulator_id = ent
    found = TODAY - timedelta(days=int(rng.triangular(0, 4 * 365, 0)))
    status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
    if found > TODAY - timedelta(days=120) and status == "closed" and rng.random() < 0.5:
        status = "rectifying"  # recent cards are more often still open
    registered = _ts(found, rng)
    confirmed = registered + timedelta(days=1) if status not in ("registered", "voided") else None
    planned = status in PLANNED
    deadline = found + timedelta(days=rng.choice([7, 15, 30, 60, 90])) if planned else None
    done = status in ("rectified", "evaluating", "acceptance_pending", "closed")
    finished = min(deadline + timedelta(days=rng.randint(-5, 3)), TODAY) if done else None
    rectified = _ts(finished, rng) if finished else None
    applied = rectified + timedelta(days=1) if status in ("acceptance_pending", "closed") else None
    closed = applied + timedelta(days=2) if status == "closed" else None
    stage = closed or applied or rectified or confirmed or registered
    level = "major" if rng.random() < 0.03 else "general"
    return (
        f"370306-PF-{found.year}-{i:08d}", ent_id, territory_id, industry_id, regulator_id,
        rng.choice(LOCATIONS), rng.choice(DESCRIPTIONS), "",
        rng.choice(["basic_management", "site_management"]),
        rng.choice(["thing", "person", "management", "environment"]), level, "", "", "", "",
        rng.choices(SOURCES, [50, 40, 5, 5])[0],
        "", "检查员", found, "", status, 0, stage, registered, confirmed,
        "deadline" if planned else "", "责任人" if planned else "", "", None,
        "立即整改" if planned else "", deadline, "", "", "", "", "", rectified, "", "", applied,
        closed, "", closed, "误登记" if status == "voided" else "", False, "", "", False,
    )  # fmt: skip


def load_hazards(conn: psycopg.Connection, n: int, seed: int) -> None:
    rng = random.Random(seed + 1)
    enterprises = conn.execute(
        "select e.id, e.territory_id, e.industry_id, i.regulator_id from enterprises_enterprise e"
        " left join org_industry i on i.id = e.industry_id"
    ).fetchall()
    ours = "select count(*) from hazards_hazard where card_no like '%-PF-%'"
    start = conn.execute(ours).fetchone()[0]
    with conn.cursor().copy(f"COPY hazards_hazard ({HAZARD_COLUMNS}) FROM STDIN") as cp:
        for i in range(start, start + n):
            cp.write_row(_hazard_row(i, rng.choice(enterprises), rng))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url, autocommit=False) as conn:
        ref = _reference(conn)
        t0 = time.perf_counter()
        load_enterprises(conn, ref, args.enterprises, args.seed)
        t1 = time.perf_counter()
        load_hazards(conn, args.hazards, args.seed)
        conn.commit()
        t2 = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")
    print(f"enterprises {args.enterprises} in {t1 - t0:.1f}s")
    print(f"hazards {args.hazards} in {t2 - t1:.1f}s")


if __name__ == "__main__":
    main()
