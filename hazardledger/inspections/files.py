"""Item photos: checked by decoding them (not by name or declared type), stored under new names."""

from __future__ import annotations

import hashlib
import io
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

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTO_PIXELS = 50_000_000  # a 48-megapixel phone camera, with room
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}


@dataclass(frozen=True)
class Photo:
    content: bytes
    extension: str
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def check_photo(upload: IO[bytes]) -> Photo:
    """A JPEG, PNG or WebP picture within the size limits, or ValidationError in Chinese."""
    declared = getattr(upload, "size", None)
    if declared is not None and declared > MAX_PHOTO_BYTES:
        raise ValidationError(_("照片过大（上限 8 MB）"), code="too_large")
    upload.seek(0)
    content = upload.read(MAX_PHOTO_BYTES + 1)
    if len(content) > MAX_PHOTO_BYTES:
        raise ValidationError(_("照片过大（上限 8 MB）"), code="too_large")
    if not content:
        raise ValidationError(_("照片文件为空"), code="empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                fmt, (width, height) = image.format, image.size
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
    if fmt not in FORMATS:
        raise ValidationError(_("只接受 JPEG、PNG 或 WebP 格式的照片"), code="format")
    if width * height > MAX_PHOTO_PIXELS:
        raise ValidationError(_("照片像素过大"), code="too_large")
    extension, content_type = FORMATS[fmt]
    return Photo(content, extension, content_type, hashlib.sha256(content).hexdigest())


def store(photo: Photo) -> str:
    """Save under a generated name (the uploaded name is never used); returns the storage name."""
    now = timezone.localtime()
    name = f"inspections/{now:%Y/%m}/{uuid.uuid4().hex}.{photo.extension}"
    return default_storage.save(name, ContentFile(photo.content))


def discard(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
