"""Templates: safe substitution, language variants, unknown variables and length at render."""

from __future__ import annotations

import pytest
from replies_support import make_item

from socialkit.errors import ConfigError, InvalidContent
from socialkit.replies import Template
from socialkit.text import TextRules

THANKS = Template({"en": "Thanks $name ($handle)! See $link", "zh": "谢谢$name！"}, name="thanks")


def test_render_fills_the_items_variables() -> None:
    item = make_item("mastodon:7", handle="alice", display_name="Alice M")

    assert THANKS.render(item) == "Thanks Alice M (@alice)! See https://example.social/@alice/7"


def test_render_picks_the_items_language() -> None:
    item = make_item(language="zh", display_name="陈伟")

    assert THANKS.render(item) == "谢谢陈伟！"


def test_an_unknown_language_falls_back_to_the_default_variant() -> None:
    assert THANKS.variant("fr")[0] == "en"
    assert THANKS.variant("zh-TW")[0] == "zh"


def test_fixed_variables_are_available() -> None:
    template = Template({"en": "See $faq"}, variables={"faq": "https://x.example/faq"})

    assert template.render(make_item()) == "See https://x.example/faq"


def test_a_display_name_cannot_mention_or_tag_anyone() -> None:
    item = make_item(display_name="@everyone #sale   Bob")

    assert Template({"en": "Hi $name"}).render(item) == "Hi everyone sale Bob"


def test_values_are_not_re_expanded() -> None:
    item = make_item(display_name="$handle ${link}")

    assert Template({"en": "Hi $name"}).render(item) == "Hi $handle ${link}"


@pytest.mark.parametrize(
    "text",
    ["Hi ${name.__class__}", "Hi {name.__class__}${x}", "Hi $name[0]$$ $unknown", "Hi ${name!r}"],
)
def test_attribute_access_and_unknown_variables_are_refused(text: str) -> None:
    with pytest.raises(ConfigError, match="template 't' \\(en\\)"):
        Template({"en": text}, name="t")


def test_dollar_dollar_is_a_literal_dollar() -> None:
    assert Template({"en": "Only $$5 for $name"}).render(make_item(handle="bo")) == "Only $5 for bo"


def test_a_text_too_long_for_the_platform_fails_at_render_with_the_count() -> None:
    template = Template({"en": "Hello $name, " + "x" * 20}, name="greeting")
    rules = TextRules(max_length=25)

    with pytest.raises(InvalidContent, match="renders to 33 characters") as caught:
        template.render(make_item(handle="alice"), rules=rules)

    assert (caught.value.count, caught.value.limit, caught.value.rule) == (33, 25, "max_length")


def test_an_empty_template_is_refused() -> None:
    with pytest.raises(ConfigError, match="empty"):
        Template({"en": "  "})
