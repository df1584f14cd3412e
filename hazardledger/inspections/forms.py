"""Forms parse what people type; the services decide whether it is allowed and consistent."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hazardledger.enterprises.models import Category
from hazardledger.hazards.models import HazardLevel, HazardNature
from hazardledger.lib.files import check_photo
from hazardledger.lib.widgets import DateInput
from hazardledger.org.models import Role, User

from .models import ChecklistItem, InspectionKind, ItemCategory, ItemResult
from .services import ItemInput, ItemSpec

DATE = DateInput()
ERRORS = {
    "required": _("此项为必填项"),
    "invalid": _("格式不正确"),
    "invalid_choice": _("选项不正确"),
    "invalid_pk_value": _("选项不正确"),
    "invalid_list": _("选项不正确"),
}
DATE_ERRORS = {**ERRORS, "invalid": _("日期格式不正确（YYYY-MM-DD）")}


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's field errors on the form's fields (others on the form)."""
    for name, messages in exc.message_dict.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def people_choices() -> QuerySet[User]:
    roles = [
        Role.DISTRICT_ADMIN,
        Role.DISTRICT_LEADER,
        Role.TERRITORY_OFFICER,
        Role.DEPARTMENT_OFFICER,
        Role.COMMITTEE_MEMBER,
        Role.ENFORCEMENT_OFFICER,
    ]
    ids = User.objects.filter(is_active=True, role_grants__role__in=roles).values("pk")
    return (
        User.objects.filter(pk__in=ids)
        .select_related("unit")
        .order_by("unit__sort_order", "username")
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}（{obj.unit.name}）" if obj.unit else obj.display_name


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}（{obj.unit.name}）" if obj.unit else obj.display_name


# ---- campaigns ----------------------------------------------------------------------------


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, error_messages=ERRORS)
    description = forms.CharField(
        label=_("工作要求"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE, error_messages=DATE_ERRORS)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE, error_messages=DATE_ERRORS)
    leader = PersonChoice(
        label=_("带队区领导"), queryset=User.objects.none(), error_messages=ERRORS
    )
    committee = forms.ModelChoiceField(
        label=_("组织专业安委会"), queryset=None, error_messages=ERRORS
    )
    territories = forms.ModelMultipleChoiceField(
        label=_("检查镇街"),
        queryset=None,
        required=False,
        error_messages=ERRORS,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选即为全区所有镇街。"),
    )
    industries = forms.ModelMultipleChoiceField(
        label=_("检查行业"),
        queryset=None,
        required=False,
        error_messages=ERRORS,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选即为所有行业。"),
    )
    categories = forms.MultipleChoiceField(
        label=_("企业类别"),
        choices=Category.choices,
        required=False,
        error_messages=ERRORS,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选即为所有类别。"),
    )
    checklist = forms.ModelChoiceField(
        label=_("推荐检查表"), queryset=None, required=False, error_messages=ERRORS
    )

    def __init__(
        self, *args: Any, leaders, committees, territories, industries, checklists, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders
        self.fields["committee"].queryset = committees
        self.fields["territories"].queryset = territories
        self.fields["industries"].queryset = industries
        self.fields["checklist"].queryset = checklists


# ---- checklists ---------------------------------------------------------------------------


class ChecklistItemForm(forms.Form):
    category = forms.ChoiceField(
        label=_("类别"), choices=ItemCategory.choices, error_messages=ERRORS
    )
    code = forms.CharField(label=_("编号"), max_length=16, required=False)
    text = forms.CharField(label=_("检查内容"), max_length=300, required=False)
    basis = forms.CharField(label=_("检查依据"), max_length=300, required=False)
    nature = forms.ChoiceField(
        label=_("隐患性质"),
        choices=HazardNature.choices,
        initial=HazardNature.THING,
        error_messages=ERRORS,
    )

    def spec(self) -> ItemSpec | None:
        data = self.cleaned_data
        if not data or data.get("DELETE") or not data.get("text", "").strip():
            return None
        return ItemSpec(data["category"], data["text"], data["basis"], data["nature"], data["code"])


ChecklistItemFormSet = forms.formset_factory(ChecklistItemForm, extra=3, can_delete=True)


def item_initial(items: list[ChecklistItem]) -> list[dict[str, Any]]:
    return [
        {
            "category": i.category,
            "code": i.code,
            "text": i.text,
            "basis": i.basis,
            "nature": i.nature,
        }
        for i in items
    ]


class ChecklistCreateForm(forms.Form):
    code = forms.SlugField(
        label=_("代码"),
        max_length=40,
        error_messages={**ERRORS, "invalid": _("只能包含字母、数字、连字符和下划线")},
    )
    name = forms.CharField(label=_("名称"), max_length=100, error_messages=ERRORS)
    industries = forms.ModelMultipleChoiceField(
        label=_("适用行业"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选即为通用检查表。"),
        error_messages=ERRORS,
    )

    def __init__(self, *args: Any, industries, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industries"].queryset = industries


class VersionNoteForm(forms.Form):
    note = forms.CharField(label=_("修订说明"), max_length=200, required=False)


# ---- inspections --------------------------------------------------------------------------


class InspectionForm(forms.Form):
    """The inspection record: header fields plus result, note, location and photo per item."""

    submission_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("表单已失效，请刷新页面"),
            "invalid": _("表单已失效，请刷新页面"),
        },
    )
    checklist_version = forms.ModelChoiceField(
        queryset=None,
        widget=forms.HiddenInput,
        error_messages={**ERRORS, "invalid_choice": _("检查表版本不可用，请刷新页面")},
    )
    kind = forms.ChoiceField(label=_("检查类型"), choices=(), error_messages=ERRORS)
    enterprise = forms.ModelChoiceField(label=_("受检企业"), queryset=None, error_messages=ERRORS)
    campaign = forms.ModelChoiceField(
        label=_("所属大检查"),
        queryset=None,
        required=False,
        error_messages=ERRORS,
        empty_label=_("（不计入大检查）"),
    )
    inspected_on = forms.DateField(label=_("检查日期"), widget=DATE, error_messages=DATE_ERRORS)
    lead = PersonChoice(
        label=_("带队人"), queryset=User.objects.none(), required=False, error_messages=ERRORS
    )
    inspectors = PeopleChoice(
        label=_("检查人员"),
        queryset=User.objects.none(),
        required=False,
        error_messages=ERRORS,
        help_text=_("带队人自动计入；政府检查须达到政策规定的最少人数。"),
    )
    lead_name = forms.CharField(
        label=_("负责人"),
        max_length=50,
        required=False,
        help_text=_("企业自查填写组织自查的负责人。"),
    )
    other_participants = forms.CharField(label=_("其他参加人员"), max_length=200, required=False)
    agency = forms.CharField(label=_("技术服务机构"), max_length=100, required=False)
    summary = forms.CharField(
        label=_("检查结论"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    representative_name = forms.CharField(label=_("企业确认人"), max_length=50, required=False)
    representative_confirmed = forms.BooleanField(
        label=_("企业代表已当场确认检查结果"), required=False
    )

    def __init__(
        self, *args: Any, kinds, enterprises, campaigns, versions, version, officials, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, InspectionKind(k).label) for k in kinds]
        self.fields["enterprise"].queryset = enterprises
        self.fields["campaign"].queryset = campaigns
        self.fields["checklist_version"].queryset = versions
        self.fields["lead"].queryset = officials
        self.fields["inspectors"].queryset = officials
        if not officials.exists():
            for name in ("lead", "inspectors"):
                self.fields[name].widget = forms.HiddenInput()
        self.version = version
        self.checklist_items = list(version.items.all()) if version else []
        for ci in self.checklist_items:
            self._add_item_fields(ci)

    def _add_item_fields(self, ci: ChecklistItem) -> None:
        prefix = f"item_{ci.pk}"
        self.fields[f"{prefix}_result"] = forms.ChoiceField(
            label=ci.text,
            choices=ItemResult.choices,
            widget=forms.RadioSelect,
            error_messages={**ERRORS, "required": _("请选择检查结果")},
        )
        self.fields[f"{prefix}_note"] = forms.CharField(
            label=_("情况说明"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.fields[f"{prefix}_location"] = forms.CharField(
            label=_("问题部位"), required=False, max_length=200
        )
        self.fields[f"{prefix}_photo"] = forms.FileField(
            label=_("照片"),
            required=False,
            widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
        )

    def clean(self) -> dict[str, Any]:
        """Item checks the service repeats, so that every item error shows on the first try."""
        data = super().clean()
        for ci in self.checklist_items:
            prefix = f"item_{ci.pk}"
            if data.get(f"{prefix}_result") == ItemResult.FAIL and not data.get(f"{prefix}_note"):
                self.add_error(f"{prefix}_note", _("不合格项须说明存在的问题"))
            upload = data.get(f"{prefix}_photo")
            if upload:
                try:
                    check_photo(upload)
                except ValidationError as exc:
                    self.add_error(f"{prefix}_photo", exc.messages[0])
        return data

    def groups(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """Item rows grouped 基础管理类 / 现场管理类, for the template."""
        out = []
        for value, label in ItemCategory.choices:
            rows = [
                {
                    "item": ci,
                    **{
                        part: self[f"item_{ci.pk}_{part}"]
                        for part in ("result", "note", "location", "photo")
                    },
                }
                for ci in self.checklist_items
                if ci.category == value
            ]
            if rows:
                out.append((label, rows))
        return out

    def header(self) -> dict[str, Any]:
        names = (
            "kind",
            "enterprise",
            "campaign",
            "checklist_version",
            "inspected_on",
            "lead",
            "inspectors",
            "lead_name",
            "other_participants",
            "agency",
            "summary",
            "representative_name",
            "representative_confirmed",
        )
        return {name: self.cleaned_data.get(name) for name in names}

    def items(self, files: Any) -> dict[int, ItemInput]:
        data = self.cleaned_data
        return {
            ci.pk: ItemInput(
                result=data.get(f"item_{ci.pk}_result") or "",
                note=data.get(f"item_{ci.pk}_note") or "",
                location=data.get(f"item_{ci.pk}_location") or "",
                photo=data.get(f"item_{ci.pk}_photo") or None,
            )
            for ci in self.checklist_items
        }


def new_submission_key() -> uuid.UUID:
    return uuid.uuid4()


class HazardFromItemForm(forms.Form):
    location = forms.CharField(label=_("隐患部位"), max_length=200, required=False)
    description = forms.CharField(
        label=_("隐患描述"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    category = forms.ChoiceField(
        label=_("隐患类别"), choices=ItemCategory.choices, error_messages=ERRORS
    )
    nature = forms.ChoiceField(
        label=_("隐患性质"), choices=HazardNature.choices, error_messages=ERRORS
    )
    level = forms.ChoiceField(
        label=_("隐患级别"), choices=HazardLevel.choices, error_messages=ERRORS
    )
    cause = forms.CharField(
        label=_("产生原因"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    criteria_standard = forms.CharField(
        label=_("判定标准（重大隐患必填）"), max_length=200, required=False
    )
    criteria_article = forms.CharField(
        label=_("条款（重大隐患必填）"), max_length=50, required=False
    )
    harm_analysis = forms.CharField(
        label=_("危害程度和整改难易程度分析（重大隐患必填）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConfirmForm(forms.Form):
    representative_name = forms.CharField(
        label=_("确认人姓名"), max_length=50, error_messages=ERRORS
    )
    remark = forms.CharField(label=_("企业意见"), max_length=300, required=False)


class InspectionFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("检查类型"), required=False, choices=[("", _("全部")), *InspectionKind.choices]
    )
    campaign = forms.ModelChoiceField(
        label=_("大检查"), queryset=None, required=False, empty_label=_("全部")
    )

    def __init__(self, *args: Any, campaigns, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns


# ---- self-inspection ----------------------------------------------------------------------


class ScheduleForm(forms.Form):
    starts_on = forms.DateField(label=_("起始日期"), widget=DATE, error_messages=DATE_ERRORS)
    cadence_days = forms.IntegerField(
        label=_("周期（天）"),
        required=False,
        min_value=1,
        max_value=366,
        help_text=_("留空则按政策参数方案的自查周期。"),
        error_messages={
            **ERRORS,
            "min_value": _("周期应为 1–366 天"),
            "max_value": _("周期应为 1–366 天"),
        },
    )
    checklist = forms.ModelChoiceField(label=_("自查检查表"), queryset=None, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, checklists, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = checklists


class BulkScheduleForm(forms.Form):
    starts_on = forms.DateField(
        label=_("起始日期"), widget=DATE, error_messages=DATE_ERRORS, initial=timezone.localdate
    )


class SelfFilterForm(forms.Form):
    territory = forms.ModelChoiceField(
        label=_("镇街"), queryset=None, required=False, empty_label=_("全部")
    )
    industry = forms.ModelChoiceField(
        label=_("行业"), queryset=None, required=False, empty_label=_("全部")
    )

    def __init__(self, *args: Any, territories, industries, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories
        self.fields["industry"].queryset = industries
