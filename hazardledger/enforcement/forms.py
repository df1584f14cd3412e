"""Forms of the enforcement pages: one small form per action, fields in Chinese."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hazardledger.lib.widgets import DateInput
from hazardledger.org.models import TERRITORY_KINDS, Role, Unit, User
from hazardledger.policy.services import active_policy

from .models import CaseKind, ChecklistStep, Finding

MAX_TEXT = 5000


class CleanText(forms.CharField):
    """Text without NUL bytes, trimmed, bounded."""

    def __init__(self, *args: Any, max_length: int = MAX_TEXT, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(*args, max_length=max_length, **kwargs)

    def clean(self, value: Any) -> str:
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError(_("内容包含无效字符"))
        return super().clean(value)


def _line(label: Any, required: bool = True, max_length: int = 100) -> CleanText:
    return CleanText(label=label, required=required, max_length=max_length, widget=forms.TextInput)


def _people(roles: tuple[str, ...]):
    return User.objects.filter(is_active=True, role_grants__role__in=roles).distinct()


class CaseOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("案件类型"), choices=CaseKind.choices)
    enterprise = forms.ModelChoiceField(label=_("当事单位"), queryset=None, required=False)
    project = forms.ModelChoiceField(label=_("建设项目"), queryset=None, required=False)
    structure = forms.ModelChoiceField(label=_("违法建筑"), queryset=None, required=False)
    facts = CleanText(label=_("违法事实"))
    legal_basis = CleanText(label=_("法律依据"), required=False)
    findings = forms.MultipleChoiceField(
        label=_("违法情形"),
        choices=Finding.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("按“四个一律”据此提出处置建议"),
    )

    def __init__(self, *args: Any, enterprises, projects, structures, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["project"].queryset = projects
        self.fields["structure"].queryset = structures


SERVE_FIELDS = {
    "served_to": lambda: _line(_("受送达人")),
    "served_how": lambda: forms.ChoiceField(
        label=_("送达方式"),
        choices=[
            (str(x), str(x))
            for x in (_("直接送达"), _("留置送达"), _("邮寄送达"), _("委托送达"), _("公告送达"))
        ],
    ),
}


def _action_fields(action: str, kind: str) -> dict[str, Any]:
    note = {"note": lambda: CleanText(label=_("情况说明"))}
    fields: dict[str, Any] = {
        "decide": {"legal_basis": lambda: CleanText(label=_("法律依据"))},
        "notify": SERVE_FIELDS,
        "serve": SERVE_FIELDS,
        "refuse": note,
        "execute": {},
        "reinspect_pass": note,
        "reinspect_fail": note,
        "lift": {},
        "owner_demolish": note,
        "force_demolish": {},
        "verify": note,
        "refer": {"referred_to": lambda: _line(_("移送机关"))},
        "receipt": {
            "receipt_number": lambda: _line(_("回执编号"), max_length=60),
            "receipt_on": lambda: forms.DateField(label=_("回执日期"), widget=DateInput),
        },
        "close": note,
        "stop": {"legal_basis": lambda: CleanText(label=_("法律依据"))},
        "district_decide": {"decision": lambda: CleanText(label=_("区政府研究决定"))},
        "name_helpers": {
            "helpers": lambda: forms.ModelMultipleChoiceField(
                label=_("帮办人员"),
                queryset=_people((Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER)),
                widget=forms.CheckboxSelectMultiple,
            )
        },
        "resume": {},
        "withdraw": {"reason": lambda: CleanText(label=_("撤销理由"))},
        "approve_lower": {},
        "reject_lower": {"reason": lambda: CleanText(label=_("不同意的理由"))},
    }[action]
    if kind == CaseKind.PENALTY and action == "decide":
        articles = active_policy().enforcement.penalty_articles
        fields = {
            "article": lambda: forms.ChoiceField(
                label=_("处罚依据条款"),
                choices=[
                    (k, f"{a.title}（{a.min_yuan}～{a.max_yuan}元）") for k, a in articles.items()
                ],
            ),
            "amount_yuan": lambda: forms.IntegerField(
                label=_("罚款金额（元）"),
                min_value=0,
                max_value=10**9,
                required=False,
                help_text=_("留空按该条款上限处罚"),
            ),
            "lower_reason": lambda: CleanText(label=_("低于上限的书面理由"), required=False),
            "second_approver": lambda: forms.ModelChoiceField(
                label=_("第二审批人"),
                queryset=_people((Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER)),
                required=False,
            ),
        }
    return fields


def action_form(action: str, kind: str, data: Any = None) -> forms.Form:
    fields = {name: make() for name, make in _action_fields(action, kind).items()}
    form_class = type("CaseActionForm", (forms.Form,), fields)
    return form_class(data)


def penalty_args(cleaned: dict[str, Any]) -> dict[str, Any]:
    """An empty amount means the upper limit of the cited article (一律按上限处罚)."""
    args = dict(cleaned)
    if args.get("amount_yuan") is None and args.get("article"):
        article = active_policy().enforcement.penalty_articles[args["article"]]
        args["amount_yuan"] = article.max_yuan
    return args


class ChecklistForm(forms.Form):
    step = forms.ChoiceField(label=_("环节"), choices=ChecklistStep.choices)
    checked = forms.MultipleChoiceField(
        label=_("已确认的防范措施"), widget=forms.CheckboxSelectMultiple, required=False
    )
    note = CleanText(label=_("说明"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = active_policy().enforcement.secondary_accident_checklist
        self.fields["checked"].choices = [(i, i) for i in items]


class MeasurePlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("强制措施"))
    items = CleanText(label=_("查封设备、物品清单"), required=False)
    seal_numbers = _line(_("封条编号"), required=False, max_length=200)
    executing_unit = forms.ModelChoiceField(
        label=_("执行单位"), queryset=Unit.objects.filter(is_active=True), required=False
    )
    photo = forms.ImageField(label=_("现场照片"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(active_policy().enforcement.coercive_measures.items())


MEASURE_STEP_FIELDS: dict[str, dict[str, Any]] = {
    "collective": {
        "decided_on": lambda: forms.DateField(label=_("集体讨论日期"), widget=DateInput),
        "reference": lambda: _line(_("会议纪要编号")),
    },
    "approve": {},
    "unit": {
        "unit": lambda: forms.ModelChoiceField(
            label=_("执行单位"), queryset=Unit.objects.filter(is_active=True)
        )
    },
    "notice": SERVE_FIELDS,
    "execute": {"executed_by": lambda: _line(_("执行人"))},
    "lift": {
        "lifted_by": lambda: _line(_("解除执行人")),
        "reason": lambda: CleanText(label=_("解除理由")),
    },
}


def measure_form(step: str, data: Any = None) -> forms.Form:
    fields = {name: make() for name, make in MEASURE_STEP_FIELDS[step].items()}
    return type("MeasureStepForm", (forms.Form,), fields)(data)


class ProposalForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理"), choices=[("accept", _("采纳并立案")), ("reject", _("不予采纳"))]
    )
    reason = CleanText(label=_("理由"))


class ServeForm(forms.Form):
    served_to = _line(_("受送达人"))
    served_how = SERVE_FIELDS["served_how"]()


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("文书"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .documents import DOC_KINDS

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, str(v)) for k, v in DOC_KINDS.items()]


class ResumptionApplyForm(forms.Form):
    evidence = CleanText(label=_("整改情况及证明材料"))


def resumption_form(action: str, experts=None, data: Any = None) -> forms.Form:
    fields: dict[str, Any] = {
        "assign_experts": {
            "experts": forms.ModelMultipleChoiceField(
                label=_("指派专家（按专业推荐）"),
                queryset=experts,
                widget=forms.CheckboxSelectMultiple,
            )
        },
        "evaluate_pass": {"report": CleanText(label=_("专家评估意见"))},
        "evaluate_fail": {"report": CleanText(label=_("专家评估意见"))},
        "accept": {"opinion": CleanText(label=_("部门验收意见"))},
        "reject": {"opinion": CleanText(label=_("部门验收意见"))},
        "withdraw": {"reason": CleanText(label=_("撤回理由"))},
    }[action]
    return type("ResumptionForm", (forms.Form,), fields)(data)


class StructureForm(forms.Form):
    location = _line(_("位置"), max_length=300)
    territory = forms.ModelChoiceField(label=_("所属镇街"), queryset=None)
    owner = _line(_("所有人或使用人"))
    area_m2 = forms.DecimalField(
        label=_("面积（平方米）"), min_value=0, max_value=10**7, decimal_places=2
    )
    use = _line(_("用途"), required=False)
    discovered_on = forms.DateField(label=_("发现日期"), widget=DateInput)

    def __init__(self, *args: Any, territories, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories


class ProjectForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("建设单位"), queryset=None)
    name = _line(_("项目名称"), max_length=200)
    location = _line(_("项目地点"), required=False, max_length=300)
    is_key_project = forms.BooleanField(label=_("重点项目"), required=False)

    def __init__(self, *args: Any, enterprises, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class JointActionForm(forms.Form):
    acted_on = forms.DateField(label=_("执法日期"), widget=DateInput)
    title = _line(_("行动名称"), max_length=200)
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.all())
    units = forms.ModelMultipleChoiceField(
        label=_("参加单位"), queryset=Unit.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    territories = forms.ModelMultipleChoiceField(
        label=_("涉及镇街"),
        queryset=Unit.objects.filter(kind__in=TERRITORY_KINDS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = CleanText(label=_("情况说明"), required=False)
