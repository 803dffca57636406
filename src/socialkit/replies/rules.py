"""Triage rules: an ordered, declarative list of conditions → actions.

```toml
[variables]
faq = "https://example.com/help/shipping"

[templates.shipping]
en = "Hi $name! We ship to 40 countries: $faq"
zh = "$name 您好！我们支持国际配送：$faq"

[[rules]]
name = "shipping-faq"
when = { keywords = ["ship*", "delivery", "发货"], sentiment = "neutral" }
then = { label = "faq", auto_reply = "shipping", stop = true }

[[rules]]
name = "complaints"
when = { sentiment = "negative" }
then = { label = "complaint", priority = "high", assign = "care-team" }
```

**Conditions** (all given ones must hold; a list matches when any element does):
``keywords`` (whole words, case-insensitive, ``ship*`` for word endings),
``regex`` (Python syntax, searched), ``language``, ``sentiment``
(``"negative"``/``"neutral"``/``"positive"`` or ``{below = -0.5}`` /
``{above = 0.3}``), ``author`` (handles, ``fnmatch`` patterns allowed),
``platform``, ``post`` (the brand post a comment is under), ``kind``
(``comment``, ``mention``, ``reply``, ``quote``, ``message``).

**Actions**: ``label`` (one or more), ``priority`` (low, normal, high, urgent),
``assign``, ``auto_reply`` (a template name), ``escalate``, ``ignore``, ``stop``.

**Order is precedence.** Rules run top to bottom; labels accumulate, and for
``priority``, ``assign`` and ``auto_reply`` the first rule that sets one wins.
``stop`` ends the evaluation after its rule. Between outcomes, escalate beats
ignore, which beats an auto-reply.

Everything is checked when the rules are loaded: an unknown field, a bad
regular expression, a template that does not exist or uses an unknown
variable is a `ConfigError` naming the rule and the field.
"""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Literal

import attrs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .._records import Record
from ..errors import ConfigError
from ..monitoring.queries import keyword_pattern
from ..monitoring.sentiment import Polarity, label
from .items import InboxItem, Priority
from .templates import Template

__all__ = ["Actions", "Conditions", "Decision", "Rule", "RuleSet", "SentimentRange"]

Outcome = Literal["escalated", "ignored", "auto_reply", "triaged"]
_TOP_LEVEL: Final = frozenset({"rules", "templates", "variables"})


def _tuple(value: Any) -> Any:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SentimentRange(_Strict):
    """A sentiment score bound: ``below`` and/or ``above`` (scores run from -1 to 1)."""

    below: float | None = Field(default=None, ge=-1, le=1)
    above: float | None = Field(default=None, ge=-1, le=1)


class Conditions(_Strict):
    """What an item must satisfy for a rule to apply (every given condition)."""

    keywords: tuple[str, ...] = ()
    regex: str | None = None
    language: tuple[str, ...] = ()
    sentiment: SentimentRange | Polarity | None = None
    author: tuple[str, ...] = ()
    platform: tuple[str, ...] = ()
    post: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()

    _lists = field_validator(
        "keywords", "language", "author", "platform", "post", "kind", mode="before"
    )(_tuple)

    @field_validator("sentiment", mode="before")
    @classmethod
    def _polarity(cls, value: Any) -> Any:
        if isinstance(value, str) and value not in ("negative", "neutral", "positive"):
            raise ValueError(
                "must be 'negative', 'neutral' or 'positive', or a table {below = ..., above = ...}"
            )
        return value

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for keyword in value:
            try:
                keyword_pattern(keyword)
            except ConfigError as exc:
                raise ValueError(exc.message) from None
        return value

    @field_validator("regex")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"invalid regular expression: {exc}") from None
        return value

    def matches(self, item: InboxItem) -> bool:
        """Whether ``item`` satisfies every condition given."""
        return all(check(item) for check in self._checks())

    def _checks(self) -> list[Callable[[InboxItem], bool]]:
        checks: list[Callable[[InboxItem], bool]] = []
        if self.keywords:
            patterns = [keyword_pattern(k) for k in self.keywords]
            checks.append(lambda i: any(p.search(i.text) for p in patterns))
        if self.regex is not None:
            pattern = re.compile(self.regex)
            checks.append(lambda i: pattern.search(i.text) is not None)
        if self.language:
            checks.append(lambda i: i.language in self.language)
        if self.sentiment is not None:
            checks.append(self._sentiment)
        if self.author:
            patterns_ = [a.lstrip("@").lower() for a in self.author]
            checks.append(
                lambda i: any(fnmatch.fnmatchcase((i.handle or "").lower(), p) for p in patterns_)
            )
        if self.platform:
            checks.append(lambda i: i.platform in self.platform)
        if self.post:
            checks.append(lambda i: i.thread_root_id in self.post)
        if self.kind:
            checks.append(lambda i: i.kind in self.kind or bool(set(self.kind) & i.sources))
        return checks

    def _sentiment(self, item: InboxItem) -> bool:
        wanted = self.sentiment
        if isinstance(wanted, SentimentRange):
            return (wanted.below is None or item.sentiment < wanted.below) and (
                wanted.above is None or item.sentiment > wanted.above
            )
        return label(item.sentiment) == wanted


class Actions(_Strict):
    """What a rule does to the items it matches."""

    label: tuple[str, ...] = ()
    priority: Priority | None = None
    assign: str | None = None
    auto_reply: str | None = None
    escalate: bool = False
    ignore: bool = False
    stop: bool = False

    _labels = field_validator("label", mode="before")(_tuple)


class Rule(_Strict):
    """One rule: a name, its conditions (``when``) and its actions (``then``)."""

    name: str = Field(min_length=1)
    when: Conditions = Conditions()
    then: Actions = Actions()


@attrs.frozen
class Decision(Record):
    """What the rules decided for one item.

    Attributes:
        matched: The names of the rules that applied, in order.
        labels, priority, assignee: What to set.
        auto_reply: The template to answer with, if any.
        escalate, ignore: Whether to escalate or ignore it.
    """

    matched: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    priority: Priority | None = None
    assignee: str | None = None
    auto_reply: str | None = None
    escalate: bool = False
    ignore: bool = False

    @property
    def outcome(self) -> Outcome:
        """The stage it leads to: escalate beats ignore, which beats an auto-reply."""
        if self.escalate:
            return "escalated"
        if self.ignore:
            return "ignored"
        return "auto_reply" if self.auto_reply else "triaged"


def _error(where: str, field: str, exc: ValidationError) -> ConfigError:
    first = exc.errors(include_url=False, include_input=False)[0]
    loc = ".".join(  # union members show up in the path as 'literal[...]' or a class name
        str(part)
        for part in first["loc"]
        if isinstance(part, int) or (part.isidentifier() and not part[:1].isupper())
    )
    message = str(first["msg"]).removeprefix("Value error, ")
    return ConfigError(f"{where}: {loc}: {message}", field=f"{field}.{loc}" if loc else field)


class RuleSet:
    """Ordered triage rules with the templates their auto-replies use.

    Args:
        rules: `Rule` objects or their dict form.
        templates: Templates by name (a `Template`, a text, or ``{language: text}``).
        variables: Fixed values every template may use (``brand``, ``faq``, ...).

    ```python
    rules = RuleSet.load("triage.toml")
    decision = rules.evaluate(item)
    ```
    """

    def __init__(
        self,
        rules: Iterable[Rule | Mapping[str, Any]] = (),
        *,
        templates: Mapping[str, Template | str | Mapping[str, str]] | None = None,
        variables: Mapping[str, str] | None = None,
    ) -> None:
        self.variables = dict(variables or {})
        self.templates: dict[str, Template] = {}
        for name, value in (templates or {}).items():
            if isinstance(value, Template):
                merged = {**self.variables, **value.variables}
                self.templates[name] = attrs.evolve(value, variables=merged)
            elif isinstance(value, str | Mapping):
                self.templates[name] = Template.of(value, name=name, variables=self.variables)
            else:
                raise ConfigError(
                    f"template {name!r} must be a text or a table of texts by language",
                    field=f"templates.{name}",
                )
        self.rules: list[Rule] = []
        for index, raw in enumerate(rules):
            self.rules.append(self._rule(index, raw))

    def _rule(self, index: int, raw: Rule | Mapping[str, Any]) -> Rule:
        field = f"rules[{index}]"
        name = raw.name if isinstance(raw, Rule) else str(raw.get("name") or f"#{index + 1}")
        where = f"rule {name!r}"
        try:
            rule = raw if isinstance(raw, Rule) else Rule.model_validate(dict(raw))
        except ValidationError as exc:
            raise _error(where, field, exc) from None
        if any(r.name == rule.name for r in self.rules):
            raise ConfigError(f"{where}: the name is used twice", field=f"{field}.name")
        template = rule.then.auto_reply
        if template is not None and template not in self.templates:
            known = ", ".join(sorted(self.templates)) or "none defined"
            raise ConfigError(
                f"{where}: then.auto_reply: no template {template!r} (templates: {known})",
                field=f"{field}.then.auto_reply",
            )
        return rule

    def __repr__(self) -> str:
        return f"RuleSet(rules={[r.name for r in self.rules]}, templates={sorted(self.templates)})"

    def __len__(self) -> int:
        return len(self.rules)

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleSet:
        """Rules from parsed TOML or JSON: ``rules``, ``templates``, ``variables``."""
        unknown = sorted(set(data) - _TOP_LEVEL)
        if unknown:
            raise ConfigError(
                f"unknown top-level key(s) {unknown}; expected rules, templates, variables",
                field=unknown[0],
            )
        rules = data.get("rules", [])
        if not isinstance(rules, Sequence) or isinstance(rules, str):
            raise ConfigError("rules must be a list of tables", field="rules")
        for index, rule in enumerate(rules):
            if not isinstance(rule, Mapping):
                raise ConfigError(f"rule #{index + 1} must be a table", field=f"rules[{index}]")
        variables = data.get("variables", {})
        if not isinstance(variables, Mapping) or not all(
            isinstance(v, str) for v in variables.values()
        ):
            raise ConfigError("variables must map names to texts", field="variables")
        return cls(rules, templates=data.get("templates") or {}, variables=variables)

    @classmethod
    def from_toml(cls, text: str) -> RuleSet:
        """Rules from TOML text."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"invalid TOML: {exc}", field="rules") from None
        return cls.from_dict(data)

    @classmethod
    def from_json(cls, text: str) -> RuleSet:
        """Rules from JSON text."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ConfigError(f"invalid JSON: {exc}", field="rules") from None
        if not isinstance(data, Mapping):
            raise ConfigError("a rules file must hold an object", field="rules")
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | Path) -> RuleSet:
        """Rules from a ``.toml`` or ``.json`` file."""
        file = Path(path)
        text = file.read_text(encoding="utf-8")
        return cls.from_json(text) if file.suffix.lower() == ".json" else cls.from_toml(text)

    # -- evaluation ------------------------------------------------------------------------

    def evaluate(self, item: InboxItem) -> Decision:
        """Run the rules over ``item``, in order."""
        matched: list[str] = []
        labels: list[str] = []
        priority: Priority | None = None
        assignee: str | None = None
        auto_reply: str | None = None
        escalate = ignore = False
        for rule in self.rules:
            if not rule.when.matches(item):
                continue
            matched.append(rule.name)
            then = rule.then
            labels.extend(x for x in then.label if x not in labels)
            priority = priority or then.priority
            assignee = assignee or then.assign
            auto_reply = auto_reply or then.auto_reply
            escalate = escalate or then.escalate
            ignore = ignore or then.ignore
            if then.stop:
                break
        return Decision(
            matched=tuple(matched),
            labels=tuple(labels),
            priority=priority,
            assignee=assignee,
            auto_reply=auto_reply,
            escalate=escalate,
            ignore=ignore,
        )
