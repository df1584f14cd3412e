"""GB 32100-2015 unified social credit code (统一社会信用代码): check character and generator.

Structure (18 characters): registration authority (1), organisation category (1), administrative
division code (6 digits), organisation code (9, GB 11714), check character (1). The check
character is computed over the first 17 with weights 3^i mod 31 in a 31-character alphabet that
leaves out I, O, S, V and Z, so that they are not mistaken for 1, 0, 5, U and 2.
"""

from __future__ import annotations

import random
import unicodedata

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {char: value for value, char in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
LENGTH = 18

# GB 11714 (organisation code) check, for generating realistic codes.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY_CHARS = "0123456789"

# Common registration authority + category pairs: 91 enterprise, 92 individual business,
# 93 farmers' cooperative, 12 public institution, 52 social organisation.
COMMON_PREFIXES = ("91", "91", "91", "91", "92", "93", "12", "52")


def normalize(code: object) -> str:
    """Trim, fold full-width characters and upper-case: what people paste from documents."""
    text = unicodedata.normalize("NFKC", str(code or ""))
    return "".join(text.split()).upper()


def check_character(body: str) -> str:
    """The 18th character for a 17-character body (raises KeyError on a foreign character)."""
    total = sum(VALUES[char] * weight for char, weight in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Why `code` (already normalised) is not a valid credit code, in Chinese; None if valid."""
    if len(code) != LENGTH:
        return f"统一社会信用代码应为 18 位，当前为 {len(code)} 位"
    foreign = sorted({char for char in code if char not in VALUES})
    if foreign:
        return (
            "统一社会信用代码含有不允许的字符：" + "、".join(foreign) + "（不使用 I、O、S、V、Z）"
        )
    if not code[2:8].isdigit():
        return "统一社会信用代码第 3–8 位应为行政区划代码（6 位数字）"
    if check_character(code[:17]) != code[17]:
        return "统一社会信用代码校验位错误，该代码无效，请核对"
    return None


def is_valid(code: str) -> bool:
    return problem(normalize(code)) is None


def _org_code(rng: random.Random) -> str:
    body = "".join(rng.choice(_ORG_BODY_CHARS) for _ in range(8))
    total = sum(int(char) * weight for char, weight in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def generate(rng: random.Random, region: str = "370306", prefix: str | None = None) -> str:
    """A valid code in the region (default 周村区 370306), for demo data and benchmarks."""
    head = prefix or rng.choice(COMMON_PREFIXES)
    body = head + region + _org_code(rng)
    return body + check_character(body)
