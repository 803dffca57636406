"""Privacy-safe export: comments to CSV, pseudonymous and minimised.

Shows `socialkit.privacy`: a keyed `Pseudonymizer` replaces authors by stable
pseudonyms (the same person gets the same pseudonym in every export made with
the key, so exports still join), a `Profile` says what is kept of each record,
`export` writes only that to CSV. Two files come out:

- ``comments-analytics.csv``: the built-in "analytics" profile, no text at all;
- ``comments-research.csv``: a custom profile for reading what people say, with
  personal data (e-mail, phone, ...) redacted and @handles pseudonymised, and
  only the columns the study needs.

    python examples/privacy_export.py [OUTPUT_DIR]

Set ``SOCIALKIT_PSEUDONYM_KEY`` (16 bytes or more, kept out of the data) for
pseudonyms that are stable across runs; without it a one-off key is made.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from socialkit.privacy import Profile, Pseudonymizer, export
from socialkit.testing import Sandbox

RESEARCH = Profile("research", text="redact", authors="pseudonymize", urls=False)
RESEARCH_COLUMNS = ["id", "thread_root_id", "reply_to_id", "created_at", "author.id", "text"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, help="directory for the CSV files")
    args = parser.parse_args()
    folder = args.output or Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)

    key = os.environ.get("SOCIALKIT_PSEUDONYM_KEY") or Pseudonymizer.generate_key()
    pseudonyms = Pseudonymizer(key)

    sandbox = Sandbox()
    with sandbox.client() as brand:
        post = brand.publish("Tell us how your order went!")
        sandbox.simulate_reply(post.id, "Arrived fast, thanks @brand!", author="alice")
        sandbox.simulate_reply(
            post.id,
            "Still waiting. Mail me at bob.okafor@example.com or +44 20 7946 0958",
            author="bob",
        )
        sandbox.simulate_reply(post.id, "@alice same here, mine was quick too", author="chen_wei")
        comments = list(brand.comments(post.id))

    analytics = folder / "comments-analytics.csv"
    research = folder / "comments-research.csv"
    export(comments, analytics, profile="analytics", pseudonymizer=pseudonyms)
    export(comments, research, profile=RESEARCH, keep=RESEARCH_COLUMNS, pseudonymizer=pseudonyms)

    for path in (analytics, research):
        text = path.read_text(encoding="utf-8")
        for secret in ("bob.okafor@example.com", "7946 0958", "alice", "Bob Okafor"):
            assert secret not in text, f"{secret!r} leaked into {path.name}"
        print(f"{path}:\n{text}")


if __name__ == "__main__":
    main()
