"""Detection and redaction of personal data in free text.

Five kinds are found: e-mail addresses, phone numbers, mainland-China resident
ID numbers, payment card numbers and IP addresses. Every candidate is
validated, not only pattern-matched: phone numbers with the ``phonenumbers``
library, ID numbers by their ISO 7064 MOD 11-2 checksum and birth date, card
numbers by the Luhn check and a plausible issuer prefix, IP addresses with
:mod:`ipaddress`. Boundaries are ASCII-based, so detection works inside
Chinese text written without spaces (``邮箱是abc@qq.com谢谢``).

What is deliberately *not* found: numbers without a ``+`` country code other
than mainland-China mobiles, landlines written without ``+``, dotted quads that
follow a version marker (``v``, ``version``, ``版本``, ``Chrome/``), handles of
the fediverse form ``@user@host`` (they are handles, not mailboxes), and
retina file names such as ``icon@2x.png``.
"""

from __future__ import annotations

import bisect
import functools
import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Final, Literal, get_args

import attrs
import phonenumbers

__all__ = [
    "DEFAULT_PLACEHOLDERS",
    "PII_KINDS",
    "PiiKind",
    "PiiMatch",
    "cn_id_checksum_ok",
    "find_pii",
    "luhn_ok",
    "redact",
]

PiiKind = Literal["email", "phone", "national_id", "card", "ip"]
"""The kinds of personal data :func:`find_pii` detects."""

PII_KINDS: Final[frozenset[PiiKind]] = frozenset(get_args(PiiKind))
"""Every kind :func:`find_pii` knows."""

DEFAULT_PLACEHOLDERS: Final[dict[PiiKind, str]] = {
    "email": "[EMAIL]",
    "phone": "[PHONE]",
    "national_id": "[NATIONAL_ID]",
    "card": "[CARD]",
    "ip": "[IP]",
}
"""The placeholder :func:`redact` writes for each kind unless told otherwise."""

# When two candidates overlap and have the same length, the more specific kind wins.
_SPECIFICITY: Final[dict[PiiKind, int]] = {
    "email": 0,
    "national_id": 1,
    "card": 2,
    "phone": 3,
    "ip": 4,
}


@attrs.frozen
class PiiMatch:
    """One piece of personal data found in a text: ``text[start:end] == value``."""

    kind: PiiKind
    start: int
    end: int
    value: str


# --------------------------------------------------------------------------- e-mail

_EMAIL = re.compile(
    r"(?<![@A-Za-z0-9._%+\-])"
    r"(?P<local>[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*)"
    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})"
    r"(?![A-Za-z0-9\-]|\.[A-Za-z0-9])"
)
_RETINA = re.compile(r"\d+(?:\.\d+)?x\.", re.IGNORECASE)  # icon@2x.png, logo@1.5x.jpg


def _emails(text: str) -> Iterator[PiiMatch]:
    for m in _EMAIL.finditer(text):
        if _RETINA.match(m["domain"]):
            continue
        yield PiiMatch("email", m.start(), m.end(), m[0])


# --------------------------------------------------------------------------- shared

# Digits glued to letters or to other digits are part of something else (a
# product code, a longer number); CJK characters around them are fine.
_NOT_AFTER = r"(?<![0-9A-Za-z])(?<![0-9][.,\-])"
_NOT_BEFORE = r"(?![0-9A-Za-z])(?![.,\-][0-9])"

_ORDER_CONTEXT = re.compile(
    r"(?:订单|单号|运单|流水号|order|invoice|tracking|ticket|sku)"
    r"\s*(?:号码|号|id|no\.?|number|#)?\s*[:\uff1a#=]?\s*$",
    re.IGNORECASE,
)


_CURRENCY_BEFORE = re.compile(
    r"(?:[$\u00a3\u00a5\u20ac\uffe5]|\b(?:USD|RMB|CNY|EUR|HKD|GBP|JPY))\s*$", re.IGNORECASE
)
_CURRENCY_AFTER = re.compile(
    r"\s*(?:元|块|万|亿|美元|円|(?:USD|RMB|CNY|EUR|HKD|GBP|JPY|dollars?|yuan)\b)", re.IGNORECASE
)


def _not_personal_number(text: str, match: PiiMatch) -> bool:
    """Whether a number is introduced as an order/ticket/tracking number or is an amount."""
    before = text[max(0, match.start - 24) : match.start]
    return (
        _ORDER_CONTEXT.search(before) is not None
        or _CURRENCY_BEFORE.search(before) is not None
        or _CURRENCY_AFTER.match(text, match.end) is not None
    )


_NON_DIGITS = re.compile(r"[^0-9]")


def _digits(value: str) -> str:
    return _NON_DIGITS.sub("", value)


# --------------------------------------------------------------------------- phone

_CN_MOBILE = re.compile(
    r"(?<![0-9A-Za-z+])(?<![0-9][.,\-])"
    r"(?:(?:\+|00)86[ \-]?|\(\+?86\)[ \-]?)?"
    r"1[3-9]\d(?P<sep>[ \-]?)\d{4}(?P=sep)\d{4}" + _NOT_BEFORE
)
_INTL_PHONE = re.compile(
    r"(?<![0-9A-Za-z+])\+[1-9](?:[ .\-]?(?:\(\d{1,4}\)|\d{1,4})){2,7}(?![0-9])"
)


@functools.lru_cache(maxsize=4096)
def _valid_phone(candidate: str, region: str | None) -> bool:
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number))


def _phones(text: str) -> Iterator[PiiMatch]:
    for m in _CN_MOBILE.finditer(text):
        if _valid_phone(_digits(m[0])[-11:], "CN"):
            yield PiiMatch("phone", m.start(), m.end(), m[0])
    for m in _INTL_PHONE.finditer(text):
        candidate = m[0]
        # A greedy match may have swallowed a trailing number (a year, a count):
        # drop trailing groups until the rest is a valid number.
        while len(_digits(candidate)) >= 7:
            if _valid_phone(candidate, None):
                yield PiiMatch("phone", m.start(), m.start() + len(candidate), candidate)
                break
            cut = max(candidate.rfind(sep) for sep in " .-")
            if cut <= 0:
                break
            candidate = candidate[:cut].rstrip(" .-(")


# --------------------------------------------------------------------------- national ID

_CN_ID = re.compile(
    _NOT_AFTER
    + r"(?P<region>[1-9]\d{5})(?P<birth>(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
    r"\d{3}[0-9Xx]" + _NOT_BEFORE
)
_CN_PROVINCES: Final = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)
_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK: Final = "10X98765432"


def cn_id_checksum_ok(number: str) -> bool:
    """Whether an 18-character resident ID passes the ISO 7064 MOD 11-2 check."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def _valid_cn_id(number: str, birth: str) -> bool:
    if int(number[:2]) not in _CN_PROVINCES or not cn_id_checksum_ok(number):
        return False
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:8]))
    except ValueError:
        return False
    return born <= date.today()


def _national_ids(text: str) -> Iterator[PiiMatch]:
    for m in _CN_ID.finditer(text):
        if _valid_cn_id(m[0], m["birth"]):
            yield PiiMatch("national_id", m.start(), m.end(), m[0])


# --------------------------------------------------------------------------- payment card

_CARD = re.compile(_NOT_AFTER + r"\d(?:[ \-]?\d){12,}" + _NOT_BEFORE)

# (first digits low, high, how many digits compared, allowed lengths)
_IIN_RANGES: Final[tuple[tuple[int, int, int, frozenset[int]], ...]] = (
    (4, 4, 1, frozenset({13, 16, 19})),  # Visa
    (51, 55, 2, frozenset({16})),  # Mastercard
    (2221, 2720, 4, frozenset({16})),  # Mastercard 2-series
    (34, 34, 2, frozenset({15})),  # American Express
    (37, 37, 2, frozenset({15})),
    (300, 305, 3, frozenset({14, 16, 17, 18, 19})),  # Diners Club
    (36, 36, 2, frozenset({14, 16, 17, 18, 19})),
    (38, 39, 2, frozenset({14, 16, 17, 18, 19})),
    (3528, 3589, 4, frozenset({16, 17, 18, 19})),  # JCB
    (2200, 2204, 4, frozenset({16, 17, 18, 19})),  # Mir
    (6011, 6011, 4, frozenset({16, 17, 18, 19})),  # Discover
    (644, 649, 3, frozenset({16, 17, 18, 19})),
    (65, 65, 2, frozenset({16, 17, 18, 19})),
    (62, 62, 2, frozenset({16, 17, 18, 19})),  # UnionPay
    (50, 50, 2, frozenset(range(13, 20))),  # Maestro
    (56, 69, 2, frozenset(range(13, 20))),
)


_LUHN_DOUBLED: Final = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_ok(digits: str) -> bool:
    """Whether a string of digits passes the Luhn (mod 10) check."""
    total = sum(map(int, digits[-1::-2])) + sum(_LUHN_DOUBLED[int(d)] for d in digits[-2::-2])
    return total % 10 == 0


def _plausible_iin(digits: str) -> bool:
    return any(
        lo <= int(digits[:width]) <= hi and len(digits) in lengths
        for lo, hi, width, lengths in _IIN_RANGES
    )


def _card_grouping_ok(candidate: str) -> bool:
    """Cards are written unbroken, in fours (the last group shorter), or 4-6-5 / 4-6-4."""
    seps = {ch for ch in candidate if not ch.isdigit()}
    if not seps:
        return True
    if len(seps) > 1:
        return False
    sizes = [len(g) for g in candidate.split(seps.pop())]
    if sizes in ([4, 6, 5], [4, 6, 4]):
        return True
    return all(s == 4 for s in sizes[:-1]) and 1 <= sizes[-1] <= 4


def _valid_card(candidate: str) -> bool:
    digits = _digits(candidate)
    return (
        13 <= len(digits) <= 19
        and _card_grouping_ok(candidate)
        and _plausible_iin(digits)
        and luhn_ok(digits)
    )


def _cards(text: str) -> Iterator[PiiMatch]:
    for m in _CARD.finditer(text):
        run = m[0]
        if len(run) <= 23 and _valid_card(run):  # 19 digits and 4 separators at most
            yield PiiMatch("card", m.start(), m.end(), run)
            continue
        # A separated run may carry groups before or after the card: try the runs
        # of whole groups that could be a card (it starts with a group of four or
        # is one unbroken group, and has at most five groups), longest first.
        groups = [(g.start(), g.end()) for g in re.finditer(r"\d+", run)]
        i = 0
        while i < len(groups):
            first = groups[i][1] - groups[i][0]
            last = i + 5 if first == 4 else i + 1 if 13 <= first <= 19 else i
            for j in range(min(len(groups), last), i, -1):
                candidate = run[groups[i][0] : groups[j - 1][1]]
                if _valid_card(candidate):
                    start = m.start() + groups[i][0]
                    yield PiiMatch("card", start, start + len(candidate), candidate)
                    i = j - 1
                    break
            i += 1


# --------------------------------------------------------------------------- IP

_IPV4 = re.compile(r"(?<![0-9A-Za-z.])(?:\d{1,3}\.){3}\d{1,3}(?![0-9A-Za-z]|\.[0-9])")
_IPV6 = re.compile(
    r"(?<![0-9A-Za-z:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?"
    r"(?![0-9A-Za-z:])"
)
_VERSION_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])(?:v|ver\.?|version|release|build|firmware)|版本号?|[A-Za-z0-9]/)"
    r"\s*[:\uff1a=]?\s*$",
    re.IGNORECASE,
)
_VERSION_AFTER = re.compile(r"\s*版")


def _ips(text: str) -> Iterator[PiiMatch]:
    for m in _IPV4.finditer(text):
        if _VERSION_BEFORE.search(text[max(0, m.start() - 16) : m.start()]):
            continue
        if _VERSION_AFTER.match(text, m.end()):
            continue
        try:
            ipaddress.IPv4Address(m[0])
        except ValueError:
            continue
        yield PiiMatch("ip", m.start(), m.end(), m[0])
    for m in _IPV6.finditer(text):
        value = m[0]
        if value.count(":") < 2 or not any(ch not in ":" for ch in value):
            continue
        try:
            ipaddress.IPv6Address(value)
        except ValueError:
            continue
        yield PiiMatch("ip", m.start(), m.end(), value)


# --------------------------------------------------------------------------- public API

_DETECTORS: Final[tuple[Callable[[str], Iterator[PiiMatch]], ...]] = (
    _emails,
    _national_ids,
    _cards,
    _phones,
    _ips,
)
_DIGIT_KINDS: Final[frozenset[PiiKind]] = frozenset({"phone", "national_id", "card"})


def _check_kinds(kinds: Iterable[PiiKind] | None) -> frozenset[PiiKind]:
    if kinds is None:
        return PII_KINDS
    chosen = frozenset(kinds)
    unknown = chosen - PII_KINDS
    if unknown:
        raise ValueError(
            f"unknown PII kind(s) {sorted(unknown)}; known kinds are {sorted(PII_KINDS)}"
        )
    return chosen


def find_pii(text: str, *, kinds: Iterable[PiiKind] | None = None) -> list[PiiMatch]:
    """Find the personal data in ``text``, in order of position.

    Overlapping candidates are resolved before filtering by ``kinds``: the
    longest wins, and at equal length the more specific kind (an ID number is
    not also a card or a phone). Numbers introduced as order, invoice,
    tracking or ticket numbers (``订单号``, ``order #``) and amounts of money
    (``¥13800138000``, ``15000000000元``) are not reported.

    Args:
        text: Any text, in any language.
        kinds: Only report these kinds (default: all of :data:`PII_KINDS`).

    Raises:
        ValueError: ``kinds`` names an unknown kind.
    """
    wanted = _check_kinds(kinds)
    candidates = [m for detect in _DETECTORS for m in detect(text)]
    candidates = [
        m for m in candidates if m.kind not in _DIGIT_KINDS or not _not_personal_number(text, m)
    ]
    return [m for m in _resolve(candidates) if m.kind in wanted]


def _resolve(candidates: list[PiiMatch]) -> list[PiiMatch]:
    """Keep the longest, then the most specific, of overlapping candidates; in text order."""
    starts: list[int] = []  # of the taken spans, which are disjoint and kept in order
    taken: list[PiiMatch] = []
    for m in sorted(candidates, key=lambda m: (m.start - m.end, _SPECIFICITY[m.kind], m.start)):
        i = bisect.bisect_right(starts, m.start)
        if (i and taken[i - 1].end > m.start) or (i < len(taken) and taken[i].start < m.end):
            continue
        starts.insert(i, m.start)
        taken.insert(i, m)
    return taken


def redact(
    text: str,
    *,
    kinds: Iterable[PiiKind] | None = None,
    placeholder: str | Callable[[PiiMatch], str] | None = None,
) -> str:
    """Return ``text`` with its personal data replaced.

    Args:
        text: Any text.
        kinds: Only redact these kinds (default: all).
        placeholder: ``None`` writes the kind's placeholder (``"[EMAIL]"``,
            ``"[PHONE]"``, ...: :data:`DEFAULT_PLACEHOLDERS`); a string is
            written for every kind; a callable receives the :class:`PiiMatch`
            and returns the replacement (for partial masking, say).

    Raises:
        ValueError: ``kinds`` names an unknown kind.
    """
    matches = find_pii(text, kinds=kinds)
    if not matches:
        return text
    out: list[str] = []
    pos = 0
    for m in matches:
        out.append(text[pos : m.start])
        if placeholder is None:
            out.append(DEFAULT_PLACEHOLDERS[m.kind])
        elif isinstance(placeholder, str):
            out.append(placeholder)
        else:
            out.append(placeholder(m))
        pos = m.end
    out.append(text[pos:])
    return "".join(out)
