"""Writes the default document templates (.docx with docxtpl tags) that offices then edit.

Run `manage.py enforcement_doc_templates` to (re)create missing ones; the files live in
`enforcement/doc_templates/` and are what `documents.render` fills in.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

TEMPLATE_DIR = Path(__file__).resolve().parent / "doc_templates"

PARTY = [
    "当事单位：{{ enterprise_name }}",
    "地址：{{ enterprise_address }}",
    "法定代表人（主要负责人）：{{ legal_representative }}",
]
BODIES: dict[str, list[str]] = {
    "inspection_record": [
        *PARTY,
        "检查时间：{{ date }}",
        "检查人员：{{ officer }}",
        "检查情况：{{ facts }}",
        "被检查单位负责人（签字）：            检查人员（签字）：",
    ],
    "onsite_decision": [
        *PARTY,
        "经查，你单位存在下列违法行为或事故隐患：{{ facts }}",
        "依据{{ legal_basis }}，现作出如下现场处理决定：{{ kind_label }}。",
        "{% if period_end %}整顿期限至{{ period_end }}。{% endif %}",
        "整改完毕后须向我单位提出复工申请，经专家评估和部门验收合格后方可恢复生产经营。",
        "如不服本决定，可以依法在六十日内申请行政复议，或者在六个月内依法提起行政诉讼。",
    ],
    "rectification_order": [
        *PARTY,
        "经查，你单位存在下列问题：{{ facts }}",
        "依据{{ legal_basis }}，责令你单位于{{ deadline }}前整改（拆除）完毕。",
        "逾期不整改的，将依法强制执行。",
    ],
    "reinspection_opinion": [
        *PARTY,
        "我单位于{{ date }}对你单位整改情况进行了复查，复查意见如下：{{ note }}",
        "复查结论：{{ conclusion }}",
    ],
    "coercive_decision": [
        *PARTY,
        "经查：{{ facts }}",
        "依据{{ legal_basis }}，决定对下列物品予以查封：{{ measure_items }}",
        "封条编号：{{ seal_numbers }}",
        "执行单位：{{ executing_unit }}",
    ],
    "penalty_notice": [
        *PARTY,
        "经查：{{ facts }}",
        "依据{{ article_title }}，拟对你单位处以罚款人民币{{ amount }}元。",
        "你单位有权进行陈述和申辩；如要求听证，请于收到本告知书之日起三日内提出。",
    ],
    "penalty_decision": [
        *PARTY,
        "经查：{{ facts }}",
        "依据{{ article_title }}，决定对你单位处以罚款人民币{{ amount }}元。",
        "{% if lower_reason %}低于法定上限处罚的理由：{{ lower_reason }}"
        "（第二审批人：{{ second_approver }}）{% endif %}",
        "罚款于收到本决定书之日起十五日内缴纳。逾期不缴纳的，每日按罚款数额的百分之三加处罚款。",
    ],
    "reminder": [
        *PARTY,
        "你单位未履行{{ decision_number }}确定的义务。",
        "依据《中华人民共和国行政强制法》第三十五条，现催告你单位在{{ notice_hours }}小时内履行；"
        "逾期仍不履行的，将依法实施{{ measure_label }}，执行单位：{{ executing_unit }}。",
    ],
    "power_cut_decision": [
        *PARTY,
        "你单位拒不执行停产停业决定，有发生生产安全事故的现实危险。",
        "经集体讨论决定（{{ collective_decision }}），并经{{ approved_by }}批准，"
        "依据《中华人民共和国安全生产法》第七十条，通知{{ executing_unit }}对你单位停止供电。",
        "已于{{ notice_served_at }}书面通知你单位。",
    ],
    "power_restore_decision": [
        *PARTY,
        "你单位已依法履行停产停业决定并消除事故隐患，"
        "依据《中华人民共和国安全生产法》第七十条，决定解除停止供电措施，"
        "通知{{ executing_unit }}恢复供电。",
        "解除时间：{{ lifted_at }}",
    ],
    "resumption_opinion": [
        *PARTY,
        "你单位于{{ applied_on }}提出复工申请。整改情况：{{ evidence }}",
        "专家评估意见（{{ experts }}）：{{ evaluation_report }}",
        "部门验收意见：{{ acceptance_opinion }}",
        "验收结论：同意恢复生产经营。",
    ],
    "referral_letter": [
        *PARTY,
        "经查：{{ facts }}",
        "该单位及有关人员涉嫌犯罪，依据《行政执法机关移送涉嫌犯罪案件的规定》，"
        "现移送{{ referred_to }}。",
        "请于收到本移送书及有关材料后出具回执。",
    ],
}


def build(kind: str, title: str, path: Path) -> None:
    doc = Docx()
    style = doc.styles["Normal"]
    style.font.size = Pt(12)
    head = doc.add_paragraph("{{ district }}")
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.bold = True
    run.font.size = Pt(18)
    number = doc.add_paragraph("{{ number }}")
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("案件编号：{{ case_number }}")
    for line in BODIES[kind]:
        doc.add_paragraph(line)
    sign = doc.add_paragraph("{{ issuer }}\n{{ date }}")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("送达回证")
    table = doc.add_table(rows=3, cols=2)
    for row, (label, value) in enumerate(
        [
            ("受送达人", "{{ served_to }}"),
            ("送达方式", "{{ served_how }}"),
            ("送达时间", "{{ served_at }}"),
        ]
    ):
        table.cell(row, 0).text = label
        table.cell(row, 1).text = value
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


def build_missing(kinds: dict[str, str], *, force: bool = False) -> list[Path]:
    written = []
    for kind, title in kinds.items():
        path = TEMPLATE_DIR / f"{kind}.docx"
        if force or not path.exists():
            build(kind, title, path)
            written.append(path)
    return written
