"""Brand monitoring: listening across platforms, sentiment, spikes, alerts and crisis mode.

```python
from socialkit.monitoring import CrisisPolicy, Monitor, WebhookSender

monitor = Monitor([mastodon, bluesky], ["@brand", "#SpringLaunch", "refund*"])
monitor.on_alert(WebhookSender("https://hooks.example.com/social", secret=SECRET))
monitor.on_alert(CrisisPolicy(calendar=cal))      # pauses publishing on a crisis
while True:
    report = monitor.poll()                       # new hits, de-duplicated, scored
    time.sleep(300)
```

- `Query`: keyword (``refund*``), hashtag, handle and mentions queries.
- `LexiconScorer` / `SentimentScorer`: English and Chinese sentiment, or your own scorer.
- `SpikeDetector`: volume and negative-share spikes against a robust rolling baseline.
- `Alert`, `WebhookSender`, `verify_signature`: callbacks and signed webhooks.
- `CrisisPolicy`: pause the content calendar when a crisis alert fires.
- `TextVectorizer`, `tokenize`, `Embedder`: English and Chinese words as TF-IDF vectors
  (the ``insights`` extra), or your own embedding model.
"""

from .alerts import (
    SIGNATURE_HEADER,
    Alert,
    AlertHandler,
    Severity,
    WebhookSender,
    sign,
    verify_signature,
)
from .crisis import Crisis, CrisisPolicy, Pausable
from .dedup import Deduplicator
from .monitor import Bucket, Hit, Monitor, PollReport
from .queries import Query, QueryKind
from .sentiment import LexiconScorer, Polarity, SentimentScorer, label
from .spikes import Spike, SpikeDetector, SpikeKind
from .vectors import Embedder, TextVectorizer, TfidfEmbedder, tokenize

__all__ = [
    "SIGNATURE_HEADER",
    "Alert",
    "AlertHandler",
    "Bucket",
    "Crisis",
    "CrisisPolicy",
    "Deduplicator",
    "Embedder",
    "Hit",
    "LexiconScorer",
    "Monitor",
    "Pausable",
    "Polarity",
    "PollReport",
    "Query",
    "QueryKind",
    "SentimentScorer",
    "Severity",
    "Spike",
    "SpikeDetector",
    "SpikeKind",
    "TextVectorizer",
    "TfidfEmbedder",
    "WebhookSender",
    "label",
    "sign",
    "tokenize",
    "verify_signature",
]
