"""Column synonyms of the hazard ledger (the first of each is the export's own header)."""

from __future__ import annotations

from hazardledger.lib.sheets import Field

FIELDS = (
    Field("card_no", ("隐患编号", "系统隐患编号")),
    Field("original_no", ("原台账编号", "原编号", "原隐患编号", "台账编号", "编号")),
    Field("credit_code", ("统一社会信用代码", "信用代码", "社会信用代码", "统一代码")),
    Field(
        "enterprise_name",
        ("企业名称", "单位名称", "企业(单位)名称", "被检查单位", "生产经营单位", "企业"),
    ),
    Field("territory", ("所属镇街", "所在镇街", "镇街", "属地", "所属镇(街道)", "乡镇(街道)")),
    Field("industry", ("行业", "所属行业", "行业领域", "行业类别")),
    Field("location", ("隐患部位", "排查部位", "隐患部位/场所", "隐患位置", "部位", "场所")),
    Field(
        "description",
        (
            "隐患描述",
            "隐患内容",
            "存在问题",
            "存在的问题",
            "问题描述",
            "隐患情况",
            "主要问题",
            "隐患问题",
        ),
        required=True,
    ),
    Field("cause", ("产生原因", "隐患原因", "原因分析")),
    Field("category", ("隐患类别", "隐患类型", "类别")),
    Field("nature", ("隐患性质", "性质")),
    Field("level", ("隐患级别", "隐患等级", "级别", "等级")),
    Field("criteria_standard", ("判定标准", "判定依据")),
    Field("criteria_article", ("条款", "判定条款", "标准条款")),
    Field("harm_analysis", ("危害程度和整改难易程度分析", "危害程度分析")),
    Field("source", ("来源", "隐患来源", "发现途径", "检查类型")),
    Field("found_by", ("发现人", "排查人员", "排查人", "检查人", "检查人员")),
    Field(
        "found_on",
        ("发现时间", "发现日期", "检查日期", "检查时间", "排查日期", "排查时间"),
        required=True,
    ),
    Field("legal_basis", ("法律依据",)),
    Field("measures", ("整改措施", "治理措施", "整改要求", "整改意见")),
    Field("funds_yuan", ("整改资金", "治理资金", "整改金额", "整改投入资金"), money=True),
    Field("responsible_person", ("整改责任人", "责任人", "整改负责人")),
    Field("deadline", ("整改时限", "整改期限", "完成时限", "整改完成时限", "要求完成时间")),
    Field("emergency_plan", ("应急预案", "临时防范措施", "防范措施")),
    Field("status", ("整改状态", "整改完成情况", "整改情况", "是否整改", "状态", "整改进度")),
    Field("closed_flag", ("是否销号", "销号情况")),
    Field("rectified_on", ("整改完成时间", "整改完成日期", "完成时间", "完成日期", "实际完成时间")),
    Field("accepted_on", ("验收时间", "验收日期")),
    Field("accepted_by", ("验收人",)),
    Field("closed_on", ("销号时间", "销号日期")),
    Field("overdue", ("是否逾期",)),
    Field("supervised", ("是否挂牌督办", "挂牌督办")),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
# Columns the export writes that the system computes or takes from the registry; an import
# reads them only to compare, never to set.
DERIVED = ("territory", "industry", "overdue", "supervised", "accepted_by")
