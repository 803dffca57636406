"""The little text format: reserved characters escaped, mentions and hashtags kept as syntax,
and read back as plain text; comment mentions as attributes."""

from __future__ import annotations

import pytest

import socialkit as sk
from socialkit.providers.linkedin import from_little, to_little
from socialkit.providers.linkedin.little import RESERVED, comment_message

ACME = {"Acme Corp": "urn:li:organization:1234"}


@pytest.mark.parametrize("char", list(RESERVED))
def test_every_reserved_character_is_escaped(char: str) -> None:
    draft = sk.Draft(text=f"a{char}b", options={"hashtags": False})
    assert to_little(draft) == f"a\\{char}b"


def test_the_reserved_set_is_the_documented_one() -> None:
    assert set(RESERVED) == set("\\|{}@[]()<>#*_~")


def test_plain_text_is_unchanged() -> None:
    assert to_little(sk.Draft(text="Hello, world: 100% ready!")) == "Hello, world: 100% ready!"


def test_a_mention_is_written_in_mention_syntax() -> None:
    draft = sk.Draft(text="Thanks @Acme Corp!", options={"mentions": ACME})
    assert to_little(draft) == "Thanks @[Acme Corp](urn:li:organization:1234)!"


def test_a_mention_name_with_reserved_characters_is_escaped_inside_the_syntax() -> None:
    mentions = {"Acme (EU)": "urn:li:organization:99"}
    draft = sk.Draft(text="Hi @Acme (EU)", options={"mentions": mentions})
    assert to_little(draft) == "Hi @[Acme \\(EU\\)](urn:li:organization:99)"


def test_the_longest_mention_name_wins() -> None:
    mentions = {"Acme": "urn:li:organization:1", "Acme Corp": "urn:li:organization:2"}
    draft = sk.Draft(text="@Acme Corp and @Acme", options={"mentions": mentions})
    assert to_little(draft) == (
        "@[Acme Corp](urn:li:organization:2) and @[Acme](urn:li:organization:1)"
    )


def test_an_at_sign_that_is_no_mention_is_escaped() -> None:
    draft = sk.Draft(text="mail hello@example.com", options={"mentions": {}})
    assert to_little(draft) == "mail hello\\@example.com"


def test_a_hashtag_becomes_the_hashtag_template() -> None:
    assert to_little(sk.Draft(text="New #launch_day")) == "New {hashtag|\\#|launch\\_day}"


def test_hashtags_false_keeps_the_hash_as_text() -> None:
    draft = sk.Draft(text="New #launch", options={"hashtags": False})
    assert to_little(draft) == "New \\#launch"


def test_a_hash_inside_a_word_is_no_hashtag() -> None:
    assert to_little(sk.Draft(text="C# rocks")) == "C\\# rocks"


def test_a_mention_missing_from_the_text_is_refused() -> None:
    draft = sk.Draft(text="Thanks Acme Corp", options={"mentions": ACME})
    with pytest.raises(sk.InvalidContent) as raised:
        to_little(draft)
    assert raised.value.rule == "mention"


def test_a_mention_without_a_member_or_organization_urn_is_refused() -> None:
    draft = sk.Draft(text="Hi @Bob", options={"mentions": {"Bob": "urn:li:share:1"}})
    with pytest.raises(sk.InvalidContent, match="urn:li:person or urn:li:organization"):
        to_little(draft)


def test_little_reads_back_as_plain_text() -> None:
    commentary = (
        "Launch of {hashtag|\\#|spring\\_collection} with "
        "@[Devtestco](urn:li:organization:2414183) \\(finally\\) 50\\% off\\*"
    )
    assert from_little(commentary) == (
        "Launch of #spring_collection with @Devtestco (finally) 50% off*"
    )


def test_escaped_text_round_trips() -> None:
    text = "a\\b|c{d}e@f[g]h(i)j<k>l#m*n_o~p"
    draft = sk.Draft(text=text, options={"hashtags": False})
    assert from_little(to_little(draft)) == text


def test_a_comment_mention_becomes_an_attribute_in_utf16_units() -> None:
    draft = sk.Draft(text="😀 @Acme Corp thanks", options={"mentions": ACME})
    assert comment_message(draft) == {
        "text": "😀 Acme Corp thanks",
        "attributes": [
            {
                "start": 3,
                "length": 9,
                "value": {
                    "com.linkedin.common.CompanyAttributedEntity": {
                        "company": "urn:li:organization:1234"
                    }
                },
            }
        ],
    }


def test_a_member_mention_in_a_comment_is_a_member_attribute() -> None:
    draft = sk.Draft(text="@Ann hi", options={"mentions": {"Ann": "urn:li:person:Fw2vu8vpuP"}})
    (attribute,) = comment_message(draft)["attributes"]
    assert attribute["value"] == {
        "com.linkedin.common.MemberAttributedEntity": {"member": "urn:li:person:Fw2vu8vpuP"}
    }


def test_a_comment_is_plain_text_not_little() -> None:
    assert comment_message(sk.Draft(text="(great) #1 :)")) == {"text": "(great) #1 :)"}
