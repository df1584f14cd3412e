"""The checklists shipped as data (checklists/*.yaml): 通用 and a few industry templates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError

from .services import ItemSpec

CATALOG_DIR = Path(__file__).resolve().parent / "checklists"


@dataclass(frozen=True)
class ChecklistFile:
    code: str
    name: str
    sort_order: int
    industry_names: tuple[str, ...]
    items: tuple[ItemSpec, ...]


def parse(path: Path) -> ChecklistFile:
    """Read one checklist file; ValidationError names the file and the problem."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = tuple(
            ItemSpec(
                category=str(row["category"]),
                text=str(row["text"]),
                basis=str(row.get("basis") or ""),
                nature=str(row.get("nature") or "thing"),
                code=str(row.get("code") or ""),
            )
            for row in content["items"]
        )
        return ChecklistFile(
            code=str(content["code"]),
            name=str(content["name"]),
            sort_order=int(content.get("sort_order") or 0),
            industry_names=tuple(str(n) for n in content.get("industries") or ()),
            items=items,
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise ValidationError(f"{path.name}：检查表文件格式不正确（{exc}）") from exc


def shipped() -> list[ChecklistFile]:
    return [parse(path) for path in sorted(CATALOG_DIR.glob("*.yaml"))]
