"""Spike detection on synthetic series: silence on steady noise, alarms on real bursts."""

from __future__ import annotations

import math
import random

import pytest

from socialkit.monitoring import SpikeDetector
from socialkit.monitoring.spikes import binomial_z, poisson_z, robust_z


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method; fine for the means used here)."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(rng.random() < p for _ in range(n))


def steady(rng: random.Random, detector: SpikeDetector, polls: int, mean: float, p: float) -> int:
    alarms = 0
    for _ in range(polls):
        volume = poisson(rng, mean)
        alarms += len(detector.update(volume, binomial(rng, volume, p)))
    return alarms


@pytest.mark.parametrize("mean", [3.0, 10.0, 40.0])
def test_no_alarm_in_1000_polls_of_steady_poisson_noise(mean: float) -> None:
    rng = random.Random(1234)

    assert steady(rng, SpikeDetector(), 1000, mean, 0.08) == 0


@pytest.mark.parametrize("mean", [10.0, 40.0])
def test_a_5x_volume_burst_alarms_within_3_polls(mean: float) -> None:
    rng = random.Random(99)
    detector = SpikeDetector()
    steady(rng, detector, 200, mean, 0.08)

    fired = []
    for poll in range(3):
        volume = poisson(rng, 5 * mean)
        spikes = detector.update(volume, binomial(rng, volume, 0.08))
        fired += [(poll, s.kind) for s in spikes]

    assert "volume" in {kind for _, kind in fired}
    assert fired[0][0] < 3
    assert detector.alarming == {"volume"}


def test_a_5x_negative_share_burst_alarms_within_3_polls() -> None:
    rng = random.Random(7)
    detector = SpikeDetector()
    steady(rng, detector, 200, 50.0, 0.08)

    kinds = []
    for _ in range(3):
        volume = poisson(rng, 50.0)  # the same volume: only the share changes
        kinds += [s.kind for s in detector.update(volume, binomial(rng, volume, 0.40))]

    assert kinds == ["negative_share"]


def test_an_alarm_fires_once_per_episode_and_rearms() -> None:
    detector = SpikeDetector(window=20, warmup=5)
    for _ in range(20):
        detector.update(10)

    during = [len(detector.update(60)) for _ in range(3)]
    for _ in range(20):
        detector.update(10)
    again = detector.update(60)

    assert during == [1, 0, 0]
    assert [s.kind for s in again] == ["volume"]


def test_small_volumes_never_alarm() -> None:
    detector = SpikeDetector(min_volume=10)
    for _ in range(30):
        detector.update(1)

    assert detector.update(8, 8) == []


def test_nothing_alarms_during_warm_up() -> None:
    detector = SpikeDetector(warmup=12)
    for _ in range(11):
        detector.update(10)

    assert detector.update(100) == []
    assert detector.update(100) != []


def test_update_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError, match="negative"):
        SpikeDetector().update(3, 4)


def test_the_scores() -> None:
    z, median = robust_z(10, [1, 2, 3, 4, 5])
    assert z == pytest.approx(7 / 1.4826)
    assert median == 3
    assert robust_z(5, [5, 5, 5]) == (0.0, 5)
    assert robust_z(6, [5, 5, 5])[0] == math.inf
    assert poisson_z(10, 10) == 0
    assert poisson_z(30, 10) == pytest.approx(5.0256, abs=1e-3)  # P(X >= 30 | 10) = 2.51e-7
    assert binomial_z(1, 10, 0.5) == 0
    assert binomial_z(10, 10, 0.5) == pytest.approx(3.0973, abs=1e-3)  # P = 2^-10
