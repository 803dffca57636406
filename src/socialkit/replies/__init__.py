"""Reply workflows: a unified inbox, triage rules, templates, approvals, SLA and bots.

```python
from socialkit.replies import Inbox, InboxStore, RuleSet

inbox = Inbox([mastodon, bluesky], InboxStore("inbox.db"), rules=RuleSet.load("triage.toml"))
inbox.refresh()                                   # incremental; FAQ answers drafted and approved
item = inbox.items("triaged")[0]
inbox.draft_reply(item, "So sorry! DM us your order number.", by="sam")
inbox.approve(item, by="lee")
inbox.send()                                   # every approved reply exactly once
```

- `Inbox`, `InboxStore`, `InboxItem`, `Stage`: the items and their workflow.
- `RuleSet`, `Rule`, `Template`: declarative triage (TOML/JSON) and safe templates.
- `sla_report`, `percentile`: first-response figures.
- `InboxStatus` (`Inbox.status`, ``socialkit inbox status``): are the consumers running?
- `Bot`: ``@bot.on_mention(...)`` handlers on the same ledger.
- `Suggester`, `AnswerIndex`, `Drafter`: the best past answers for a new item, drafted
  for approval (the ``insights`` extra).
"""

from .approval import SendOutcome
from .bot import Bot, BotReport, Handler
from .inbox import Inbox, RefreshReport, SendReport
from .items import PRIORITIES, TRANSITIONS, InboxItem, InvalidTransition, Priority, Stage
from .rules import Actions, Conditions, Decision, Rule, RuleSet, SentimentRange
from .sla import Response, SlaFigures, SlaReport, percentile, sla_report
from .status import ConsumerStatus, InboxStatus, UncertainReply
from .store import Event, InboxStore
from .suggest import AnswerIndex, CharVectorizer, Drafter, Suggester, Suggestion, Vectorizer
from .templates import VARIABLES, Template

__all__ = [
    "PRIORITIES",
    "TRANSITIONS",
    "VARIABLES",
    "Actions",
    "AnswerIndex",
    "Bot",
    "BotReport",
    "CharVectorizer",
    "Conditions",
    "ConsumerStatus",
    "Decision",
    "Drafter",
    "Event",
    "Handler",
    "Inbox",
    "InboxItem",
    "InboxStatus",
    "InboxStore",
    "InvalidTransition",
    "Priority",
    "RefreshReport",
    "Response",
    "Rule",
    "RuleSet",
    "SendOutcome",
    "SendReport",
    "SentimentRange",
    "SlaFigures",
    "SlaReport",
    "Stage",
    "Suggester",
    "Suggestion",
    "Template",
    "UncertainReply",
    "Vectorizer",
    "percentile",
    "sla_report",
]
