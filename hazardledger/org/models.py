"""Organisation: units, industries, people and the roles they hold (M1, M2, M14)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    DISTRICT_GOVERNMENT = "district_government", _("区政府")
    SAFETY_OFFICE = "safety_office", _("安委会办公室")
    TOWN = "town", _("镇")
    STREET = "street", _("街道")
    DEVELOPMENT_ZONE = "development_zone", _("经济开发区")
    DEPARTMENT = "department", _("部门")
    PROFESSIONAL_COMMITTEE = "professional_committee", _("专业安委会")
    LEADING_GROUP = "leading_group", _("领导小组")
    SUB_GROUP = "sub_group", _("工作组")
    EXPERT_POOL = "expert_pool", _("专家库")
    PARTNER = "partner", _("联动单位")
    ENTERPRISE = "enterprise", _("生产经营单位")


TERRITORY_KINDS = frozenset({UnitKind.TOWN, UnitKind.STREET, UnitKind.DEVELOPMENT_ZONE})


class Unit(models.Model):
    """A node of the district's organisation tree."""

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    code = models.CharField(_("代码"), max_length=32, unique=True)
    kind = models.CharField(_("类型"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    head = models.ForeignKey(
        "User",
        verbose_name=_("主要负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    established_on = models.DateField(
        _("设立日期"),
        null=True,
        blank=True,
        help_text=_("期中新设的单位填写；空白表示早于各项工作周期即已设立。"),
    )

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["sort_order", "code"]
        indexes = [models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_territory(self) -> bool:
        return self.kind in TERRITORY_KINDS


class ClassLevel(models.IntegerChoices):
    SECTION = 1, _("门类")
    DIVISION = 2, _("大类")
    GROUP = 3, _("中类")


class IndustryClass(models.Model):
    """One entry of GB/T 4754-2017 (国民经济行业分类), shipped as data (org/data/)."""

    code = models.CharField(_("代码"), max_length=8, unique=True)  # "C", "C33", "C331"
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"), choices=ClassLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )

    class Meta:
        verbose_name = _("国民经济行业分类")
        verbose_name_plural = _("国民经济行业分类")
        ordering = ["code"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Industry(models.Model):
    """An industry sector (行业领域); exactly one department regulates it."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    code = models.CharField(_("代码"), max_length=32, unique=True)
    regulator = models.ForeignKey(
        Unit,
        verbose_name=_("行业主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="regulated_industries",
        limit_choices_to={"kind": UnitKind.DEPARTMENT},
        help_text=_("每个行业领域必须有且只有一个主管部门；空缺即为监管盲区。"),
    )
    committees = models.ManyToManyField(
        Unit,
        verbose_name=_("专业安委会"),
        blank=True,
        related_name="committee_industries",
        limit_choices_to={"kind": UnitKind.PROFESSIONAL_COMMITTEE},
    )
    national_class = models.ForeignKey(
        IndustryClass,
        verbose_name=_("国民经济行业分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="industries",
        help_text=_("本行业领域对应的 GB/T 4754-2017 门类、大类或中类；其下各类均归入本领域。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("行业领域")
        verbose_name_plural = _("行业领域")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class IndustryAlias(models.Model):
    """A name an office uses for an industry ("餐饮业" → H62), added by the district admin."""

    alias = models.CharField(_("别名"), max_length=100, unique=True)
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业领域"), on_delete=models.CASCADE, related_name="aliases"
    )
    created_by = models.ForeignKey(
        "User", verbose_name=_("添加人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("行业别名")
        verbose_name_plural = _("行业别名")
        ordering = ["alias"]

    def __str__(self) -> str:
        return f"{self.alias} → {self.industry}"


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("区安委办管理员")
    DISTRICT_LEADER = "district_leader", _("区领导")
    DEPARTMENT_OFFICER = "department_officer", _("部门监管人员")
    TERRITORY_OFFICER = "territory_officer", _("镇街监管人员")
    COMMITTEE_MEMBER = "committee_member", _("专业安委会成员")
    ENTERPRISE_USER = "enterprise_user", _("企业用户")
    EXPERT = "expert", _("安全专家")
    ENFORCEMENT_OFFICER = "enforcement_officer", _("关停拆除组执法人员")
    SUPERVISOR = "supervisor", _("督导组成员")
    HOTLINE_OPERATOR = "hotline_operator", _("举报受理员")
    IDENTITY_CUSTODIAN = "identity_custodian", _("举报人身份保管人")


class User(AbstractUser):
    """A person who works in the system; the unit decides the scope, roles the actions."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    post = models.CharField(_("职务"), max_length=100, blank=True)
    phone = models.CharField(_("手机号码"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class RoleGrant(models.Model):
    """One role held by one person."""

    user = models.ForeignKey(
        User, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="org_rolegrant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class GroupPosition(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("成员")


class GroupMembership(models.Model):
    """A person or a member unit on a leading group, sub-group or committee."""

    group = models.ForeignKey(
        Unit, verbose_name=_("小组/委员会"), on_delete=models.CASCADE, related_name="memberships"
    )
    position = models.CharField(_("职位"), max_length=16, choices=GroupPosition.choices)
    person = models.ForeignKey(
        User,
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_memberships",
    )
    member_unit = models.ForeignKey(
        Unit,
        verbose_name=_("成员单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_seats",
        help_text=_("成员单位的主要负责人为成员。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("小组成员")
        verbose_name_plural = _("小组成员")
        ordering = ["group", "sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(member_unit__isnull=False),
                name="org_groupmembership_person_or_unit",
            )
        ]

    def __str__(self) -> str:
        who = self.person or self.member_unit
        return f"{self.group} · {self.get_position_display()} · {who}"
