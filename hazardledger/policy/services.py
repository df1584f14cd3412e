"""Loading, validating and activating policy profiles; reading the active one."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from pydantic import ValidationError as SchemaError

from hazardledger.audit.services import record

from .models import PolicyProfile
from .schema import PolicyData

_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不是可识别的字段（可能拼写有误）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为是/否（true/false）",
    "bool_type": "应为是/否（true/false）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "string_type": "应为文本",
    "string_pattern_mismatch": "格式不正确",
    "string_too_short": "不能为空",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "literal_error": "取值不在允许范围内",
    "too_short": "至少需要一项",
    "dict_type": "应为键值表",
    "list_type": "应为列表",
    "model_type": "应为键值表",
}


class PolicyFileError(ValidationError):
    """A profile file that cannot be used; the message names the bad field."""


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts) or "（文件）"


def _describe(error: dict[str, Any]) -> str:
    text = _MESSAGES.get(error["type"])
    if error["type"] == "value_error":
        text = str(error.get("ctx", {}).get("error", error["msg"]))
    return f"字段 {_field_path(tuple(error['loc']))}：{text or error['msg']}"


def parse_policy(raw: bytes) -> PolicyData:
    """Parse YAML or JSON bytes into a validated profile, or raise PolicyFileError."""
    try:
        content = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PolicyFileError(f"文件不是有效的 YAML/JSON：{exc}") from exc
    if not isinstance(content, dict):
        raise PolicyFileError("文件内容应为一个键值表（YAML 映射或 JSON 对象）")
    try:
        return PolicyData.model_validate(content)
    except SchemaError as exc:
        raise PolicyFileError([_describe(e) for e in exc.errors()]) from exc


def redate(data: PolicyData, year: int) -> PolicyData:
    """The same profile with every date moved by whole years so that validity starts in `year`."""
    shift = year - data.document.valid_from.year
    content = data.model_dump(mode="json")

    def move(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: move(v) for k, v in value.items()}
        if isinstance(value, list):
            return [move(v) for v in value]
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            return f"{int(value[:4]) + shift:04d}{value[4:]}"
        return value

    content = move(content)
    return PolicyData.model_validate(content)


@transaction.atomic
def policy_store(*, actor: Any, data: PolicyData, source: bytes, activate: bool) -> PolicyProfile:
    """Create or replace the profile with this code; optionally make it the active one."""
    content = data.model_dump(mode="json")
    profile = PolicyProfile.objects.filter(code=data.code).first()
    if profile and profile.data == content and (profile.is_active or not activate):
        return profile  # loading the same file again changes nothing
    before = {"data": profile.data, "is_active": profile.is_active} if profile else {}
    if profile is None:
        profile = PolicyProfile(code=data.code)
    profile.name = data.name
    profile.valid_from = data.document.valid_from
    profile.valid_until = data.document.valid_until
    profile.data = content
    profile.source_sha256 = hashlib.sha256(source).hexdigest()
    profile.loaded_by = actor if getattr(actor, "is_authenticated", False) else None
    profile.save()
    old = before.get("data", {})
    record(
        actor=actor,
        action="policy.load",
        obj=profile,
        changes={k: [old.get(k), content[k]] for k in content if old.get(k) != content[k]},
    )
    if activate:
        policy_activate(actor=actor, profile=profile)
    return profile


@transaction.atomic
def policy_activate(*, actor: Any, profile: PolicyProfile) -> None:
    """Make `profile` the single active profile."""
    previous = PolicyProfile.objects.filter(is_active=True).exclude(pk=profile.pk).first()
    PolicyProfile.objects.filter(is_active=True).exclude(pk=profile.pk).update(is_active=False)
    PolicyProfile.objects.filter(pk=profile.pk).update(is_active=True)
    profile.is_active = True
    _cache.clear()
    record(
        actor=actor,
        action="policy.activate",
        obj=profile,
        changes={"active_profile": [previous.code if previous else None, profile.code]},
    )


def load_policy_file(*, actor: Any, path: Path, activate: bool, year: int | None = None):
    raw = path.read_bytes()
    data = parse_policy(raw)
    if year is not None:
        data = redate(data, year)
    return policy_store(actor=actor, data=data, source=raw, activate=activate)


_cache: dict[tuple[int, str], PolicyData] = {}  # parsed once per stored version


class NoActivePolicy(RuntimeError):
    pass


def active_policy() -> PolicyData:
    """The active profile as typed data. Every rule that depends on policy reads it here."""
    active = PolicyProfile.objects.filter(is_active=True)
    row = active.values("pk", "loaded_at").first()
    if row is None:
        raise NoActivePolicy("没有启用的政策参数方案：请先运行 manage.py load_policy")
    key = (row["pk"], row["loaded_at"].isoformat())
    if key not in _cache:
        # The document itself is read only when the active profile changed.
        data = active.filter(pk=row["pk"]).values_list("data", flat=True).first()
        _cache.clear()
        _cache[key] = PolicyData.model_validate(data)
    return _cache[key]
