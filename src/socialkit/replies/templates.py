"""Reply templates: safe ``$variable`` substitution, language variants, length checks.

The syntax is `string.Template`'s: ``$name`` or ``${name}``, and ``$$`` for a
literal ``$``. Only plain names are substituted, with values that are plain
strings: there is no attribute access, indexing or format spec, so a template
(or a hostile display name) cannot reach into Python objects. A template that
names a variable nobody provides fails when it is created, not when a reply
is sent.

Variables every template may use:

- ``name``: the author's display name (``@`` and ``#`` removed, so a display
  name cannot mention or tag anyone), or their handle;
- ``handle``: ``@handle``;
- ``platform``: the platform name;
- ``link``: the permalink of the message being answered;

plus the fixed ``variables`` given to the template (``brand``, ``faq_url``, ...).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Final

import attrs

from ..errors import ConfigError, InvalidContent
from ..text import TextRules
from .items import InboxItem

__all__ = ["VARIABLES", "Template", "item_values"]

VARIABLES: Final[frozenset[str]] = frozenset({"name", "handle", "platform", "link"})
"""The variables filled from the item being answered."""

_NAME_LIMIT = 60


def _clean_name(value: str) -> str:
    cleaned = " ".join(value.replace("@", " ").replace("#", " ").split())
    return cleaned[:_NAME_LIMIT].strip()


def item_values(item: InboxItem) -> dict[str, str]:
    """The built-in variables for answering ``item``."""
    author = item.author
    handle = item.handle or ""
    name = _clean_name(author.display_name or "") if author else ""
    return {
        "name": name or _clean_name(handle.split("@")[0]),
        "handle": f"@{handle}" if handle else "",
        "platform": item.platform,
        "link": item.url or "",
    }


def _frozen_map(value: Mapping[str, str]) -> Mapping[str, str]:
    return dict(value)


@attrs.frozen
class Template:
    """A reply with per-language variants.

    Attributes:
        variants: Text per language (``{"en": "Hi $name!", "zh": "$name 您好！"}``).
        name: How errors call it.
        default_language: The variant used when the item's language has none
            (else the first variant).
        variables: Fixed values the texts may use besides `VARIABLES`.

    ```python
    thanks = Template({"en": "Thanks $name! 🙏", "zh": "谢谢$name！"}, name="thanks")
    thanks.render(item, rules=client.platform.rules)
    ```
    """

    variants: Mapping[str, str] = attrs.field(converter=_frozen_map)
    name: str = "template"
    default_language: str = "en"
    variables: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_map)

    def __attrs_post_init__(self) -> None:
        if not self.variants:
            raise ConfigError(f"template {self.name!r} has no text", field=self.name)
        known = VARIABLES | set(self.variables)
        for language, text in self.variants.items():
            where = f"template {self.name!r} ({language})"
            if not isinstance(text, str) or not text.strip():
                raise ConfigError(f"{where} is empty", field=f"{self.name}.{language}")
            parsed = string.Template(text)
            if not parsed.is_valid():
                raise ConfigError(
                    f"{where}: a '$' must start a variable ($name or ${{name}}); "
                    "write $$ for a literal dollar sign",
                    field=f"{self.name}.{language}",
                )
            unknown = sorted(set(parsed.get_identifiers()) - known)
            if unknown:
                raise ConfigError(
                    f"{where} uses unknown variable(s) {', '.join('$' + u for u in unknown)}; "
                    f"known: {', '.join('$' + k for k in sorted(known))}",
                    field=f"{self.name}.{language}",
                )

    @classmethod
    def of(
        cls,
        value: str | Mapping[str, str] | Template,
        *,
        name: str = "template",
        variables: Mapping[str, str] | None = None,
    ) -> Template:
        """A template from a text (one variant for every language) or a mapping of variants."""
        if isinstance(value, Template):
            return value
        variants = {"en": value} if isinstance(value, str) else dict(value)
        return cls(variants, name=name, variables=variables or {})

    @property
    def identifiers(self) -> frozenset[str]:
        """Every variable the variants use."""
        return frozenset(
            name
            for text in self.variants.values()
            for name in string.Template(text).get_identifiers()
        )

    def variant(self, language: str | None) -> tuple[str, str]:
        """``(language, text)`` of the variant for ``language`` (``zh-TW`` falls back to ``zh``)."""
        for candidate in (language, (language or "").split("-")[0], self.default_language):
            if candidate and candidate in self.variants:
                return candidate, self.variants[candidate]
        first = next(iter(self.variants))
        return first, self.variants[first]

    def fill(self, values: Mapping[str, str], language: str | None = None) -> str:
        """The text for ``language`` with ``values`` (and the fixed variables) substituted."""
        _, text = self.variant(language)
        return string.Template(text).substitute({**self.variables, **values})

    def render(
        self,
        item: InboxItem,
        *,
        rules: TextRules | None = None,
        values: Mapping[str, str] | None = None,
    ) -> str:
        """The reply to ``item``, in its language, checked against the platform's ``rules``.

        Raises:
            InvalidContent: The text does not fit ``rules`` (the message gives the count).
        """
        language, _ = self.variant(item.language)
        text = self.fill({**item_values(item), **(values or {})}, item.language)
        if rules is not None and not rules.fits(text):
            count = rules.measure(text)
            raise InvalidContent(
                f"template {self.name!r} ({language}) renders to {count} {rules.unit} for "
                f"{item.key}; {item.platform} allows {rules.max_length}",
                rule="max_length",
                count=count,
                limit=rules.max_length,
                platform=item.platform,
            )
        return text
