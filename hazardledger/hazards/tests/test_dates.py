"""Date pickers open with their value: the browser accepts only ISO dates."""

from __future__ import annotations

from datetime import date

from django.utils import translation

from hazardledger.hazards.forms import HazardForm, PlanForm


class DatePickerTestCase:
    def test_it_renders_dates_as_iso_in_the_chinese_locale(self, district):
        with translation.override("zh-hans"):
            form = HazardForm(user=district.tom, initial={"found_on": date(2026, 11, 29)})
            html = str(form["found_on"])
            plan = str(PlanForm(initial={"deadline": date(2027, 1, 5)})["deadline"])
        assert 'type="date"' in html and 'value="2026-11-29"' in html
        assert 'value="2027-01-05"' in plan

    def test_it_reads_back_what_it_rendered(self):
        form = PlanForm({"deadline": "2099-01-05"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["deadline"] == date(2099, 1, 5)
