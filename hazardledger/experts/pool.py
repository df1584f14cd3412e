"""Keeping the pool's records (district admin): experts, certificates, engagements and
unavailable periods. Each write is keyword-only, atomic, checked and audited once
(`expert_create` with a new login also writes the org's own person event)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from hazardledger.audit.services import diff, record, snapshot
from hazardledger.lib import files
from hazardledger.org.models import Role, Unit, UnitKind, User
from hazardledger.org.selectors import has_role
from hazardledger.org.services import person_upsert

from .models import (
    CertificateKind,
    EngagementKind,
    Expert,
    ExpertCertificate,
    ExpertEngagement,
    Specialty,
    Unavailability,
)
from .services import require_manager

EXPERT_FIELDS = ("title", "employer", "employer_enterprise", "is_active", "note")
MIN_DAY, MAX_DAY = date(1950, 1, 1), date(2100, 12, 31)


def _text(data: Mapping[str, Any], name: str, limit: int, *, required: str = "") -> str:
    value = data.get(name)
    value = "" if value is None else value
    if not isinstance(value, str):
        raise ValidationError({name: [_("请填写文字")]})
    value = value.strip()
    if "\x00" in value:
        raise ValidationError({name: [_("不能包含空字符")]})
    if len(value) > limit:
        raise ValidationError({name: [_("不能超过%(n)s字") % {"n": limit}]})
    if required and not value:
        raise ValidationError({name: [required]})
    return value


def _day(data: Mapping[str, Any], name: str, *, required: bool = True) -> date | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            raise ValidationError({name: [_("请填写日期")]})
        return None
    if not isinstance(value, date):
        raise ValidationError({name: [_("请填写有效日期")]})
    if not MIN_DAY <= value <= MAX_DAY:
        raise ValidationError({name: [_("日期超出合理范围")]})
    return value


def _choice(data: Mapping[str, Any], name: str, choices: Any) -> str:
    value = data.get(name)
    if value not in choices.values:
        raise ValidationError({name: [_("请选择有效的选项")]})
    return value


def _specialties(values: Iterable[Any] | None) -> list[Specialty]:
    ids = [v.pk if isinstance(v, Specialty) else v for v in (values or [])]
    if not all(isinstance(i, int) and 0 < i < 2**31 for i in ids):
        raise ValidationError({"specialties": [_("请选择有效的专业领域")]})
    found = list(Specialty.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"specialties": [_("请选择有效的专业领域")]})
    return found


def _apply_expert(expert: Expert, data: Mapping[str, Any]) -> None:
    expert.title = _text(data, "title", 50)
    expert.employer = _text(data, "employer", 200)
    expert.employer_enterprise = data.get("employer_enterprise") or None
    expert.is_active = bool(data.get("is_active", True))
    expert.note = _text(data, "note", 300)


def _pool_unit() -> Unit | None:
    return Unit.objects.filter(kind=UnitKind.EXPERT_POOL, is_active=True).order_by("pk").first()


def _new_login(actor: Any, account: Mapping[str, Any]) -> User:
    username = _text(account, "username", 150, required=_("请填写登录用户名"))
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": [_("该用户名已被使用")]})
    full_name = _text(account, "full_name", 50, required=_("请填写专家姓名"))
    phone = _text(account, "phone", 32)
    password = account.get("password") or None
    try:
        return person_upsert(
            actor=actor,
            username=username,
            full_name=full_name,
            phone=phone,
            unit=_pool_unit(),
            roles=[Role.EXPERT],
            password=password,
        )
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


@transaction.atomic
def expert_create(
    *,
    actor: Any,
    data: Mapping[str, Any],
    user: User | None = None,
    account: Mapping[str, Any] | None = None,
) -> Expert:
    """Add a person to the pool: an existing login holding the expert role (`user`), or a new
    login created with the expert role in the pool's unit (`account`)."""
    require_manager(actor)
    if user is None and not account:
        raise ValidationError({"user": [_("请选择已有专家账号，或填写新账号")]})
    if user is not None:
        if not has_role(user, Role.EXPERT):
            raise ValidationError({"user": [_("该人员没有安全专家角色")]})
        if Expert.objects.filter(user=user).exists():
            raise ValidationError({"user": [_("该人员已在专家库中")]})
    specialties = _specialties(data.get("specialties"))
    expert = Expert(user=user) if user is not None else Expert()
    _apply_expert(expert, data)
    if user is None:
        expert.user = _new_login(actor, account or {})
    try:
        with transaction.atomic():
            expert.save()
    except IntegrityError as exc:
        raise ValidationError({"user": [_("该人员已在专家库中")]}) from exc
    expert.specialties.set(specialties)
    record(
        actor=actor,
        role=Role.DISTRICT_ADMIN,
        action="expert.create",
        obj=expert,
        changes=snapshot(expert, ["user_id", *EXPERT_FIELDS])
        | {"specialties": [None, sorted(s.pk for s in specialties)]},
    )
    return expert


@transaction.atomic
def expert_update(*, actor: Any, expert: Expert, data: Mapping[str, Any]) -> Expert:
    """Change an expert's specialties, employer, activity or note."""
    require_manager(actor)
    before = snapshot(expert, EXPERT_FIELDS)
    old_specialties = sorted(expert.specialties.values_list("pk", flat=True))
    specialties = _specialties(data.get("specialties"))
    _apply_expert(expert, data)
    expert.save()
    expert.specialties.set(specialties)
    changes = diff(before, snapshot(expert, EXPERT_FIELDS))
    new_specialties = sorted(s.pk for s in specialties)
    if new_specialties != old_specialties:
        changes["specialties"] = [old_specialties, new_specialties]
    record(
        actor=actor, role=Role.DISTRICT_ADMIN, action="expert.update", obj=expert, changes=changes
    )
    return expert


@transaction.atomic
def certificate_add(
    *, actor: Any, expert: Expert, data: Mapping[str, Any], upload: Any = None
) -> ExpertCertificate:
    """Record a certificate; the optional scan is checked by content (lib/files.py)."""
    require_manager(actor)
    certificate = ExpertCertificate(
        expert=expert,
        kind=_choice(data, "kind", CertificateKind),
        number=_text(data, "number", 64, required=_("请填写证书编号")),
        valid_until=_day(data, "valid_until"),
    )
    if ExpertCertificate.objects.filter(
        expert=expert, kind=certificate.kind, number=certificate.number
    ).exists():
        raise ValidationError({"number": [_("该证书已登记")]})
    stored = ""
    if upload:
        try:
            checked = files.check_document(upload)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        stored = files.store(checked, "experts")
        certificate.file = stored
        certificate.original_name = checked.original_name
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError as exc:
        if stored:
            files.discard([stored])
        raise ValidationError({"number": [_("该证书已登记")]}) from exc
    _record_child(
        actor, "expert.certificate_add", expert, certificate, ["kind", "number", "valid_until"]
    )
    return certificate


def _record_child(actor: Any, action: str, expert: Expert, child: Model, fields: list[str]) -> None:
    record(
        actor=actor,
        role=Role.DISTRICT_ADMIN,
        action=action,
        obj=expert,
        changes={f"{child._meta.model_name}.{k}": v for k, v in snapshot(child, fields).items()}
        | {f"{child._meta.model_name}.id": child.pk},
    )


def _record_removal(
    actor: Any, action: str, expert: Expert, child: Model, fields: list[str]
) -> None:
    record(
        actor=actor,
        role=Role.DISTRICT_ADMIN,
        action=action,
        obj=expert,
        changes={
            f"{child._meta.model_name}.{k}": [v, None] for k, v in snapshot(child, fields).items()
        },
    )


@transaction.atomic
def certificate_remove(*, actor: Any, certificate: ExpertCertificate) -> None:
    require_manager(actor)
    _record_removal(
        actor,
        "expert.certificate_remove",
        certificate.expert,
        certificate,
        ["kind", "number", "valid_until"],
    )
    certificate.delete()


@transaction.atomic
def engagement_add(*, actor: Any, expert: Expert, data: Mapping[str, Any]) -> ExpertEngagement:
    """Record that the expert worked for an enterprise (a conflict within the policy's period)."""
    require_manager(actor)
    enterprise = data.get("enterprise")
    if enterprise is None:
        raise ValidationError({"enterprise": [_("请选择企业")]})
    started = _day(data, "started_on")
    ended = _day(data, "ended_on", required=False)
    if ended is not None and ended < started:
        raise ValidationError({"ended_on": [_("结束日期不能早于开始日期")]})
    engagement = ExpertEngagement.objects.create(
        expert=expert,
        enterprise=enterprise,
        kind=_choice(data, "kind", EngagementKind),
        started_on=started,
        ended_on=ended,
        note=_text(data, "note", 300),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    _record_child(
        actor,
        "expert.engagement_add",
        expert,
        engagement,
        ["enterprise_id", "kind", "started_on", "ended_on"],
    )
    return engagement


@transaction.atomic
def engagement_remove(*, actor: Any, engagement: ExpertEngagement) -> None:
    require_manager(actor)
    _record_removal(
        actor,
        "expert.engagement_remove",
        engagement.expert,
        engagement,
        ["enterprise_id", "kind", "started_on", "ended_on"],
    )
    engagement.delete()


@transaction.atomic
def unavailability_add(*, actor: Any, expert: Expert, data: Mapping[str, Any]) -> Unavailability:
    """Record a period in which the expert cannot be assigned."""
    require_manager(actor)
    starts, ends = _day(data, "starts_on"), _day(data, "ends_on")
    if ends < starts:
        raise ValidationError({"ends_on": [_("结束日期不能早于开始日期")]})
    period = Unavailability.objects.create(
        expert=expert, starts_on=starts, ends_on=ends, reason=_text(data, "reason", 200)
    )
    _record_child(
        actor, "expert.unavailable_add", expert, period, ["starts_on", "ends_on", "reason"]
    )
    return period


@transaction.atomic
def unavailability_remove(*, actor: Any, period: Unavailability) -> None:
    require_manager(actor)
    _record_removal(
        actor,
        "expert.unavailable_remove",
        period.expert,
        period,
        ["starts_on", "ends_on", "reason"],
    )
    period.delete()
