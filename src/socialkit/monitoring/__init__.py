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
- `digest`, `Digest`, `TopicModel`, `TopicSpikes`: topics of the mentions and comments,
  what is new, what needs an answer, spikes per topic (the ``insights`` extra).
- `detect_language`, `LanguageDetector`: short, mixed texts (lingua with the ``lingua`` extra).
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
from .digests import Digest, DigestItem, SentimentMix, Topic, digest, is_question
from .language import (
    LanguageDetector,
    LinguaDetector,
    ScriptDetector,
    default_detector,
    detect_language,
)
from .monitor import Bucket, Hit, Monitor, PollReport
from .queries import Query, QueryKind
from .sentiment import LexiconScorer, Polarity, SentimentScorer, label
from .spikes import Spike, SpikeDetector, SpikeKind
from .topic_spikes import TopicSpikes
from .topics import Clustering, TopicModel
from .vectors import Embedder, TextVectorizer, TfidfEmbedder, surface_forms, tokenize

__all__ = [
    "SIGNATURE_HEADER",
    "Alert",
    "AlertHandler",
    "Bucket",
    "Clustering",
    "Crisis",
    "CrisisPolicy",
    "Deduplicator",
    "Digest",
    "DigestItem",
    "Embedder",
    "Hit",
    "LanguageDetector",
    "LexiconScorer",
    "LinguaDetector",
    "Monitor",
    "Pausable",
    "Polarity",
    "PollReport",
    "Query",
    "QueryKind",
    "ScriptDetector",
    "SentimentMix",
    "SentimentScorer",
    "Severity",
    "Spike",
    "SpikeDetector",
    "SpikeKind",
    "TextVectorizer",
    "TfidfEmbedder",
    "Topic",
    "TopicModel",
    "TopicSpikes",
    "WebhookSender",
    "default_detector",
    "detect_language",
    "digest",
    "is_question",
    "label",
    "sign",
    "surface_forms",
    "tokenize",
    "verify_signature",
]
