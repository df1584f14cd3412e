"""GB/T 4754-2017 as shipped data, and matching an office's industry text to an industry.

An import names an industry by the district's own code or name, by a national code (C33,
3311), by a national standard name (金属制品业, 道路货物运输) or by an alias the district admin
added. A national class belongs to the nearest industry mapped to it or to one of its
ancestors, so 房屋建筑业 (E47) lands in the industry mapped to 建筑业 (E).
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "gbt4754_2017.tsv"
_CODE = re.compile(r"^([A-T])?(\d{2,4})?$")


@dataclass(frozen=True)
class ClassRow:
    code: str
    name: str
    level: int
    parent: str | None


def level_of(code: str) -> int:
    return {1: 1, 3: 2, 4: 3}[len(code)]


def parent_of(code: str) -> str | None:
    return {1: None, 3: code[:1], 4: code[:3]}[len(code)]


@cache
def rows() -> tuple[ClassRow, ...]:
    with DATA.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        return tuple(
            ClassRow(r["code"], r["name"].strip(), level_of(r["code"]), parent_of(r["code"]))
            for r in reader
        )


def load_rows(model: Any) -> None:
    """Create every class (parents first); used by the data migration."""
    by_code: dict[str, Any] = {}
    for level in (1, 2, 3):
        objs = [
            model(code=r.code, name=r.name, level=r.level, parent=by_code.get(r.parent or ""))
            for r in rows()
            if r.level == level
        ]
        for obj in model.objects.bulk_create(objs):
            by_code[obj.code] = obj
    # bulk_create returns pks on PostgreSQL and SQLite ≥ 3.35; read them back to be sure.
    if any(o.pk is None for o in by_code.values()):
        by_code = {o.code: o for o in model.objects.all()}


def fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).upper()


def canonical_code(text: str, division_letters: dict[str, str]) -> str | None:
    """ "c33" → "C33"; "3311" → "C331" (a 小类 falls into its 中类); "33" → "C33"."""
    match = _CODE.match(fold(text))
    if not match or not text.strip():
        return None
    letter, digits = match.groups()
    if not digits:
        return letter
    letter = letter or division_letters.get(digits[:2])
    if letter is None:
        return None
    return letter + digits[:3]


class IndustryResolver:
    """Built once per import: every lookup is a dictionary hit."""

    def __init__(self) -> None:
        from .models import Industry, IndustryAlias, IndustryClass

        self.industries = {i.pk: i for i in Industry.objects.select_related("regulator")}
        self.by_key: dict[str, Any] = {}
        for industry in self.industries.values():
            self.by_key[fold(industry.code)] = industry
            self.by_key[fold(industry.name)] = industry
        for alias in IndustryAlias.objects.all():
            self.by_key[fold(alias.alias)] = self.industries.get(alias.industry_id)
        classes = list(IndustryClass.objects.values_list("pk", "code", "name", "parent_id"))
        self.class_code = {pk: code for pk, code, _n, _p in classes}
        self.class_parent = {pk: parent for pk, _c, _n, parent in classes}
        self.class_by_code = {code: pk for pk, code, _n, _p in classes}
        self.class_by_name: dict[str, int] = {}
        for pk, _code, name, _p in sorted(classes, key=lambda c: len(c[1])):
            self.class_by_name.setdefault(fold(name), pk)
        self.division_letters = {c[1:]: c[0] for c in self.class_by_code if len(c) == 3}
        self.mapped = {
            i.national_class_id: i for i in self.industries.values() if i.national_class_id
        }
        self.names = sorted(
            {i.name for i in self.industries.values()} | {n for _p, _c, n, _q in classes}
        )

    def _for_class(self, pk: int | None) -> Any:
        while pk is not None:
            if pk in self.mapped:
                return self.mapped[pk]
            pk = self.class_parent.get(pk)
        return None

    def resolve(self, text: str) -> Any:
        """The industry for `text`, or None; raises ValueError naming the closest names."""
        key = fold(text)
        if not key:
            return None
        if key in self.by_key and self.by_key[key] is not None:
            return self.by_key[key]
        code = canonical_code(text, self.division_letters)
        pk = self.class_by_code.get(code) if code else self.class_by_name.get(key)
        if pk is None and code is None:
            pk = self.class_by_name.get(key)
        if pk is not None:
            industry = self._for_class(pk)
            if industry is not None:
                return industry
            raise ValueError(
                f"“{text}”属于国民经济行业分类 {self.class_code[pk]}，"
                "但尚未指定所属行业领域和主管部门（请在行业领域中设置对应分类或添加别名）"
            )
        raise ValueError(f"未知的行业“{text}”" + self.suggestion(text))

    def suggestion(self, text: str) -> str:
        close = difflib.get_close_matches(text.strip(), self.names, n=3, cutoff=0.4)
        return f"；最接近的标准名称：{'、'.join(close)}" if close else ""
