"""Forms of the hazard pages; every message is field-level and Chinese."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hazardledger.enterprises.selectors import enterprises_visible_to
from hazardledger.experts.selectors import experts_suggested, specialty_for
from hazardledger.lib import files
from hazardledger.lib.widgets import DateInput
from hazardledger.org.models import Role, Unit, UnitKind, User
from hazardledger.org.selectors import (
    Scope,
    industries_visible_to,
    scope_for,
    territories_visible_to,
)
from hazardledger.policy.services import active_policy

from . import rules
from .models import (
    HazardCategory,
    HazardLevel,
    HazardNature,
    HazardSource,
    HazardStatus,
    SupervisionLevel,
)
from .selectors import SORTS, LedgerFilters

MAX_PHOTOS = 9
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "——"), *list(choices)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos; each is checked by content and returned as a `files.CheckedFile`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[files.CheckedFile]:
        single = super().clean
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        items = [single(d, initial) for d in items if d]
        if self.required and not items:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(items) > MAX_PHOTOS:
            raise ValidationError(_("最多上传 %d 张照片") % MAX_PHOTOS)
        checked = []
        for item in items:
            try:
                checked.append(files.check_photo(item))
            except ValidationError as exc:
                raise ValidationError(f"{item.name}：{exc.messages[0]}") from exc
        return checked


class DocumentField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> files.CheckedFile | None:
        upload = super().clean(data, initial)
        if not upload:
            return None
        try:
            return files.check_document(upload)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from exc


def _not_past(value: Any) -> Any:
    if value and value < timezone.localdate():
        raise ValidationError(_("整改时限不能早于今天"))
    return value


class HazardForm(forms.Form):
    """Registering a card."""

    enterprise = forms.ModelChoiceField(label=gettext_lazy("企业"), queryset=None)
    location = forms.CharField(label=gettext_lazy("隐患部位"), max_length=200)
    description = forms.CharField(label=gettext_lazy("隐患描述"), widget=TEXTAREA)
    cause = forms.CharField(label=gettext_lazy("产生原因"), widget=TEXTAREA, required=False)
    category = forms.ChoiceField(
        label=gettext_lazy("隐患类别"), choices=_blank(HazardCategory.choices)
    )
    nature = forms.ChoiceField(label=gettext_lazy("隐患性质"), choices=_blank(HazardNature.choices))
    level = forms.ChoiceField(label=gettext_lazy("隐患级别"), choices=_blank(HazardLevel.choices))
    criteria_standard = forms.CharField(
        label=gettext_lazy("判定标准（重大隐患必填）"), max_length=200, required=False
    )
    criteria_article = forms.CharField(label=gettext_lazy("条款"), max_length=50, required=False)
    criteria_item = forms.CharField(label=gettext_lazy("项"), max_length=50, required=False)
    harm_analysis = forms.CharField(
        label=gettext_lazy("危害程度和整改难易程度分析（重大隐患必填）"),
        widget=TEXTAREA,
        required=False,
    )
    source = forms.ChoiceField(label=gettext_lazy("隐患来源"), choices=_blank(HazardSource.choices))
    source_ref = forms.CharField(
        label=gettext_lazy("来源依据（检查记录、举报编号等）"), max_length=200, required=False
    )
    found_by = forms.CharField(label=gettext_lazy("发现人"), max_length=100)
    found_on = forms.DateField(label=gettext_lazy("发现时间"), widget=DateInput())
    legal_basis = forms.CharField(label=gettext_lazy("法律依据"), widget=TEXTAREA, required=False)
    photos = PhotosField(label=gettext_lazy("整改前照片（JPEG/PNG/WebP，每张不超过 8 MB）"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises_visible_to(user).order_by("name")

    def clean_found_on(self) -> Any:
        value = self.cleaned_data["found_on"]
        if value and value > timezone.localdate():
            raise ValidationError(_("发现时间不能晚于今天"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, message in rules.major_problems(
            active_policy().hazards, data.get("level", ""), data
        ).items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class PlanForm(forms.Form):
    """五落实: every field may be saved on its own; submitting checks completeness."""

    responsible_person = forms.CharField(
        label=gettext_lazy("整改责任人"), max_length=50, required=False
    )
    responsible_phone = forms.CharField(
        label=gettext_lazy("责任人电话"), max_length=32, required=False
    )
    funds_yuan = forms.DecimalField(
        label=gettext_lazy("整改资金（元）"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    measures = forms.CharField(label=gettext_lazy("整改措施"), widget=TEXTAREA, required=False)
    deadline = forms.DateField(
        label=gettext_lazy("整改时限"),
        required=False,
        validators=[_not_past],
        widget=DateInput(),
    )
    emergency_plan = forms.CharField(
        label=gettext_lazy("应急预案"), widget=TEXTAREA, required=False
    )
    emergency_plan_file = DocumentField(
        label=gettext_lazy("应急预案文件（PDF、Word 或图片，不超过 10 MB）"), required=False
    )
    objectives = forms.CharField(
        label=gettext_lazy("治理目标和任务（重大隐患）"), widget=TEXTAREA, required=False
    )
    organisation_and_staff = forms.CharField(
        label=gettext_lazy("负责治理的机构和人员（重大隐患）"), widget=TEXTAREA, required=False
    )
    materials = forms.CharField(
        label=gettext_lazy("治理物资（重大隐患）"), widget=TEXTAREA, required=False
    )
    monitoring_measures = forms.CharField(
        label=gettext_lazy("整改期间监控措施"), widget=TEXTAREA, required=False
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        upload = data.pop("emergency_plan_file", None)
        return {"plan": data, "emergency_plan_file": upload}


class ActionForm(forms.Form):
    """A transition's form; `service_kwargs` are the arguments of its service."""

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def _text(label: str, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, widget=TEXTAREA, required=required)


class ConfirmForm(ActionForm):
    level = forms.ChoiceField(label=gettext_lazy("隐患级别"), choices=HazardLevel.choices)
    criteria_standard = forms.CharField(
        label=gettext_lazy("判定标准"), max_length=200, required=False
    )
    criteria_article = forms.CharField(label=gettext_lazy("条款"), max_length=50, required=False)
    criteria_item = forms.CharField(label=gettext_lazy("项"), max_length=50, required=False)
    harm_analysis = _text(gettext_lazy("危害程度和整改难易程度分析"), required=False)
    comment = _text(gettext_lazy("说明"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, message in rules.major_problems(
            active_policy().hazards, data.get("level", ""), data
        ).items():
            self.add_error(name, message)
        return data


class TransferForm(ActionForm):
    department = forms.ModelChoiceField(
        label=gettext_lazy("接收抄告的主管部门"),
        queryset=Unit.objects.filter(kind=UnitKind.DEPARTMENT, is_active=True),
    )
    reason = _text(gettext_lazy("抄告理由"))


class RectifiedForm(ActionForm):
    note = _text(gettext_lazy("整改情况说明"))
    funds_actual_yuan = forms.DecimalField(
        label=gettext_lazy("实际整改资金（元）"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    photos = PhotosField(label=gettext_lazy("整改后照片（证据，至少一张）"))


class ProgressForm(ActionForm):
    text = _text(gettext_lazy("整改进展"))
    percent = forms.IntegerField(
        label=gettext_lazy("完成比例（%）"), min_value=0, max_value=100, required=False
    )
    monitoring_measures = _text(gettext_lazy("整改期间监控措施（如有更新）"), required=False)
    photos = PhotosField(label=gettext_lazy("进展照片"))


class ExtensionForm(ActionForm):
    reason = _text(gettext_lazy("延期理由"))
    interim_controls = _text(gettext_lazy("临时管控措施"))
    new_deadline = forms.DateField(
        label=gettext_lazy("申请延至"),
        widget=DateInput(),
        validators=[_not_past],
    )


class OpinionForm(ActionForm):
    opinion = _text(gettext_lazy("意见"), required=False)


class RequiredOpinionForm(ActionForm):
    opinion = _text(gettext_lazy("意见（必填）"))


class CommentForm(ActionForm):
    comment = _text(gettext_lazy("说明"), required=False)


class ExpertForm(ActionForm):
    expert = forms.ModelChoiceField(
        label=gettext_lazy("评估专家"),
        queryset=User.objects.filter(
            role_grants__role=Role.EXPERT, is_active=True, expert_profile__is_active=True
        ).order_by("full_name", "pk"),
        help_text=gettext_lazy("从专家库选择；有利益冲突或不可用的专家会被拒绝并说明原因"),
    )

    def for_hazard(self, hazard: Any) -> None:
        """Group the pool: those suggested for the card's enterprise (no conflict, matching
        specialty first, least busy) before the others, which the pool checks on assignment."""
        enterprise = hazard.enterprise
        suggested = [
            e.user
            for e in experts_suggested(enterprise=enterprise, specialty=specialty_for(enterprise))
        ]
        ids = {u.pk for u in suggested}
        field = self.fields["expert"]
        others = [u for u in field.queryset if u.pk not in ids]
        groups: list[Any] = [("", "---------")]
        if suggested:
            groups.append(
                (_("推荐（无利益冲突，专业对口、任务少者优先）"), _expert_options(suggested))
            )
        if others:
            groups.append((_("其他专家（指派时核查）"), _expert_options(others)))
        field.choices = groups


def _expert_options(users: list[User]) -> list[tuple[int, str]]:
    return [(u.pk, u.display_name) for u in users]


class EvaluationForm(ActionForm):
    opinion = _text(gettext_lazy("评估意见（必填）"))
    report = DocumentField(label=gettext_lazy("评估报告（PDF、Word 或图片）"), required=False)


class ReasonForm(ActionForm):
    reason = _text(gettext_lazy("理由（必填）"))


class ReopenForm(ActionForm):
    reason = _text(gettext_lazy("重新打开的理由"))
    deadline = forms.DateField(
        label=gettext_lazy("新的整改时限"),
        widget=DateInput(),
        validators=[_not_past],
    )


class SupervisionForm(ActionForm):
    supervision_level = forms.ChoiceField(
        label=gettext_lazy("督办级别"), choices=SupervisionLevel.choices
    )
    supervision_doc_no = forms.CharField(label=gettext_lazy("督办文号"), max_length=60)
    comment = _text(gettext_lazy("督办要求"), required=False)


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "confirm": ConfirmForm,
    "transfer": TransferForm,
    "save_plan": PlanForm,
    "submit_plan": PlanForm,
    "rectify_immediately": RectifiedForm,
    "report_progress": ProgressForm,
    "request_extension": ExtensionForm,
    "approve_extension": OpinionForm,
    "reject_extension": RequiredOpinionForm,
    "mark_rectified": RectifiedForm,
    "apply_acceptance": CommentForm,
    "assign_expert": ExpertForm,
    "evaluation_pass": EvaluationForm,
    "evaluation_fail": EvaluationForm,
    "accept": OpinionForm,
    "reject": RequiredOpinionForm,
    "void": ReasonForm,
    "reopen": ReopenForm,
    "list_supervised": SupervisionForm,
    "delist_supervised": ReasonForm,
    "suspend_production": ReasonForm,
    "resume_production": ReasonForm,
}


PAGE_SIZES = (20, 50, 100)


class PlainSelect(forms.Select):
    """A select rendered in Python: the ledger shows a hundred options on every page, and the
    template-per-option renderer costs more than the page's own query."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer=None):
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (v, mark_safe(" selected") if str(v) in selected else "", label)
                for v, label in ((str(o[0]), o[1]) for o in self.choices)
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


OPTIONS_TTL = 60


def _options(name: str, qs: QuerySet, scope: Scope) -> list[tuple[int, str]]:
    """(pk, name) rows of a select, shared for a minute by everyone with the same scope: units
    and industries change a few times a year, and a new one may show up a minute late. `qs`
    must depend on the scope alone."""
    key = f"hazards:options:{name}:{scope.key}"
    return cache.get_or_set(key, lambda: list(qs.values_list("pk", "name")), OPTIONS_TTL)


class LedgerFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("编号或描述"), required=False, max_length=100)
    territory = forms.ModelChoiceField(
        label=gettext_lazy("镇街"), queryset=None, required=False, widget=PlainSelect
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("主管部门"),
        queryset=Unit.objects.filter(kind=UnitKind.DEPARTMENT),
        required=False,
        widget=PlainSelect,
    )
    industry = forms.ModelChoiceField(
        label=gettext_lazy("行业"), queryset=None, required=False, widget=PlainSelect
    )
    enterprise = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    level = forms.ChoiceField(
        widget=PlainSelect,
        label=gettext_lazy("级别"),
        choices=_blank(HazardLevel.choices),
        required=False,
    )
    status = forms.ChoiceField(
        widget=PlainSelect,
        label=gettext_lazy("状态"),
        choices=_blank(HazardStatus.choices),
        required=False,
    )
    source = forms.ChoiceField(
        widget=PlainSelect,
        label=gettext_lazy("来源"),
        choices=_blank(HazardSource.choices),
        required=False,
    )
    overdue = forms.BooleanField(label=gettext_lazy("仅逾期"), required=False)
    acceptance_late = forms.BooleanField(label=gettext_lazy("仅验收超期"), required=False)
    supervised = forms.BooleanField(label=gettext_lazy("仅挂牌督办"), required=False)
    found_from = forms.DateField(
        label=gettext_lazy("发现时间自"),
        required=False,
        widget=DateInput(),
    )
    found_to = forms.DateField(label=gettext_lazy("至"), required=False, widget=DateInput())
    deadline_from = forms.DateField(
        label=gettext_lazy("整改时限自"),
        required=False,
        widget=DateInput(),
    )
    deadline_to = forms.DateField(label=gettext_lazy("至"), required=False, widget=DateInput())
    sort = forms.ChoiceField(
        widget=PlainSelect,
        label=gettext_lazy("排序"),
        required=False,
        choices=[
            ("-found_on", gettext_lazy("发现时间（新→旧）")),
            ("found_on", gettext_lazy("发现时间（旧→新）")),
            ("deadline", gettext_lazy("整改时限（近→远）")),
            ("-deadline", gettext_lazy("整改时限（远→近）")),
            ("-registered_at", gettext_lazy("登记时间（新→旧）")),
            ("registered_at", gettext_lazy("登记时间（旧→新）")),
            ("card_no", gettext_lazy("编号（升序）")),
            ("-card_no", gettext_lazy("编号（降序）")),
        ],
    )
    size = forms.TypedChoiceField(
        widget=PlainSelect,
        label=gettext_lazy("每页"),
        required=False,
        coerce=int,
        empty_value=50,
        choices=[(n, str(n)) for n in PAGE_SIZES],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories_visible_to(user)
        self.fields["industry"].queryset = industries_visible_to(user)
        scope = scope_for(user)
        for name in ("territory", "department", "industry"):
            field = self.fields[name]
            field.widget.choices = [("", field.empty_label), *_options(name, field.queryset, scope)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for start, end in (("found_from", "found_to"), ("deadline_from", "deadline_to")):
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, _("结束日期不能早于开始日期"))
        return data

    def filters(self) -> LedgerFilters:
        d = self.cleaned_data if self.is_bound and self.is_valid() else {}

        def pk(name: str) -> int | None:
            value = d.get(name)
            return value.pk if hasattr(value, "pk") else value

        return LedgerFilters(
            territory=pk("territory"),
            department=pk("department"),
            industry=pk("industry"),
            enterprise=d.get("enterprise"),
            level=d.get("level", ""),
            status=d.get("status", ""),
            overdue=bool(d.get("overdue")),
            acceptance_late=bool(d.get("acceptance_late")),
            supervised=bool(d.get("supervised")),
            source=d.get("source", ""),
            found_from=d.get("found_from"),
            found_to=d.get("found_to"),
            deadline_from=d.get("deadline_from"),
            deadline_to=d.get("deadline_to"),
            q=d.get("q", ""),
        )

    def sort_key(self) -> str:
        d = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return d.get("sort") if d.get("sort") in SORTS else "-found_on"

    def page_size(self) -> int:
        d = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return d.get("size") or 50


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("隐患台账文件（.xlsx）"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError(_("文件过大（上限 20 MB）"))
        head = upload.read(4)
        upload.seek(0)
        if not upload.name.lower().endswith(".xlsx") or head != b"PK\x03\x04":
            raise ValidationError(_("只接受 Excel（.xlsx）文件"))
        return upload


class QuickHazardForm(forms.Form):
    """Registering a 一般隐患 from a phone: the few questions only a person on site can answer.

    Level, finder, date and source are derived by `quick.card_data`; the enterprise is fixed
    when the view passes `fixed` (an enterprise user with one enterprise).
    """

    enterprise = forms.ModelChoiceField(
        label=gettext_lazy("企业"),
        queryset=None,
        error_messages={
            "required": gettext_lazy("请选择企业"),
            "invalid_choice": gettext_lazy("该企业不在您的管辖范围内"),
        },
    )
    location = forms.CharField(
        label=gettext_lazy("隐患部位"),
        max_length=200,
        error_messages={"required": gettext_lazy("请填写隐患部位")},
    )
    description = forms.CharField(
        label=gettext_lazy("隐患描述"),
        widget=TEXTAREA,
        error_messages={"required": gettext_lazy("请填写隐患描述")},
    )
    category = forms.ChoiceField(
        label=gettext_lazy("隐患类别"),
        choices=_blank(HazardCategory.choices),
        error_messages={
            "required": gettext_lazy("请选择隐患类别"),
            "invalid_choice": gettext_lazy("隐患类别不正确"),
        },
    )
    photos = PhotosField(
        label=gettext_lazy("整改前照片（现场拍照，可多张；JPEG/PNG/WebP，每张不超过 8 MB）"),
        required=True,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        error_messages={"required": gettext_lazy("请拍摄或上传至少一张整改前照片")},
    )
    nature = forms.ChoiceField(
        label=gettext_lazy("隐患性质（选填）"),
        choices=[("", gettext_lazy("按类别自动判定")), *HazardNature.choices],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("隐患性质不正确")},
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        fixed: Any = None,
        options: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        # Validation always runs against the whole scope; `options` only shortens the list.
        field.queryset = enterprises_visible_to(user)
        if fixed is not None:
            field.disabled = True
            field.initial = fixed.pk
            field.widget = forms.HiddenInput()
        elif options is not None:
            field.widget.choices = [("", "——"), *options]
