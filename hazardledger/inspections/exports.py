"""Excel exports of coverage and missed self-inspections (formula-safe, via lib.xlsx)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from hazardledger.lib.xlsx import Sheet, write_xlsx

from . import rules, selectors
from .models import Campaign

COVERAGE_HEADERS = ["分组", "名称", "应检企业", "已检查", "发现隐患企业", "未检查", "覆盖率(%)"]
TARGET_HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "所属镇街",
    "行业领域",
    "行业主管部门",
    "企业类别",
    "是否已检查",
    "最近检查日期",
    "是否发现隐患",
]
MISSED_HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "所属镇街",
    "行业领域",
    "行业主管部门",
    "漏查周期开始",
    "漏查周期结束",
    "最近自查日期",
    "下次应查截止",
]


def _line(group: str, name: str, c: rules.Coverage) -> list[Any]:
    return [
        group,
        name,
        c.in_scope,
        c.inspected,
        c.with_hazards,
        c.not_inspected,
        c.rate if c.rate is not None else "",
    ]


def _summary_rows(user: Any, campaign: Campaign) -> list[Sequence[Any]]:
    rows: list[Sequence[Any]] = [
        _line("合计", campaign.name, selectors.coverage_total(user, campaign))
    ]
    for by, label in (("territory", "镇街"), ("department", "主管部门"), ("industry", "行业")):
        rows += [
            _line(label, line.name, line.coverage)
            for line in selectors.coverage_by(user, campaign, by)
        ]
    return rows


def _target_rows(user: Any, campaign: Campaign) -> Iterator[Sequence[Any]]:
    for e in selectors.target_rows(user, campaign, "all").iterator(chunk_size=2000):
        regulator = e.industry.regulator if e.industry and e.industry.regulator_id else None
        yield [
            e.name,
            e.credit_code,
            e.territory.name if e.territory else "",
            e.industry.name if e.industry else "",
            regulator.name if regulator else "",
            e.get_category_display(),
            e.inspected,
            e.last_inspected_on,
            e.with_hazards,
        ]


def campaign_workbook(user: Any, campaign: Campaign) -> bytes:
    return write_xlsx(
        [
            Sheet(
                "覆盖情况",
                COVERAGE_HEADERS,
                _summary_rows(user, campaign),
                (10, 30, 10, 10, 12, 10, 10),
            ),
            Sheet(
                "企业清单",
                TARGET_HEADERS,
                _target_rows(user, campaign),
                (36, 22, 14, 14, 20, 12, 10, 14, 12),
            ),
        ]
    )


def _missed_rows(rows: Iterable[selectors.MissedRow]) -> Iterator[Sequence[Any]]:
    for row in rows:
        e = row.state.schedule.enterprise
        regulator = e.industry.regulator if e.industry and e.industry.regulator_id else None
        yield [
            e.name,
            e.credit_code,
            e.territory.name if e.territory else "",
            e.industry.name if e.industry else "",
            regulator.name if regulator else "",
            row.period.start,
            row.period.end,
            row.state.last_on,
            row.state.next_due,
        ]


def missed_workbook(rows: Iterable[selectors.MissedRow]) -> bytes:
    return write_xlsx(
        [
            Sheet(
                "漏查企业自查",
                MISSED_HEADERS,
                _missed_rows(rows),
                (36, 22, 14, 14, 20, 14, 14, 14, 14),
            ),
        ]
    )
