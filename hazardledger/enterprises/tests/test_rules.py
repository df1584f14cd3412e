"""Pure rules and helpers, without a database."""

from __future__ import annotations

from datetime import date

import pytest

from hazardledger.enterprises import rules
from hazardledger.lib import xlsx


class StatusRuleTestCase:
    @pytest.mark.parametrize(
        "current,new,ok",
        [
            ("operating", "suspended", True),
            ("suspended", "operating", True),
            ("closed", "demolished", True),
            ("operating", "operating", False),
            ("demolished", "operating", False),
            ("operating", "bankrupt", False),
        ],
    )
    def test_it_allows_the_moves(self, current, new, ok):
        assert (rules.status_change_problem(current, new) is None) is ok

    def test_it_counts_a_procedure_until_it_expires(self):
        day = date(2025, 6, 1)
        assert rules.procedure_is_current("valid", None, day)
        assert rules.procedure_is_current("valid", day, day)
        assert not rules.procedure_is_current("valid", date(2025, 5, 31), day)
        assert not rules.procedure_is_current("applying", None, day)


class XlsxHelperTestCase:
    @pytest.mark.parametrize(
        "text,safe",
        [
            ("=1+1", "'=1+1"),
            ("+86", "'+86"),
            ("-3", "'-3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=x", "'\t=x"),
            ("正常", "正常"),
            ("a=b", "a=b"),
        ],
    )
    def test_it_neutralises_formulas(self, text, safe):
        assert xlsx.safe_text(text) == safe
        assert xlsx.unguard(safe) == text

    def test_it_keeps_a_plain_apostrophe(self):
        assert xlsx.unguard("'ok") == "'ok"

    @pytest.mark.parametrize("header", ["所属镇（街道）", " 所属镇(街道) *", "所属镇\n(街道)："])
    def test_it_folds_header_variants(self, header):
        assert xlsx.normalize_header(header) == "所属镇(街道)"

    @pytest.mark.parametrize(
        "value,text",
        [
            (None, ""),
            (3.0, "3"),
            (2.5, "2.5"),
            (True, "是"),
            (date(2024, 1, 2), "2024-01-02"),
            (" 甲 ", "甲"),
        ],
    )
    def test_it_reads_cells_as_text(self, value, text):
        assert xlsx.cell_text(value) == text
