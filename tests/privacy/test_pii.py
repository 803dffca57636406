"""PII detection and redaction, measured on a labelled English and Chinese set."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from socialkit.privacy import PII_KINDS, PiiMatch, find_pii, redact
from socialkit.privacy.pii import cn_id_checksum_ok, iban_ok, luhn_ok

Expected = list[tuple[str, str]]

# Each true case lists every (kind, value) a perfect detector reports.
TRUE_CASES: list[tuple[str, Expected]] = [
    # e-mail
    ("Contact me at alice.smith@example.com please", [("email", "alice.smith@example.com")]),
    ("邮箱是abc@qq.com谢谢", [("email", "abc@qq.com")]),
    ("请发到zhang_san+news@mail.163.com，谢谢", [("email", "zhang_san+news@mail.163.com")]),
    ("Write to SUPPORT@Example.CO.UK.", [("email", "SUPPORT@Example.CO.UK")]),
    ("我的邮箱：13812345678@139.com", [("email", "13812345678@139.com")]),
    ("reply to <bob-99@sub.domain.org>", [("email", "bob-99@sub.domain.org")]),
    ("écrivez à josé@café.fr merci", [("email", "josé@café.fr")]),
    ("王伟@例子.中国", [("email", "王伟@例子.中国")]),
    ("почта: иван@пример.рф", [("email", "иван@пример.рф")]),
    # phone
    ("call me on 13812345678", [("phone", "13812345678")]),
    ("手机13812345678", [("phone", "13812345678")]),
    ("电话：138-1234-5678", [("phone", "138-1234-5678")]),
    ("我的号码是138 1234 5678，随时联系", [("phone", "138 1234 5678")]),
    ("+86 13912345678", [("phone", "+86 13912345678")]),
    ("+8615912345678加我微信", [("phone", "+8615912345678")]),
    ("(+86)18612345678", [("phone", "(+86)18612345678")]),
    ("US office: +1 650-253-0000.", [("phone", "+1 650-253-0000")]),
    ("London +44 20 7031 3000", [("phone", "+44 20 7031 3000")]),
    ("Tokyo: +81 3-3224-9999 (main)", [("phone", "+81 3-3224-9999")]),
    ("+852 2123 4567 香港", [("phone", "+852 2123 4567")]),
    ("ring +49 30 901820 tomorrow", [("phone", "+49 30 901820")]),
    ("WhatsApp +91 98765 43210", [("phone", "+91 98765 43210")]),
    ("London 0044 20 7031 3000", [("phone", "0044 20 7031 3000")]),
    ("Niue +683 4002", [("phone", "+683 4002")]),  # seven digits in all
    ("电话００８６ １３８１２３４５６７８", [("phone", "００８６ １３８１２３４５６７８")]),
    ("手机１３８１２３４５６７８", [("phone", "１３８１２３４５６７８")]),
    # mainland-China resident ID
    ("身份证号11010519491231002X", [("national_id", "11010519491231002X")]),
    ("ID: 440524188001010014", [("national_id", "440524188001010014")]),
    ("身份证号码：310115199003071239，请核对", [("national_id", "310115199003071239")]),
    ("身份证 11010519491231002x", [("national_id", "11010519491231002x")]),
    ("his id 510107198511204563 was leaked", [("national_id", "510107198511204563")]),
    ("320582200002297892是我的身份证", [("national_id", "320582200002297892")]),
    ("旧身份证110105491231002", [("national_id", "110105491231002")]),
    ("旧身份证110105480229002", [("national_id", "110105480229002")]),  # 29 February 1948
    ("身份证１１０１０５１９４９１２３１００２X", [("national_id", "１１０１０５１９４９１２３１００２X")]),  # noqa: E501
    # payment cards
    ("Visa 4111 1111 1111 1111 exp 12/27", [("card", "4111 1111 1111 1111")]),
    ("card number: 5555-5555-5555-4444", [("card", "5555-5555-5555-4444")]),
    ("Amex 378282246310005", [("card", "378282246310005")]),
    ("Amex 3782 822463 10005", [("card", "3782 822463 10005")]),
    ("银行卡号6228480012345678903请转账", [("card", "6228480012345678903")]),
    ("卡号：6200 0000 0000 0005", [("card", "6200 0000 0000 0005")]),
    ("JCB 3530111333300000", [("card", "3530111333300000")]),
    ("Diners 30569309025904", [("card", "30569309025904")]),
    ("Discover: 6011111111111117.", [("card", "6011111111111117")]),
    ("old Visa 4222222222222", [("card", "4222222222222")]),
    ("Visa 4111111111111111110", [("card", "4111111111111111110")]),
    ("Visa 4222 2222 2222 2", [("card", "4222 2222 2222 2")]),
    ("Diners 3056 930902 5904", [("card", "3056 930902 5904")]),
    # IBAN
    ("IBAN GB82 WEST 1234 5698 7654 32 thanks", [("iban", "GB82 WEST 1234 5698 7654 32")]),
    ("Überweisung an DE89370400440532013000.", [("iban", "DE89370400440532013000")]),
    ("RIB FR14 2004 1010 0505 0001 3M02 606", [("iban", "FR14 2004 1010 0505 0001 3M02 606")]),
    ("NL91 ABNA 0417 1643 00 2024", [("iban", "NL91 ABNA 0417 1643 00")]),
    # IP addresses
    ("login from 192.168.1.20 at night", [("ip", "192.168.1.20")]),
    ("来自IP地址8.8.8.8的请求", [("ip", "8.8.8.8")]),
    ("server at http://10.0.0.1:8080/admin", [("ip", "10.0.0.1")]),
    ("IPv6 2001:db8::8a2e:370:7334 blocked", [("ip", "2001:db8::8a2e:370:7334")]),
    ("本机地址fe80::1ff:fe23:4567:890a", [("ip", "fe80::1ff:fe23:4567:890a")]),
    ("ip=203.0.113.195", [("ip", "203.0.113.195")]),
    ("link-local fe80::1 only", [("ip", "fe80::1")]),
    # several kinds in one text
    (
        "Alice (alice@example.com, +1 650-253-0000) paid with 4111111111111111 from 198.51.100.7",
        [
            ("email", "alice@example.com"),
            ("phone", "+1 650-253-0000"),
            ("card", "4111111111111111"),
            ("ip", "198.51.100.7"),
        ],
    ),
    (
        "张三，身份证110101200501018887，手机13912345678，邮箱zs@163.com",
        [
            ("national_id", "110101200501018887"),
            ("phone", "13912345678"),
            ("email", "zs@163.com"),
        ],
    ),
]

# Texts in which nothing is personal data.
FALSE_CASES: list[str] = [
    "订单号：202401151234567890",
    "Order #13812345678 has shipped",
    "订单号15012345678",
    "Tracking number 1Z999AA10123456784",
    "快递单号 773012345678901",
    "Invoice INV-2024-000123",
    "Date 2024-01-15",
    "日期20240115",
    "on 15/01/2024 at 10:30:45",
    "2024-01-15T10:30:00Z",
    "timestamp 1705312800",
    "ts=1705312800123",
    "version 1.2.3.4",
    "升级到v1.2.3.4了",
    "版本1.2.3.4",
    "Version: 10.0.0.1",
    "Mozilla/5.0 Chrome/120.0.0.0 Safari/537.36",
    "Price: $1,299.00",
    "售价￥13800.00元",
    "转账金额 6,228,480.00元",
    "融资15000000000元",
    "¥13800138000",
    "ISBN 978-7-111-12345-6",
    "ISBN 9787111123456",
    "ISBN-10: 7-111-12345-X",
    "身份证号110105194912310021",  # checksum wrong
    "ID 440524188001010015",  # checksum wrong
    "110105194902301234",  # checksum right, 30 February
    "110105209912311232",  # checksum right, born in 2099
    "990105194912310023",  # checksum right, no such province
    "card 4111 1111 1111 1112",  # not Luhn
    "5555555555554445",  # not Luhn
    "1234567812345670",  # Luhn, but no card issuer starts with 1
    "4111 11111 111 1111",  # Luhn, but not grouped like a card
    "phone 1381234567",  # 10 digits
    "call 138123456",  # 9 digits
    "12345678901",  # 11 digits, but no mobile starts with 12
    "14012345678",  # 11 digits, unallocated mobile range
    "+1 555 0100",  # too short
    "+86 1381234",  # too short
    "IP 256.1.1.1",
    "192.168.1",
    "1.2.3.4.5",
    "time 12:30:45",
    "MAC 00:1A:2B:3C:4D:5E",
    "std::vector<int>",
    "@alice@mastodon.social said hi",
    "icon@2x.png",
    "user@localhost",
    "score 3:2, 45.6%",
    "微博ID 1234567890",
    "coordinates 39.9042, 116.4074",
    "barcode 6901234567892",  # EAN-13, Luhn-valid, but no 13-digit card starts with 69
    "条形码6901234567892",
    "旧身份证110105491331002",  # 15 digits, month 13
    "110105490229002",  # 15 digits, 29 February 1949
    "110105020229002",  # 15 digits, 29 February 1902
    "990105491231002",  # 15 digits, no such province
    "GB82 WEST 1234 5698 7654 33",  # IBAN checksum wrong
    "GB82 WEST 1234 5698 7654",  # too short for GB
    "GB82 WEST 1234 5698 7654 3210",  # its last group runs on past GB's 22 characters
    "XX82 WEST 1234 5698 7654 32",  # no such country
    "4111-1111 1111 1111",  # mixed separators
    "4111 1111 11111 111",  # Luhn, but a group of five inside
    "4111 1111 1111 1111110",  # Luhn, 19 digits, but a last group of seven
    "6200 0000 0000 00000",  # Luhn, 17 digits, but a last group of five
    "3782 8224 6310 00-5",  # Luhn, 15 digits, but two kinds of separator
    "a :: b",
]


def found(text: str) -> Expected:
    return [(m.kind, m.value) for m in find_pii(text)]


def precision_recall() -> dict[str, tuple[int, int, int]]:
    """(true positives, false positives, false negatives) per kind over the whole set."""
    counts: dict[str, Counter[str]] = {kind: Counter() for kind in sorted(PII_KINDS)}
    cases = [*TRUE_CASES, *((text, []) for text in FALSE_CASES)]
    for text, expected in cases:
        got = Counter(found(text))
        want = Counter(expected)
        for kind, _value in (got & want).elements():
            counts[kind]["tp"] += 1
        for kind, _value in (got - want).elements():
            counts[kind]["fp"] += 1
        for kind, _value in (want - got).elements():
            counts[kind]["fn"] += 1
    return {k: (c["tp"], c["fp"], c["fn"]) for k, c in counts.items()}


def print_report(scores: dict[str, tuple[int, int, int]]) -> None:
    print(f"\n{'kind':<12} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}")
    for kind, (tp, fp, fn) in scores.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"{kind:<12} {tp:>4} {fp:>4} {fn:>4} {precision:>10.3f} {recall:>8.3f}")


def test_labelled_set_is_large_enough() -> None:
    assert len(TRUE_CASES) >= 40
    assert len(FALSE_CASES) >= 40


def test_every_kind_has_perfect_precision_and_recall_on_the_labelled_set() -> None:
    scores = precision_recall()
    print_report(scores)
    assert all(tp > 0 for tp, _, _ in scores.values())
    errors = {kind: (fp, fn) for kind, (_, fp, fn) in scores.items()}
    assert errors == dict.fromkeys(scores, (0, 0))


@pytest.mark.parametrize(("text", "expected"), TRUE_CASES)
def test_true_case_is_found_exactly(text: str, expected: Expected) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text", FALSE_CASES)
def test_false_case_is_not_flagged(text: str) -> None:
    assert find_pii(text) == []


def test_match_offsets_point_at_the_value() -> None:
    text = "邮箱是abc@qq.com谢谢"
    [match] = find_pii(text)
    assert match == PiiMatch("email", 3, 13, "abc@qq.com")
    assert text[match.start : match.end] == match.value


def test_email_local_part_stops_at_chinese_characters() -> None:
    assert found("联系人王伟wang.wei@example.cn或者电话") == [("email", "wang.wei@example.cn")]


def test_kinds_are_found_inside_chinese_text_without_spaces() -> None:
    text = "我叫李雷电话13812345678邮箱lilei@163.com身份证11010519491231002X地址192.168.0.8谢谢"
    assert found(text) == [
        ("phone", "13812345678"),
        ("email", "lilei@163.com"),
        ("national_id", "11010519491231002X"),
        ("ip", "192.168.0.8"),
    ]


def test_id_number_that_is_also_a_valid_card_number_is_reported_once_as_an_id() -> None:
    number = "620102199001020017"
    assert luhn_ok(number)  # UnionPay prefix, Luhn-valid, 18 digits: could pass as a card
    assert found(f"身份证{number}") == [("national_id", number)]


def test_kinds_filter_does_not_turn_an_id_number_into_a_card() -> None:
    assert find_pii("620102199001020017", kinds=["card", "phone"]) == []


def test_email_made_of_a_phone_number_is_one_email() -> None:
    assert found("13812345678@139.com") == [("email", "13812345678@139.com")]


def test_trailing_number_is_not_swallowed_into_a_card() -> None:
    assert found("4111 1111 1111 1111 2024") == [("card", "4111 1111 1111 1111")]


def test_trailing_number_is_not_swallowed_into_a_phone() -> None:
    assert found("+1 650-253-0000 2024") == [("phone", "+1 650-253-0000")]


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown PII kind"):
        find_pii("x", kinds=["passport"])  # type: ignore[list-item]


def test_redact_uses_a_placeholder_per_kind() -> None:
    text = "mail a@b.io or 13812345678, card 4111111111111111, ip 8.8.4.4, id 11010519491231002X"
    assert redact(text) == ("mail [EMAIL] or [PHONE], card [CARD], ip [IP], id [NATIONAL_ID]")


def test_redact_with_a_fixed_placeholder() -> None:
    assert redact("a@b.io 13812345678", placeholder="***") == "*** ***"


def test_redact_with_a_callable_placeholder() -> None:
    masked = redact("手机13812345678", placeholder=lambda m: m.value[:3] + "****" + m.value[-4:])
    assert masked == "手机138****5678"


def test_redact_only_the_given_kinds() -> None:
    assert redact("a@b.io 13812345678", kinds={"phone"}) == "a@b.io [PHONE]"


def test_redact_leaves_text_without_pii_unchanged() -> None:
    text = "版本1.2.3.4发布于2024-01-15，售价￥199"
    assert redact(text) == text


def test_id_checksum_accepts_the_standard_example() -> None:
    assert cn_id_checksum_ok("11010519491231002X")


def test_id_checksum_rejects_a_changed_digit() -> None:
    assert not cn_id_checksum_ok("11010519491231012X")


def test_luhn_rejects_a_changed_digit() -> None:
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111121")


# --- one skipped candidate does not end the scan (a `break` would leak what follows) ----------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("icon@2x.png then write to a@b.io", [("email", "a@b.io")]),
        ("v1.2.3.4 from 8.8.8.8", [("ip", "8.8.8.8")]),
        ("version 1.2.3.4 from 8.8.8.8", [("ip", "8.8.8.8")]),
        ("升级到1.2.3.4版，来自8.8.8.8", [("ip", "8.8.8.8")]),
        ("999.1.1.1 then 8.8.4.4", [("ip", "8.8.4.4")]),
        ("1:2:3 then fe80::1", [("ip", "fe80::1")]),
        ("a :: b, from fe80::1", [("ip", "fe80::1")]),
        ("+999999999999 then +44 20 7031 3000", [("phone", "+44 20 7031 3000")]),
        (
            "+44 20 7031 3000 or +1 650-253-0000",
            [("phone", "+44 20 7031 3000"), ("phone", "+1 650-253-0000")],
        ),
        (
            "4111 1111 1111 1111 and 5555-5555-5555-4444",
            [("card", "4111 1111 1111 1111"), ("card", "5555-5555-5555-4444")],
        ),
        (
            "ref 1234 4111 1111 1111 1111 and 5555-5555-5555-4444",
            [("card", "4111 1111 1111 1111"), ("card", "5555-5555-5555-4444")],
        ),
        ("订单号13812345678 电话13912345678", [("phone", "13912345678")]),
        (
            "13812345678@139.com or 13912345678",
            [("email", "13812345678@139.com"), ("phone", "13912345678")],
        ),
    ],
)
def test_a_rejected_candidate_does_not_hide_the_next_one(text: str, expected: Expected) -> None:
    assert found(text) == expected


def test_a_card_inside_a_longer_run_of_groups_has_exact_offsets() -> None:
    text = "ref 1234 4111 1111 1111 1111"
    assert find_pii(text) == [PiiMatch("card", 9, 28, "4111 1111 1111 1111")]


@pytest.mark.parametrize(
    ("text", "card"),
    [
        ("4111 1111 1111 1111 5555 5555 5555 4444", "4111 1111 1111 1111"),
        ("card 4111111111111111 2024 1234", "4111111111111111"),
        ("4222222222222 2024 1234 5678", "4222222222222"),
        ("4111111111111111110 2024 1234", "4111111111111111110"),
    ],
)
def test_a_card_is_found_at_the_start_of_a_longer_run(text: str, card: str) -> None:
    start = text.index(card)
    assert find_pii(text)[0] == PiiMatch("card", start, start + len(card), card)


def test_two_cards_in_one_run_of_groups_are_both_found() -> None:
    assert found("4111 1111 1111 1111 5555 5555 5555 4444") == [
        ("card", "4111 1111 1111 1111"),
        ("card", "5555 5555 5555 4444"),
    ]


def test_international_phone_offsets() -> None:
    assert find_pii("call +44 20 7031 3000") == [PiiMatch("phone", 5, 21, "+44 20 7031 3000")]


def _cn_id_check(first17: str) -> str:
    weights = [2 ** (17 - i) % 11 for i in range(17)]  # ISO 7064 MOD 11-2
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


def test_an_id_number_of_a_baby_born_today_is_found() -> None:
    first17 = "110105" + date.today().strftime("%Y%m%d") + "002"
    number = first17 + _cn_id_check(first17)
    assert found(f"身份证{number}") == [("national_id", number)]


def test_full_width_digits_keep_their_offsets_and_original_value() -> None:
    text = "手机１３８１２３４５６７８谢谢"
    assert find_pii(text) == [PiiMatch("phone", 2, 13, "１３８１２３４５６７８")]
    assert redact(text) == "手机[PHONE]谢谢"


def test_redact_writes_an_iban_placeholder() -> None:
    assert redact("pay to GB82 WEST 1234 5698 7654 32.") == "pay to [IBAN]."


def test_iban_checksum() -> None:
    assert iban_ok("GB82 WEST 1234 5698 7654 32")
    assert iban_ok("BE68539007547034")
    assert not iban_ok("GB82 WEST 1234 5698 7654 33")  # changed digit
    assert not iban_ok("BE685390075470340")  # longer than Belgium's 16
    assert not iban_ok("GBAB WEST 1234 5698 7654 32")  # check digits must be digits
    assert not iban_ok("GBD2 WEST 1234 5698 7654 32")  # mod 97 holds, but "D2" is no number
    assert not iban_ok("GB49 WEST 1234 5698 7654 321")  # mod 97 holds, 23 characters
    assert not iban_ok("GB82 WEST １２３４ 5698 7654 32")  # full-width digits


def test_id_checksum_rejects_malformed_input() -> None:
    assert not cn_id_checksum_ok("11010519491231002")  # 17 characters
    assert not cn_id_checksum_ok("11010519491231002XX")  # 19 characters
    assert not cn_id_checksum_ok("1101051949123100AX")  # a letter before the check character
    assert cn_id_checksum_ok("11010519491231002x")  # lower-case check character


def test_luhn_doubles_every_second_digit_from_the_right() -> None:
    assert luhn_ok("79927398713")  # the textbook example, odd length
    assert not luhn_ok("79927398710")
    assert luhn_ok("4222222222222")  # 13 digits
