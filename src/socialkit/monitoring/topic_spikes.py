"""Spike detection per topic: one `SpikeDetector` per topic, alerts named for the topic.

A burst inside one topic (twenty complaints about a broken charger in an hour)
can hide in the total volume: if eight topics each bring ten items an hour, a
topic going from ten to thirty-five moves the total from eighty to a hundred and
five, well inside its noise. `TopicSpikes` feeds each topic's counts to its own
detector, so the burst is scored against that topic's own baseline, and turns
each spike into an `Alert` (query ``"topic: <label>"``) that `CrisisPolicy` and
`WebhookSender` take like any other.

```python
spikes = TopicSpikes()
for alert in spikes.scan(report):                # a Digest: every bucket of every topic
    print(alert.summary)
spikes.update({"refund / money": (30, 22)}, at=now)   # or feed live counts per poll
```
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

import attrs

from .alerts import Alert
from .digests import Digest
from .spikes import SpikeDetector

__all__ = ["TopicSpikes"]


class TopicSpikes:
    """One `SpikeDetector` per topic; a topic's spikes become `Alert`s named for it.

    Args:
        detector: Makes the detector of a new topic (default ``SpikeDetector()``;
            e.g. ``lambda: SpikeDetector(warmup=6, min_volume=5)`` for hourly buckets).
        crisis_share: A volume spike at least this negative is a crisis (see `Alert.from_spike`).
    """

    def __init__(
        self,
        detector: Callable[[], SpikeDetector] = SpikeDetector,
        *,
        crisis_share: float = 0.5,
    ) -> None:
        self._make = detector
        self.crisis_share = crisis_share
        self.detectors: dict[str, SpikeDetector] = {}

    def __repr__(self) -> str:
        return f"TopicSpikes({len(self.detectors)} topics)"

    def update(self, counts: Mapping[str, tuple[int, int]], at: datetime) -> list[Alert]:
        """Add one poll: ``{topic: (volume, negative)}``. A known topic missing here got 0."""
        alerts = []
        for topic in sorted(set(self.detectors) | set(counts)):
            volume, negative = counts.get(topic, (0, 0))
            detector = self.detectors.get(topic)
            if detector is None:
                detector = self.detectors[topic] = self._make()
            for spike in detector.update(volume, negative, at):
                alerts.append(
                    Alert.from_spike(f"topic: {topic}", spike, at, crisis_share=self.crisis_share)
                )
        return alerts

    def scan(self, digest: Digest) -> list[Alert]:
        """Feed every bucket of ``digest``'s topics in time order; the alerts raised."""
        alerts = []
        for index, at in enumerate(digest.buckets):
            counts = {t.label: (t.volumes[index], t.negatives[index]) for t in digest.topics}
            for alert in self.update(counts, at):
                examples = [t for t in digest.topics if f"topic: {t.label}" == alert.query]
                samples = tuple(
                    (item.url or item.id, item.text) for t in examples for item in t.examples
                )
                alerts.append(alert if not samples else _with(alert, samples))
        return alerts


def _with(alert: Alert, samples: tuple[tuple[str, str], ...]) -> Alert:
    return attrs.evolve(alert, samples=samples[:5])
