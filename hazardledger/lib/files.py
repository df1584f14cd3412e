"""Checking and storing uploads, for every app: content, size and type are checked by reading
the file (never by its name or declared type), and stored names are generated."""

from __future__ import annotations

import hashlib
import uuid
import warnings
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# One limit wherever a photo enters: an inspection photo also becomes the card's photo.
MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_PHOTO_PIXELS = 50_000_000  # a 48-megapixel phone camera, with room
PHOTO_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    original_name: str
    extension: str
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def _read(upload: IO[bytes], limit: int, too_large: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(too_large, code="too_large")
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(too_large, code="too_large")
    if not content:
        raise ValidationError(_("文件为空"), code="empty")
    return content


def _original_name(upload: IO[bytes]) -> str:
    return (getattr(upload, "name", "") or "upload")[-200:]


def check_photo(upload: IO[bytes]) -> CheckedFile:
    """A JPEG, PNG or WebP image no larger than the limit, verified by decoding it."""
    content = _read(upload, MAX_PHOTO_BYTES, _("照片过大（上限 8 MB）"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(_bytes_io(content)) as image:
                fmt = image.format
                width, height = image.size
                image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise ValidationError(_("不是有效的图片文件"), code="not_image") from exc
    if fmt not in PHOTO_FORMATS:
        raise ValidationError(_("只接受 JPEG、PNG 或 WebP 格式的照片"), code="format")
    if width * height > MAX_PHOTO_PIXELS:
        raise ValidationError(_("图片像素过大"), code="too_large")
    ext, content_type = PHOTO_FORMATS[fmt]
    return CheckedFile(content, _original_name(upload), ext, content_type, _sha(content))


def check_document(upload: IO[bytes]) -> CheckedFile:
    """A PDF, Word (.docx) file or a photo, recognised by its content."""
    content = _read(upload, MAX_DOCUMENT_BYTES, _("文件过大（上限 10 MB）"))
    name = _original_name(upload)
    if content.startswith(b"%PDF-"):
        return CheckedFile(content, name, "pdf", "application/pdf", _sha(content))
    if content.startswith(b"PK\x03\x04") and name.lower().endswith(".docx"):
        return CheckedFile(
            content,
            name,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _sha(content),
        )
    try:
        return check_photo(_bytes_io(content, name))
    except ValidationError as exc:
        raise ValidationError(_("只接受 PDF、Word（.docx）或图片文件"), code="format") from exc


def strip_metadata(checked: CheckedFile) -> CheckedFile:
    """The photo decoded and encoded anew: only pixels survive, so EXIF (GPS, device, time),
    XMP, ICC and comments are gone. Orientation is applied first so the picture stays upright.
    """
    from PIL import ImageOps

    with Image.open(_bytes_io(checked.content)) as image:
        fmt = image.format
        upright = ImageOps.exif_transpose(image)
        if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        elif upright.mode not in ("RGB", "RGBA", "L", "LA"):
            upright = upright.convert("RGBA")
        pixels = Image.new(upright.mode, upright.size)
        pixels.paste(upright)
    buffer = _bytes_io(b"")
    options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
    pixels.save(buffer, format=fmt, **options)
    content = buffer.getvalue()
    return CheckedFile(
        content, checked.original_name, checked.extension, checked.content_type, _sha(content)
    )


def store(checked: CheckedFile, folder: str) -> str:
    """Save under a generated name in `folder` (the uploaded name is never used); returns the
    storage name."""
    now = timezone.localtime()
    name = f"{folder}/{now:%Y/%m}/{uuid.uuid4().hex}.{checked.extension}"
    return default_storage.save(name, ContentFile(checked.content))


def discard(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _bytes_io(content: bytes, name: str = ""):
    import io

    buffer = io.BytesIO(content)
    buffer.name = name
    buffer.size = len(content)
    return buffer
