"""Receiving a tip-off: from the public form, the API or a hotline operator."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.enterprises.models import Enterprise
from hazardledger.lib import files
from hazardledger.lib.workflow import GuardFailed
from hazardledger.org.selectors import has_role

from .. import receipt, rules, vault
from ..models import (
    PSEUDONYM_SIGNS,
    Channel,
    FileKind,
    IdentityRecord,
    Kind,
    TipOff,
    TipOffCounter,
    TipOffFile,
)
from ..workflow import INTAKE
from .common import audit, field_errors, policy, role_of, text

MAX_FILES = 6
PHOTO_EXTENSIONS = {ext for ext, _type in files.PHOTO_FORMATS.values()}
PHONE = re.compile(r"^[0-9+\-\s]{5,20}$")
ID_NUMBER = re.compile(r"^(\d{15}|\d{17}[\dXx])$")


@dataclass(frozen=True)
class Submitted:
    tipoff: TipOff
    receipt_code: str


def _next_number(year: int) -> tuple[str, int]:
    TipOffCounter.objects.get_or_create(year=year)
    TipOffCounter.objects.filter(year=year).update(last=F("last") + 1)
    sequence = TipOffCounter.objects.values_list("last", flat=True).get(year=year)
    return f"JB-{year}-{sequence:06d}", sequence


def pseudonym(sequence: int) -> str:
    return f"举报人{PSEUDONYM_SIGNS[(sequence - 1) % len(PSEUDONYM_SIGNS)]}{sequence:04d}"


def match_enterprise(subject: str) -> Enterprise | None:
    """The registry entry the reporter named, when exactly one fits."""
    if len(subject) < 4:
        return None
    exact = list(Enterprise.objects.filter(name=subject)[:2])
    if len(exact) == 1:
        return exact[0]
    named = list(Enterprise.objects.filter(name__icontains=subject)[:2])
    if len(named) == 1:
        return named[0]
    at = list(Enterprise.objects.filter(address=subject)[:2])
    return at[0] if len(at) == 1 else None


def _identity(data: Mapping[str, Any], anonymous: bool, errors: dict) -> dict[str, str]:
    fields = {
        "name": (_("姓名"), 50),
        "phone": (_("联系电话"), 20),
        "id_number": (_("身份证号"), 18),
        "payout": (_("奖励领取方式（银行账户等）"), 200),
    }
    identity = {
        key: text(data.get(key), limit=n, field=key, label=label, required=False, errors=errors)
        for key, (label, n) in fields.items()
    }
    if anonymous:
        return {}
    if not identity["name"]:
        errors["name"] = _("实名举报请填写姓名")
    if not identity["phone"]:
        errors["phone"] = _("实名举报请填写联系电话")
    elif not PHONE.match(identity["phone"]):
        errors["phone"] = _("联系电话格式不正确")
    if identity["id_number"] and not ID_NUMBER.match(identity["id_number"]):
        errors["id_number"] = _("身份证号应为 15 或 18 位")
    return identity


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "on", "yes"}


def _received_at(value: Any, errors: dict) -> datetime:
    now = timezone.now()
    if value in (None, ""):
        return now
    if not isinstance(value, datetime):
        errors["received_at"] = _("接收时间格式不正确")
        return now
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + timezone.timedelta(minutes=5):
        errors["received_at"] = _("接收时间不能晚于现在")
    return value


def _checked_files(uploads: Sequence[IO[bytes]]) -> list[tuple[str, files.CheckedFile]]:
    if len(uploads) > MAX_FILES:
        field_errors({"files": _("附件最多 %(n)s 个") % {"n": MAX_FILES}})
    checked = []
    for upload in uploads:
        try:
            document = files.check_document(upload)
        except ValidationError as exc:
            field_errors({"files": exc.messages[0]})
        if document.extension in PHOTO_EXTENSIONS:
            checked.append((FileKind.IMAGE, files.strip_metadata(document)))
        elif document.extension == "docx":
            checked.append((FileKind.DOCUMENT, _strip_docx(document)))
        else:
            checked.append((FileKind.DOCUMENT, document))
    return checked


DOCX_PROPERTIES = (
    "author",
    "last_modified_by",
    "comments",
    "keywords",
    "subject",
    "title",
    "category",
    "content_status",
    "identifier",
    "version",
)


def _strip_docx(document: files.CheckedFile) -> files.CheckedFile:
    """A Word file saved again without its author and other document properties."""
    import hashlib
    import io

    from docx import Document

    try:
        word = Document(io.BytesIO(document.content))
    except Exception as exc:  # any parse failure means "not a Word file"
        raise GuardFailed(
            _("Word 文件已损坏，无法读取"), fields={"files": _("Word 文件已损坏")}
        ) from exc
    for name in DOCX_PROPERTIES:
        setattr(word.core_properties, name, "")
    out = io.BytesIO()
    word.save(out)
    content = out.getvalue()
    return files.CheckedFile(
        content,
        document.original_name,
        "docx",
        document.content_type,
        hashlib.sha256(content).hexdigest(),
    )


def store_files(tipoff: TipOff, checked, *, actor: Any, from_reporter: bool) -> None:
    for kind, item in checked:
        TipOffFile.objects.create(
            tipoff=tipoff,
            kind=kind,
            file=files.store(item, "tipoffs"),
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            from_reporter=from_reporter,
            added_by=actor if getattr(actor, "is_authenticated", False) else None,
        )


def reporter_key(identity: Mapping[str, str]) -> str:
    """Recognises the same reporter across tip-offs without decrypting anything."""
    token = identity.get("id_number", "").upper() or re.sub(r"\D", "", identity.get("phone", ""))
    return vault.keyed_hash("reporter", token) if token else ""


@transaction.atomic
def tipoff_submit(
    *,
    actor: Any,
    data: Mapping[str, Any],
    uploads: Sequence[IO[bytes]] = (),
) -> Submitted:
    """Receive one tip-off and return it with its receipt code (shown once, never stored).

    `actor` is None for the public channel (always 网上举报) or a hotline operator, who may
    record any channel and the time the report came in.
    """
    public = not getattr(actor, "is_authenticated", False)
    if not public and not has_role(actor, *INTAKE):
        raise PermissionDenied(_("您的角色无权登记举报"))
    errors: dict[str, str] = {}
    kind = data.get("kind")
    if kind not in Kind.values:
        errors["kind"] = _("请选择举报类别")
    channel = Channel.WEB if public else data.get("channel")
    if channel not in Channel.values:
        errors["channel"] = _("请选择举报渠道")
    subject = text(
        data.get("subject"),
        limit=200,
        field="subject",
        label=_("被举报单位或地址"),
        required=True,
        errors=errors,
    )
    location = text(
        data.get("location"),
        limit=200,
        field="location",
        label=_("地点"),
        required=False,
        errors=errors,
    )
    description = text(
        data.get("description"),
        limit=4000,
        field="description",
        label=_("举报内容"),
        required=True,
        errors=errors,
    )
    anonymous = _flag(data.get("is_anonymous", True))
    identity = _identity(data, anonymous, errors)
    received_at = timezone.now() if public else _received_at(data.get("received_at"), errors)
    field_errors(errors)
    checked = _checked_files(list(uploads))
    rules_ = policy().tipoffs
    code = receipt.generate(rules_.receipt_code_digits)
    salt = receipt.new_salt()
    # The slow hash runs before the year's counter is taken: the counter row stays locked
    # until commit, and concurrent submitters would otherwise queue behind each hash.
    code_hash = receipt.slow_hash(code, salt)
    number, sequence = _next_number(timezone.localdate().year)
    enterprise = match_enterprise(subject)
    tipoff = TipOff(
        number=number,
        channel=channel,
        kind=kind,
        received_at=received_at,
        received_by=None if public else actor,
        subject=subject,
        location=location,
        description=description,
        match_text=rules.match_text(subject, location, description),
        is_anonymous=anonymous,
        is_insider=_flag(data.get("is_insider", False)),
        pseudonym=pseudonym(sequence),
        enterprise=enterprise,
        territory_id=enterprise.territory_id if enterprise else None,
        industry_id=enterprise.industry_id if enterprise else None,
        department_id=enterprise.industry.regulator_id
        if enterprise and enterprise.industry_id
        else None,
        receipt_index=receipt.index(code),
        receipt_hash=code_hash,
        receipt_salt=salt,
        reporter_seen_at=timezone.now(),
        reporter_key=reporter_key(identity),
    )
    try:
        with transaction.atomic():
            tipoff.save(force_insert=True)
    except IntegrityError as exc:  # a receipt index collision: astronomically rare
        raise ValidationError(_("请重新提交")) from exc
    if identity:
        vault_store(tipoff, identity)
    store_files(tipoff, checked, actor=actor, from_reporter=True)
    audit(
        actor=None if public else actor,
        tipoff=tipoff,
        action="submit",
        changes={
            "number": tipoff.number,
            "status": tipoff.status,
            "channel": channel,
            "kind": kind,
            "files": len(checked),
        },
        role="" if public else role_of(actor, INTAKE),
    )
    return Submitted(tipoff, code)


def vault_store(tipoff: TipOff, identity: Mapping[str, str]) -> None:
    key, nonce, ciphertext = vault.encrypt(dict(identity), associated=f"tipoff:{tipoff.pk}")
    IdentityRecord.objects.update_or_create(
        tipoff=tipoff, defaults={"key_id": key, "nonce": nonce, "ciphertext": ciphertext}
    )
