"""Clustering 100,000 short mentions into topics: time and peak memory.

Run with ``python benchmarks/bench_topics.py [--mentions N]`` (needs the
``insights`` extra). The mentions are drawn from the labelled English and
Chinese set in ``tests/monitoring/data/topics_labelled.tsv`` (7 topics and
chatter), each with a random handle, hashtag, number or filler word added so
that few are identical. Reports the time to vectorise (tokenise English words
and jieba-segmented Chinese words, TF-IDF), the time of the whole
``TopicModel.cluster`` (vectorise, LSA, choosing k by silhouette on a 3,000-text
sample, mini-batch k-means on all), wall and CPU time (CPU time is steadier on
a shared machine), the peak memory traced by ``tracemalloc``
during a second ``cluster`` run (Python and NumPy allocations; buffers that
compiled code allocates itself are not traced), the peak resident size of the
whole process (texts, jieba's dictionary and the libraries included), and the
purity of the topics against the labels.
"""

from __future__ import annotations

import argparse
import csv
import gc
import random
import resource
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from socialkit.monitoring import TextVectorizer, TopicModel, tokenize

DATA = Path(__file__).parent.parent / "tests" / "monitoring" / "data" / "topics_labelled.tsv"
EXTRAS = ("@acme", "#help", "today", "again", "pls", "!!", "😡", "🙏", "今天", "又", "求助", "asap")


def make_mentions(n: int, seed: int = 7) -> tuple[list[str], list[str]]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    rng = random.Random(seed)
    texts, truth = [], []
    for i in range(n):
        row = rng.choice(rows)
        extra = " ".join(rng.sample(EXTRAS, rng.randint(0, 2)))
        texts.append(f"{row['text']} {extra} #{i % 997}".strip())
        truth.append(row["topic"])
    return texts, truth


def purity(labels: tuple[int, ...], truth: list[str]) -> float:
    clusters: dict[int, Counter[str]] = {}
    for found, topic in zip(labels, truth, strict=True):
        if found >= 0:
            clusters.setdefault(found, Counter())[topic] += 1
    clustered = sum(sum(c.values()) for c in clusters.values())
    return sum(c.most_common(1)[0][1] for c in clusters.values()) / max(clustered, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mentions", type=int, default=100_000)
    args = parser.parse_args()
    texts, truth = make_mentions(args.mentions)
    tokenize("预热")  # load jieba's dictionary outside the timings

    start, cpu = time.perf_counter(), time.process_time()
    matrix = TextVectorizer(max_df=0.5, min_df=2).fit_transform(texts)
    vectorise, vectorise_cpu = time.perf_counter() - start, time.process_time() - cpu
    del matrix
    gc.collect()

    start, cpu = time.perf_counter(), time.process_time()
    found = TopicModel().cluster(texts)
    total, total_cpu = time.perf_counter() - start, time.process_time() - cpu
    gc.collect()

    tracemalloc.start()
    TopicModel().cluster(texts)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assigned = sum(1 for label in found.labels if label >= 0)
    print(f"{args.mentions:,} mentions, {found.k} topics, {assigned:,} assigned")
    print("| step | wall time | CPU time |")
    print("| --- | ---: | ---: |")
    print(f"| vectorise (tokenise + TF-IDF) | {vectorise:.1f} s | {vectorise_cpu:.1f} s |")
    print(f"| `TopicModel().cluster` (all steps) | {total:.1f} s | {total_cpu:.1f} s |")
    print(f"throughput: {args.mentions / total:,.0f} mentions/s (wall)")
    print(f"peak traced memory during cluster: {peak / 2**20:.0f} MiB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak resident size of the whole process: {rss:.0f} MiB")
    print(f"purity against the labels: {purity(found.labels, truth):.3f}")


if __name__ == "__main__":
    main()
