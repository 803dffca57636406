"""``python -m socialkit demo``: an end-to-end story on the built-in sandbox, no credentials.

It opens with the platforms socialkit speaks (what each can do); then a brand publishes
a launch post and a long announcement split into a thread;
its audience replies, mentions it and reacts; the brand reads everything back,
answers, and measures the result.
"""

from __future__ import annotations

import base64
import io
import tempfile
from pathlib import Path
from typing import TextIO

from .calendar.demo import calendar_story
from .client import Client
from .metrics import MissingDependency, best_times, collect, plot_engagement
from .models import Metric, Post
from .platform import Capability, Platform
from .privacy import Pseudonymizer, minimize
from .registry import platforms
from .replies.demo import inbox_and_crisis_story
from .testing import Sandbox
from .text import split_thread

ANNOUNCEMENT = (
    "We are opening our new repair café on Saturday! Bring anything broken: lamps, bikes, "
    "jackets, toasters. Our volunteers fix it with you, for free, and show you how. "
    "Coffee and cake are on us, and the kids' corner has a soldering-free workshop. "
    "Doors open at 10:00 at the old library, Market Street 12. "
    "Everything we cannot fix goes to responsible recycling, so nothing ends up in the bin. "
    "Tell your neighbours, and tag us with #RepairCafe so we can share your stories. "
    "Details and the list of volunteers: https://example.com/repair-cafe"
)


_PUBLISHES = {
    Capability.PUBLISH_TEXT: "text",
    Capability.PUBLISH_IMAGE: "images",
    Capability.PUBLISH_VIDEO: "video",
    Capability.PUBLISH_THREAD: "threads",
}


def platform_list(installed: dict[str, type[Platform]] | None = None) -> list[str]:
    """One line per installed platform: what it publishes and how many operations work."""
    installed = installed if installed is not None else platforms()
    lines = []
    for name in sorted(installed):
        capabilities = installed[name].capabilities
        kinds = [word for cap, word in _PUBLISHES.items() if cap in capabilities]
        lines.append(
            f"{name:<10} publishes {', '.join(kinds) or 'nothing'}; "
            f"{len(capabilities)} of {len(Capability)} capabilities"
        )
    return lines


def run_demo(out: TextIO, report_dir: Path | None = None) -> None:
    """Run the demo story, printing as it goes; the HTML report goes to ``report_dir``."""
    _say(out, "The platforms socialkit speaks (python -m socialkit platforms for the matrix):")
    for line in platform_list():
        _say(out, f"   {line}")
    _say(out)
    sandbox = Sandbox()
    with sandbox.client() as brand:
        posts = _story(sandbox, brand, out)
        _say(out, "\n5. A privacy-safe metrics report")
        _metrics_report(brand, posts, out, report_dir or Path(tempfile.mkdtemp()))
        _say(out, "\n6. The content calendar")
        calendar = calendar_story(sandbox, brand, out)
        _say(out, "\n7. The inbox, and a crisis")
        inbox_and_crisis_story(sandbox, brand, out, calendar=calendar)


def _say(out: TextIO, text: str = "") -> None:
    print(text, file=out)


def _story(sandbox: Sandbox, brand: Client, out: TextIO) -> list[Post]:
    me = brand.me()
    _say(out, "socialkit demo: a brand on the built-in sandbox (a Mastodon-compatible server)")
    _say(out, f"signed in as @{me.handle} ({me.display_name}), {me.followers} followers\n")

    _say(out, "1. Publish")
    launch = brand.publish("Hello world! Our new repair café opens on Saturday. #RepairCafe")
    _say(out, f"   posted {launch.id}: {launch.text}")
    parts = split_thread(ANNOUNCEMENT, brand.platform.rules, numbered=True)
    thread = brand.publish_thread(parts)
    _say(
        out,
        f"   a {len(ANNOUNCEMENT)}-character announcement went out as a thread of {len(thread)}:",
    )
    for post in thread:
        _say(out, f"     {post.id} ({len(post.text)} chars) {post.text[:60]}…")

    _say(out, "\n2. The audience answers")
    seen = brand.mentions().first(1)
    since_id = seen[0].id if seen else None
    sandbox.simulate_reply(launch.id, "Can I bring my old radio?", author="alice")
    sandbox.simulate_reply(launch.id, "Great idea, see you there!", author="chen_wei")
    sandbox.simulate_mention("@brand do you also fix phones?", author="bob")
    sandbox.simulate_reactions(launch.id, likes=24, reposts=7)
    sandbox.simulate_reactions(thread[0].id, likes=9, reposts=4)
    _say(out, "   2 replies, 1 mention, 33 likes and 11 boosts arrived")

    _say(out, "\n3. Read and answer")
    for comment in brand.comments(launch.id):
        author = comment.author.handle if comment.author else "someone"
        if author == me.handle:
            continue
        answer = brand.reply(comment, "Thank you! Yes, bring it along.")
        _say(out, f"   @{author}: {comment.text!r}\n     -> {answer.text!r}")
    for mention in brand.mentions(since_id=since_id):
        author = mention.author.handle if mention.author else "someone"
        if mention.kind != "mention":
            continue
        answer = brand.reply(mention, "We do small phone repairs too: screens and batteries.")
        _say(out, f"   @{author} ({mention.kind}): {mention.text!r}\n     -> {answer.text!r}")

    _say(out, "\n4. Measure")
    _report(out, [launch, *thread], brand)
    return [launch, *thread]


def _report(out: TextIO, posts: list[Post], brand: Client) -> None:
    _say(out, f"   {'post':<20} {'likes':>6} {'shares':>7} {'comments':>9}")
    for post in posts:
        values = _by_name(brand.post_metrics(post.id))
        row = (values.get("likes"), values.get("shares"), values.get("comments"))
        _say(out, f"   {post.id:<20} {row[0]!s:>6} {row[1]!s:>7} {row[2]!s:>9}")
    account = _by_name(brand.account_metrics())
    _say(out, f"   account: {account.get('followers')} followers, {account.get('posts')} posts")


def _by_name(metrics: list[Metric]) -> dict[str, int | float | None]:
    return {m.name: m.value for m in metrics}


def _metrics_report(brand: Client, posts: list[Post], out: TextIO, folder: Path) -> None:
    """Engagement per platform and best times, from pseudonymised records, saved as HTML."""
    run = collect(brand, 20)
    summary = run.table.summary(by="platform", rate_by="followers")
    times = best_times(run.table, tz="Europe/Berlin")
    for line in str(summary).splitlines():
        _say(out, f"   {line}")
    top = ", ".join(slot.label for slot in times.top(3))
    _say(out, f"   best times (Europe/Berlin): {top or 'not enough posts yet'}")

    pseudonyms = Pseudonymizer(Pseudonymizer.generate_key())  # a fresh key: unlinkable later
    safe = minimize(posts, profile="analytics", pseudonymizer=pseudonyms)
    authors = {post.author.handle for post in safe if post.author}
    _say(out, f"   authors in the saved report: {', '.join(sorted(authors))} (pseudonyms)")

    parts = ["<h1>socialkit demo: metrics</h1>", summary._repr_html_(), times._repr_html_()]
    try:
        figure = plot_engagement(run.table, by="day")
    except MissingDependency:
        parts.append("<p>Install <code>socialkit[plots]</code> for the engagement chart.</p>")
    else:
        image = io.BytesIO()
        figure.savefig(image, format="png")
        encoded = base64.b64encode(image.getvalue()).decode()
        parts.append(f'<img alt="engagement over time" src="data:image/png;base64,{encoded}">')
    path = folder / "socialkit-demo-report.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    _say(out, f"   saved {path}")
