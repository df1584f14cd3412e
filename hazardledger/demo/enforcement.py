"""Demo enforcement: cases of every type in several states, a key project under review, an
illegal structure demolished, a power cut served and lifted, a resumption accepted.

Idempotent: a second run finds the demo cases (facts start with MARK) and creates nothing.
Every step goes through the enforcement services, as the demo accounts would do it.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from hazardledger.enforcement import measures as m
from hazardledger.enforcement.joint import joint_action_record
from hazardledger.enforcement.models import Case, CaseKind, ChecklistStep, Measure
from hazardledger.enforcement.resumption import (
    resumption_accept,
    resumption_apply,
    resumption_assign_experts,
    resumption_evaluate,
)
from hazardledger.enforcement.services import case_open, case_perform, checklist_record
from hazardledger.enforcement.subjects import project_register, structure_register
from hazardledger.enterprises.models import Enterprise, OperatingStatus
from hazardledger.enterprises.selectors import missing_procedure_kinds
from hazardledger.org.models import TERRITORY_KINDS, Unit, UnitKind, User
from hazardledger.policy.services import active_policy

MARK = "演示·"
SERVED = {"served_to": "企业主要负责人", "served_how": "直接送达"}


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _enterprises(regulator_code: str) -> list[Enterprise]:
    return list(
        Enterprise.objects.filter(
            status=OperatingStatus.OPERATING,
            industry__regulator__code=regulator_code,
            territory__isnull=False,
        ).order_by("pk")[:12]
    )


def _open(actor, kind, enterprise=None, facts="", **kw) -> Case:
    return case_open(actor=actor, kind=kind, enterprise=enterprise, facts=MARK + facts, **kw)


def _decided_served(actor, case: Case) -> None:
    case_perform(
        actor=actor, case=case, action="decide", legal_basis=case.legal_basis or "安全生产法"
    )
    case_perform(actor=actor, case=case, action="serve", **SERVED)


def _checklist(actor, case: Case, step: str) -> None:
    items = active_policy().enforcement.secondary_accident_checklist
    checklist_record(actor=actor, case=case, step=step, checked=items, note="现场确认")


def _expert(user: User):
    from hazardledger.experts.models import CertificateKind, Expert, ExpertCertificate

    expert, created = Expert.objects.get_or_create(
        user=user, defaults={"employer": "省安全科学研究院"}
    )
    if created or not expert.certificates.exists():
        ExpertCertificate.objects.get_or_create(
            expert=expert,
            kind=CertificateKind.REGISTERED_SAFETY_ENGINEER,
            number=f"DEMO-{user.pk:05d}",
            defaults={"valid_until": timezone.localdate() + timedelta(days=700)},
        )
    return expert


def build() -> int:
    """Create the demo cases once; returns how many cases were created."""
    if Case.objects.filter(facts__startswith=MARK).exists():
        return 0
    enforcer, leader, dept = _user("enforcer"), _user("leader"), _user("dept")
    expert_user = _user("expert")
    ents = _enterprises("D-ZJJ")
    if not (enforcer and leader and dept and expert_user) or len(ents) < 8:
        return 0
    with transaction.atomic():
        _build(enforcer, leader, dept, expert_user, ents)
    return Case.objects.filter(facts__startswith=MARK).count()


def _build(enforcer, leader, dept, expert_user, ents) -> None:
    power = Unit.objects.filter(kind=UnitKind.PARTNER, name__contains="供电").first()
    # 1. Suspension → re-inspection → resumption accepted (operating again).
    s = _open(
        enforcer,
        CaseKind.SUSPENSION,
        ents[0],
        "脚手架未验收即投入使用",
        legal_basis="安全生产法第六十五条",
    )
    _decided_served(enforcer, s)
    case_perform(actor=enforcer, case=s, action="execute")
    case_perform(actor=enforcer, case=s, action="reinspect_pass", note="整改到位")
    r = resumption_apply(actor=enforcer, case=s, evidence="已完成脚手架验收，附验收记录")
    resumption_assign_experts(actor=enforcer, resumption=r, experts=[_expert(expert_user)])
    resumption_evaluate(
        actor=expert_user, resumption=r, passed=True, report="整改到位，具备复工条件"
    )
    _checklist(enforcer, s, ChecklistStep.RESUMPTION)
    resumption_accept(actor=dept, resumption=r, opinion="验收合格，同意复工")
    # 2. Suspension refused → power cut served and lifted; still suspended.
    p = _open(
        enforcer, CaseKind.SUSPENSION, ents[1], "重大隐患拒不停产", legal_basis="安全生产法第七十条"
    )
    _decided_served(enforcer, p)
    case_perform(actor=enforcer, case=p, action="refuse", note="当事单位拒不停产")
    cut = m.measure_plan(actor=enforcer, case=p, kind="cut_power", executing_unit=power)
    m.measure_record_collective_decision(
        actor=enforcer,
        measure=cut,
        decided_on=timezone.localdate(),
        reference="区安委会纪要〔演示〕1号",
    )
    m.measure_approve(actor=leader, measure=cut)
    m.measure_serve_notice(actor=enforcer, measure=cut, **SERVED)
    # The notice period has run (the demo dates the notice back past the policy's hours).
    hours = active_policy().enforcement.measure_rules["cut_power"].notice_hours
    Measure.objects.filter(pk=cut.pk).update(
        notice_served_at=timezone.now() - timedelta(hours=hours + 1)
    )
    cut.refresh_from_db()
    m.measure_execute(actor=enforcer, measure=cut, executed_by="供电公司 王师傅")
    case_perform(actor=enforcer, case=p, action="execute")
    m.measure_lift(
        actor=enforcer, measure=cut, lifted_by="供电公司 王师傅", reason="已停产整改，隐患消除"
    )
    # 3. Suspension failing re-inspection → closure proposal pending.
    f = _open(
        enforcer, CaseKind.SUSPENSION, ents[2], "停产整顿期间擅自生产", findings=["violation"]
    )
    _decided_served(enforcer, f)
    case_perform(actor=enforcer, case=f, action="execute")
    case_perform(actor=enforcer, case=f, action="reinspect_fail", note="复查仍不具备安全生产条件")
    # 4. Penalty at the upper limit, and one below it awaiting the second approver.
    pen = _open(
        enforcer,
        CaseKind.PENALTY,
        ents[3],
        "未采取措施消除事故隐患",
        findings=["illegal_production"],
    )
    case_perform(actor=enforcer, case=pen, action="notify", **SERVED)
    case_perform(actor=enforcer, case=pen, action="decide", article="sl-102", amount_yuan=50000)
    low = _open(enforcer, CaseKind.PENALTY, ents[4], "未按规定配备安全管理人员")
    case_perform(actor=enforcer, case=low, action="notify", **SERVED)
    case_perform(
        actor=enforcer,
        case=low,
        action="decide",
        article="sl-97",
        amount_yuan=30000,
        lower_reason="首次违法，已主动整改",
        second_approver=leader,
    )
    # 5. Referral with receipt; a closure decided.
    ref = _open(enforcer, CaseKind.REFERRAL, ents[5], "涉嫌重大责任事故", findings=["crime"])
    case_perform(actor=enforcer, case=ref, action="refer", referred_to="区公安分局")
    case_perform(actor=enforcer, case=ref, action="receipt", receipt_number="周公回〔演示〕8号")
    clo = _open(enforcer, CaseKind.CLOSURE, ents[6], "非法生产经营，经停产整顿仍不具备条件")
    case_perform(actor=enforcer, case=clo, action="decide", legal_basis="安全生产法第一百一十三条")
    # 6. Key project under review (stopped, district decision recorded, helpers named).
    key_ent = ents[7]
    project = project_register(
        actor=enforcer, enterprise=key_ent, name=f"{key_ent.name}新建厂房项目", is_key_project=True
    )
    key = _open(
        enforcer, CaseKind.KEY_PROJECT, key_ent, "重点项目施工许可手续不全", project=project
    )
    case_perform(actor=enforcer, case=key, action="stop", legal_basis="区政府专题会议")
    case_perform(
        actor=leader,
        case=key,
        action="district_decide",
        decision="限期30日补办施工许可，镇街和住建局帮办",
    )
    case_perform(actor=enforcer, case=key, action="name_helpers", helpers=[dept])
    # 7. Stop work for a procedure gap, where the registry shows one.
    gap = next((e for e in ents[8:] if missing_procedure_kinds(e)), None)
    if gap is not None:
        stop = _open(enforcer, CaseKind.STOP_WORK, gap, "手续不全擅自施工")
        case_perform(actor=enforcer, case=stop, action="decide", legal_basis="建筑法第七条")
    # 8. An illegal structure demolished and verified.
    town = Unit.objects.filter(kind__in=TERRITORY_KINDS).order_by("pk").first()
    structure = structure_register(
        actor=enforcer,
        location=f"{town.name}工业路东侧",
        territory=town,
        owner="个体业主 刘某",
        area_m2=Decimal("320.00"),
        use="违规仓储",
        discovered_on=timezone.localdate() - timedelta(days=20),
    )
    dem = _open(enforcer, CaseKind.DEMOLITION, None, "未经规划许可搭建仓库", structure=structure)
    case_perform(actor=enforcer, case=dem, action="decide", legal_basis="城乡规划法第六十四条")
    case_perform(actor=enforcer, case=dem, action="serve", **SERVED)
    case_perform(actor=enforcer, case=dem, action="refuse", note="逾期未自行拆除")
    _checklist(enforcer, dem, ChecklistStep.DEMOLITION)
    case_perform(actor=enforcer, case=dem, action="force_demolish")
    case_perform(actor=enforcer, case=dem, action="verify", note="已拆除到位，现场清理完毕")
    # 9. A cross-territory, cross-department joint action.
    towns = list(Unit.objects.filter(kind__in=TERRITORY_KINDS).order_by("pk")[:2])
    depts = list(Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("pk")[:3])
    if len(towns) == 2 and len(depts) >= 2:
        joint_action_record(
            actor=enforcer,
            acted_on=timezone.localdate() - timedelta(days=3),
            title="建筑施工领域联合执法检查",
            lead_unit=depts[0],
            units=[*depts[1:], *towns],
            enterprises=ents[:3],
            cases=[s, p],
        )
