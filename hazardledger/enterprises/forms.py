from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hazardledger.lib import credit_code
from hazardledger.lib.widgets import DateInput
from hazardledger.org.models import TERRITORY_KINDS, Industry, Unit, UnitKind, User

from .models import (
    Category,
    Enterprise,
    OperatingStatus,
    Procedure,
    ProcedureKind,
    RuleKind,
    ServiceKind,
)
from .roster import MAX_FILE_BYTES

DATE = DateInput()
REGISTRY_FORM_FIELDS = [
    "credit_code",
    "name",
    "address",
    "territory",
    "industry",
    "category",
    "scale",
    "is_key_project",
    "legal_representative",
    "principal_name",
    "principal_phone",
    "safety_manager",
    "safety_manager_phone",
    "contact_name",
    "contact_phone",
    "safety_engineer_count",
    "staff_count",
    "territory_contact",
    "regulator_contact",
]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}（{obj.unit.name if obj.unit else '—'}）"


def apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, field by field where the field exists."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class EnterpriseForm(forms.ModelForm):
    """The regulator's form. Validation of the whole record happens in the service."""

    class Meta:
        model = Enterprise
        fields = REGISTRY_FORM_FIELDS
        field_classes = {
            "territory_contact": PersonChoiceField,
            "regulator_contact": PersonChoiceField,
        }

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = Unit.objects.filter(
            kind__in=TERRITORY_KINDS, is_active=True
        ).order_by("sort_order", "code")
        self.fields["industry"].queryset = Industry.objects.order_by("sort_order", "code")
        people = User.objects.filter(is_active=True).select_related("unit")
        self.fields["territory_contact"].queryset = people.filter(unit__kind__in=TERRITORY_KINDS)
        self.fields["regulator_contact"].queryset = people.filter(unit__kind=UnitKind.DEPARTMENT)
        if creating:
            self.fields["status"] = forms.ChoiceField(
                label=_("经营状态"),
                choices=OperatingStatus.choices,
                initial=OperatingStatus.OPERATING,
            )
        self.fields["credit_code"].help_text = _("18 位，按 GB 32100-2015 校验。")

    def clean_credit_code(self) -> str:
        return credit_code.normalize(self.cleaned_data["credit_code"])

    def _post_clean(self) -> None:
        # The service validates the full record (with the actor's scope); skip the model pass.
        pass

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.cleaned_data}


class SelfServiceForm(forms.ModelForm):
    """What an enterprise user may change: contact and safety staff."""

    class Meta:
        model = Enterprise
        fields = [
            "contact_name",
            "contact_phone",
            "safety_manager",
            "safety_manager_phone",
            "safety_engineer_count",
        ]

    def _post_clean(self) -> None:
        pass

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("新的经营状态"), choices=OperatingStatus.choices)
    reason = forms.CharField(
        label=_("变更原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )


class ProcedureForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = ["kind", "number", "issuer", "issued_on", "expires_on", "status", "note"]
        widgets = {"issued_on": DATE, "expires_on": DATE}

    def _post_clean(self) -> None:
        pass


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("制度类别"), choices=RuleKind.choices)
    title = forms.CharField(label=_("制度名称"), max_length=200)
    adopted_on = forms.DateField(label=_("印发日期"), required=False, widget=DATE)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    document = forms.FileField(label=_("制度文件（PDF、Word 或图片）"), required=False)


class ServiceRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=ServiceKind.choices)
    provider = forms.CharField(label=_("机构/专家"), max_length=200)
    performed_on = forms.DateField(label=_("服务日期"), widget=DATE)
    scope = forms.CharField(label=_("服务内容"), max_length=300, required=False)
    conclusion = forms.CharField(
        label=_("结论"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    report = forms.FileField(label=_("报告（PDF、Word 或图片）"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("企业名录（.xlsx）"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(_("文件过大（上限 20 MB）"))
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("只接受 Excel 2007 及以上的 .xlsx 文件"))
        return upload


PROCEDURE_STATE_CHOICES = [
    ("", _("全部")),
    ("incomplete", _("手续不全")),
    ("complete", _("手续齐全")),
]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("名称或信用代码"), required=False, max_length=100)
    territory = forms.ModelChoiceField(
        label=_("所属镇街"), queryset=Unit.objects.none(), required=False, empty_label=_("全部")
    )
    industry = forms.ModelChoiceField(
        label=_("行业领域"), queryset=Industry.objects.none(), required=False, empty_label=_("全部")
    )
    status = forms.ChoiceField(
        label=_("经营状态"), required=False, choices=[("", _("全部")), *OperatingStatus.choices]
    )
    category = forms.ChoiceField(
        label=_("企业类别"), required=False, choices=[("", _("全部")), *Category.choices]
    )
    procedures = forms.ChoiceField(label=_("手续"), required=False, choices=PROCEDURE_STATE_CHOICES)
    key_project = forms.BooleanField(label=_("仅重点项目"), required=False)
    page = forms.IntegerField(
        required=False, min_value=1, max_value=100_000, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, territories: Any, industries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories
        self.fields["industry"].queryset = industries


class ProcedureKindForm(forms.Form):
    code = forms.SlugField(label=_("代码"), max_length=32)
    name = forms.CharField(label=_("名称"), max_length=100)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=10_000, initial=0)
    industries = forms.ModelMultipleChoiceField(
        label=_("须具备此手续的行业"),
        queryset=Industry.objects.order_by("sort_order", "code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, kind: ProcedureKind | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind is not None:
            self.fields["code"].disabled = True
            self.initial.update(
                code=kind.code,
                name=kind.name,
                sort_order=kind.sort_order,
                industries=list(kind.industries.all()),
            )
