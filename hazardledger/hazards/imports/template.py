"""The ledger import template: the export's columns, dropdowns, an example and a guide."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from hazardledger.lib.sheets.template import TemplateColumn, write_template
from hazardledger.org.models import TERRITORY_KINDS, Unit

from ..models import HazardLevel, HazardSource, HazardStatus
from .legacy import IMPORTABLE


def template_bytes(example_enterprise: Any = None) -> bytes:
    today = timezone.localdate()
    towns = list(
        Unit.objects.filter(kind__in=TERRITORY_KINDS, is_active=True).values_list("name", flat=True)
    )
    code = getattr(example_enterprise, "credit_code", "91370306MA3C000001")
    name = getattr(example_enterprise, "name", "示例企业有限公司")
    columns = [
        TemplateColumn(
            "原台账编号", "本单位原台账中的编号；重复导入时据此识别同一隐患", "JZ-2025-001"
        ),
        TemplateColumn(
            "统一社会信用代码", "企业的统一社会信用代码（与企业名称至少填一项）", code, width=22
        ),
        TemplateColumn("企业名称", "须已在企业名录中登记", name, width=26),
        TemplateColumn("所属镇街", "以企业登记为准；不一致时导入预览会提示", "", towns),
        TemplateColumn("隐患部位", "如：二号车间配电房", "二号车间"),
        TemplateColumn("隐患描述", "隐患的具体情况", "配电箱未接地", required=True, width=40),
        TemplateColumn(
            "隐患级别",
            "一般或重大；重大须填判定标准、条款和危害分析",
            "一般",
            [str(label) for _v, label in HazardLevel.choices],
        ),
        TemplateColumn(
            "来源", "隐患的发现途径", "政府检查", [str(label) for _v, label in HazardSource.choices]
        ),
        TemplateColumn("判定标准", "重大隐患的判定标准名称"),
        TemplateColumn("条款", "判定标准的条款"),
        TemplateColumn(
            "发现时间",
            "日期，如 2025-03-05 或 2025年3月5日",
            today - timedelta(days=7),
            required=True,
        ),
        TemplateColumn("整改措施", "五落实之一", "重新接地并检测"),
        TemplateColumn(
            "整改资金（元）",
            "金额；表头写“（万元）”时按万元换算，单元格可写 3,000元、3千、3.25万元",
            3000,
        ),
        TemplateColumn("整改责任人", "五落实之一", "王五"),
        TemplateColumn("整改时限", "日期", today + timedelta(days=30)),
        TemplateColumn("应急预案", "整改期间的临时防范措施", "设置警示围挡"),
        TemplateColumn(
            "整改状态",
            "历史台账可填当前状态；已整改须填整改完成时间，已销号须填销号时间",
            "",
            [str(HazardStatus(s).label) for s in IMPORTABLE] + ["未整改", "已整改"],
        ),
        TemplateColumn("整改完成时间", "日期"),
        TemplateColumn("销号时间", "日期"),
    ]
    return write_template("隐患台账", columns)
