"""Enforcement documents (.docx from editable docxtpl templates), numbered 〔year〕N号."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docxtpl import DocxTemplate

from hazardledger.audit.services import record
from hazardledger.org.selectors import district_name, has_role
from hazardledger.policy.services import active_policy

from .doc_builder import TEMPLATE_DIR
from .models import Case, CaseKind, Document, Measure, Resumption

DOC_KINDS: dict[str, Any] = {
    "inspection_record": gettext_lazy("现场检查记录"),
    "onsite_decision": gettext_lazy("现场处理措施决定书"),
    "rectification_order": gettext_lazy("责令限期整改指令书"),
    "reinspection_opinion": gettext_lazy("整改复查意见书"),
    "coercive_decision": gettext_lazy("强制措施决定书（查封扣押）"),
    "penalty_notice": gettext_lazy("行政处罚告知书"),
    "penalty_decision": gettext_lazy("行政处罚决定书"),
    "reminder": gettext_lazy("催告书"),
    "power_cut_decision": gettext_lazy("停止供电决定书"),
    "power_restore_decision": gettext_lazy("解除停止供电决定书"),
    "resumption_opinion": gettext_lazy("复工验收意见"),
    "referral_letter": gettext_lazy("涉嫌犯罪案件移送书"),
}
# (case kind, action) → the document that step produces.
CASE_DOCUMENTS = {
    (CaseKind.STOP_WORK, "decide"): "onsite_decision",
    (CaseKind.SUSPENSION, "decide"): "onsite_decision",
    (CaseKind.CLOSURE, "decide"): "onsite_decision",
    (CaseKind.DEMOLITION, "decide"): "rectification_order",
    (CaseKind.PENALTY, "notify"): "penalty_notice",
    (CaseKind.PENALTY, "approve_lower"): "penalty_decision",
    (CaseKind.SUSPENSION, "reinspect_pass"): "reinspection_opinion",
    (CaseKind.SUSPENSION, "reinspect_fail"): "reinspection_opinion",
    (CaseKind.REFERRAL, "refer"): "referral_letter",
    (CaseKind.KEY_PROJECT, "stop"): "onsite_decision",
}
# Steps that are themselves the service of the document they produce.
SERVED_ON_CREATION = frozenset({"notify", "refer"})
WRITER_ROLES = ("enforcement_officer", "territory_officer", "department_officer", "district_admin")


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y年%m月%d日 %H:%M")
    if hasattr(value, "strftime"):
        return value.strftime("%Y年%m月%d日")
    return str(value)


def format_number(seq: int, year: int) -> str:
    rule = active_policy().enforcement
    return rule.document_number_format.format(prefix=rule.document_prefix, year=year, seq=seq)


def context_for(
    case: Case, *, number: str, measure: Measure | None, resumption: Resumption | None, extra: dict
) -> dict[str, Any]:
    policy = active_policy().enforcement
    enterprise = case.enterprise
    article = policy.penalty_articles.get(case.article)
    decision = case.documents.filter(kind__in=["onsite_decision", "penalty_decision"]).last()
    ctx: dict[str, Any] = {
        "district": district_name(),
        "issuer": district_name() + _("安全生产监督管理部门"),
        "number": number,
        "case_number": case.number,
        "date": _fmt(timezone.localdate()),
        "kind_label": case.get_kind_display(),
        "enterprise_name": enterprise.name if enterprise else case.structure.owner,
        "enterprise_address": enterprise.address
        if enterprise
        else (case.structure.location if case.structure else ""),
        "legal_representative": enterprise.legal_representative if enterprise else "",
        "facts": case.facts,
        "legal_basis": case.legal_basis,
        "period_end": _fmt(case.period_end),
        "deadline": _fmt(case.period_end) or _("决定书规定的期限"),
        "article_title": article.title if article else "",
        "amount": case.amount_yuan or "",
        "lower_reason": case.lower_reason,
        "second_approver": str(case.second_approver or ""),
        "referred_to": case.referred_to,
        "decision_number": decision.number if decision else "",
        "officer": "",
        "note": "",
        "conclusion": "",
        "served_to": "",
        "served_how": "",
        "served_at": "",
    }
    if measure is not None:
        rule = policy.measure_rules.get(measure.kind)
        ctx.update(
            measure_label=policy.coercive_measures.get(measure.kind, measure.kind),
            measure_items=measure.items,
            seal_numbers=measure.seal_numbers,
            executing_unit=str(measure.executing_unit or (rule.executing_unit if rule else "")),
            notice_hours=rule.notice_hours if rule else "",
            collective_decision=f"{_fmt(measure.collective_decision_on)} "
            f"{measure.collective_decision_ref}".strip(),
            approved_by=str(measure.approved_by or ""),
            notice_served_at=_fmt(measure.notice_served_at),
            lifted_at=_fmt(measure.lifted_at),
        )
    if resumption is not None:
        from .experts_link import assigned_experts

        ctx.update(
            applied_on=_fmt(resumption.applied_at),
            evidence=resumption.evidence,
            evaluation_report=resumption.evaluation_report,
            acceptance_opinion=resumption.acceptance_opinion,
            experts="、".join(str(e) for e in assigned_experts(resumption))
            or str(resumption.evaluated_by or ""),
        )
    ctx.update({k: _fmt(v) for k, v in extra.items()})
    return ctx


def render(kind: str, context: dict[str, Any]) -> bytes:
    template = DocxTemplate(str(TEMPLATE_DIR / f"{kind}.docx"))
    template.render(context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def _generate(
    *,
    actor: Any,
    case: Case,
    kind: str,
    measure: Measure | None = None,
    resumption: Resumption | None = None,
    extra: dict | None = None,
) -> Document:
    from .services import next_number

    if kind not in DOC_KINDS:
        raise ValidationError({"kind": [_("文书类型不正确")]})
    year = timezone.localdate().year
    number = format_number(next_number("doc", year), year)
    content = render(
        kind,
        context_for(case, number=number, measure=measure, resumption=resumption, extra=extra or {}),
    )
    doc = Document(
        case=case,
        measure=measure,
        kind=kind,
        title=str(DOC_KINDS[kind]),
        number=number,
        generated_by=actor if getattr(actor, "pk", None) else None,
    )
    doc.file.save(f"{case.number}-{kind}.docx", ContentFile(content), save=False)
    doc.save()
    return doc


@transaction.atomic
def document_generate(*, actor: Any, case: Case, kind: str) -> Document:
    """An officer produces a document on demand (e.g. 现场检查记录)."""
    from .services import ensure_visible

    ensure_visible(actor, case)
    if not has_role(actor, *WRITER_ROLES):
        raise PermissionDenied(_("您的角色无权制作执法文书"))
    doc = _generate(actor=actor, case=case, kind=kind)
    record(actor=actor, action="enforcement.document", obj=case, changes={"document": doc.number})
    return doc


def _serve_fields(data: dict) -> dict[str, Any]:
    served_to = str(data.get("served_to") or "").strip()
    served_how = str(data.get("served_how") or "").strip()
    errors = {}
    if not served_to:
        errors["served_to"] = [_("请填写受送达人")]
    if not served_how:
        errors["served_how"] = [_("请填写送达方式")]
    if errors:
        raise ValidationError(errors)
    return {
        "served_to": served_to[:100],
        "served_how": served_how[:40],
        "served_at": data.get("served_at") or timezone.now(),
    }


@transaction.atomic
def document_serve(*, actor: Any, document: Document, **data: Any) -> Document:
    """Record when, how and to whom a document was served."""
    from .services import ensure_visible

    ensure_visible(actor, document.case)
    if not has_role(actor, *WRITER_ROLES):
        raise PermissionDenied(_("您的角色无权登记送达"))
    fields = _serve_fields(data)
    if not Document.objects.filter(pk=document.pk, served_at__isnull=True).update(**fields):
        raise ValidationError({"served_at": [_("该文书已登记送达")]})
    document.refresh_from_db()
    record(
        actor=actor,
        action="enforcement.document_serve",
        obj=document.case,
        changes={"document": document.number, "served_to": fields["served_to"]},
    )
    return document


def auto_generate(*, actor: Any, case: Case, action: str, data: dict) -> None:
    """The document a case step produces; `serve` marks the latest unserved one served."""
    kind = CASE_DOCUMENTS.get((case.kind, action))
    if case.kind == CaseKind.PENALTY and action == "decide" and case.status == "decided":
        kind = "penalty_decision"
    extra = {}
    if kind == "reinspection_opinion":
        extra = {
            "note": data.get("note", ""),
            "conclusion": _("合格") if action == "reinspect_pass" else _("不合格"),
        }
    if kind:
        doc = _generate(actor=actor, case=case, kind=kind, extra=extra)
        if action == "refer":
            data = {"served_to": data.get("referred_to"), "served_how": _("移送")}
        if action in SERVED_ON_CREATION:
            Document.objects.filter(pk=doc.pk).update(**_serve_fields(data))
    if action == "serve":
        pending = case.documents.filter(served_at__isnull=True, measure__isnull=True).last()
        if pending is not None:
            Document.objects.filter(pk=pending.pk).update(**_serve_fields(data))


def generate_for_measure(*, actor: Any, measure: Measure, kind: str) -> Document:
    return _generate(actor=actor, case=measure.case, kind=kind, measure=measure)


def generate_for_resumption(*, actor: Any, resumption: Resumption) -> Document:
    return _generate(
        actor=actor, case=resumption.case, kind="resumption_opinion", resumption=resumption
    )


def serve_now(document: Document, data: dict) -> None:
    Document.objects.filter(pk=document.pk).update(**_serve_fields(data))
