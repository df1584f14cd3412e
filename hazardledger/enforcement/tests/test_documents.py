"""Every document template renders from its editable file, numbered by the district's rule;
a tag that Word split across runs still renders."""

from __future__ import annotations

import io
import shutil

import pytest
from docx import Document as Docx

from hazardledger.enforcement import documents
from hazardledger.enforcement.doc_builder import TEMPLATE_DIR
from hazardledger.enforcement.models import CaseKind
from hazardledger.enforcement.tests.kit import load_profile


def text_of(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.parametrize("kind", list(documents.DOC_KINDS))
def test_every_template_renders(kit, kind):
    case = kit.case(CaseKind.PENALTY, article="sl-102", amount_yuan=50000)
    doc = documents.document_generate(actor=kit.district.fred, case=case, kind=kind)
    text = text_of(doc.file.read())
    assert str(documents.DOC_KINDS[kind]) in text
    assert doc.number in text and kit.ent_a.name in text
    assert "{{" not in text and "{%" not in text


def test_numbers_follow_the_policy_rule(kit):
    load_profile(document_prefix="测执", document_number_format="{prefix}〔{year}〕{seq}号")
    case = kit.case(CaseKind.SUSPENSION)
    first = documents.document_generate(actor=kit.district.fred, case=case, kind="onsite_decision")
    second = documents.document_generate(actor=kit.district.fred, case=case, kind="reminder")
    year = first.generated_at.year
    assert first.number == f"测执〔{year}〕1号" and second.number == f"测执〔{year}〕2号"


def test_a_tag_split_by_word_still_renders(kit, tmp_path, monkeypatch):
    edited = Docx()
    p = edited.add_paragraph()
    for piece in ("当事单位：{{ enter", "prise_", "name }}，文号 {{ num", "ber }}"):
        p.add_run(piece)
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATE_DIR, folder)
    edited.save(str(folder / "inspection_record.docx"))
    monkeypatch.setattr(documents, "TEMPLATE_DIR", folder)
    case = kit.case(CaseKind.SUSPENSION)
    doc = documents.document_generate(actor=kit.district.fred, case=case, kind="inspection_record")
    assert f"当事单位：{kit.ent_a.name}，文号 {doc.number}" in text_of(doc.file.read())
