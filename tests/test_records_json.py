"""Every record a user receives serialises to JSON and reads back with one call.

The call is pydantic's on every record, models and attrs records alike:
``record.model_dump_json()`` and ``Type.model_validate_json(text)`` (or
``model_dump(mode="json")`` / ``model_validate`` around `json.dumps`). Every public
class of the public modules is either round-tripped here, from an instance with
every field filled, or listed in ``NOT_RECORDS`` with the reason; so a new public
record type without a round trip fails.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pytest
from pydantic import AwareDatetime, BaseModel, SecretStr

from socialkit.models import (
    Account,
    Comment,
    Draft,
    Media,
    MediaUpload,
    Mention,
    Metric,
    Post,
    ResultPage,
)
from tests.test_reference import PUBLIC_MODULES

AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
AUTHOR = Account(platform="mastodon", id="7", handle="ana", followers=3, raw={"acct": "ana"})
RECORDS: list[BaseModel] = [
    AUTHOR,
    Post(
        platform="mastodon",
        id="1",
        text="Hello ✨",
        author=AUTHOR,
        created_at=AT,
        media=(Media(kind="image", id="m1", url="https://files.example/1.png"),),
        metrics={"likes": 2},
        content_warning="spoilers",
        raw={"id": "1", "content": "<p>Hello ✨</p>"},
    ),
    Comment(
        platform="mastodon", id="2", thread_root_id="1", reply_to_id="1", author=AUTHOR, text="Hi"
    ),
    Mention(platform="mastodon", id="3", kind="mention", post_id="4", author=AUTHOR, text="@b"),
    Metric(
        platform="mastodon",
        subject="post",
        subject_id="1",
        name="likes",
        value=2,
        collected_at=AT,
    ),
    Draft(text="Hello", reply_to_id="1", options={"tags": ["a"]}),
    MediaUpload(data=b"\x89PNG", mime_type="image/png", alt_text="a dot"),
    ResultPage[Post](items=[], next_cursor="c2"),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_record_round_trips_through_json_dumps(record: BaseModel) -> None:
    text = json.dumps(record.model_dump(mode="json"))
    again = type(record).model_validate(json.loads(text))
    assert again == record


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_record_round_trips_through_model_dump_json(record: BaseModel) -> None:
    assert type(record).model_validate_json(record.model_dump_json()) == record


def test_raw_payloads_are_left_out_unless_asked_for() -> None:
    post = RECORDS[1]
    assert isinstance(post, Post)
    plain = json.loads(post.model_dump_json())
    assert "raw" not in plain
    assert "raw" not in plain["author"]
    full = json.loads(post.model_dump_json(context={"raw": True}))
    assert full["raw"] == {"id": "1", "content": "<p>Hello ✨</p>"}
    assert full["author"]["raw"] == {"acct": "ana"}
    assert Post.model_validate(full).raw == post.raw


# -- every public record type ---------------------------------------------------------------

NOT_RECORDS: dict[str, str] = {
    # secrets: never written out by a generic call
    "socialkit.credentials.configs.LoginConfig": "an app's login settings, with its client secret",
    "socialkit.auth.exchanges.MastodonApp": "a registered app, with its client secret",
    "socialkit.auth.exchanges.PageToken": "a Page access token",
    "socialkit.credentials.session.SessionGrant": "an access token",
    "socialkit.auth.stored.StoredProfile": "a saved login; the token stores write it",
    "socialkit.auth.stored.StoredToken": "a saved token; the token stores write it",
    "socialkit.auth.oauth2.AuthorizationRequest": "a login in progress, with its PKCE verifier",
    "socialkit.platform.PlatformSettings": "connection settings, with credentials",
    # behaviour: callables, live state or wire-level steps, not results
    "socialkit.auth.logins.Interaction": "the prompt and browser callables of a login",
    "socialkit.steps.Call": "one HTTP exchange a flow yields",
    "socialkit.steps.Sleep": "a wait a flow yields",
    "socialkit.text.TextRules": "holds the platform's counting function",
    "socialkit.uploads.ChunkedUpload": "the state of an upload in progress, with a callback",
    "socialkit.events.stream.SSEMessage": "one frame of a server-sent event stream",
    "socialkit.events.stream.StreamSpec": "holds a decoder factory",
    "socialkit.events.watch.WatchPolicy": "settings of watch()",
    "socialkit.http.Limits": "client settings",
    "socialkit.http.RetryPolicy": "client settings",
    "socialkit.monitoring.alerts.WebhookSender": "an alert sender with its secret and clock",
    "socialkit.monitoring.dedup.Deduplicator": "a stateful filter",
    "socialkit.monitoring.spikes.SpikeDetector": "a stateful detector",
    "socialkit.monitoring.topics.TopicModel": "holds an embedder",
    "socialkit.webhooks.receiver.Receipt": "the HTTP answer to send back to a webhook",
    # inputs the user writes, not records received
    "socialkit.crosspost.After": "a variant the user writes, holding its build callable",
    "socialkit.privacy.minimize.Profile": "a minimisation setting",
    "socialkit.privacy.retention.RetentionPolicy": "a retention setting",
    "socialkit.replies.templates.Template": "a reply template the user writes",
    "socialkit.utm.UTM": "link-tagging settings",
}


def _public_classes() -> dict[str, type]:
    """Every attrs, pydantic or dataclass class in a public module's ``__all__``."""
    found: dict[str, type] = {}
    for name in PUBLIC_MODULES:
        module = importlib.import_module(name)
        for attr in module.__all__:
            obj = getattr(module, attr)
            if not inspect.isclass(obj) or issubclass(obj, BaseException):
                continue
            if attrs.has(obj) or issubclass(obj, BaseModel):
                found.setdefault(f"{obj.__module__}.{obj.__qualname__}", obj)
    return found


PUBLIC = _public_classes()
RECORD_TYPES = {name: cls for name, cls in sorted(PUBLIC.items()) if name not in NOT_RECORDS}


# Values for fields whose type alone does not make a valid instance.
FIELD_VALUES: dict[tuple[str, str], Any] = {
    ("PiiMatch", "end"): 5,
    ("Report", "columns"): {"platform": ("mastodon",), "likes": (3,), "published_at": (AT,)},
    ("Report", "kinds"): {"platform": "text", "likes": "number"},
    ("Report", "formats"): {"likes": "{:,}"},
    ("BestTimes", "mean"): tuple((1.5,) * 24 for _ in range(7)),
    ("BestTimes", "posts"): tuple((1,) * 24 for _ in range(7)),
    ("Slot", "rrule"): "FREQ=WEEKLY;BYDAY=MO",
    ("SlotSuggestion", "weekday"): 0,
    ("SlotSuggestion", "hour"): 9,
    ("SlotSuggestion", "minute"): 30,
    ("Measure", "value"): 0.25,
    ("*", "tz"): "Europe/Berlin",
    ("Slot", "start"): datetime(2025, 3, 3, 9, 0),  # a local wall time
    ("Measure", "inputs"): {"likes": 1, "impressions": 4},
}


def _sample(tp: Any, owner: str = "", field: str = "") -> Any:
    """A filled-in value of type ``tp`` (the first choice of unions and literals)."""
    for key in ((owner, field), ("*", field)):
        if key in FIELD_VALUES:
            return FIELD_VALUES[key]
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        return _sample(args[0], owner, field)
    if origin in (typing.Union, types.UnionType):
        chosen = [a for a in args if a is not type(None)]
        return _sample(chosen[0], owner, field)
    if origin is typing.Literal:
        return args[0]
    if origin in (tuple,):
        if len(args) == 2 and args[1] is Ellipsis:
            return (_sample(args[0], owner, field),)
        return tuple(_sample(a, owner, field) for a in args)
    if origin in (list, Sequence):
        return [_sample(args[0], owner, field)]
    if origin in (frozenset, set):
        return origin({_sample(args[0], owner, field)})
    if origin in (dict, Mapping):
        return {_sample(args[0], owner, field): _sample(args[1], owner, field)}
    return _leaf(tp, owner, field)


def _leaf(tp: Any, owner: str, field: str) -> Any:
    from socialkit.errors import RateLimited
    from socialkit.metrics import MetricTable

    if tp is Any or tp is object:
        return "value"
    if tp is str:
        return f"{field or 'text'}-1"
    if tp is bool:
        return True
    if tp is int:
        return 2
    if tp is float:
        return 0.5
    if tp is datetime or tp is AwareDatetime:
        return AT
    if tp is date:
        return AT.date()
    if tp is timedelta:
        return timedelta(minutes=5)
    if tp is bytes:
        return b"\x00\x01"
    if tp is SecretStr:
        return SecretStr("s")
    if inspect.isclass(tp) and issubclass(tp, enum.Enum):
        return next(iter(tp))
    if inspect.isclass(tp) and issubclass(tp, BaseException):
        return RateLimited("slow down", platform="mastodon", retry_after=3.0, reset_at=AT)
    if tp is MetricTable:
        return MetricTable([_sample(_model("Metric"))], posts=[POST])
    if inspect.isclass(tp) and tp.__name__ in SAMPLES:
        return SAMPLES[tp.__name__]
    if inspect.isclass(tp) and (attrs.has(tp) or issubclass(tp, BaseModel)):
        return populated(tp)
    raise AssertionError(f"no sample for {tp!r} ({owner}.{field}): add one to FIELD_VALUES")


def _model(name: str) -> type:
    import socialkit.models

    return getattr(socialkit.models, name)  # type: ignore[no-any-return]


def populated(cls: type) -> Any:
    """An instance of ``cls`` with every init field given a value."""
    if cls.__name__ in SAMPLES:
        return SAMPLES[cls.__name__]
    hints = typing.get_type_hints(cls, include_extras=True)
    values: dict[str, Any] = {}
    if attrs.has(cls):
        for f in attrs.fields(cls):
            if f.init:
                values[f.alias] = _sample(hints[f.name], cls.__name__, f.name)
    else:
        assert issubclass(cls, BaseModel)
        for name, info in cls.model_fields.items():
            if name == "raw":
                continue
            values[info.alias or name] = _sample(hints[name], cls.__name__, name)
    return cls(**values)


SAMPLES: dict[str, Any] = {
    "Post": RECORDS[1],
    "Account": AUTHOR,
    "Comment": RECORDS[2],
    "Mention": RECORDS[3],
    "Metric": RECORDS[4],
    "Draft": RECORDS[5],
    "MediaUpload": RECORDS[6],
    "ResultPage": RECORDS[7],
}
POST = RECORDS[1]


def _same(again: Any, record: Any) -> bool:
    """Equal as values; records without value equality (attrs ``eq=False``) by their JSON."""
    if attrs.has(type(record)) and "__eq__" not in vars(type(record)):
        return bool(again.model_dump() == record.model_dump())  # python objects, not text
    return bool(again == record)


@pytest.mark.parametrize("name", list(RECORD_TYPES))
def test_every_public_record_round_trips_through_json_dumps(name: str) -> None:
    cls = RECORD_TYPES[name]
    record = populated(cls)
    text = json.dumps(record.model_dump(mode="json"))
    again = cls.model_validate(json.loads(text))
    assert type(again) is cls
    assert _same(again, record)


@pytest.mark.parametrize("name", list(RECORD_TYPES))
def test_every_public_record_round_trips_through_model_dump_json(name: str) -> None:
    cls = RECORD_TYPES[name]
    record = populated(cls)
    assert _same(cls.model_validate_json(record.model_dump_json()), record)


def test_the_records_found_are_the_ones_users_receive() -> None:
    for expected in ("InboxItem", "BotReport", "Collection", "Entry", "Outcome", "RefreshReport",
                     "SendReport", "Post", "Measure", "CrosspostResult", "PollReport"):
        assert expected in {cls.__name__ for cls in RECORD_TYPES.values()}
    assert len(RECORD_TYPES) > 60


def test_every_exemption_names_a_public_class() -> None:
    assert set(NOT_RECORDS) <= set(PUBLIC)


def test_an_attrs_record_without_the_json_calls_is_caught() -> None:
    @attrs.frozen
    class Plain:
        at: datetime

    with pytest.raises(AttributeError):
        populated(Plain).model_dump_json()


@pytest.mark.parametrize("name", list(RECORD_TYPES))
def test_every_public_record_has_a_json_schema(name: str) -> None:
    schema = RECORD_TYPES[name].model_json_schema()
    assert schema.get("type") == "object" or "$ref" in schema or "properties" in schema


def test_an_error_reads_back_as_its_class_with_its_attributes() -> None:
    from socialkit.errors import SocialkitError, Unsupported
    from socialkit.replies import RefreshReport

    error = Unsupported("moderate is not supported", capability="moderate", platform="x")
    error.name_operation("hide_comment")
    report = RefreshReport([], 0, {"x": error})
    again = RefreshReport.model_validate_json(report.model_dump_json())
    assert type(again.errors["x"]) is Unsupported
    assert again.errors["x"] == error
    assert str(again.errors["x"]) == str(error)
    assert again.errors["x"] != SocialkitError(error.message, platform="x")


def test_another_exception_keeps_its_builtin_class_and_message() -> None:
    from socialkit.crosspost import TargetResult

    result = populated(TargetResult)
    failed = attrs.evolve(result, error=ValueError("bad media"))
    again = TargetResult.model_validate_json(failed.model_dump_json())
    assert type(again.error) is ValueError
    assert str(again.error) == "bad media"
