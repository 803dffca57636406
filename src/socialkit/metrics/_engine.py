"""Vector kernels behind the summaries: numpy when it is installed, plain Python otherwise.

The heavy step is `post_frame`: of every (post, metric) series keep the latest
snapshot and lay the values out one column per metric, one slot per post.
Everything after works on posts, not rows. A vector is a numpy ``float64``
array or a ``list[float]``; NaN marks a value that is not available. The
operations below accept either and return the same kind.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ._columns import NAN, NULL_TIME, Columns

USE_NUMPY = True
"""Whether to use numpy when it is installed (tests turn it off to check the Python path)."""

Vector = Any  # numpy.ndarray or list[float] / list[int]


@functools.cache
def _import_numpy() -> Any | None:
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy comes with pandas and matplotlib
        return None
    return numpy


def numpy() -> Any | None:
    """The numpy module, or ``None`` when it is missing or switched off."""
    return _import_numpy() if USE_NUMPY else None


@attrs.frozen
class PostFrame:
    """The latest value of each metric of each post: one vector per metric name."""

    platform: Vector  # platform code per post
    subject_id: Vector  # post id code per post
    columns: Mapping[str, Vector]
    platforms: Sequence[str]  # code -> platform name
    ids: Sequence[str]  # code -> post id
    size: int

    def __len__(self) -> int:
        return self.size

    def keys(self) -> list[tuple[str, str]]:
        """``(platform, post_id)`` of each post."""
        every = range(self.size)
        platforms = decode(self.platform, self.platforms, every)
        return list(zip(platforms, decode(self.subject_id, self.ids, every), strict=True))

    def column(self, name: str) -> Vector:
        """The values of ``name`` (all NaN when no post reported it)."""
        found = self.columns.get(name)
        return full(self.size, like=self.platform) if found is None else found

    def take(self, positions: Sequence[int]) -> PostFrame:
        """The posts at ``positions``, in that order."""
        return PostFrame(
            take(self.platform, positions),
            take(self.subject_id, positions),
            {name: take(col, positions) for name, col in self.columns.items()},
            self.platforms,
            self.ids,
            len(positions),
        )


def post_frame(cols: Columns) -> PostFrame:
    """Latest snapshot of every (platform, post, metric); ties go to the row added last."""
    post = cols.subject.index.get("post")
    if post is None or not len(cols):
        np = numpy()
        empty: Vector = [] if np is None else np.zeros(0, dtype=np.int64)
        return PostFrame(empty, empty, {}, cols.platform.values, cols.subject_id.values, 0)
    np = numpy()
    return _frame_numpy(np, cols, post) if np is not None else _frame_python(cols, post)


def _frame_numpy(np: Any, cols: Columns, post: int) -> PostFrame:
    def codes(coded: Any) -> Any:
        return np.frombuffer(coded.codes, dtype=np.int32)

    sel = np.flatnonzero(codes(cols.subject) == post)
    collected = np.frombuffer(cols.collected_at, dtype=np.int64)[sel]
    if sel.size > 1 and (collected[1:] < collected[:-1]).any():
        sel = sel[np.argsort(collected, kind="stable")]
    n_ids, n_names = len(cols.subject_id.values), len(cols.name.values)
    post_key = codes(cols.platform)[sel].astype(np.int64) * n_ids + codes(cols.subject_id)[sel]
    key = post_key * n_names + codes(cols.name)[sel]
    last = _last_positions(np, key, len(cols.platform.values) * n_ids * n_names)
    key = key[last]
    post_key, name = key // n_names, key % n_names
    first = np.ones(post_key.size, dtype=bool)
    first[1:] = post_key[1:] != post_key[:-1]
    slot = np.cumsum(first) - 1
    post_key = post_key[first]
    matrix = np.full((n_names, post_key.size), np.nan)
    matrix[name, slot] = np.frombuffer(cols.value, dtype=np.float64)[sel[last]]
    names = cols.name.values
    present = np.flatnonzero(np.bincount(name, minlength=n_names)).tolist()
    columns = {names[j]: matrix[j] for j in present}
    return PostFrame(
        post_key // n_ids,
        post_key % n_ids,
        columns,
        cols.platform.values,
        cols.subject_id.values,
        int(post_key.size),
    )


def _last_positions(np: Any, key: Any, space: int) -> Any:
    """Position of the last occurrence of each distinct key, in key order."""
    if space <= max(4 * key.size, 1 << 20):
        last = np.full(space, -1, dtype=np.int64)
        np.maximum.at(last, key, np.arange(key.size, dtype=np.int64))
        return last[last >= 0]
    _, first = np.unique(key[::-1], return_index=True)
    return key.size - 1 - first


def _frame_python(cols: Columns, post: int) -> PostFrame:
    platform, subject = cols.platform.codes, cols.subject.codes
    subject_id, name, collected = cols.subject_id.codes, cols.name.codes, cols.collected_at
    latest: dict[tuple[int, int, int], tuple[int, int]] = {}
    for row in range(len(cols)):
        if subject[row] != post:
            continue
        key = (platform[row], subject_id[row], name[row])
        seen = latest.get(key)
        if seen is None or collected[row] >= seen[0]:
            latest[key] = (collected[row], row)
    posts = sorted({(p, s) for p, s, _ in latest})
    slot = {key: i for i, key in enumerate(posts)}
    by_code: dict[int, list[float]] = {}
    for (p, s, m), (_, row) in latest.items():
        if m not in by_code:
            by_code[m] = [NAN] * len(posts)
        by_code[m][slot[(p, s)]] = cols.value[row]
    names = cols.name.values
    return PostFrame(
        [p for p, _ in posts],
        [s for _, s in posts],
        {names[m]: by_code[m] for m in sorted(by_code)},
        cols.platform.values,
        cols.subject_id.values,
        len(posts),
    )


def rows_where(cols: Columns, *, subject: str, name: str) -> list[int]:
    """Positions of the rows about ``subject`` ("post"/"account") named ``name``."""
    s, m = cols.subject.index.get(subject), cols.name.index.get(name)
    if s is None or m is None:
        return []
    np = numpy()
    if np is not None:
        subjects = np.frombuffer(cols.subject.codes, dtype=np.int32)
        names = np.frombuffer(cols.name.codes, dtype=np.int32)
        found: list[int] = np.flatnonzero((subjects == s) & (names == m)).tolist()
        return found
    subjects_py, names_py = cols.subject.codes, cols.name.codes
    return [i for i in range(len(cols)) if subjects_py[i] == s and names_py[i] == m]


def observed_us(cols: Columns, row: int) -> int:
    """When a row's value held: the end of its period, else when it was collected."""
    end = cols.end[row]
    return cols.collected_at[row] if end == NULL_TIME else end


# -- vector operations (numpy arrays or lists) --------------------------------------------------


def _is_list(vec: Vector) -> bool:
    return isinstance(vec, list)


def _np() -> Any:
    """numpy, for operating on arrays that already exist (whatever `USE_NUMPY` says now)."""
    np = _import_numpy()
    assert np is not None
    return np


def full(n: int, value: float = NAN, *, like: Vector) -> Vector:
    """A vector of ``n`` copies of ``value``, of the same kind as ``like``."""
    return [value] * n if _is_list(like) else _np().full(n, value)


def vector(values: Sequence[float], *, like: Vector) -> Vector:
    """``values`` as a vector of the same kind as ``like``."""
    return list(values) if _is_list(like) else _np().asarray(values, dtype=_np().float64)


def take(vec: Vector, positions: Sequence[int]) -> Vector:
    """The elements at ``positions``."""
    if _is_list(vec):
        return [vec[i] for i in positions]
    np = _np()
    return vec[np.asarray(positions, dtype=np.int64)]


def ints(vec: Vector) -> list[int]:
    """A vector of codes as a list of ints."""
    return list(vec) if _is_list(vec) else [int(v) for v in vec.tolist()]


def optional(vec: Vector, positions: Vector = None) -> list[float | None]:
    """The values (at ``positions``, when given), with ``None`` for NaN."""
    if _is_list(vec):
        values = vec if positions is None else [vec[i] for i in positions]
        return [None if v != v else v for v in values]
    np = _np()
    chosen = vec if positions is None else vec[np.asarray(positions, dtype=np.int64)]
    out = chosen.astype(object)
    out[np.isnan(chosen)] = None
    found: list[float | None] = out.tolist()
    return found


def decode(codes: Vector, values: Sequence[str], positions: Vector) -> list[str]:
    """The strings of the codes at ``positions``."""
    if _is_list(codes):
        return [values[codes[i]] for i in positions]
    np = _np()
    table = np.asarray(values, dtype=object)
    found: list[str] = table[codes[np.asarray(positions, dtype=np.int64)]].tolist()
    return found


def row_sum(vectors: Sequence[Vector], n: int, *, like: Vector) -> Vector:
    """Element-wise sum skipping NaN; NaN where every vector is NaN."""
    if not vectors:
        return full(n, like=like)
    if _is_list(like):
        out = [NAN] * n
        for vec in vectors:
            for i, v in enumerate(vec):
                if v == v:
                    out[i] = v if out[i] != out[i] else out[i] + v
        return out
    np = _np()
    stack = np.vstack(vectors)
    valid = ~np.isnan(stack)
    return np.where(valid.any(axis=0), np.where(valid, stack, 0.0).sum(axis=0), np.nan)


def ratio(top: Vector, base: Vector) -> Vector:
    """Element-wise ``top / base``; NaN where either is NaN or ``base`` is 0."""
    if _is_list(top):
        pairs = zip(top, base, strict=True)
        return [t / b if t == t and b == b and b != 0 else NAN for t, b in pairs]
    np = _np()
    with np.errstate(divide="ignore", invalid="ignore"):
        out = top / base
    out[base == 0] = np.nan
    return out


def paired(a: Vector, b: Vector) -> tuple[Vector, Vector]:
    """``a`` and ``b`` with NaN wherever either is NaN (so both sums cover the same posts)."""
    if _is_list(a):
        both = [x == x and y == y for x, y in zip(a, b, strict=True)]
        return (
            [x if ok else NAN for x, ok in zip(a, both, strict=True)],
            [y if ok else NAN for y, ok in zip(b, both, strict=True)],
        )
    np = _np()
    gone = np.isnan(a) | np.isnan(b)
    return np.where(gone, np.nan, a), np.where(gone, np.nan, b)


def group_sum(groups: Vector, n_groups: int, vec: Vector) -> tuple[list[float], list[int]]:
    """Per group: the sum of the non-NaN values and how many there were."""
    if _is_list(vec):
        sums, counts = [0.0] * n_groups, [0] * n_groups
        for g, v in zip(groups, vec, strict=True):
            if v == v:
                sums[g] += v
                counts[g] += 1
        return sums, counts
    np = _np()
    valid = ~np.isnan(vec)
    members = np.asarray(groups, dtype=np.int64)[valid]
    totals = np.bincount(members, weights=vec[valid], minlength=n_groups)
    return totals.tolist(), np.bincount(members, minlength=n_groups).tolist()


def group_size(groups: Vector, n_groups: int) -> list[int]:
    """How many members each group has."""
    if _is_list(groups):
        sizes = [0] * n_groups
        for g in groups:
            sizes[g] += 1
        return sizes
    np = _np()
    members = np.asarray(groups, dtype=np.int64)
    counted: list[int] = np.bincount(members, minlength=n_groups).tolist()
    return counted


def positions_equal(codes: Vector, code: int) -> list[int]:
    """Positions where ``codes`` equals ``code``."""
    if _is_list(codes):
        return [i for i, c in enumerate(codes) if c == code]
    np = _np()
    found: list[int] = np.flatnonzero(codes == code).tolist()
    return found


def order_desc(vec: Vector) -> Vector:
    """Positions of the non-NaN values, largest first (ties keep their order), as a vector."""
    if _is_list(vec):
        return sorted((i for i, v in enumerate(vec) if v == v), key=lambda i: -vec[i])
    np = _np()
    valid = np.flatnonzero(~np.isnan(vec))
    return valid[np.argsort(-vec[valid], kind="stable")]
