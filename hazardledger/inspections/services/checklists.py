"""Checklists: versions, items, publishing, archiving and the shipped templates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.audit.services import record
from hazardledger.hazards.models import HazardNature
from hazardledger.org.models import Industry

from ..models import (
    Checklist,
    ChecklistItem,
    ChecklistStatus,
    ChecklistVersion,
    ItemCategory,
)
from ..selectors import (
    CHECKLIST_EDITOR_ROLES,
)
from .core import Conflict, _raise_if, _require, _user

# ---- checklists ---------------------------------------------------------------------------

CATEGORY_PREFIX = {ItemCategory.BASIC_MANAGEMENT: "A", ItemCategory.SITE_MANAGEMENT: "B"}


@dataclass(frozen=True)
class ItemSpec:
    category: str
    text: str
    basis: str = ""
    nature: str = HazardNature.THING
    code: str = ""


def _item_errors(items: Sequence[ItemSpec]) -> dict[str, str]:
    if not items:
        return {"items": _("检查表至少需要一个检查项")}
    for number, item in enumerate(items, start=1):
        if item.category not in ItemCategory.values:
            return {"items": _("第 %d 项的类别不正确") % number}
        if not item.text.strip():
            return {"items": _("第 %d 项未填写检查内容") % number}
        if len(item.text) > 300 or len(item.basis) > 300 or len(item.code) > 16:
            return {"items": _("第 %d 项的内容过长") % number}
        if item.nature not in HazardNature.values:
            return {"items": _("第 %d 项的隐患性质不正确") % number}
    return {}


def _write_items(version: ChecklistVersion, items: Sequence[ItemSpec]) -> None:
    positions: dict[str, int] = {}
    rows = []
    for item in items:
        positions[item.category] = positions.get(item.category, 0) + 1
        position = positions[item.category]
        code = item.code.strip() or f"{CATEGORY_PREFIX[item.category]}{position:02d}"
        rows.append(
            ChecklistItem(
                version=version,
                category=item.category,
                position=position,
                code=code,
                text=item.text.strip(),
                basis=item.basis.strip(),
                nature=item.nature,
            )
        )
    ChecklistItem.objects.bulk_create(rows)


@transaction.atomic
def checklist_create(
    *,
    actor: Any,
    code: str,
    name: str,
    industries: Iterable[Industry] = (),
    items: Sequence[ItemSpec] = (),
    sort_order: int = 0,
) -> ChecklistVersion:
    """A new checklist template with its first version as a draft."""
    _require(actor, CHECKLIST_EDITOR_ROLES, _("只有区安委办管理员可以编制检查表"))
    errors = {}
    if not name.strip():
        errors["name"] = _("请填写检查表名称")
    if not code.strip():
        errors["code"] = _("请填写检查表代码")
    elif Checklist.objects.filter(code=code.strip()).exists():
        errors["code"] = _("该代码已被其他检查表使用")
    if items:
        errors.update(_item_errors(items))
    _raise_if(errors)
    checklist = Checklist.objects.create(
        code=code.strip(), name=name.strip(), sort_order=sort_order
    )
    checklist.industries.set(list(industries))
    version = ChecklistVersion.objects.create(
        checklist=checklist, number=1, created_by=_user(actor), created_at=timezone.now()
    )
    _write_items(version, items)
    record(
        actor=actor,
        action="checklist.create",
        obj=version,
        changes={"code": [None, checklist.code], "items": [None, len(items)]},
    )
    return version


@transaction.atomic
def checklist_version_save(
    *, actor: Any, version: ChecklistVersion, items: Sequence[ItemSpec], note: str = ""
) -> ChecklistVersion:
    """Save a version's items. A draft is edited in place; editing a live version makes a new
    draft version (the live one, and every inspection that used it, stays as it was)."""
    _require(actor, CHECKLIST_EDITOR_ROLES, _("只有区安委办管理员可以修订检查表"))
    _raise_if(_item_errors(items))
    version = ChecklistVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == ChecklistStatus.ARCHIVED:
        raise Conflict(_("已停用的版本不能修改"))
    if version.status == ChecklistStatus.LIVE:
        draft = version.checklist.versions.filter(status=ChecklistStatus.DRAFT).first()
        if draft is not None:
            raise Conflict(_("该检查表已有草稿（第 %d 版），请在草稿上修改") % draft.number)
        number = version.checklist.versions.aggregate(n=Max("number"))["n"] + 1
        new = ChecklistVersion.objects.create(
            checklist=version.checklist,
            number=number,
            based_on=version,
            note=note[:200],
            created_by=_user(actor),
            created_at=timezone.now(),
        )
        _write_items(new, items)
        record(
            actor=actor,
            action="checklist.new_version",
            obj=new,
            reason=note,
            changes={"based_on": [None, version.number], "items": [None, len(items)]},
        )
        return new
    before = version.items.count()
    version.items.all().delete()
    _write_items(version, items)
    if note:
        ChecklistVersion.objects.filter(pk=version.pk).update(note=note[:200])
    record(
        actor=actor,
        action="checklist.edit_draft",
        obj=version,
        reason=note,
        changes={"items": [before, len(items)]},
    )
    return version


@transaction.atomic
def checklist_publish(*, actor: Any, version: ChecklistVersion) -> ChecklistVersion:
    """Make a draft the live version; the previous live version is archived."""
    _require(actor, CHECKLIST_EDITOR_ROLES, _("只有区安委办管理员可以启用检查表"))
    if version.status != ChecklistStatus.DRAFT:
        raise Conflict(_("只有草稿可以启用"))
    if not version.items.exists():
        raise ValidationError({"items": [_("检查表至少需要一个检查项")]})
    now = timezone.now()
    previous = version.checklist.versions.filter(status=ChecklistStatus.LIVE).first()
    ChecklistVersion.objects.filter(
        checklist=version.checklist, status=ChecklistStatus.LIVE
    ).update(status=ChecklistStatus.ARCHIVED, archived_at=now)
    if not ChecklistVersion.objects.filter(pk=version.pk, status=ChecklistStatus.DRAFT).update(
        status=ChecklistStatus.LIVE, published_at=now
    ):
        raise Conflict(_("该版本已被他人处理，请刷新后重试"))
    version.refresh_from_db()
    record(
        actor=actor,
        action="checklist.publish",
        obj=version,
        changes={
            "status": ["draft", "live"],
            "archived": [None, previous.number if previous else None],
        },
    )
    return version


@transaction.atomic
def checklist_archive(*, actor: Any, version: ChecklistVersion) -> ChecklistVersion:
    _require(actor, CHECKLIST_EDITOR_ROLES, _("只有区安委办管理员可以停用检查表"))
    if not ChecklistVersion.objects.filter(pk=version.pk, status=ChecklistStatus.LIVE).update(
        status=ChecklistStatus.ARCHIVED, archived_at=timezone.now()
    ):
        raise Conflict(_("只有启用中的版本可以停用"))
    version.refresh_from_db()
    record(
        actor=actor,
        action="checklist.archive",
        obj=version,
        changes={"status": ["live", "archived"]},
    )
    return version


@transaction.atomic
def checklist_install(*, actor: Any, spec: Any) -> ChecklistVersion | None:
    """Install a shipped checklist (catalog.ChecklistFile) as its live first version.

    A checklist whose code exists is left alone, so the administrator's edits win and
    reloading the catalogue is idempotent. `actor` None is the system (the load command).
    """
    if actor is not None:
        _require(actor, CHECKLIST_EDITOR_ROLES, _("只有区安委办管理员可以载入检查表"))
    if Checklist.objects.filter(code=spec.code).exists():
        return None
    _raise_if(_item_errors(spec.items))
    checklist = Checklist.objects.create(code=spec.code, name=spec.name, sort_order=spec.sort_order)
    checklist.industries.set(Industry.objects.filter(name__in=spec.industry_names))
    now = timezone.now()
    version = ChecklistVersion.objects.create(
        checklist=checklist,
        number=1,
        status=ChecklistStatus.LIVE,
        created_by=_user(actor),
        created_at=now,
        published_at=now,
        note=_("系统自带"),
    )
    _write_items(version, spec.items)
    record(
        actor=actor,
        action="checklist.install",
        obj=version,
        changes={"code": [None, spec.code], "items": [None, len(spec.items)]},
    )
    return version
