"""Forms of the blacklist pages; the services validate again (the API calls them too)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hazardledger.lib.widgets import DateInput
from hazardledger.policy.services import active_policy

from .models import NoticeChannel, PartnerKind


def restriction_choices() -> list[tuple[str, str]]:
    return list(active_policy().blacklist.restrictions.items())


class ProposeForm(forms.Form):
    enterprise = forms.CharField(
        label=_("企业统一社会信用代码"), max_length=40, help_text=_("18 位代码")
    )
    grounds = forms.CharField(
        label=_("列入事由（违法失信事实）"), widget=forms.Textarea, max_length=2000
    )
    legal_basis = forms.CharField(label=_("列入依据"), max_length=300)
    restrictions = forms.MultipleChoiceField(
        label=_("惩戒措施"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = restriction_choices()
        self.fields["restrictions"].choices = choices
        if not self.is_bound:
            self.initial.setdefault("restrictions", [code for code, _label in choices])


class NoteForm(forms.Form):
    note = forms.CharField(label=_("意见或理由"), widget=forms.Textarea, max_length=2000)


class NotifyForm(forms.Form):
    channel = forms.ChoiceField(label=_("告知方式"), choices=NoticeChannel.choices)


class ObjectForm(forms.Form):
    text = forms.CharField(label=_("异议内容和理由"), widget=forms.Textarea, max_length=2000)


class ApproveForm(forms.Form):
    decision_no = forms.CharField(label=_("列入决定文号"), max_length=100)


class CorrectForm(NoteForm):
    grounds = forms.CharField(
        label=_("更正后的列入事由（不改则留空）"),
        widget=forms.Textarea,
        max_length=2000,
        required=False,
    )
    restrictions = forms.MultipleChoiceField(
        label=_("更正后的惩戒措施（不改则不选）"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["restrictions"].choices = restriction_choices()


class RepairForm(forms.Form):
    reason = forms.CharField(
        label=_("修复申请理由（已纠正失信行为、履行法定义务的情况）"),
        widget=forms.Textarea,
        max_length=2000,
    )
    evidence = forms.CharField(label=_("证明材料清单"), widget=forms.Textarea, max_length=2000)


class EmptyForm(forms.Form):
    pass


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "notify": NotifyForm,
    "withdraw": NoteForm,
    "object": ObjectForm,
    "approve": ApproveForm,
    "publish": EmptyForm,
    "correct": CorrectForm,
    "dismiss": NoteForm,
    "revoke": NoteForm,
    "apply_repair": RepairForm,
    "review_repair": NoteForm,
    "approve_repair": NoteForm,
    "reject_repair": NoteForm,
}


class PartnerNoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("单位类别"), choices=PartnerKind.choices)
    recipient = forms.CharField(label=_("接收单位"), max_length=200)
    channel = forms.ChoiceField(label=_("通报方式"), choices=NoticeChannel.choices)
    sent_on = forms.DateField(label=_("通报日期"), widget=DateInput)
    about_removal = forms.BooleanField(label=_("通报的是移出"), required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("企业名称或统一社会信用代码"), max_length=100, required=False)
