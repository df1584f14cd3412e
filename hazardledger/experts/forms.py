"""Forms of the pool pages; the services validate again (the API calls them too)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hazardledger.enterprises.models import Enterprise
from hazardledger.lib.widgets import DateInput
from hazardledger.org.models import Role, User

from .models import CertificateKind, EngagementKind, Expert, Specialty


def apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, field by field where the field exists."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def find_enterprise(value: str) -> Enterprise | None:
    """An enterprise by its credit code, or by its exact name when only one bears it."""
    value = (value or "").strip()
    if not value:
        return None
    found = Enterprise.objects.filter(credit_code=value.upper()).first()
    if found is not None:
        return found
    named = list(Enterprise.objects.filter(name=value)[:2])
    if len(named) == 1:
        return named[0]
    raise ValidationError(
        _("找不到该企业，请填写统一社会信用代码")
        if not named
        else _("有同名企业，请填写统一社会信用代码")
    )


class EnterpriseRefField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", _("统一社会信用代码或企业全称"))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.credit_code if isinstance(value, Enterprise) else value

    def clean(self, value: Any) -> Enterprise | None:
        text = super().clean(value)
        enterprise = find_enterprise(text)
        if enterprise is None and self.required:
            raise ValidationError(_("请填写企业"))
        return enterprise


class SpecialtiesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class ExpertForm(forms.Form):
    """Create (with an existing expert login or a new one) and edit."""

    user = forms.ModelChoiceField(
        label=_("已有专家账号"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("（新建账号）"),
    )
    username = forms.CharField(label=_("新账号：登录用户名"), max_length=150, required=False)
    full_name = forms.CharField(label=_("新账号：姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("新账号：手机号码"), max_length=32, required=False)
    password = forms.CharField(
        label=_("新账号：初始密码"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        max_length=128,
    )
    specialties = SpecialtiesField(
        label=_("专业领域"), queryset=Specialty.objects.all(), required=False
    )
    title = forms.CharField(label=_("职称"), max_length=50, required=False)
    employer = forms.CharField(label=_("工作单位"), max_length=200, required=False)
    employer_enterprise = EnterpriseRefField(
        label=_("工作单位为本区在册企业时"),
        required=False,
        help_text=_("填统一社会信用代码或企业全称；用于利益回避"),
    )
    is_active = forms.BooleanField(label=_("在库（可被指派）"), required=False, initial=True)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    NEW_ACCOUNT = ("username", "full_name", "phone", "password")

    def __init__(self, *args: Any, expert: Expert | None = None, **kwargs: Any) -> None:
        if expert is not None:
            kwargs.setdefault(
                "initial",
                {
                    "specialties": list(expert.specialties.all()),
                    "title": expert.title,
                    "employer": expert.employer,
                    "employer_enterprise": expert.employer_enterprise,
                    "is_active": expert.is_active,
                    "note": expert.note,
                },
            )
        super().__init__(*args, **kwargs)
        if expert is not None:
            for name in ("user", *self.NEW_ACCOUNT):
                del self.fields[name]
        else:
            self.fields["user"].queryset = (
                User.objects.filter(role_grants__role=Role.EXPERT, expert_profile__isnull=True)
                .select_related("unit")
                .order_by("username")
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "user" in self.fields and not data.get("user") and not data.get("username"):
            self.add_error("user", _("请选择已有专家账号，或填写新账号的用户名和姓名"))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        user = data.pop("user", None)
        account = {k: data.pop(k, "") for k in self.NEW_ACCOUNT}
        data["specialties"] = [s.pk for s in data["specialties"]]
        if "user" not in self.fields:
            return {"data": data}
        return {"data": data, "user": user, "account": None if user else account}


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("证书类别"), choices=CertificateKind.choices)
    number = forms.CharField(label=_("证书编号"), max_length=64)
    valid_until = forms.DateField(label=_("有效期至"), widget=DateInput())
    file = forms.FileField(label=_("证书扫描件（PDF、Word 或图片）"), required=False)


class EngagementForm(forms.Form):
    enterprise = EnterpriseRefField(label=_("企业"), required=True)
    kind = forms.ChoiceField(label=_("类别"), choices=EngagementKind.choices)
    started_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    ended_on = forms.DateField(
        label=_("结束日期"), widget=DateInput(), required=False, help_text=_("仍在进行的留空")
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class UnavailabilityForm(forms.Form):
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput())
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


STATE_CHOICES = [("", _("全部")), ("active", _("在库")), ("inactive", _("停用"))]
CERT_CHOICES = [("", _("全部")), ("valid", _("证书有效")), ("expired", _("无有效证书"))]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或工作单位"), max_length=50, required=False)
    specialty = forms.ModelChoiceField(
        label=_("专业领域"), queryset=Specialty.objects.all(), required=False, empty_label=_("全部")
    )
    state = forms.ChoiceField(label=_("状态"), choices=STATE_CHOICES, required=False)
    certificate = forms.ChoiceField(label=_("证书"), choices=CERT_CHOICES, required=False)
    available = forms.BooleanField(label=_("仅今日可指派"), required=False)
    page = forms.IntegerField(
        required=False, min_value=1, max_value=100_000, widget=forms.HiddenInput
    )


class ConflictCheckForm(forms.Form):
    enterprise = EnterpriseRefField(label=_("核查与该企业的利益冲突"), required=True)
