"""Export minimised records to CSV, JSON, JSON Lines or Parquet.

The format follows the file's suffix: ``.csv``, ``.json``, ``.jsonl`` (or
``.ndjson``), ``.parquet`` (needs ``pyarrow``: ``pip install 'socialkit[parquet]'``).
Records are minimised first (the ``"analytics"`` profile by default), so an
export never holds more than the profile allows. CSV and Parquet columns are
flat: nested fields become ``author.id``, ``metrics.likes``; lists (media) are
JSON-encoded. Timestamps are ISO 8601 in UTC. In CSV, a text cell that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``)
is prefixed with ``'``. The file is written atomically.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from pydantic_core import to_jsonable_python

from socialkit.privacy._records import AnyRecord
from socialkit.privacy.minimize import Profile, minimize
from socialkit.privacy.pseudonym import Pseudonymizer

__all__ = ["EXPORT_FORMATS", "export"]

EXPORT_FORMATS: Final = {
    ".csv": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
}
"""The suffixes :func:`export` understands, and the format each means."""


def _rows(
    records: Iterable[AnyRecord],
    profile: str | Profile,
    keep: Iterable[str] | None,
    pseudonymizer: Pseudonymizer | None,
) -> list[dict[str, Any]]:
    if keep is not None:
        rows = minimize(records, keep, profile=profile, pseudonymizer=pseudonymizer)
        return [to_jsonable_python(row) for row in rows]
    out: list[dict[str, Any]] = []
    for record in minimize(records, profile=profile, pseudonymizer=pseudonymizer):
        row: dict[str, Any] = {"type": type(record).__name__.lower()}
        row.update(_without_empty_raw(record.model_dump(mode="json", context={"raw": True})))
        out.append(row)
    return out


def _without_empty_raw(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out ``raw`` where the profile dropped it (so it is ``None``), nested ones too."""
    return {
        key: _without_empty_raw(value) if isinstance(value, dict) else value
        for key, value in data.items()
        if not (key == "raw" and value is None)
    }


def _flatten(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = json.dumps(value, ensure_ascii=False)
        else:
            flat[name] = value
    return flat


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(key for row in rows for key in row))


_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    """Neutralise cells a spreadsheet would run as a formula (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv(rows: list[dict[str, Any]]) -> bytes:
    flat = [_flatten(row) for row in rows]
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=_columns(flat), restval="")
    writer.writeheader()
    for row in flat:
        writer.writerow({k: _csv_cell(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow  # type: ignore[import-not-found, unused-ignore]
        import pyarrow.parquet  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        raise ModuleNotFoundError(
            "Parquet export needs pyarrow: pip install 'socialkit[parquet]' (or pyarrow)",
            name="pyarrow",
        ) from None
    return pyarrow, pyarrow.parquet


def _parquet(rows: list[dict[str, Any]]) -> bytes:
    pa, pq = _pyarrow()
    flat = [_flatten(row) for row in rows]
    columns = _columns(flat)
    table = pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in flat])
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export(
    records: Iterable[AnyRecord],
    path: str | os.PathLike[str],
    profile: str | Profile = "analytics",
    *,
    keep: Iterable[str] | None = None,
    pseudonymizer: Pseudonymizer | None = None,
) -> int:
    """Minimise ``records`` and write them to ``path``; return the number of rows.

    Args:
        records: Posts, comments, mentions, accounts or metrics.
        path: The output file; its suffix picks the format (:data:`EXPORT_FORMATS`).
        profile: The minimisation profile (see :func:`~socialkit.privacy.minimize`).
        keep: Only these fields (see :func:`~socialkit.privacy.project`), after the profile.
        pseudonymizer: Required by profiles with pseudonymous authors (``"analytics"``).

    Without ``keep``, each row starts with a ``type`` column (``"post"``, ...).

    Raises:
        ValueError: Unknown suffix, profile or field; no pseudonymizer where needed.
        ModuleNotFoundError: A ``.parquet`` path without pyarrow installed.
    """
    target = Path(path)
    fmt = EXPORT_FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise ValueError(
            f"cannot export to {target.name!r}: use one of the suffixes {sorted(EXPORT_FORMATS)}"
        )
    if fmt == "parquet":
        _pyarrow()  # fail before any work when pyarrow is missing
    rows = _rows(records, profile, keep, pseudonymizer)
    if fmt == "csv":
        data = _csv(rows)
    elif fmt == "json":
        data = (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    elif fmt == "jsonl":
        data = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")
    else:
        data = _parquet(rows)
    _write_atomically(target, data)
    return len(rows)
