"""Detection and redaction of personal data in free text.

Six kinds are found: e-mail addresses (internationalised ones included),
phone numbers, mainland-China resident ID numbers (18-digit and the older
15-digit form), payment card numbers, IBANs and IP addresses. Every candidate
is validated, not only pattern-matched: phone numbers with the ``phonenumbers``
library (the ``privacy`` extra: ``pip install 'socialkit[privacy]'``), ID numbers
by their ISO 7064 MOD 11-2 checksum (18 digits) and birth date, card numbers by
the Luhn check and an issuer prefix that allows their length, IBANs by their
country's length and the ISO 13616 mod-97 checksum, IP addresses with
:mod:`ipaddress`. Full-width digits (``１３８…``) are read as digits. Boundaries
are script-aware, so detection works inside Chinese text written without spaces
(``邮箱是abc@qq.com谢谢``).

What is deliberately *not* found: numbers without a ``+`` or ``00`` country code other
than mainland-China mobiles, landlines written without one, dotted quads that
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
from types import ModuleType
from typing import Final, Literal, get_args

import attrs

from .._optional import require
from .._records import Record

__all__ = [
    "DEFAULT_PLACEHOLDERS",
    "PII_KINDS",
    "PiiKind",
    "PiiMatch",
    "cn_id_checksum_ok",
    "find_pii",
    "iban_ok",
    "luhn_ok",
    "redact",
]

PiiKind = Literal["email", "phone", "national_id", "card", "iban", "ip"]
"""The kinds of personal data :func:`find_pii` detects."""

PII_KINDS: Final[frozenset[PiiKind]] = frozenset(get_args(PiiKind))
"""Every kind :func:`find_pii` knows."""

DEFAULT_PLACEHOLDERS: Final[dict[PiiKind, str]] = {
    "email": "[EMAIL]",
    "phone": "[PHONE]",
    "national_id": "[NATIONAL_ID]",
    "card": "[CARD]",
    "iban": "[IBAN]",
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
    "iban": 5,
}


@attrs.frozen
class PiiMatch(Record):
    """One piece of personal data found in a text: ``text[start:end] == value``."""

    kind: PiiKind
    start: int
    end: int
    value: str


# --------------------------------------------------------------------------- e-mail

# Letters of alphabetic scripts (Latin with diacritics, Greek, Cyrillic) join ASCII in
# a word; CJK characters do not (Chinese text has no spaces), so a CJK local part or
# domain label is a run of CJK characters only: ``王伟@例子.中国``.
_LETTER = r"A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_ATOM = rf"[{_LETTER}_%+\-]+"
_LABEL = rf"(?:[{_LETTER}](?:[{_LETTER}\-]{{0,61}}[{_LETTER}])?|[{_CJK}]{{1,63}})"
_EMAIL = re.compile(
    rf"(?<![@._%+\-{_LETTER}])"
    rf"(?P<local>{_ATOM}(?:\.{_ATOM})*|(?<![{_CJK}])[{_CJK}]+)"
    rf"@(?P<domain>(?:{_LABEL}\.)+(?:[{_LETTER}]{{2,63}}|[{_CJK}]{{1,63}}))"
    rf"(?![{_LETTER}\-]|\.[{_LETTER}])"
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
    r"(?<![0-9A-Za-z+])(?:\+|00)[1-9](?:[ .\-]?(?:\(\d{1,4}\)|\d{1,4})){2,7}(?![0-9])"
)


def _phonenumbers() -> ModuleType:
    """The ``phonenumbers`` library (48 MiB of metadata, so an extra, not a core dependency)."""
    return require("phonenumbers", "privacy", "Detecting personal data (phone numbers)")


@functools.lru_cache(maxsize=4096)
def _valid_phone(candidate: str, region: str | None) -> bool:
    phonenumbers = _phonenumbers()
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
            if _valid_phone("+" + candidate.removeprefix("00"), None):
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


# The first-generation ID (issued until 2004): region, birth date as YYMMDD in the
# 1900s, a 3-digit sequence, no checksum.
_CN_ID_15 = re.compile(
    _NOT_AFTER
    + r"(?P<region>[1-9]\d{5})(?P<birth>\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))\d{3}"
    + _NOT_BEFORE
)


def _valid_cn_id_15(number: str, birth: str) -> bool:
    if int(number[:2]) not in _CN_PROVINCES:
        return False
    try:
        date(1900 + int(birth[:2]), int(birth[2:4]), int(birth[4:6]))
    except ValueError:
        return False
    return True


def _national_ids(text: str) -> Iterator[PiiMatch]:
    for m in _CN_ID.finditer(text):
        if _valid_cn_id(m[0], m["birth"]):
            yield PiiMatch("national_id", m.start(), m.end(), m[0])
    for m in _CN_ID_15.finditer(text):
        if _valid_cn_id_15(m[0], m["birth"]):
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
    # Maestro: 16 to 19 digits; shorter runs from 5 or 6 are EAN-13 barcodes
    # (690-699 China, 50 UK, 57 Denmark...), whose check digit often passes Luhn.
    (50, 50, 2, frozenset(range(16, 20))),
    (56, 69, 2, frozenset(range(16, 20))),
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


# --------------------------------------------------------------------------- IBAN

# ISO 13616 IBAN lengths by country (the SWIFT IBAN registry).
_IBAN_LENGTHS: Final[dict[str, int]] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
    "BH": 22, "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24,
    "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
    "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27,
    "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27,
    "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28,
    "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip
# Written unbroken or in groups of four separated by single spaces.
_IBAN = re.compile(r"(?<![0-9A-Za-z])[A-Z]{2}\d{2}(?: ?[0-9A-Z]{1,4}){3,8}(?![0-9a-z])")


def iban_ok(iban: str) -> bool:
    """Whether an IBAN (spaces allowed) has its country's length and passes ISO 13616 mod 97."""
    compact = iban.replace(" ", "")
    if _IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact.isalnum():
        return False
    if not compact.isascii() or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def _iban_prefix(run: str, length: int) -> str | None:
    """The start of ``run`` with ``length`` characters besides spaces, if it ends a group."""
    seen = 0
    for i, ch in enumerate(run):
        seen += ch != " "
        if seen == length:
            return run[: i + 1] if run[i + 1 : i + 2] in ("", " ") else None
    return None


def _ibans(text: str) -> Iterator[PiiMatch]:
    for m in _IBAN.finditer(text):
        # Keep exactly the country's length: a match may run on into a following
        # number or a word in capitals.
        length = _IBAN_LENGTHS.get(m[0][:2])
        candidate = _iban_prefix(m[0], length) if length else None
        if candidate is not None and iban_ok(candidate):
            yield PiiMatch("iban", m.start(), m.start() + len(candidate), candidate)


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
    _ibans,
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


# Full-width digits and signs (typed with a Chinese or Japanese input method) read as
# ASCII; one character for one, so offsets into the original text stay right.
_FULL_WIDTH: Final = str.maketrans(
    {0xFF10 + i: ord("0") + i for i in range(10)} | {0xFF0B: ord("+"), 0xFF0D: ord("-")}
)


def find_pii(text: str, *, kinds: Iterable[PiiKind] | None = None) -> list[PiiMatch]:
    """Find the personal data in ``text``, in order of position.

    Overlapping candidates are resolved before filtering by ``kinds``: the
    longest wins, and at equal length the more specific kind (an ID number is
    not also a card or a phone). Full-width digits count as digits; a
    match's ``value`` is always the original text. Numbers introduced as order, invoice,
    tracking or ticket numbers (``订单号``, ``order #``) and amounts of money
    (``¥13800138000``, ``15000000000元``) are not reported.

    Args:
        text: Any text, in any language.
        kinds: Only report these kinds (default: all of :data:`PII_KINDS`).

    Raises:
        ValueError: ``kinds`` names an unknown kind.
        MissingDependency: the ``privacy`` extra (``phonenumbers``) is not installed; every
            kind needs it, as a phone number must not be taken for a card or an ID number.
    """
    wanted = _check_kinds(kinds)
    _phonenumbers()  # before any text is read: a missing extra fails on every call alike
    scanned = text.translate(_FULL_WIDTH)
    candidates = [m for detect in _DETECTORS for m in detect(scanned)]
    candidates = [
        m for m in candidates if m.kind not in _DIGIT_KINDS or not _not_personal_number(scanned, m)
    ]
    found = [m for m in _resolve(candidates) if m.kind in wanted]
    if scanned != text:
        found = [attrs.evolve(m, value=text[m.start : m.end]) for m in found]
    return found


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
        MissingDependency: the ``privacy`` extra (``phonenumbers``) is not installed.
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
