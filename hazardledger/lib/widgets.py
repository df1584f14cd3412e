"""Form widgets shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. It accepts only ISO dates, so the value is always rendered as
    YYYY-MM-DD whatever the locale's display format (zh-hans would write 2026/11/29, which the
    picker drops, and the field would open empty)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str = "%Y-%m-%d") -> None:
        super().__init__(attrs, format)
