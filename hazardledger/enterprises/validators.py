"""Field validators shared by the model, the forms, the API and the importer."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from hazardledger.lib import credit_code
from hazardledger.lib.files import MAX_DOCUMENT_BYTES


def validate_credit_code(value: str) -> None:
    message = credit_code.problem(credit_code.normalize(value))
    if message:
        raise ValidationError(message, code="invalid_credit_code")


# Extension → accepted leading bytes; the content decides, not the name a browser sent.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def validate_document(upload: Any) -> None:
    """An attached rule or report: PDF, Word, Excel or a picture, by content, within the one
    document limit of `lib.files` (the same as for a card's documents). Unlike a card's
    documents, older Office formats are accepted: enterprises file what their offices keep."""
    name = str(getattr(upload, "name", "") or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in _SIGNATURES:
        raise ValidationError("只接受 PDF、Word、Excel 或 JPG/PNG 图片文件", code="file_type")
    if upload.size > MAX_DOCUMENT_BYTES:
        limit = MAX_DOCUMENT_BYTES // (1024 * 1024)
        raise ValidationError(f"文件过大（上限 {limit} MB）", code="file_size")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in _SIGNATURES[suffix]):
        raise ValidationError("文件内容与扩展名不符，可能已损坏", code="file_content")
