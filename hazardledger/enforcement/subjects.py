"""Enforcement subjects: construction projects and illegal structures (违法建筑)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.audit.services import record
from hazardledger.enterprises.models import Enterprise
from hazardledger.org.models import TERRITORY_KINDS, Unit, User
from hazardledger.org.selectors import has_role, scope_for

from .models import ConstructionProject, IllegalStructure
from .selectors import GROUP_ROLES, enterprise_in_reach
from .workflow import HANDLERS


def _require(actor: Any) -> None:
    if actor is not None and not has_role(actor, *HANDLERS):
        raise PermissionDenied(_("您的角色无权登记执法对象"))


@transaction.atomic
def project_register(
    *,
    actor: User | None,
    enterprise: Enterprise,
    name: str,
    location: str = "",
    is_key_project: bool = False,
) -> ConstructionProject:
    _require(actor)
    if actor is not None and not enterprise_in_reach(actor, enterprise):
        raise Enterprise.DoesNotExist
    if not (name or "").strip():
        raise ValidationError({"name": [_("请填写项目名称")]})
    project = ConstructionProject.objects.create(
        enterprise=enterprise,
        name=name.strip()[:200],
        location=(location or "").strip()[:300],
        is_key_project=bool(is_key_project),
    )
    record(
        actor=actor,
        action="enforcement.project_register",
        obj=project,
        changes={"enterprise": enterprise.pk, "is_key_project": project.is_key_project},
    )
    return project


@transaction.atomic
def structure_register(
    *,
    actor: User | None,
    location: str,
    territory: Unit,
    owner: str,
    area_m2: Decimal,
    discovered_on: date,
    use: str = "",
    enterprise: Enterprise | None = None,
) -> IllegalStructure:
    _require(actor)
    errors: dict[str, list[str]] = {}
    if territory.kind not in TERRITORY_KINDS:
        errors["territory"] = [_("请选择镇、街道或开发区")]
    elif actor is not None and not has_role(actor, *GROUP_ROLES):
        scope = scope_for(actor)
        if not scope.everything and territory.pk not in scope.territory_ids:
            errors["territory"] = [_("该镇街不在您的管辖范围内")]
    if not (location or "").strip():
        errors["location"] = [_("请填写位置")]
    if not (owner or "").strip():
        errors["owner"] = [_("请填写所有人或使用人")]
    if area_m2 is None or area_m2 <= 0:
        errors["area_m2"] = [_("面积应大于0")]
    if discovered_on and discovered_on > timezone.localdate():
        errors["discovered_on"] = [_("发现日期不能晚于今天")]
    if errors:
        raise ValidationError(errors)
    structure = IllegalStructure.objects.create(
        location=location.strip()[:300],
        territory=territory,
        owner=owner.strip()[:100],
        area_m2=area_m2,
        use=(use or "").strip()[:100],
        discovered_on=discovered_on,
        discovered_by=actor if getattr(actor, "pk", None) else None,
        enterprise=enterprise,
    )
    record(
        actor=actor,
        action="enforcement.structure_register",
        obj=structure,
        changes={"territory": territory.pk, "area_m2": str(area_m2)},
    )
    return structure
