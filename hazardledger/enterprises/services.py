"""Every change to the enterprise file goes through these functions (checked and audited)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from hazardledger.audit.services import diff, record, snapshot
from hazardledger.lib import credit_code
from hazardledger.org.models import Industry, Role, User
from hazardledger.org.selectors import has_role, unit_descendant_ids

from . import roster, rules
from .models import (
    BatchStatus,
    Enterprise,
    EnterpriseAccount,
    EnterpriseRule,
    ImportBatch,
    Procedure,
    ProcedureKind,
    ServiceRecord,
    StatusChange,
)
from .selectors import can_file_documents, can_regulate, editable_fields, in_scope
from .validators import validate_document

# Registry fields set by forms, the API and the import; the status changes only by service.
REGISTRY_FIELDS = frozenset(
    {
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
    }
)
# Fields compared as ids (foreign keys).
RELATION_FIELDS = ("territory", "industry", "territory_contact", "regulator_contact")
PROCEDURE_FIELDS = ("kind", "number", "issuer", "issued_on", "expires_on", "status", "note")


def _field_label(name: str) -> str:
    return str(Enterprise._meta.get_field(name).verbose_name)


def _require_regulator(actor: Any, enterprise: Enterprise | None = None) -> None:
    if actor is not None and not can_regulate(actor, enterprise):
        raise PermissionDenied("无权修改该企业的档案")


def _require_filer(actor: Any, enterprise: Enterprise) -> None:
    if actor is not None and not can_file_documents(actor, enterprise):
        raise PermissionDenied("无权为该企业登记制度或服务记录")


def _merge(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def relation_errors(enterprise: Enterprise) -> dict[str, list[str]]:
    """Territory and responsible persons must fit together (the M2 matrix)."""
    errors: dict[str, list[str]] = {}
    territory, industry = enterprise.territory, enterprise.industry
    if territory is not None and not territory.is_territory:
        _merge(errors, "territory", "所属镇街应为镇、街道或开发区")
    person = enterprise.territory_contact
    if person is not None:
        if territory is None:
            _merge(errors, "territory_contact", "未指定所属镇街，不能指定属地责任人")
        elif person.unit_id not in unit_descendant_ids(territory):
            _merge(errors, "territory_contact", f"属地责任人应为{territory.name}的人员")
    person = enterprise.regulator_contact
    if person is not None:
        regulator = industry.regulator if industry else None
        if regulator is None:
            _merge(errors, "regulator_contact", "该企业没有行业主管部门，不能指定行业监管责任人")
        elif person.unit_id not in unit_descendant_ids(regulator):
            _merge(errors, "regulator_contact", f"行业监管责任人应为{regulator.name}的人员")
    return errors


def validate_enterprise(actor: Any, enterprise: Enterprise) -> None:
    """Field rules, uniqueness, the responsibility matrix and the actor's scope, all at once."""
    errors: dict[str, list[Any]] = {}
    try:
        enterprise.full_clean()
    except ValidationError as exc:
        errors = dict(exc.error_dict)  # keeps the codes ("unique" becomes 409 in the API)
    for field, messages in relation_errors(enterprise).items():
        errors.setdefault(field, []).extend(messages)
    if actor is not None and not in_scope(actor, enterprise.territory_id, enterprise.industry_id):
        _merge(errors, "territory", "所属镇街和行业领域均不在您的管辖范围内")
    if errors:
        raise ValidationError(errors)


def _assign(enterprise: Enterprise, data: Mapping[str, Any]) -> None:
    for name, value in data.items():
        if name == "credit_code":
            value = credit_code.normalize(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(enterprise, name, value)


def _snapshot(enterprise: Enterprise, names: Iterable[str]) -> dict[str, Any]:
    names = [f"{n}_id" if n in RELATION_FIELDS else n for n in names]
    return {n.removesuffix("_id"): v for n, v in snapshot(enterprise, names).items()}


@transaction.atomic
def enterprise_create(*, actor: Any, data: Mapping[str, Any]) -> Enterprise:
    """Register an enterprise. Regulators only, inside their scope; `status` may set the start."""
    _require_regulator(actor)
    unknown = set(data) - REGISTRY_FIELDS - {"status"}
    if unknown:
        raise ValidationError({name: ["不是可填写的字段"] for name in sorted(unknown)})
    enterprise = Enterprise()
    _assign(enterprise, data)
    validate_enterprise(actor, enterprise)
    enterprise.save()
    StatusChange.objects.create(
        enterprise=enterprise,
        to_status=enterprise.status,
        changed_by=_person(actor),
        reason="建档",
    )
    record(
        actor=actor,
        action="enterprise.create",
        obj=enterprise,
        changes=diff({}, _snapshot(enterprise, sorted(REGISTRY_FIELDS | {"status"}))),
    )
    return enterprise


def _person(actor: Any) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def enterprise_update(*, actor: Any, enterprise: Enterprise, data: Mapping[str, Any]) -> Enterprise:
    """Change registry fields. Regulators change any; the enterprise user only its contact and
    safety-staff fields (PermissionDenied for a change to any other)."""
    current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    allowed = REGISTRY_FIELDS if actor is None else editable_fields(actor, current, REGISTRY_FIELDS)
    if not allowed:
        raise PermissionDenied("无权修改该企业的档案")
    unknown = set(data) - REGISTRY_FIELDS
    if unknown:
        raise ValidationError({name: ["不是可修改的字段"] for name in sorted(unknown)})
    before = _snapshot(current, data)
    _assign(current, data)
    changes = diff(before, _snapshot(current, data))
    refused = set(changes) - allowed
    if refused:
        labels = "、".join(_field_label(n) for n in sorted(refused))
        raise PermissionDenied(f"无权修改：{labels}")
    if not changes:
        return current
    validate_enterprise(actor if allowed == REGISTRY_FIELDS else None, current)
    current.save()
    record(actor=actor, action="enterprise.update", obj=current, changes=changes)
    return current


@transaction.atomic
def enterprise_change_status(
    *, actor: Any, enterprise: Enterprise, status: str, reason: str
) -> StatusChange:
    """Move the operating status, with a reason; the only way a status changes after creation.

    A guarded update makes two concurrent changes from the same status fail cleanly.
    """
    _require_regulator(actor, enterprise)
    problem = rules.status_change_problem(enterprise.status, status)
    errors: dict[str, list[str]] = {}
    if problem:
        _merge(errors, "status", problem)
    if not (reason or "").strip():
        _merge(errors, "reason", "请填写变更原因")
    if errors:
        raise ValidationError(errors)
    updated = Enterprise.objects.filter(pk=enterprise.pk, status=enterprise.status).update(
        status=status, updated_at=timezone.now()
    )
    if not updated:
        raise ValidationError({"status": ["经营状态已被他人修改，请刷新后重试"]}, code="conflict")
    change = StatusChange.objects.create(
        enterprise=enterprise,
        from_status=enterprise.status,
        to_status=status,
        reason=reason.strip(),
        changed_by=_person(actor),
    )
    old, enterprise.status = enterprise.status, status
    record(
        actor=actor,
        action="enterprise.change_status",
        obj=enterprise,
        changes={"status": [old, status]},
        reason=reason.strip(),
    )
    return change


@transaction.atomic
def enterprise_link_account(*, actor: Any, enterprise: Enterprise, user: User) -> None:
    """Let an enterprise user speak for this enterprise (district admin)."""
    if actor is not None and not has_role(actor, Role.DISTRICT_ADMIN):
        raise PermissionDenied
    if not has_role(user, Role.ENTERPRISE_USER):
        raise ValidationError({"user": ["该账号没有企业用户角色"]})
    account = EnterpriseAccount.objects.filter(user=user).first()
    if account and account.enterprise_id == enterprise.pk:
        return
    before = account.enterprise_id if account else None
    EnterpriseAccount.objects.update_or_create(user=user, defaults={"enterprise": enterprise})
    record(
        actor=actor,
        action="enterprise.link_account",
        obj=enterprise,
        changes={"account": [before, enterprise.pk], "user": [None, user.username]},
    )


def _validate_procedure(procedure: Procedure) -> None:
    errors: dict[str, list[str]] = {}
    try:
        procedure.full_clean()
    except ValidationError as exc:
        errors = {k: list(v) for k, v in exc.message_dict.items()}
    problem = rules.procedure_dates_problem(procedure.issued_on, procedure.expires_on)
    if problem:
        _merge(errors, "expires_on", problem)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def procedure_add(*, actor: Any, enterprise: Enterprise, data: Mapping[str, Any]) -> Procedure:
    """Record a licence or procedure of the enterprise (regulators)."""
    _require_regulator(actor, enterprise)
    procedure = Procedure(enterprise=enterprise)
    for name in PROCEDURE_FIELDS:
        if name in data:
            setattr(procedure, name, data[name])
    _validate_procedure(procedure)
    procedure.save()
    record(
        actor=actor,
        action="procedure.create",
        obj=procedure,
        changes=diff({}, snapshot(procedure, ("enterprise_id", *PROCEDURE_FIELDS))),
    )
    return procedure


@transaction.atomic
def procedure_update(*, actor: Any, procedure: Procedure, data: Mapping[str, Any]) -> Procedure:
    """Change a recorded procedure (renewal, suspension, revocation)."""
    _require_regulator(actor, procedure.enterprise)
    names = [n for n in PROCEDURE_FIELDS if n in data]
    before = snapshot(procedure, names)
    for name in names:
        setattr(procedure, name, data[name])
    changes = diff(before, snapshot(procedure, names))
    if not changes:
        return procedure
    _validate_procedure(procedure)
    procedure.save()
    record(actor=actor, action="procedure.update", obj=procedure, changes=changes)
    return procedure


@transaction.atomic
def procedure_kind_upsert(
    *,
    actor: Any,
    code: str,
    name: str,
    industries: Iterable[Industry] = (),
    sort_order: int = 0,
) -> ProcedureKind:
    """Create or change a procedure kind and the industries that must hold it (district admin)."""
    if actor is not None and not has_role(actor, Role.DISTRICT_ADMIN):
        raise PermissionDenied
    kind = ProcedureKind.objects.filter(code=code).first()
    created = kind is None
    kind = kind or ProcedureKind(code=code)
    before = snapshot(kind, ("name", "sort_order")) if not created else {}
    kind.name, kind.sort_order = name.strip(), sort_order
    try:
        kind.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    changes = diff(before, snapshot(kind, ("name", "sort_order")))
    kind.save()
    wanted = sorted(i.pk for i in industries)
    current = [] if created else sorted(kind.industries.values_list("pk", flat=True))
    if wanted != current:
        kind.industries.set(wanted)
        changes["industries"] = [current, wanted]
    if created or changes:
        record(
            actor=actor,
            action="procedure_kind.create" if created else "procedure_kind.update",
            obj=kind,
            changes=changes,
        )
    return kind


def _save_document_record(
    actor: Any, obj: EnterpriseRule | ServiceRecord, file_field: str, upload: UploadedFile | None
) -> None:
    errors: dict[str, list[str]] = {}
    if upload is not None:
        try:
            validate_document(upload)
        except ValidationError as exc:
            errors[file_field] = exc.messages
        else:
            setattr(obj, file_field, upload)
    try:
        obj.full_clean(exclude=[file_field])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    obj.save()


RULE_FIELDS = ("kind", "title", "adopted_on", "note")
SERVICE_FIELDS = ("kind", "provider", "performed_on", "scope", "conclusion")


@transaction.atomic
def rule_add(
    *, actor: Any, enterprise: Enterprise, data: Mapping[str, Any], document: UploadedFile | None
) -> EnterpriseRule:
    """File one of the enterprise's own rules (排查、登记、报告、整改、内部报告奖励)."""
    _require_filer(actor, enterprise)
    rule = EnterpriseRule(enterprise=enterprise, **{k: data.get(k) or "" for k in RULE_FIELDS})
    rule.adopted_on = data.get("adopted_on") or None
    _save_document_record(actor, rule, "document", document)
    record(
        actor=actor,
        action="enterprise_rule.create",
        obj=rule,
        changes=diff({}, snapshot(rule, ("enterprise_id", *RULE_FIELDS)))
        | {"document": [None, rule.document.name]},
    )
    return rule


@transaction.atomic
def service_record_add(
    *, actor: Any, enterprise: Enterprise, data: Mapping[str, Any], report: UploadedFile | None
) -> ServiceRecord:
    """Record a hired technical service agency or an expert diagnosis, with its report."""
    _require_filer(actor, enterprise)
    service = ServiceRecord(enterprise=enterprise, **{k: data.get(k) or "" for k in SERVICE_FIELDS})
    service.performed_on = data.get("performed_on") or None
    _save_document_record(actor, service, "report", report)
    record(
        actor=actor,
        action="service_record.create",
        obj=service,
        changes=diff({}, snapshot(service, ("enterprise_id", *SERVICE_FIELDS)))
        | {"report": [None, service.report.name]},
    )
    return service


@dataclass(frozen=True)
class ImportResult:
    sheet: str
    rows: int
    created: int
    updated: int
    unchanged: int


def enterprise_import(
    *,
    actor: Any,
    source: IO[bytes] | bytes,
    filename: str = "",
    clear_blanks: bool = False,
) -> ImportResult:
    """Import a roster (.xlsx) in one step: every row is valid and applied, or nothing is.

    Raises ImportRejected with a (row, column, message) report. Rows whose credit code is
    registered update that enterprise (columns present in the file only; a blank cell keeps
    the stored value unless `clear_blanks`); the others create one. Status changes get
    history rows; the whole import is one audit event. The page and the API use the same
    path with a preview in between (`roster_upload`, `roster_apply`).
    """
    batch = roster_upload(actor=actor, filename=filename, source=source, clear_blanks=clear_blanks)
    if batch.status == BatchStatus.PREVIEWED:
        batch = roster_apply(actor=actor, batch=batch)
    if batch.status != BatchStatus.APPLIED:
        raise roster.ImportRejected(
            [roster.RowError(e["row"], e["column"], e["message"]) for e in batch.errors]
        )
    return ImportResult(
        batch.sheet, batch.rows_total, batch.created, batch.updated, batch.unchanged
    )


def roster_upload(
    *,
    actor: Any,
    filename: str,
    source: IO[bytes] | bytes,
    mapping: dict[str, str] | None = None,
    clear_blanks: bool = False,
) -> ImportBatch:
    """Store and check a roster (the preview); nothing is written to the registry."""
    from .imports import batch as batches
    from .imports.roster import RosterImporter

    _require_regulator(actor)
    data = source if isinstance(source, bytes) else source.read()
    return batches.upload(
        actor=actor,
        importer=RosterImporter(actor=actor, filename=filename),
        filename=filename or "名录.xlsx",
        data=data,
        mapping=mapping,
        clear_blanks=clear_blanks,
    )


def roster_apply(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Check the stored roster again and apply it whole, or not at all."""
    from .imports import batch as batches
    from .imports.roster import RosterImporter

    _require_regulator(actor)
    if batch.created_by_id != actor.pk:
        raise PermissionDenied("只能确认本人上传的导入")
    importer = RosterImporter(actor=actor, filename=batch.filename)
    try:
        return batches.apply(actor=actor, batch=batch, importer=importer)
    except IntegrityError as exc:
        message = "导入期间有人登记了文件中的统一社会信用代码，未导入任何数据，请重新导入"
        raise roster.ImportRejected([roster.RowError(None, "", message)]) from exc


def _ids_by_code(codes: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        found.update(
            Enterprise.objects.filter(credit_code__in=chunk).values_list("credit_code", "pk")
        )
    return found


def _apply_updates(updates: list[tuple[Enterprise, dict[str, Any]]], now: Any) -> None:
    if not updates:
        return
    fields = sorted({name for _e, changes in updates for name in changes})
    for enterprise, _changes in updates:
        enterprise.updated_at = now
    Enterprise.objects.bulk_update(
        [e for e, _c in updates], [*fields, "updated_at"], batch_size=500
    )
