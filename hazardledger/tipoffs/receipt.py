"""Receipt codes: digits from the CSPRNG, stored as a keyed index (to find the row without a
table scan) and a salted scrypt hash (so a copy of the database does not give the codes)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from .vault import keyed_hash

SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def generate(digits: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(digits))


def normalise(text: object) -> str:
    """The digits the reporter typed, without spaces or dashes; '' if anything else."""
    if not isinstance(text, str) or len(text) > 80:
        return ""
    cleaned = re.sub(r"[\s\-]", "", text)
    return cleaned if cleaned.isascii() and cleaned.isdigit() else ""


def grouped(code: str) -> str:
    """Shown in groups of four, like a phone number, so it is easy to copy and disguise."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def index(code: str) -> str:
    return keyed_hash("receipt", code)


def slow_hash(code: str, salt: str) -> str:
    return hashlib.scrypt(code.encode(), salt=bytes.fromhex(salt), **SCRYPT).hex()


def new_salt() -> str:
    return secrets.token_hex(16)


def matches(code: str, *, salt: str, stored: str) -> bool:
    return hmac.compare_digest(slow_hash(code, salt), stored)
