"""The demo district on GB/T 4754-2017: its sectors placed in the national classification,
and every other 大类 an industry of its own with its regulating department (责任矩阵)."""

from __future__ import annotations

from hazardledger.org.models import ClassLevel, Industry, IndustryAlias, IndustryClass, Unit
from hazardledger.org.services import industry_alias_add, industry_upsert

# The demo's sectors (district.COMMITTEES) in the national table.
SECTOR_CLASSES = {
    "WHP": "C26",
    "YHBZ": "C267",
    "RQ": "D45",
    "YJ": "C31",
    "FZ": "C17",
    "JX": "C34",
    "JC": "C30",
    "QG": "C14",
    "JZSG": "E",
    "SLGC": "E482",
    "DLYS": "G54",
    "SMLS": "F52",
    "XX": "P83",
    "YL": "Q84",
    "WHYL": "R90",
}
# Responsibility matrix: the department regulating each 门类, with the 大类 that differ.
SECTION_REGULATORS = {
    "A": "NYJ",
    "B": "AJJ",
    "C": "JXJ",
    "D": "JXJ",
    "E": "ZJJ",
    "F": "SWJ",
    "G": "JTJ",
    "H": "SWJ",
    "I": "JXJ",
    "J": "SWJ",
    "K": "ZJJ",
    "L": "SWJ",
    "M": "JXJ",
    "N": "CGJ",
    "O": "SWJ",
    "P": "JYJ",
    "Q": "WSJ",
    "R": "WGX",
    "S": "AJJ",
    "T": "AJJ",
}
DIVISION_REGULATORS = {"C25": "AJJ", "C32": "AJJ", "D46": "SLJ", "N76": "SLJ", "B10": "GTJ"}
ALIASES = {"饭店": "H62", "餐饮": "H62", "物流": "G54", "危化": "WHP", "建筑": "JZSG"}


def build_national_industries(units: dict[str, Unit]) -> None:
    classes = {c.code: c for c in IndustryClass.objects.all()}
    for code, class_code in SECTOR_CLASSES.items():
        industry = Industry.objects.filter(code=code).first()
        if industry is not None and industry.national_class_id != classes[class_code].pk:
            industry_upsert(
                actor=None,
                code=code,
                name=industry.name,
                regulator=industry.regulator,
                committees=list(industry.committees.all()),
                sort_order=industry.sort_order,
                national_class=classes[class_code],
            )
    covered = {SECTOR_CLASSES[c][:3] for c in SECTOR_CLASSES} | {"E47", "E48", "E49", "E50"}
    order = 100
    divisions = [c for c in classes.values() if c.level == ClassLevel.DIVISION]
    for division in sorted(divisions, key=lambda c: c.code):
        order += 1
        if division.code in covered:
            continue
        regulator = DIVISION_REGULATORS.get(division.code) or SECTION_REGULATORS[division.code[0]]
        industry_upsert(
            actor=None,
            code=division.code,
            name=division.name,
            regulator=units[f"D-{regulator}"],
            sort_order=order,
            national_class=division,
        )
    for alias, code in ALIASES.items():
        industry = Industry.objects.filter(code=code).first()
        if industry and not IndustryAlias.objects.filter(alias=alias).exists():
            industry_alias_add(actor=None, alias=alias, industry=industry)
