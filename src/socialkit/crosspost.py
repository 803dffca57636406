"""One draft to many clients, adapted to each platform, with partial failures reported.

```python
plan = sk.crosspost(draft, {"mastodon": masto, "bluesky": bsky}, dry_run=True)
print(plan)                     # per target: the exact texts, counts, media steps, calls
result = sk.crosspost(draft, {"mastodon": masto, "bluesky": bsky})
for target in result.failed: ...
```

Per target the draft is checked against the platform's text rules. A text that
is too long is split into a numbered thread (`split_thread`) where the platform
has threads, or else shortened at a word boundary with an ellipsis, its link
kept (``overflow="thread"``); always shortened (``"shorten"``); or reported as
that target's error (``"fail"``). Media go with the first post. Every post gets
an idempotency key derived from the draft's, the target and its place in the
thread, so repeating a crosspost of the same `Draft` cannot post twice where
the platform honours keys. Targets are published concurrently (threads for
`Client`, an anyio task group for `AsyncClient`); one target's failure never
stops the others, and is reported with whatever it did publish.

A variant can depend on another target's post: ``After("youtube", build)`` waits for
that target, then publishes what ``build(post)`` returns (``After.link`` makes the usual
link post to it, e.g. a Reddit link post to the uploaded YouTube video). If the other
target failed, the dependent one is not published and its error is `DependencyFailed`.
"""

from __future__ import annotations

import abc
import hashlib
import html
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, Literal, Protocol, TypeVar, overload

import anyio
import attrs

from ._progress import NoBar, bar
from ._records import AnyError, Record
from .client import AsyncClient, Client
from .errors import InvalidContent, SocialkitError
from .models import Draft, DraftLike, MediaUpload, Post
from .platform import Capability
from .text import TextRules, find_urls, split_thread
from .utm import UTM, tag_draft

__all__ = [
    "After",
    "CrosspostResult",
    "DependencyFailed",
    "Overflow",
    "Part",
    "Plan",
    "TargetPlan",
    "TargetResult",
    "acrosspost",
    "crosspost",
    "plan",
    "shorten",
]

Overflow = Literal["thread", "shorten", "fail"]
"""What to do with text over a platform's limit: split into a thread, shorten, or fail."""
Action = Literal["post", "thread", "shortened", "after", "error"]
AnyClient = Client | AsyncClient
C = TypeVar("C", bound=AnyClient)

ELLIPSIS = "…"
_WORD_GAP = re.compile(r"\s+")


# -- adapting -----------------------------------------------------------------------------------


def shorten(text: str, rules: TextRules, *, ellipsis: str = ELLIPSIS) -> str:
    """``text`` cut at a word boundary to fit ``rules``, ending with ``ellipsis`` and its
    last link (moved to the end if it was not there).

    Raises:
        InvalidContent: not even the ellipsis and the link fit.
    """
    if rules.fits(text):
        return text
    urls = find_urls(text)
    link = text[urls[-1][0] : urls[-1][1]] if urls else ""
    body = text[: urls[-1][0]] + text[urls[-1][1] :] if urls else text
    body = _WORD_GAP.sub(" ", body).strip()
    tail = f"{ellipsis} {link}" if link else ellipsis
    if not rules.fits(tail):
        raise InvalidContent(
            f"even the link alone is too long: {rules.measure(tail)} {rules.unit}, "
            f"the limit is {rules.max_length}",
            rule="max_length",
            count=rules.measure(tail),
            limit=rules.max_length,
        )
    cuts = [m.start() for m in _WORD_GAP.finditer(body)] + [len(body)]
    best = _longest(cuts, lambda cut: rules.fits(_join(body[:cut], tail)))
    if best is None:  # the first word alone is too long: cut inside it
        best = _longest(list(range(1, len(body) + 1)), lambda c: rules.fits(_join(body[:c], tail)))
    return _join(body[:best] if best else "", tail)


def _join(head: str, tail: str) -> str:
    head = head.rstrip(" ,;:-\u2013\u2014")
    return f"{head}{tail}" if head else tail.lstrip()


def _longest(cuts: list[int], fits: Callable[[int], bool]) -> int | None:
    """The largest cut that fits (``fits`` is monotonic over ``cuts``)."""
    low, high, found = 0, len(cuts) - 1, None
    while low <= high:
        middle = (low + high) // 2
        if fits(cuts[middle]):
            found, low = cuts[middle], middle + 1
        else:
            high = middle - 1
    return found


def _part_key(draft: Draft, target: str, index: int) -> str:
    seed = f"{draft.idempotency_key}:{target}:{index}".encode()
    return hashlib.sha256(seed).hexdigest()[:32]


# -- dependencies -------------------------------------------------------------------------------


@attrs.frozen
class After:
    """A variant built from another target's post, published once that post exists.

    ``target`` is the other target's label (or platform name); ``build`` gets its first
    published post and returns the draft for this target. The draft keeps the crosspost's
    idempotency key and is adapted to the platform like any other.

    ```python
    variants = {"reddit": After.link("youtube", "Our launch film", subreddit="brand")}
    ```
    """

    target: str
    build: Callable[[Post], DraftLike] = attrs.field(repr=False)

    @classmethod
    def link(cls, target: str, title: str, **options: Any) -> After:
        """A link post (``options["url"]``: the other target's post URL) titled ``title``,
        with more draft ``options`` (e.g. Reddit's ``subreddit``, ``flair_id``)."""

        def build(post: Post) -> Draft:
            if not post.url:
                raise InvalidContent(
                    f"the {post.platform} post {post.id} has no URL to link to", rule="url"
                )
            return Draft(text=title, options={**options, "url": post.url})

        return cls(target, build)


Variant = DraftLike | After
"""What ``variants`` maps a target to: a draft, or an `After` built from another target's post."""


class DependencyFailed(SocialkitError):
    """A target was not published because the target its variant depends on failed."""


# -- plans --------------------------------------------------------------------------------------


@attrs.frozen
class Part(Record):
    """One post a target will receive: its exact text, how it counts, its media."""

    text: str
    count: int
    media: tuple[MediaUpload, ...] = ()
    idempotency_key: str = attrs.field(default="", repr=False)


@attrs.frozen
class TargetPlan(Record):
    """What a crosspost will send to one target, and how many calls it will take.

    ``calls`` counts the uploads and posts; reads a provider makes once per
    process (e.g. Mastodon fetching the instance's limits) are not included.
    """

    target: str
    platform: str
    action: Action
    parts: tuple[Part, ...]
    limit: int
    unit: str
    base: Draft = attrs.field(repr=False)
    error: SocialkitError | None = None
    waits_for: str | None = None
    """The target whose post this one is built from (an `After` variant), if any."""

    @property
    def ok(self) -> bool:
        """Whether this target can be published."""
        return self.error is None

    @property
    def texts(self) -> list[str]:
        """The exact text of each post, in order."""
        return [part.text for part in self.parts]

    @property
    def media_steps(self) -> list[str]:
        """The media work, in words."""
        steps = []
        for part_no, part in enumerate(self.parts, 1):
            for upload in part.media:
                source = f" from {upload.url}" if upload.url else ""
                steps.append(
                    f"upload {upload.filename} ({upload.kind}, {upload.mime_type}){source}"
                    f" → post {part_no}"
                )
        return steps

    @property
    def calls(self) -> int:
        """The publishing calls: one per upload and one per post (a target waiting for
        another one's post counts once it is built)."""
        if not self.ok:
            return 0
        return sum(1 + len(part.media) for part in self.parts)

    def drafts(self) -> list[Draft]:
        """The drafts to publish, in order (each next one replies to the one before)."""
        return [
            self.base.model_copy(
                update={
                    "text": part.text,
                    "media": part.media,
                    "idempotency_key": part.idempotency_key,
                    "reply_to_id": self.base.reply_to_id if index == 0 else None,
                }
            )
            for index, part in enumerate(self.parts)
        ]

    def describe(self) -> list[str]:
        """The plan as lines of text."""
        if self.error is not None:
            return [f"{self.target} ({self.platform}): error: {self.error}"]
        if self.waits_for is not None:
            return [f"{self.target} ({self.platform}): after {self.waits_for}'s post, "
                    "built from it"]
        what = {
            "post": "1 post",
            "after": "after",
            "thread": f"a thread of {len(self.parts)}",
            "shortened": "1 post, shortened",
            "error": "error",
        }[self.action]
        lines = [f"{self.target} ({self.platform}): {what}, {self.calls} call(s)"]
        width = len(str(self.limit))
        for number, part in enumerate(self.parts, 1):
            lines.append(f"  {number}. [{part.count:>{width}}/{self.limit}] {part.text!r}")
        lines += [f"  {step}" for step in self.media_steps]
        return lines


class _Targeted(Protocol):
    @property
    def target(self) -> str: ...


R = TypeVar("R", bound=_Targeted)


class _ByTarget(abc.ABC, Generic[R]):
    """A tuple of per-target records, also looked up by target name."""

    @abc.abstractmethod
    def _records(self) -> tuple[R, ...]:
        """The records, in target order."""

    def __getitem__(self, target: str) -> R:
        for item in self._records():
            if item.target == target:
                return item
        raise KeyError(target)

    def __iter__(self) -> Iterator[R]:
        return iter(self._records())

    def __len__(self) -> int:
        return len(self._records())


@attrs.frozen
class Plan(_ByTarget["TargetPlan"], Record):
    """What a crosspost would do, per target, without sending anything."""

    targets: tuple[TargetPlan, ...]

    def _records(self) -> tuple[TargetPlan, ...]:
        return self.targets

    @property
    def calls(self) -> int:
        """The publishing calls over all targets."""
        return sum(t.calls for t in self.targets)

    @property
    def ok(self) -> bool:
        """Whether every target can be published."""
        return all(t.ok for t in self.targets)

    def __str__(self) -> str:
        head = f"crosspost plan: {len(self.targets)} target(s), {self.calls} call(s)"
        return "\n".join([head, *(line for t in self.targets for line in t.describe())])

    def _repr_html_(self) -> str:
        e = html.escape
        rows = []
        for t in self.targets:
            if t.error is not None or t.waits_for is not None:
                what, note = ("error", str(t.error)) if t.error is not None else (
                    "after", f"built from {t.waits_for}'s post")
                rows.append(
                    f"<tr><td>{e(t.target)}</td><td>{e(t.platform)}</td><td>{what}</td>"
                    f"<td colspan='2'>{e(note)}</td><td>0</td></tr>"
                )
                continue
            for number, part in enumerate(t.parts, 1):
                rows.append(
                    f"<tr><td>{e(t.target)}</td><td>{e(t.platform)}</td><td>{e(t.action)} "
                    f"{number}/{len(t.parts)}</td><td>{part.count}/{t.limit}</td>"
                    f"<td>{e(part.text)}</td><td>{1 + len(part.media)}</td></tr>"
                )
        return (
            f"<p>{e(str(self).splitlines()[0])}</p><table><tr><th>target</th><th>platform</th>"
            "<th>post</th><th>count</th><th>text</th><th>calls</th></tr>"
            f"{''.join(rows)}</table>"
        )


def _plan_target(
    label: str,
    client: AnyClient,
    draft: Draft,
    overflow: Overflow,
    numbered: bool,
    utm: UTM | None = None,
) -> TargetPlan:
    rules = client.platform.rules
    action: Action = "post"
    try:
        # A content warning the platform cannot show is refused, or moves into the text
        # (its fallback) before the text is measured and split: only the first part has it.
        draft = client.platform.check_content_warning(draft)
        draft = tag_draft(draft, utm, platform=client.name, content=label)
        texts = [draft.text]
        if draft.text and not rules.fits(draft.text):
            if overflow == "fail":
                count = rules.measure(draft.text)
                raise InvalidContent(
                    f"text is {count} {rules.unit} long; the limit is {rules.max_length} "
                    "(overflow='fail')",
                    rule="max_length",
                    count=count,
                    limit=rules.max_length,
                    platform=client.name,
                )
            if overflow == "thread" and Capability.PUBLISH_THREAD in client.capabilities:
                texts, action = split_thread(draft.text, rules, numbered=numbered), "thread"
            else:
                texts, action = [shorten(draft.text, rules)], "shortened"
        parts = tuple(
            Part(
                text,
                rules.measure(text),
                draft.media if index == 0 else (),
                _part_key(draft, label, index),
            )
            for index, text in enumerate(texts)
        )
        for part in parts:
            client.validate(draft.model_copy(update={"text": part.text, "media": part.media}))
    except SocialkitError as error:
        if error.platform is None:
            error.platform = client.name
        return TargetPlan(
            label, client.name, "error", (), rules.max_length, rules.unit, draft, error
        )
    return TargetPlan(label, client.name, action, parts, rules.max_length, rules.unit, draft)


def _labelled(clients: Mapping[str, C] | Sequence[C]) -> list[tuple[str, C]]:
    if isinstance(clients, Mapping):
        return list(clients.items())
    labelled: list[tuple[str, C]] = []
    seen: dict[str, int] = {}
    for client in clients:
        seen[client.name] = seen.get(client.name, 0) + 1
        count = seen[client.name]
        labelled.append((client.name if count == 1 else f"{client.name}#{count}", client))
    return labelled


def plan(
    draft: DraftLike,
    clients: Mapping[str, AnyClient] | Sequence[AnyClient],
    *,
    overflow: Overflow = "thread",
    numbered: bool = True,
    utm: UTM | None = None,
    variants: Mapping[str, Variant] | None = None,
) -> Plan:
    """What `crosspost` would send to each target; no request is made.

    Counts use the rules each client knows now (Mastodon's defaults until the
    instance's own limits have been fetched by a first publish). With ``utm``,
    links are tagged first (`socialkit.utm.tag_draft`: ``utm_source`` the
    platform, ``utm_content`` the target's label unless ``utm.content`` is set),
    and the length rules apply to the tagged text. ``variants`` maps a target label
    or a platform name to the draft sent there instead (a label's wins).
    """
    if overflow not in ("thread", "shorten", "fail"):
        raise ValueError(f"overflow must be 'thread', 'shorten' or 'fail', not {overflow!r}")
    base = Draft.of(draft)
    pairs = _labelled(clients)
    waits = _dependencies(pairs, variants)
    return Plan(tuple(
        _waiting(label, c, base, waits[label]) if label in waits else
        _plan_target(label, c, _variant(base, variants, label, c.name), overflow, numbered, utm)
        for label, c in pairs
    ))


def _chosen(variants: Mapping[str, Any] | None, label: str, platform: str) -> Any:
    return (variants or {}).get(label, (variants or {}).get(platform))


def _dependencies(
    pairs: Sequence[tuple[str, AnyClient]], variants: Mapping[str, Any] | None
) -> dict[str, After]:
    """The targets whose variant is an `After`, with the label they wait for resolved.

    Raises:
        ValueError: an `After` names no other target, or the waits go round in a circle.
    """
    labels = [label for label, _ in pairs]
    platforms = {c.name: label for label, c in reversed(pairs)}
    waits: dict[str, After] = {}
    for label, client in pairs:
        chosen = _chosen(variants, label, client.name)
        if not isinstance(chosen, After):
            continue
        other = chosen.target if chosen.target in labels else platforms.get(chosen.target)
        if other is None or other == label:
            raise ValueError(f"{label!r} waits for {chosen.target!r}, which is not another target")
        waits[label] = attrs.evolve(chosen, target=other)
    for label in waits:
        seen = {label}
        step = waits[label].target
        while step in waits:
            if step in seen:
                raise ValueError(f"the targets {sorted(seen)} wait for each other in a circle")
            seen.add(step)
            step = waits[step].target
    return waits


def _waiting(label: str, client: AnyClient, base: Draft, after: After) -> TargetPlan:
    rules = client.platform.rules
    return TargetPlan(
        label, client.name, "after", (), rules.max_length, rules.unit, base,
        waits_for=after.target,
    )


def _variant(
    base: Draft, variants: Mapping[str, Variant] | None, label: str, platform: str
) -> Draft:
    """The draft for one target: its label's variant, its platform's, or the base; a variant
    keeps the base's idempotency key, so repeating the crosspost cannot post twice."""
    chosen = _chosen(variants, label, platform)
    if chosen is None or isinstance(chosen, After):
        return base
    return Draft.of(chosen).model_copy(update={"idempotency_key": base.idempotency_key})


@attrs.frozen
class _Adapt:
    """How each target's drafts are adapted, and what the waiting targets are built from
    (kept for the targets built later)."""

    overflow: Overflow
    numbered: bool
    utm: UTM | None
    waits: Mapping[str, After]

    def resolve(
        self, target: TargetPlan, client: AnyClient, done: Mapping[str, TargetResult]
    ) -> TargetPlan | TargetResult:
        """A waiting target's plan built from its dependency's post, or its failed result."""
        after = self.waits.get(target.target)
        if after is None:
            return target
        other = done[after.target]
        if other.post is None or not other.ok:
            why = f"{type(other.error).__name__}: {other.error}" if other.error else "no post"
            error = DependencyFailed(
                f"not published: it links to {after.target}, which failed ({why})",
                platform=client.name,
            )
            return TargetResult(target.target, target.platform, target, (), error)
        try:
            draft = Draft.of(after.build(other.post))
        except Exception as error:  # the caller's build failing is reported, never raised
            if isinstance(error, SocialkitError) and error.platform is None:
                error.platform = client.name
            return TargetResult(target.target, target.platform, target, (), error)
        draft = draft.model_copy(update={"idempotency_key": target.base.idempotency_key})
        return _plan_target(
            target.target, client, draft, self.overflow, self.numbered, self.utm
        )


def _waves(the_plan: Plan) -> list[list[int]]:
    """Target indexes in rounds: each round waits only for targets of earlier rounds."""
    index = {t.target: i for i, t in enumerate(the_plan.targets)}
    placed: dict[int, int] = {}

    def depth(i: int) -> int:
        if i not in placed:
            after = the_plan.targets[i].waits_for
            placed[i] = 0 if after is None else depth(index[after]) + 1
        return placed[i]

    rounds: list[list[int]] = []
    for i in range(len(the_plan.targets)):
        level = depth(i)
        while len(rounds) <= level:
            rounds.append([])
        rounds[level].append(i)
    return rounds


# -- results ------------------------------------------------------------------------------------


@attrs.frozen
class TargetResult(Record):
    """What happened on one target: the posts made (in order) and the error, if any."""

    target: str
    platform: str
    plan: TargetPlan = attrs.field(repr=False)
    posts: tuple[Post, ...] = ()
    error: AnyError | None = None

    @property
    def ok(self) -> bool:
        """Whether every planned post was published."""
        return self.error is None

    @property
    def post(self) -> Post | None:
        """The first post (the thread's root)."""
        return self.posts[0] if self.posts else None

    def describe(self) -> str:
        """One line about this target."""
        made = ", ".join(p.url or p.id for p in self.posts)
        if self.error is None:
            return f"✓ {self.target} ({self.platform}): {len(self.posts)} post(s): {made}"
        partial = ""
        if self.posts:
            partial = f" after {len(self.posts)} of {len(self.plan.parts)} post(s): {made}"
        return (
            f"✗ {self.target} ({self.platform}): {type(self.error).__name__}: {self.error}{partial}"
        )


@attrs.frozen
class CrosspostResult(_ByTarget["TargetResult"], Record):
    """One `TargetResult` per target, in the order the clients were given."""

    results: tuple[TargetResult, ...]

    def _records(self) -> tuple[TargetResult, ...]:
        return self.results

    @property
    def ok(self) -> bool:
        """Whether every target succeeded."""
        return all(r.ok for r in self.results)

    @property
    def succeeded(self) -> list[TargetResult]:
        """The targets where everything was published."""
        return [r for r in self.results if r.ok]

    @property
    def failed(self) -> list[TargetResult]:
        """The targets with an error (and what they published before it)."""
        return [r for r in self.results if not r.ok]

    def __str__(self) -> str:
        head = f"crosspost: {len(self.succeeded)} of {len(self.results)} target(s) published" + (
            f", {len(self.failed)} failed" if self.failed else ""
        )
        return "\n".join([head, *(r.describe() for r in self.results)])

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td>{'✓' if r.ok else '✗'}</td><td>{e(r.target)}</td><td>{e(r.platform)}</td>"
            f"<td>{e(', '.join(p.url or p.id for p in r.posts))}</td>"
            f"<td>{e(f'{type(r.error).__name__}: {r.error}' if r.error else '')}</td></tr>"
            for r in self.results
        )
        return (
            f"<p>{e(str(self).splitlines()[0])}</p><table><tr><th></th><th>target</th>"
            f"<th>platform</th><th>posts</th><th>error</th></tr>{rows}</table>"
        )


# -- publishing ---------------------------------------------------------------------------------


def _publish_sync(client: Client, target: TargetPlan) -> TargetResult:
    posts: list[Post] = []
    if target.error is not None:
        return TargetResult(target.target, target.platform, target, (), target.error)
    try:
        for draft in target.drafts():
            if posts:
                draft = draft.model_copy(update={"reply_to_id": posts[-1].id})
            posts.append(client.publish(draft))
    except Exception as error:  # one target's failure is reported, never raised
        return TargetResult(target.target, target.platform, target, tuple(posts), error)
    return TargetResult(target.target, target.platform, target, tuple(posts))


async def _publish_async(client: AsyncClient, target: TargetPlan) -> TargetResult:
    posts: list[Post] = []
    if target.error is not None:
        return TargetResult(target.target, target.platform, target, (), target.error)
    try:
        for draft in target.drafts():
            if posts:
                draft = draft.model_copy(update={"reply_to_id": posts[-1].id})
            posts.append(await client.publish(draft))
    except Exception as error:  # one target's failure is reported, never raised
        return TargetResult(target.target, target.platform, target, tuple(posts), error)
    return TargetResult(target.target, target.platform, target, tuple(posts))


@overload
def crosspost(
    draft: DraftLike,
    clients: Mapping[str, Client] | Sequence[Client],
    *,
    overflow: Overflow = ...,
    numbered: bool = ...,
    variants: Mapping[str, Variant] | None = ...,
    dry_run: Literal[False] = ...,
    utm: UTM | None = ...,
) -> CrosspostResult: ...
@overload
def crosspost(
    draft: DraftLike,
    clients: Mapping[str, Client] | Sequence[Client],
    *,
    overflow: Overflow = ...,
    numbered: bool = ...,
    variants: Mapping[str, Variant] | None = ...,
    dry_run: Literal[True],
    utm: UTM | None = ...,
) -> Plan: ...
def crosspost(
    draft: DraftLike,
    clients: Mapping[str, Client] | Sequence[Client],
    *,
    overflow: Overflow = "thread",
    numbered: bool = True,
    variants: Mapping[str, Variant] | None = None,
    dry_run: bool = False,
    utm: UTM | None = None,
) -> CrosspostResult | Plan:
    """Publish one draft on every client, adapted to each; or, with ``dry_run``, return the
    `Plan` (the exact texts, counts, media steps and calls) without any request.

    Args:
        draft: The text or `Draft`.
        clients: Clients by label (``{"mastodon": c1, "x": c2}``), or a list (labelled
            by platform name).
        overflow: What to do with a text too long for a platform: ``"thread"`` (split
            where threads exist, else shorten), ``"shorten"``, or ``"fail"`` (that
            target reports `InvalidContent`).
        numbered: Number thread parts `` (i/n)``.
        variants: The draft to send instead, by target label or platform name
            (``{"douyin": video_draft, "weibo": "text with a link"}``), or an `After`
            built from another target's post once it exists (``{"reddit":
            After.link("youtube", "Our launch film")}``).
        dry_run: Return the plan instead of publishing.
        utm: Tag the links with UTM parameters (`socialkit.utm.UTM`), before the
            length rules are applied. A draft's ``keep_links`` option names links
            to leave alone, ``{"utm": False}`` turns tagging off for it.

    Returns:
        One result per target; failures are in it, never raised.
    """
    labelled = _labelled(clients)
    the_plan = plan(
        draft, dict(labelled), overflow=overflow, numbered=numbered, utm=utm, variants=variants
    )
    if dry_run:
        return the_plan
    adapt = _Adapt(overflow, numbered, utm, _dependencies(labelled, variants))
    done: dict[str, TargetResult] = {}
    shown = bar(len(labelled), "crosspost", unit="target") if len(labelled) > 1 else NoBar()

    def publish(client: Client, target: TargetPlan) -> TargetResult:
        result = _publish_sync(client, target)
        shown.update()
        return result

    with shown:
        for wave in _waves(the_plan):
            jobs: list[tuple[Client, TargetPlan]] = []
            for i in wave:
                client = labelled[i][1]
                ready = adapt.resolve(the_plan.targets[i], client, done)
                if isinstance(ready, TargetResult):
                    done[ready.target] = ready
                    shown.update()
                else:
                    jobs.append((client, ready))
            if len(jobs) <= 1:
                results = [publish(c, t) for c, t in jobs]
            else:
                with ThreadPoolExecutor(max_workers=min(len(jobs), 16)) as pool:
                    futures = [pool.submit(publish, c, t) for c, t in jobs]
                    results = [f.result() for f in futures]
            done.update((r.target, r) for r in results)
    return CrosspostResult(tuple(done[t.target] for t in the_plan.targets))


@overload
async def acrosspost(
    draft: DraftLike,
    clients: Mapping[str, AsyncClient] | Sequence[AsyncClient],
    *,
    overflow: Overflow = ...,
    numbered: bool = ...,
    variants: Mapping[str, Variant] | None = ...,
    dry_run: Literal[False] = ...,
    utm: UTM | None = ...,
) -> CrosspostResult: ...
@overload
async def acrosspost(
    draft: DraftLike,
    clients: Mapping[str, AsyncClient] | Sequence[AsyncClient],
    *,
    overflow: Overflow = ...,
    numbered: bool = ...,
    variants: Mapping[str, Variant] | None = ...,
    dry_run: Literal[True],
    utm: UTM | None = ...,
) -> Plan: ...
async def acrosspost(
    draft: DraftLike,
    clients: Mapping[str, AsyncClient] | Sequence[AsyncClient],
    *,
    overflow: Overflow = "thread",
    numbered: bool = True,
    variants: Mapping[str, Variant] | None = None,
    dry_run: bool = False,
    utm: UTM | None = None,
) -> CrosspostResult | Plan:
    """`crosspost` with async clients; targets are published concurrently in a task group."""
    labelled = _labelled(clients)
    the_plan = plan(
        draft, dict(labelled), overflow=overflow, numbered=numbered, utm=utm, variants=variants
    )
    if dry_run:
        return the_plan
    adapt = _Adapt(overflow, numbered, utm, _dependencies(labelled, variants))
    done: dict[str, TargetResult] = {}
    shown = bar(len(labelled), "crosspost", unit="target") if len(labelled) > 1 else NoBar()

    async def run(client: AsyncClient, target: TargetPlan) -> None:
        result = await _publish_async(client, target)
        done[result.target] = result
        shown.update()

    with shown:
        for wave in _waves(the_plan):
            async with anyio.create_task_group() as group:
                for i in wave:
                    client = labelled[i][1]
                    ready = adapt.resolve(the_plan.targets[i], client, done)
                    if isinstance(ready, TargetResult):
                        done[ready.target] = ready
                        shown.update()
                    else:
                        group.start_soon(run, client, ready)
    return CrosspostResult(tuple(done[t.target] for t in the_plan.targets))
