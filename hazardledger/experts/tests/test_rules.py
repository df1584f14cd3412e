from datetime import date

from hazardledger.experts import rules


class RulesTestCase:
    def test_it_steps_back_whole_months_clamping_the_day(self):
        assert rules.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
        assert rules.months_before(date(2026, 1, 15), 36) == date(2023, 1, 15)
        assert rules.months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
        assert rules.months_before(date(2026, 5, 5), 0) == date(2026, 5, 5)

    def test_it_compares_unit_names_loosely(self):
        assert rules.same_name("甲镇 建筑公司", "甲镇建筑公司")
        assert rules.same_name("甲（集团）", "甲(集团)")
        assert not rules.same_name("", "")
        assert not rules.same_name("甲镇建筑", "甲镇建筑公司")

    def test_it_finds_a_person_named_in_a_provider(self):
        assert rules.names_person("王建国（注册安全工程师）", "王建国")
        assert not rules.names_person("王建", "王建国")
        assert not rules.names_person("某某评价公司", "王")
