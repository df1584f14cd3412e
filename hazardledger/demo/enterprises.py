"""Demo enterprises for 周村区: about 300, with procedures, responsible persons and a few gaps.

Deterministic (random.Random(2014)) and idempotent: the codes are the same on every run and
only missing enterprises are created, so a second run creates nothing. Bulk inserts keep it
to a few seconds; the batch is one audit event.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hazardledger.audit.services import record
from hazardledger.enterprises.models import (
    Category,
    Enterprise,
    EnterpriseRule,
    OperatingStatus,
    Procedure,
    ProcedureKind,
    ProcedureStatus,
    RuleKind,
    Scale,
    ServiceKind,
    ServiceRecord,
    StatusChange,
)
from hazardledger.enterprises.services import enterprise_link_account, procedure_kind_upsert
from hazardledger.lib import credit_code
from hazardledger.org.models import TERRITORY_KINDS, Industry, Role, Unit, UnitKind, User
from hazardledger.org.services import person_upsert

COUNT = 300
SEED = 2014
# The unit left without an officer on purpose, so the coverage page has something to show.
UNSTAFFED_DEPARTMENT = "D-NYJ"
ENTERPRISE_USER_TOWN = "T-BJZ"

# code, name, industry codes that must hold it
PROCEDURE_KINDS = [
    ("yyzz", "营业执照", "*"),
    ("aqscxkz", "安全生产许可证", "WHP JZSG YJ"),
    ("whpjyxkz", "危险化学品经营许可证", "WHP"),
    ("yhbzjyxkz", "烟花爆竹经营（零售）许可证", "YHBZ"),
    ("rqjyxkz", "燃气经营许可证", "RQ"),
    ("sgxkz", "建筑工程施工许可证", "JZSG SLGC"),
    ("dlysxkz", "道路运输经营许可证", "DLYS"),
    ("tzsbdj", "特种设备使用登记证", "TZSB"),
    ("xfys", "消防验收（备案）", "XFZD SMLS XX YL WHYL"),
    ("aqpj", "安全评价报告备案", "WHP YHBZ YJ"),
]

# industry code → trade words for names, and a weight (how many enterprises)
TRADES = {
    "FZ": (["丝绸", "纺织", "印染", "家纺", "服饰", "织造"], 60),
    "JX": (["机械", "精密机械", "机电设备", "汽车配件", "轴承", "泵业"], 50),
    "JC": (["建材", "陶瓷", "耐火材料", "新型建材"], 20),
    "QG": (["食品", "酿造", "轻工制品", "纸业"], 20),
    "YJ": (["铝业", "铸造", "金属制品"], 12),
    "WHP": (["化工", "精细化工", "化学品"], 22),
    "YHBZ": (["烟花爆竹经营部"], 4),
    "RQ": (["燃气"], 4),
    "JZSG": (["建筑安装工程", "建设工程", "建筑工程"], 30),
    "SLGC": (["水利工程"], 3),
    "DLYS": (["物流", "运输", "货运"], 18),
    "DLJT": (["客运"], 3),
    "NJ": (["农机专业合作社"], 4),
    "XFZD": (["大酒店", "宾馆"], 10),
    "TZSB": (["起重设备", "锅炉"], 6),
    "SMLS": (["商贸", "购物广场", "超市"], 18),
    "XX": (["培训学校"], 4),
    "YL": (["医院", "诊所"], 6),
    "WHYL": (["娱乐城", "文化传媒"], 6),
}
HIGH_RISK = {"WHP", "YHBZ", "YJ", "RQ", "JZSG"}
CROWDED = {"XFZD", "SMLS", "XX", "YL", "WHYL"}
BRANDS = """
鑫源 恒通 华丰 瑞祥 宏达 金鼎 裕隆 鲁中 齐鲁 丝路 永泰 汇丰 德昌 盛世 新华 东岳 泰和
瑞丰 大染坊 银座 福泰 嘉诚 正阳 博远 利民 长青 天元 宏昌 昌盛 万和 顺发 兴业 海岱
同济 鸿运 聚源 广泰 信诚 久隆 元亨 凯瑞 众和 贵和 立德 隆丰 圣达 晨光 国润 汇通
""".split()  # noqa: SIM905
SUFFIXES = ["有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司"]
ROADS = """
丝绸路 新建路 正阳路 站北路 工业园路 青年路 永安路 北郊路 萌山路 王村大街 商家大道
开发区纬二路 周隆路 鹏程路
""".split()  # noqa: SIM905
SURNAMES = """
王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 宋 谢 韩 冯 于 董
""".split()  # noqa: SIM905
GIVEN = """
建国 志强 秀英 海燕 文斌 立华 晓东 春梅 玉兰 国庆 明远 淑芬 红霞 永刚 丽娟 俊峰 长青 凤英
""".split()  # noqa: SIM905


@dataclass
class _World:
    rng: random.Random
    territories: list[Unit]
    industries: dict[str, Industry]
    officers: dict[int, User]  # unit id → its officer


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))


def _officers(territories: list[Unit]) -> dict[int, User]:
    """One named officer per territory and per regulating department (one department left out)."""
    rng = random.Random(SEED + 1)  # noqa: S311 (demo data)
    officers: dict[int, User] = {}
    existing = {u.unit_id: u for u in User.objects.filter(username__in=["town", "dept"])}
    departments = Unit.objects.filter(
        kind=UnitKind.DEPARTMENT, regulated_industries__isnull=False
    ).distinct()
    for unit in [*territories, *departments.order_by("code")]:
        if unit.code == UNSTAFFED_DEPARTMENT:
            continue
        if unit.pk in existing:
            officers[unit.pk] = existing[unit.pk]
            continue
        is_territory = unit.kind in TERRITORY_KINDS
        officers[unit.pk] = person_upsert(
            actor=None,
            username=f"officer.{unit.code.lower()}",
            full_name=_person_name(rng),
            unit=unit,
            post="安监办主任" if is_territory else "安全监管科科长",
            phone=_phone(rng),
            roles=[Role.TERRITORY_OFFICER if is_territory else Role.DEPARTMENT_OFFICER],
        )
    return officers


def _procedure_kinds(industries: dict[str, Industry]) -> dict[str, ProcedureKind]:
    kinds = {}
    for order, (code, name, wanted) in enumerate(PROCEDURE_KINDS):
        codes = list(industries) if wanted == "*" else wanted.split()
        kinds[code] = procedure_kind_upsert(
            actor=None,
            code=code,
            name=name,
            industries=[industries[c] for c in codes if c in industries],
            sort_order=order,
        )
    return kinds


def _name(rng: random.Random, trade: str, used: set[str]) -> str:
    while True:
        name = f"淄博{rng.choice(['', '周村'])}{rng.choice(BRANDS)}{trade}{rng.choice(SUFFIXES)}"
        if name not in used:
            used.add(name)
            return name


def _category(rng: random.Random, industry_code: str) -> str:
    if industry_code in HIGH_RISK:
        return Category.HIGH_RISK
    if industry_code in CROWDED:
        return Category.CROWDED
    return Category.ABOVE_SIZE if rng.random() < 0.35 else Category.OTHER


def _status(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.90:
        return OperatingStatus.OPERATING
    if roll < 0.94:
        return OperatingStatus.WORK_STOPPED
    if roll < 0.97:
        return OperatingStatus.SUSPENDED
    return OperatingStatus.CLOSED if roll < 0.99 else OperatingStatus.DEMOLISHED


def _enterprise(world: _World, index: int, industry_code: str, used: set[str]) -> Enterprise:
    rng = world.rng
    industry = world.industries[industry_code]
    territory = world.territories[0] if index == 0 else rng.choice(world.territories)
    staff = rng.choice([8, 12, 25, 40, 60, 85, 120, 200, 350, 600])
    return Enterprise(
        credit_code=credit_code.generate(rng, prefix="91"),
        name=_name(rng, rng.choice(TRADES[industry_code][0]), used),
        address=f"{territory.name}{rng.choice(ROADS)}{rng.randint(1, 300)}号",
        territory=territory,
        industry=industry,
        category=_category(rng, industry_code),
        scale=rng.choice([Scale.SMALL, Scale.SMALL, Scale.MICRO, Scale.MEDIUM, Scale.LARGE]),
        status=OperatingStatus.OPERATING if index == 0 else _status(rng),
        is_key_project=industry_code in {"JZSG", "SLGC"} and rng.random() < 0.3,
        legal_representative=_person_name(rng),
        principal_name=_person_name(rng),
        principal_phone=_phone(rng),
        safety_manager=_person_name(rng),
        safety_manager_phone=_phone(rng),
        contact_name=_person_name(rng),
        contact_phone=_phone(rng),
        safety_engineer_count=rng.choice([0, 0, 1, 1, 2, 3]) if staff > 30 else 0,
        staff_count=staff,
        territory_contact=world.officers.get(territory.pk),
        regulator_contact=world.officers.get(industry.regulator_id),
    )


def _plan(world: _World) -> list[Enterprise]:
    """All demo enterprises in a fixed order; the first is the demo enterprise user's."""
    used: set[str] = set()
    codes = [c for c, (_t, weight) in TRADES.items() for _ in range(weight)]
    world.rng.shuffle(codes)
    codes = ["FZ", *codes][:COUNT]
    planned = [_enterprise(world, i, code, used) for i, code in enumerate(codes)]
    # A few gaps for the coverage page (监管盲区).
    for e in planned[-2:]:
        e.territory, e.territory_contact = None, None
    for e in planned[-4:-2]:
        e.industry, e.regulator_contact = None, None
    for e in planned[-9:-4]:
        e.territory_contact = None
    for e in planned[-14:-9]:
        e.regulator_contact = None
    return planned


def _procedures(world: _World, created: list[Enterprise], kinds: dict[str, ProcedureKind]) -> None:
    rng, today = world.rng, timezone.localdate()
    required: dict[int, list[ProcedureKind]] = {}
    for kind in kinds.values():
        for industry_id in kind.industries.values_list("pk", flat=True):
            required.setdefault(industry_id, []).append(kind)
    rows = []
    for e in created:
        wanted = required.get(e.industry_id, [])
        gap = rng.random() < 0.12 and wanted
        for kind in wanted:
            issued = today - timedelta(days=rng.randint(60, 1000))
            expires = (
                issued + timedelta(days=365 * rng.choice([3, 5])) if kind.code != "yyzz" else None
            )
            status = ProcedureStatus.VALID
            if gap and kind is wanted[-1]:
                choice = rng.choice(["missing", "expired", "applying"])
                if choice == "missing":
                    continue
                if choice == "expired":
                    expires = today - timedelta(days=rng.randint(1, 200))
                else:
                    status = ProcedureStatus.APPLYING
            rows.append(
                Procedure(
                    enterprise=e,
                    kind=kind,
                    number=f"(鲁)字{issued.year}-{rng.randint(10000, 99999)}",
                    issuer="淄博市周村区行政审批服务局",
                    issued_on=issued,
                    expires_on=expires,
                    status=status,
                )
            )
    Procedure.objects.bulk_create(rows, batch_size=1000)


def _main_responsibility(world: _World, created: list[Enterprise]) -> None:
    rng, today = world.rng, timezone.localdate()
    rules, services = [], []
    for e in created:
        for kind in RuleKind:
            if rng.random() < 0.8:
                rules.append(
                    EnterpriseRule(
                        enterprise=e,
                        kind=kind,
                        title=f"{e.name}{kind.label}",
                        adopted_on=today - timedelta(days=rng.randint(30, 900)),
                    )
                )
        if e.category == Category.HIGH_RISK or rng.random() < 0.2:
            services.append(
                ServiceRecord(
                    enterprise=e,
                    kind=rng.choice(ServiceKind.values),
                    provider=rng.choice(
                        [
                            "山东安评技术服务有限公司",
                            "淄博安泰安全技术咨询有限公司",
                            "区安全生产专家库专家组",
                        ]
                    ),
                    performed_on=today - timedelta(days=rng.randint(10, 400)),
                    scope="安全生产隐患排查诊断",
                    conclusion="发现一般隐患若干，已提出整改建议。",
                )
            )
    EnterpriseRule.objects.bulk_create(rules, batch_size=1000)
    ServiceRecord.objects.bulk_create(services, batch_size=1000)


def _link_demo_account(planned: list[Enterprise]) -> None:
    user = User.objects.filter(username="enterprise").first()
    first = Enterprise.objects.filter(credit_code=planned[0].credit_code).first()
    if user is not None and first is not None:
        enterprise_link_account(actor=None, enterprise=first, user=user)


@transaction.atomic
def build() -> int:
    """Create the demo enterprises that are missing; returns how many were created."""
    territories = list(Unit.objects.filter(kind__in=TERRITORY_KINDS).order_by("sort_order", "code"))
    territories.sort(key=lambda u: u.code != ENTERPRISE_USER_TOWN)  # 北郊镇 first
    industries = {i.code: i for i in Industry.objects.all()}
    rng = random.Random(SEED)  # noqa: S311 (demo data)
    world = _World(rng, territories, industries, _officers(territories))
    kinds = _procedure_kinds(industries)
    planned = [e for e in _plan(world) if e.industry_id is None or e.industry.code in industries]
    existing = set(
        Enterprise.objects.filter(credit_code__in=[e.credit_code for e in planned]).values_list(
            "credit_code", flat=True
        )
    )
    missing = [e for e in planned if e.credit_code not in existing]
    if missing:
        created = Enterprise.objects.bulk_create(missing, batch_size=500)
        StatusChange.objects.bulk_create(
            [
                StatusChange(enterprise=e, to_status=e.status, reason="演示数据建档")
                for e in created
            ],
            batch_size=1000,
        )
        _procedures(world, created, kinds)
        _main_responsibility(world, created)
        record(
            actor=None,
            action="enterprise.import",
            object_type="enterprises.enterprise",
            object_repr="演示企业",
            changes={"created": [None, [e.credit_code for e in created]]},
            reason="load_demo",
        )
    _link_demo_account(planned)
    return len(missing)
