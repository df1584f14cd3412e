"""The demo district: the organisation that the policy document sets up, plus demo accounts.

Idempotent: every record is looked up by its code or username, so a second run changes
nothing (and writes no audit events) unless the data here changed.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from hazardledger.demo.industries import build_national_industries
from hazardledger.org.models import Role, Unit, UnitKind, User
from hazardledger.org.services import (
    group_set_members,
    industry_upsert,
    person_upsert,
    unit_set_head,
    unit_upsert,
)
from hazardledger.policy.services import load_policy_file

POLICY_DIR = Path(__file__).resolve().parent.parent / "policy" / "profiles"

STREETS = ["丝绸路街道", "大街街道", "青年路街道", "永安街道", "城北路街道"]
TOWNS = ["北郊镇", "南郊镇", "王村镇", "萌水镇", "商家镇"]
ZONE = "周村经济开发区"

# code, name, short name
DEPARTMENTS = [
    ("AJJ", "区安全生产监督管理局", "安监"),
    ("ZJJ", "区住房和城乡建设局", "住建"),
    ("GAJ", "区公安分局", "公安"),
    ("CGJ", "区城市管理行政执法局", "城管执法"),
    ("GSJ", "区工商行政管理局", "工商"),
    ("XFD", "区公安消防大队", "消防"),
    ("JXJ", "区经济和信息化局", "经信"),
    ("JTJ", "区交通运输局", "交通"),
    ("ZJU", "区质量技术监督局", "质监"),
    ("SWJ", "区商务局", "商务"),
    ("JYJ", "区教育局", "教育"),
    ("WSJ", "区卫生局", "卫生"),
    ("WGX", "区文化广电新闻出版局", "文广新"),
    ("NYJ", "区农业局", "农业"),
    ("SLJ", "区水利局", "水利"),
    ("GTJ", "区国土资源局", "国土"),
    ("JCJ", "区监察局", "监察"),
    ("ZZB", "区委组织部", "组织部"),
    ("WDC", "区委督查室", "区委督查室"),
    ("ZDC", "区政府督查室", "区政府督查室"),
]

# code, name, industries: (code, name, regulating department code)
COMMITTEES = [
    (
        "WHP",
        "危险化学品安全专业委员会",
        [
            ("WHP", "危险化学品", "AJJ"),
            ("YHBZ", "烟花爆竹", "AJJ"),
            ("RQ", "城镇燃气", "ZJJ"),
        ],
    ),
    (
        "GM",
        "工贸行业安全专业委员会",
        [
            ("YJ", "冶金有色", "AJJ"),
            ("FZ", "纺织丝绸", "JXJ"),
            ("JX", "机械制造", "JXJ"),
            ("JC", "建材", "JXJ"),
            ("QG", "轻工食品", "JXJ"),
        ],
    ),
    ("JZ", "建筑施工安全专业委员会", [("JZSG", "建筑施工", "ZJJ"), ("SLGC", "水利工程", "SLJ")]),
    (
        "JT",
        "道路交通安全专业委员会",
        [("DLYS", "道路运输", "JTJ"), ("DLJT", "道路交通", "GAJ"), ("NJ", "农业机械", "NYJ")],
    ),
    ("XF", "消防安全专业委员会", [("XFZD", "消防重点单位", "XFD")]),
    ("TZ", "特种设备安全专业委员会", [("TZSB", "特种设备", "ZJU")]),
    (
        "RM",
        "人员密集场所安全专业委员会",
        [
            ("SMLS", "商贸零售", "SWJ"),
            ("XX", "学校", "JYJ"),
            ("YL", "医疗机构", "WSJ"),
            ("WHYL", "文化娱乐场所", "WGX"),
        ],
    ),
]

VICE_HEADS = ["刘长民", "苏振华", "王怀志", "王星"]
DEMOLITION_MEMBERS = ["ZJJ", "GAJ", "CGJ", "AJJ", "GSJ", "XFD", "GDGS"]
SUPERVISION_MEMBERS = ["ZZB", "WDC", "ZDC"]


@dataclass(frozen=True)
class Account:
    username: str
    full_name: str
    unit: str
    post: str
    roles: tuple[str, ...]
    staff: bool = False


ACCOUNTS = [
    Account("admin", "陈立新", "AWB", "区安委办主任", (Role.DISTRICT_ADMIN,), staff=True),
    Account("leader", "张国栋", "GOV", "区长", (Role.DISTRICT_LEADER,)),
    Account("town", "李海燕", "T-BJZ", "北郊镇安监办主任", (Role.TERRITORY_OFFICER,)),
    Account("dept", "周文斌", "D-ZJJ", "区住建局安全监管科科长", (Role.DEPARTMENT_OFFICER,)),
    Account("committee", "孙立华", "C-WHP", "危化品专委会办公室主任", (Role.COMMITTEE_MEMBER,)),
    Account("enterprise", "郑晓东", "", "企业安全管理员", (Role.ENTERPRISE_USER,)),
    Account("expert", "冯建平", "EXPERTS", "注册安全工程师（化工）", (Role.EXPERT,)),
    Account("enforcer", "何志刚", "D-CGJ", "城管执法大队队长", (Role.ENFORCEMENT_OFFICER,)),
    Account("supervisor", "吴秀梅", "D-JCJ", "区监察局执法监察科", (Role.SUPERVISOR,)),
    Account("hotline", "刘晓琳", "AWB", "举报受理员", (Role.HOTLINE_OPERATOR,)),
    Account("custodian", "高文静", "AWB", "保密管理员", (Role.IDENTITY_CUSTODIAN,)),
]


def demo_password() -> str:
    """HAZARDLEDGER_DEMO_PASSWORD, else one random password kept in the data folder."""
    from_env = os.environ.get("HAZARDLEDGER_DEMO_PASSWORD", "")
    if from_env:
        return from_env
    path = Path(settings.DATA_DIR) / "demo-password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(12), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def build_policy() -> None:
    load_policy_file(
        actor=None,
        path=POLICY_DIR / "zhoucun-2014.yaml",
        activate=False,
    )
    load_policy_file(
        actor=None,
        path=POLICY_DIR / "zhoucun-demo.yaml",
        activate=True,
        year=timezone.localdate().year,
    )


def build_units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}

    def add(code: str, name: str, kind: str, parent: Unit | None, order: int, short: str = ""):
        units[code] = unit_upsert(
            actor=None,
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            sort_order=order,
            short_name=short,
        )
        return units[code]

    gov = add("GOV", "周村区人民政府", UnitKind.DISTRICT_GOVERNMENT, None, 0, "区政府")
    add("AWB", "区安全生产委员会办公室", UnitKind.SAFETY_OFFICE, gov, 1, "区安委办")
    for i, name in enumerate(STREETS):
        add(f"T-{_code(name)}", name, UnitKind.STREET, gov, 10 + i)
    for i, name in enumerate(TOWNS):
        add(f"T-{_code(name)}", name, UnitKind.TOWN, gov, 20 + i)
    add("T-KFQ", ZONE, UnitKind.DEVELOPMENT_ZONE, gov, 30, "开发区")
    for i, (code, name, short) in enumerate(DEPARTMENTS):
        add(f"D-{code}", name, UnitKind.DEPARTMENT, gov, 40 + i, short)
    add("GDGS", "国网周村供电公司", UnitKind.PARTNER, gov, 70, "供电")
    for i, (code, name, _industries) in enumerate(COMMITTEES):
        add(f"C-{code}", name, UnitKind.PROFESSIONAL_COMMITTEE, gov, 80 + i)
    group = add("LG", "区隐患排查治理领导小组", UnitKind.LEADING_GROUP, gov, 90, "领导小组")
    add("LG-GT", "项目关停、违法建筑拆除组", UnitKind.SUB_GROUP, group, 91, "关停拆除组")
    add("LG-DD", "督导组", UnitKind.SUB_GROUP, group, 92)
    add("EXPERTS", "区安全生产专家库", UnitKind.EXPERT_POOL, units["AWB"], 95, "专家库")
    return units


_PINYIN = {
    "丝绸路街道": "SCL",
    "大街街道": "DJ",
    "青年路街道": "QNL",
    "永安街道": "YA",
    "城北路街道": "CBL",
    "北郊镇": "BJZ",
    "南郊镇": "NJZ",
    "王村镇": "WCZ",
    "萌水镇": "MSZ",
    "商家镇": "SJZ",
}


def _code(name: str) -> str:
    return _PINYIN[name]


def build_industries(units: dict[str, Unit]) -> None:
    order = 0
    for committee_code, _name, industries in COMMITTEES:
        for code, name, dept in industries:
            order += 1
            industry_upsert(
                actor=None,
                code=code,
                name=name,
                regulator=units[f"D-{dept}"],
                committees=[units[f"C-{committee_code}"]],
                sort_order=order,
            )


def build_leadership(units: dict[str, Unit]) -> None:
    gov = units["GOV"]
    head = person_upsert(
        actor=None,
        username="leader",
        full_name="张国栋",
        unit=gov,
        post="区长",
        roles=[Role.DISTRICT_LEADER],
    )
    vices = [
        person_upsert(actor=None, username=f"vice{i + 1}", full_name=name, unit=gov, post="副区长")
        for i, name in enumerate(VICE_HEADS)
    ]
    inspector = person_upsert(
        actor=None,
        username="jcj.head",
        full_name="赵明远",
        unit=units["D-JCJ"],
        post="区监察局局长",
    )
    unit_set_head(actor=None, unit=gov, head=head)
    unit_set_head(actor=None, unit=units["D-JCJ"], head=inspector)
    members = [units[c] for c in units if c.startswith(("T-", "D-"))]
    group_set_members(
        actor=None,
        group=units["LG"],
        members=[("leader", head)]
        + [("deputy", v) for v in vices]
        + [("member", u) for u in members],
    )
    group_set_members(
        actor=None,
        group=units["LG-GT"],
        members=[("leader", vices[0])]
        + [("deputy", v) for v in vices[1:]]
        + [("member", units[c if c == "GDGS" else f"D-{c}"]) for c in DEMOLITION_MEMBERS],
    )
    group_set_members(
        actor=None,
        group=units["LG-DD"],
        members=[("leader", inspector)]
        + [("member", units[f"D-{c}"]) for c in SUPERVISION_MEMBERS],
    )


def build_accounts(units: dict[str, Unit], password: str) -> list[User]:
    people = []
    for acc in ACCOUNTS:
        people.append(
            person_upsert(
                actor=None,
                username=acc.username,
                full_name=acc.full_name,
                unit=units.get(acc.unit),
                post=acc.post,
                roles=acc.roles,
                password=password,
                is_staff=acc.staff,
                is_superuser=acc.staff,
            )
        )
    for i, name in enumerate(["马文杰", "林淑芬"]):
        person_upsert(
            actor=None,
            username=f"expert{i + 2}",
            full_name=name,
            unit=units["EXPERTS"],
            post="安全生产专家",
            roles=[Role.EXPERT],
        )
    return people


def build() -> tuple[list[User], str]:
    """Build (or bring up to date) the demo district; returns the accounts and password."""
    password = demo_password()
    build_policy()
    units = build_units()
    build_industries(units)
    build_national_industries(units)
    build_leadership(units)
    return build_accounts(units, password), password
