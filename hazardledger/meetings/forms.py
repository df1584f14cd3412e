"""Forms of the meeting pages. They only parse and label; the services validate and decide."""

from __future__ import annotations

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hazardledger.lib.widgets import DateInput
from hazardledger.org.models import Role, Unit, UnitKind, User

from .models import Decision, MeetingKind

SEPARATORS = re.compile(r"[\s,，、;；]+")
MAX_KEYS = 30


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's field errors on the form's fields (others on the form)."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, messages in exc.message_dict.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def participant_units() -> QuerySet[Unit]:
    return (
        Unit.objects.filter(is_active=True)
        .exclude(kind__in=[UnitKind.ENTERPRISE, UnitKind.EXPERT_POOL])
        .order_by("sort_order", "code")
    )


def official_people() -> QuerySet[User]:
    officials = set(Role.values) - {Role.ENTERPRISE_USER}
    ids = User.objects.filter(is_active=True, role_grants__role__in=officials).values("pk")
    return User.objects.filter(pk__in=ids).select_related("unit").order_by("unit__sort_order", "pk")


MAX_PK = 2**62


def _pk_ok(value: object) -> bool:
    text = str(value).strip()
    return text.isascii() and text.isdigit() and 0 < int(text) < MAX_PK


class UnitChoice(forms.ModelChoiceField):
    """A choice by id; an id no database could hold is simply not a choice."""

    def to_python(self, value):
        if value not in self.empty_values and not _pk_ok(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class UnitsChoice(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            if not _pk_ok(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(pk)[:20]},
                )
        return super()._check_values(value)


def _person_label(obj: User) -> str:
    return f"{obj.display_name}（{obj.unit.name if obj.unit else ''}）"


class PersonChoice(UnitsChoice):
    def label_from_instance(self, obj: User) -> str:
        return _person_label(obj)


class PersonOne(UnitChoice):
    def label_from_instance(self, obj: User) -> str:
        return _person_label(obj)


class MeetingForm(forms.Form):
    convener = UnitChoice(label=_("召集单位"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    held_on = forms.DateField(label=_("召开日期"), widget=DateInput())
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    chair = forms.CharField(label=_("主持人"), max_length=50, required=False)
    units_present = UnitsChoice(
        label=_("参会单位"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("含召集单位；联席会议须有其他单位参加"),
    )
    units_absent = UnitsChoice(
        label=_("应邀未到单位"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    people_present = PersonChoice(label=_("参会人员"), queryset=User.objects.none(), required=False)
    other_attendees = forms.CharField(
        label=_("其他参会人员"), max_length=500, required=False, help_text=_("系统外人员，逗号分隔")
    )
    problems = forms.CharField(
        label=_("研究的突出问题"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    decisions = forms.CharField(
        label=_("议定事项"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一条；每条议定事项可下达督办事项"),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, conveners: QuerySet[Unit], **kwargs) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("submission_key", uuid.uuid4())
        initial.setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["convener"].queryset = conveners
        if conveners.count() == 1:
            self.fields["convener"].initial = conveners.first()
        units = participant_units()
        self.fields["units_present"].queryset = units
        self.fields["units_absent"].queryset = units
        self.fields["people_present"].queryset = official_people()

    def decision_lines(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data.get("decisions", "").splitlines()
            if line.strip()
        ]


def _keys(value: str, label: str) -> list[str]:
    keys = [k for k in SEPARATORS.split(value.strip()) if k]
    if len(keys) > MAX_KEYS:
        raise ValidationError(_("%(label)s最多 %(n)s 个") % {"label": label, "n": MAX_KEYS})
    if any(len(k) > 64 for k in keys):
        raise ValidationError(_("编号过长"))
    return list(dict.fromkeys(keys))


class ItemForm(forms.Form):
    decision = UnitChoice(label=_("议定事项"), queryset=Decision.objects.none())
    title = forms.CharField(label=_("督办内容"), max_length=500)
    owner_unit = UnitChoice(label=_("责任单位"), queryset=Unit.objects.none())
    owner_person = PersonOne(label=_("责任人"), queryset=User.objects.none(), required=False)
    due_on = forms.DateField(label=_("办结时限"), widget=DateInput())
    hazard_numbers = forms.CharField(
        label=_("关联隐患编号"), max_length=2000, required=False, help_text=_("多个用逗号分隔")
    )
    enterprise_codes = forms.CharField(
        label=_("关联企业统一社会信用代码"), max_length=2000, required=False
    )
    case_numbers = forms.CharField(label=_("关联执法案件编号"), max_length=2000, required=False)

    def __init__(self, *args, decisions: QuerySet[Decision], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions
        if len(decisions) == 1:
            self.fields["decision"].initial = decisions[0]
        self.fields["owner_unit"].queryset = participant_units()
        self.fields["owner_person"].queryset = official_people()

    def clean_hazard_numbers(self) -> list[str]:
        return _keys(self.cleaned_data["hazard_numbers"], str(_("隐患编号")))

    def clean_enterprise_codes(self) -> list[str]:
        return [k.upper() for k in _keys(self.cleaned_data["enterprise_codes"], str(_("企业")))]

    def clean_case_numbers(self) -> list[str]:
        return _keys(self.cleaned_data["case_numbers"], str(_("案件编号")))


class CloseForm(forms.Form):
    evidence = forms.CharField(
        label=_("办结情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_file = forms.FileField(
        label=_("佐证材料"), required=False, help_text=_("PDF、Word 或照片，不超过 10 MB")
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RangeForm(forms.Form):
    start = forms.DateField(label=_("自"), required=False, widget=DateInput())
    end = forms.DateField(label=_("至"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("截止日期不能早于开始日期"))
        if start and end and (end - start).days > 800:
            self.add_error("end", _("一次最多查看两年"))
        return data
