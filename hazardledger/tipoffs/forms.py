"""Forms of the tip-off pages. The services validate again; a form only shapes input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hazardledger.hazards.models import HazardCategory, HazardLevel, HazardNature
from hazardledger.lib.widgets import DateInput
from hazardledger.org.models import TERRITORY_KINDS, Unit, UnitKind

from .models import Channel, Kind, PayMethod, Verification

NO_AUTOFILL = {"autocomplete": "off"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the services check each by content."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return super().clean(data, initial)


class TipOffForm(forms.Form):
    kind = forms.ChoiceField(label=_("举报类别"), choices=Kind.choices)
    subject = forms.CharField(label=_("被举报单位名称或地址"), max_length=200)
    location = forms.CharField(label=_("具体地点"), max_length=200, required=False)
    description = forms.CharField(
        label=_("举报内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    is_anonymous = forms.BooleanField(label=_("匿名举报（不留姓名和电话）"), required=False)
    is_insider = forms.BooleanField(label=_("我是被举报单位的从业人员"), required=False)
    name = forms.CharField(
        label=_("姓名"), max_length=50, required=False, widget=forms.TextInput(attrs=NO_AUTOFILL)
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )
    id_number = forms.CharField(
        label=_("身份证号（领奖时核对，可不填）"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )
    files = MultipleFileField(label=_("照片或材料（可多选）"), required=False)


class HotlineForm(TipOffForm):
    channel = forms.ChoiceField(label=_("举报渠道"), choices=Channel.choices)
    received_at = forms.DateTimeField(
        label=_("接收时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    field_order = ["channel", "received_at"]


class AssignForm(forms.Form):
    territory = forms.ModelChoiceField(
        label=_("属地"), queryset=Unit.objects.filter(kind__in=TERRITORY_KINDS), required=False
    )
    department = forms.ModelChoiceField(
        label=_("承办部门"), queryset=Unit.objects.filter(kind=UnitKind.DEPARTMENT), required=False
    )
    enterprise_id = forms.IntegerField(
        label=_("匹配企业编号（可不填）"), required=False, min_value=1, max_value=2**62
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class VerifyForm(forms.Form):
    verification = forms.ChoiceField(label=_("核实结果"), choices=Verification.choices)
    severity = forms.ChoiceField(label=_("危害程度"), choices=())
    verification_note = forms.CharField(
        label=_("核查情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    fine_yuan = forms.IntegerField(
        label=_("罚款金额（元）"), required=False, min_value=0, max_value=10**12
    )
    concealed_deaths = forms.IntegerField(
        label=_("查实瞒报死亡人数"), required=False, min_value=0, max_value=10000
    )
    accident_grade = forms.ChoiceField(label=_("事故等级"), required=False, choices=())
    evidence = MultipleFileField(label=_("核查证据"), required=False)

    def __init__(self, *args, rewards=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if rewards is not None:
            self.fields["severity"].choices = list(rewards.severities.items())
            grades = rewards.per_death.grades.items() if rewards.per_death else []
            self.fields["accident_grade"].choices = [("", "—")] + [
                (code, g.label) for code, g in grades
            ]


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_feedback = forms.BooleanField(label=_("这是处理结果反馈"), required=False)


class HazardFromTipOffForm(forms.Form):
    location = forms.CharField(label=_("隐患部位"), max_length=200)
    description = forms.CharField(label=_("隐患描述"), widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ChoiceField(label=_("隐患类别"), choices=HazardCategory.choices)
    nature = forms.ChoiceField(label=_("隐患性质"), choices=HazardNature.choices)
    level = forms.ChoiceField(label=_("隐患级别"), choices=HazardLevel.choices)


class DuplicateForm(forms.Form):
    original = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)


class RewardProposeForm(forms.Form):
    amount_yuan = forms.IntegerField(label=_("奖励金额（元）"), min_value=0, max_value=10**9)


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PayForm(forms.Form):
    pay_method = forms.ChoiceField(label=_("发放方式"), choices=PayMethod.choices)
    paid_on = forms.DateField(label=_("发放日期"), widget=DateInput())
    voucher_no = forms.CharField(label=_("凭证号"), max_length=60)


class LetterForm(forms.Form):
    enterprise_id = forms.IntegerField(
        label=_("企业编号"), required=False, min_value=1, max_value=2**62
    )
    industry = forms.ModelChoiceField(label=_("行业"), required=False, queryset=None)

    def __init__(self, *args, industries=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industry"].queryset = industries


class DistributionForm(forms.Form):
    enterprise_id = forms.IntegerField(label=_("企业编号"), min_value=1, max_value=2**62)
    distributed_on = forms.DateField(label=_("发放日期"), widget=DateInput())
    copies = forms.IntegerField(label=_("份数"), min_value=0, max_value=1_000_000)
    workers_reached = forms.IntegerField(
        label=_("覆盖从业人员数"), min_value=0, max_value=1_000_000
    )
