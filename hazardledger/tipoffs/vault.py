"""The identity vault: AES-GCM under a key ring, and keyed hashes (HMAC) for lookups.

Keys come, in this order, from the Django setting or the environment variable
`TIPOFF_VAULT_KEY` (or `TIPOFF_VAULT_KEY_FILE`): comma-separated base64 keys of 32 bytes, the
first one current, the others still readable until `rotate_vault_key` has re-encrypted every
record. Outside production (debug, demo, tests) a key file in the data folder is generated.
The index key for keyed hashes is `TIPOFF_INDEX_KEY` (same forms); it never rotates with the
vault key, since the receipt index and the same-reporter hash must stay comparable.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_FILE_NAME = "tipoff_vault_keys.json"


def _env(name: str) -> str:
    configured = getattr(settings, name, "")
    if configured:
        return configured
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, "")


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"tipoff-vault-key-id" + key).hexdigest()[:12]


def _decode(text: str) -> bytes:
    key = base64.b64decode(text.strip(), validate=True)
    if len(key) != 32:
        raise ImproperlyConfigured("TIPOFF_VAULT_KEY：每个密钥应为 32 字节（base64 编码）")
    return key


def _may_generate() -> bool:
    return bool(settings.DEBUG or getattr(settings, "DEMO", False) or settings.TESTING)


def key_file() -> Path:
    return Path(settings.DATA_DIR) / KEY_FILE_NAME


def _read_file() -> dict:
    path = key_file()
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    if not _may_generate():
        raise ImproperlyConfigured(
            "举报人身份库未配置密钥：请设置 TIPOFF_VAULT_KEY 和 TIPOFF_INDEX_KEY（或 *_FILE）"
        )
    data = {
        "keys": [base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()],
        "index_key": base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    write_key_file(data)
    return data


def write_key_file(data: dict) -> None:
    path = key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data), encoding="utf-8")
    temporary.chmod(0o600)
    temporary.replace(path)


@dataclass(frozen=True)
class KeyRing:
    keys: dict[str, bytes]
    current: str
    index_key: bytes
    from_file: bool


def keyring() -> KeyRing:
    configured = _env("TIPOFF_VAULT_KEY")
    data = None if configured else _read_file()
    texts = configured.split(",") if configured else data["keys"]
    keys = [_decode(t) for t in texts if t.strip()]
    if not keys:
        raise ImproperlyConfigured("TIPOFF_VAULT_KEY 为空")
    index_text = _env("TIPOFF_INDEX_KEY") or (data or _read_file())["index_key"]
    return KeyRing(
        keys={key_id(k): k for k in keys},
        current=key_id(keys[0]),
        index_key=base64.b64decode(index_text),
        from_file=data is not None,
    )


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 under the index key; `purpose` separates the uses of one key."""
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(keyring().index_key, message, hashlib.sha256).hexdigest()


def encrypt(payload: dict, *, associated: str) -> tuple[str, bytes, bytes]:
    """(key id, nonce, ciphertext) of `payload` as JSON; `associated` binds it to its row."""
    ring = keyring()
    nonce = secrets.token_bytes(12)
    data = json.dumps(payload, ensure_ascii=False).encode()
    box = AESGCM(ring.keys[ring.current])
    return ring.current, nonce, box.encrypt(nonce, data, associated.encode())


def decrypt(*, key: str, nonce: bytes, ciphertext: bytes, associated: str) -> dict:
    ring = keyring()
    if key not in ring.keys:
        raise ImproperlyConfigured(f"身份库密钥 {key} 不在当前密钥环中")
    box = AESGCM(ring.keys[key])
    return json.loads(box.decrypt(bytes(nonce), bytes(ciphertext), associated.encode()))


def add_generated_key() -> str:
    """Make a new key current in the key file (the old ones stay readable); returns its id."""
    data = _read_file()
    new = AESGCM.generate_key(bit_length=256)
    data["keys"] = [base64.b64encode(new).decode(), *data["keys"]]
    write_key_file(data)
    return key_id(new)


def drop_old_keys() -> None:
    data = _read_file()
    data["keys"] = data["keys"][:1]
    write_key_file(data)
