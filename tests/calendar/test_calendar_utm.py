"""UTM tagging at dispatch time: per calendar or per entry, deterministic, exactly once kept."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from calendar_support import FAST, FAST_POLICY, NOW, brand_texts, no_key_client, status_posts

from socialkit import Draft
from socialkit.calendar import Calendar, State
from socialkit.client import Client
from socialkit.providers.mastodon import Mastodon
from socialkit.testing import Sandbox
from socialkit.text import TextRules, count_chars
from socialkit.utm import UTM, links_tags

LINK = "https://shop.example/spring"


def test_calendar_utm_tags_links_with_platform_campaign_and_entry(
    cal: Calendar, client: Client, sandbox: Sandbox
) -> None:
    cal.set_utm(UTM(campaign="default"))
    entry = cal.add(f"Spring sale {LINK}", ["brand"], at=NOW, campaign="spring")
    cal.run_due({"brand": client}, now=NOW)
    (sent,) = status_posts(sandbox)
    assert sent == (
        f"Spring sale {LINK}?utm_source=mastodon&utm_medium=social"
        f"&utm_campaign=spring&utm_content=entry-{entry.id}-mastodon"
    )


def test_the_variant_sent_names_the_utm_content(
    cal: Calendar, client: Client, sandbox: Sandbox
) -> None:
    cal.set_utm(UTM(campaign="spring"))
    entry = cal.add(f"Long text {LINK}", ["brand"], at=NOW, variants={"brand": f"Short {LINK}"})
    cal.run_due({"brand": client}, now=NOW)
    assert links_tags(status_posts(sandbox)[0])[0]["content"] == f"entry-{entry.id}-brand"


def test_without_a_setting_links_go_as_written_and_an_entry_can_opt_in(
    cal: Calendar, client: Client, sandbox: Sandbox
) -> None:
    cal.add(f"Plain {LINK}", ["brand"], at=NOW)
    cal.add(Draft(text=f"Tagged {LINK}", options={"utm": {"campaign": "solo"}}), ["brand"], at=NOW)
    cal.run_due({"brand": client}, now=NOW)
    plain, tagged = status_posts(sandbox)
    assert plain == f"Plain {LINK}"
    assert links_tags(tagged)[0]["campaign"] == "solo"


def test_an_entry_can_opt_out_and_keep_links(
    cal: Calendar, client: Client, sandbox: Sandbox
) -> None:
    cal.set_utm(UTM(campaign="spring"))
    cal.add(Draft(text=f"Off {LINK}", options={"utm": False}), ["brand"], at=NOW)
    keep = Draft(text=f"Keep {LINK} https://a.example/x", options={"keep_links": [LINK]})
    cal.add(keep, ["brand"], at=NOW)
    cal.run_due({"brand": client}, now=NOW)
    off, kept = status_posts(sandbox)
    assert off == f"Off {LINK}"
    assert kept.startswith(f"Keep {LINK} https://a.example/x?utm_source=mastodon")


def test_the_setting_is_stored_in_the_file(tmp_path: Path) -> None:
    with Calendar(tmp_path / "c.db", utm=UTM(campaign="spring")):
        pass
    with Calendar(tmp_path / "c.db") as again:
        assert again.utm == UTM(campaign="spring")
        again.set_utm(None)
        assert again.utm is None


def test_a_lost_tagged_publish_is_reconciled_not_posted_twice(
    cal: Calendar, sandbox: Sandbox
) -> None:
    no_key = no_key_client(sandbox)
    cal.set_utm(UTM(campaign="spring"))
    sandbox.timeout_next(after_processing=True)  # posted, but the answer is lost
    entry = cal.add(f"Reconcile me {LINK}", ["brand"], at=NOW)
    first = cal.run_due({"brand": no_key}, now=NOW)
    assert [o.kind for o in first.outcomes] == ["retrying"]
    second = cal.run_due({"brand": no_key}, now=NOW + timedelta(minutes=5))
    assert [o.kind for o in second.outcomes] == ["reconciled"]
    assert len(brand_texts(sandbox)) == len(set(brand_texts(sandbox)))
    assert cal.get(entry.id).state is State.PUBLISHED


def test_the_tagged_text_is_the_same_on_every_attempt(cal: Calendar, client: Client) -> None:
    from socialkit.calendar.dispatch import Claim, Dispatcher, wall_clock

    entry = cal.add(f"Twice {LINK}", ["brand"], at=NOW, campaign="spring")
    dispatcher = Dispatcher(
        cal._store, FAST_POLICY, cal.rules, "me", {}, NOW, wall_clock, utm=UTM()
    )
    claim = Claim(1, entry, "brand", "key", 1, False, None)
    assert dispatcher.draft(claim, client).text == dispatcher.draft(claim, client).text
    assert "utm_content=entry-1-mastodon" in dispatcher.draft(claim, client).text


def _cli(*argv: str) -> int:
    import argparse

    from socialkit.calendar.cli import add_calendar_commands

    parser = argparse.ArgumentParser(prog="socialkit")
    add_calendar_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    status: int = args.run(args)
    return status


def test_the_cli_turns_tagging_on_and_off_and_entries_opt_out(
    tmp_path: Path, capsys: Any
) -> None:
    db = str(tmp_path / "c.db")
    assert _cli("calendar", "--file", db, "utm") == 0
    assert capsys.readouterr().out.strip() == "UTM tagging: off"
    assert _cli("calendar", "--file", db, "utm", "--campaign", "spring", "--keep", LINK) == 0
    assert "campaign: spring" in capsys.readouterr().out
    with Calendar(db) as cal:
        assert cal.utm == UTM(campaign="spring", keep=[LINK])
    args = ["add", f"Hi {LINK}", "--target", "brand", "--no-utm", "--keep-link", "https://a.b/c"]
    assert _cli("calendar", "--file", db, *args) == 0
    with Calendar(db) as cal:
        assert dict(cal.get(1).draft.options) == {"utm": False, "keep_links": ["https://a.b/c"]}
    assert _cli("calendar", "--file", db, "utm", "--off") == 0
    assert capsys.readouterr().out.strip().endswith("UTM tagging: off")


class TightMastodon(Mastodon):
    """A platform counting every character of a link, with a 130-character limit."""

    def _use_limits(self, limits: Any, *, known: bool) -> TextRules:
        return TextRules(max_length=130, count=count_chars)


def test_a_text_the_tags_would_push_over_the_limit_goes_as_written(
    cal: Calendar, sandbox: Sandbox, caplog: Any
) -> None:
    tight = Client(
        TightMastodon(instance=sandbox.base_url, access_token="brand"),
        transport=sandbox.transport(),
        retry=FAST,
    )
    cal.set_utm(UTM(campaign="spring"))
    cal.add(f"Short {LINK}", ["brand"], at=NOW)
    cal.add(f"A little longer than that one: {LINK}", ["brand"], at=NOW)
    report = cal.run_due({"brand": tight}, now=NOW)
    assert [o.kind for o in report.outcomes] == ["published", "published"]
    short, longer = status_posts(sandbox)
    assert short.startswith(f"Short {LINK}?utm_source=mastodon")  # fits with its tags
    assert len(short) <= 130
    assert longer == f"A little longer than that one: {LINK}"  # would not: sent as written
    assert "UTM tags left out on mastodon" in caplog.text
