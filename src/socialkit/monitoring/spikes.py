"""Spike detection: volume and negative-share bursts against a rolling, robust baseline.

Each poll gives a count of new items and how many of them were negative.
`SpikeDetector` keeps the last ``window`` polls and scores the newest one twice,
and takes the smaller score, so an alarm needs both to agree:

- an **exact tail** score: how unlikely the poll is if the baseline holds, as a
  z-score (volume: the Poisson upper tail at the rolling median; negative
  share: the binomial upper tail at the window's pooled share). It is right for
  small counts, where a normal approximation would cry wolf;
- a **robust z-score**: the distance from the rolling median in units of the
  scaled median absolute deviation (MAD × 1.4826). It guards against series
  noisier than Poisson (a daily rhythm, a bursty audience).

An alarm also needs the warm-up done, at least ``min_volume`` items in the poll
and a material change (volume at least ``min_ratio`` × the baseline; a share at
least ``min_share_delta`` above it). It fires once per episode and re-arms when
the score falls below half the threshold. The median resists a burst until it
fills half the window, so a burst is compared with the calm before it.
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from datetime import datetime
from typing import Literal

import attrs

from .._records import Record

__all__ = [
    "MAD_SCALE",
    "Spike",
    "SpikeDetector",
    "SpikeKind",
    "binomial_z",
    "poisson_z",
    "robust_z",
]

MAD_SCALE = 1.4826
"""MAD × this estimates the standard deviation of normally distributed noise."""

SpikeKind = Literal["volume", "negative_share"]
"""What spiked: the number of hits, or the share of negative ones."""
_NORMAL = statistics.NormalDist()


@attrs.frozen
class Spike(Record):
    """One alarm: what spiked, how far, against which baseline.

    Attributes:
        kind: ``"volume"`` or ``"negative_share"``.
        value: The poll's count (volume) or negative share (0-1).
        baseline: The rolling median it was compared with.
        score: The robust z-score.
        volume: How many items the poll held.
        negative: How many of them were negative.
        at: When the poll was taken, when given.
    """

    kind: SpikeKind
    value: float
    baseline: float
    score: float
    volume: int
    negative: int
    at: datetime | None = None


def robust_z(value: float, history: list[float]) -> tuple[float, float]:
    """``(z, median)``: (value - median) / (1.4826 · MAD) against ``history``.

    A zero MAD gives ``inf`` above the median (and 0 at or below it).
    """
    median = statistics.median(history)
    mad = statistics.median(abs(x - median) for x in history)
    if mad == 0:
        return (math.inf if value > median else 0.0), median
    return (value - median) / (MAD_SCALE * mad), median


def _z_of_tail(tail: float) -> float:
    """The z-score whose upper tail is ``tail``."""
    return -_NORMAL.inv_cdf(min(max(tail, 1e-300), 0.5))


def poisson_z(count: int, mean: float) -> float:
    """How extreme ``count`` is for a Poisson(``mean``) count: the z of P(X >= count)."""
    if count <= mean:
        return 0.0
    log_term = count * math.log(mean) - mean - math.lgamma(count + 1)
    tail, k = 0.0, count
    while True:
        term = math.exp(log_term)
        tail += term
        if term <= tail * 1e-15 or term == 0.0:
            break
        k += 1
        log_term += math.log(mean) - math.log(k)
    return _z_of_tail(tail)


def binomial_z(successes: int, trials: int, p: float) -> float:
    """How extreme ``successes`` of ``trials`` are at rate ``p``: the z of P(X >= successes)."""
    if successes <= trials * p:
        return 0.0
    if p <= 0.0:
        return math.inf
    log_p, log_q = math.log(p), math.log1p(-p) if p < 1 else -math.inf
    tail = 0.0
    for k in range(successes, trials + 1):
        log_term = (
            math.lgamma(trials + 1)
            - math.lgamma(k + 1)
            - math.lgamma(trials - k + 1)
            + k * log_p
            + (trials - k) * log_q
        )
        term = math.exp(log_term)
        tail += term
        if term <= tail * 1e-15:
            break
    return _z_of_tail(tail)


@attrs.define
class SpikeDetector:
    """Volume and negative-share spike detection for one series of polls.

    Attributes:
        window: How many past polls form the baseline.
        warmup: How many polls are needed before any alarm.
        threshold: The robust z-score that raises an alarm.
        min_volume: The fewest items in a poll for any alarm.
        min_ratio: A volume alarm needs at least this multiple of the baseline.
        min_share_delta: A share alarm needs the negative share this far above baseline.
        min_share_volume: Polls with fewer items than this do not feed the share baseline.

    ```python
    detector = SpikeDetector()
    for volume, negative in polls:
        for spike in detector.update(volume, negative):
            print(spike.kind, spike.value, spike.baseline)
    ```
    """

    window: int = attrs.field(default=48, validator=attrs.validators.ge(5))
    warmup: int = attrs.field(default=12, validator=attrs.validators.ge(3))
    threshold: float = 5.0
    min_volume: int = 10
    min_ratio: float = 2.0
    min_share_delta: float = 0.15
    min_share_volume: int = 5
    _volumes: deque[float] = attrs.field(init=False)
    _shares: deque[tuple[float, tuple[int, int]]] = attrs.field(init=False)
    _negatives: int = attrs.field(init=False, default=0)
    _counted: int = attrs.field(init=False, default=0)
    _alarming: set[SpikeKind] = attrs.field(init=False, factory=set)

    def __attrs_post_init__(self) -> None:
        self._volumes = deque(maxlen=self.window)
        self._shares = deque(maxlen=self.window)

    @property
    def alarming(self) -> frozenset[SpikeKind]:
        """The kinds of spike currently in an alarm episode."""
        return frozenset(self._alarming)

    def update(self, volume: int, negative: int = 0, at: datetime | None = None) -> list[Spike]:
        """Add one poll; return the alarms it raises (each kind once per episode)."""
        if volume < 0 or not 0 <= negative <= volume:
            raise ValueError("need volume >= 0 and 0 <= negative <= volume")
        spikes = self._score(volume, negative, at, ending=True)
        self._volumes.append(float(volume))
        if volume >= self.min_share_volume:
            if len(self._shares) == self._shares.maxlen:
                _, (old_negative, old_volume) = self._shares[0]
                self._negatives -= old_negative
                self._counted -= old_volume
            self._shares.append((negative / volume, (negative, volume)))
            self._negatives += negative
            self._counted += volume
        return spikes

    def peek(self, volume: int, negative: int = 0, at: datetime | None = None) -> list[Spike]:
        """Score a poll still being counted (events streaming in) without adding it.

        An alarm it raises starts the episode, so the `update` that closes the poll
        does not raise it again; a partial count never ends an episode.
        """
        if volume < 0 or not 0 <= negative <= volume:
            raise ValueError("need volume >= 0 and 0 <= negative <= volume")
        return self._score(volume, negative, at, ending=False)

    def _score(self, volume: int, negative: int, at: datetime | None, ending: bool) -> list[Spike]:
        return [
            spike
            for spike in (
                self._volume(volume, negative, at, ending),
                self._share(volume, negative, at, ending),
            )
            if spike is not None
        ]

    def _volume(
        self, volume: int, negative: int, at: datetime | None, ending: bool
    ) -> Spike | None:
        if len(self._volumes) < self.warmup:
            return None
        history = list(self._volumes)
        robust, median = robust_z(volume, history)
        z = min(robust, poisson_z(volume, max(median, 0.5)))
        material = volume >= self.min_volume and volume >= self.min_ratio * max(median, 1.0)
        if self._episode("volume", z, material, ending):
            return Spike("volume", float(volume), median, z, volume, negative, at)
        return None

    def _share(
        self, volume: int, negative: int, at: datetime | None, ending: bool
    ) -> Spike | None:
        if len(self._shares) < self.warmup or volume == 0:
            return None
        share = negative / volume
        pooled = self._negatives / self._counted if self._counted else 0.0
        robust, _ = robust_z(share, [s for s, _ in self._shares])
        z = min(robust, binomial_z(negative, volume, max(pooled, 0.5 / self._counted)))
        material = volume >= self.min_volume and share - pooled >= self.min_share_delta
        if self._episode("negative_share", z, material, ending):
            return Spike("negative_share", share, pooled, z, volume, negative, at)
        return None

    def _episode(self, kind: SpikeKind, z: float, material: bool, ending: bool) -> bool:
        """True when an alarm starts; tracks the episode until the score calms down
        (only a whole poll, ``ending``, can end it)."""
        if kind in self._alarming:
            if ending and z < self.threshold / 2:
                self._alarming.discard(kind)
            return False
        if z >= self.threshold and material:
            self._alarming.add(kind)
            return True
        return False
