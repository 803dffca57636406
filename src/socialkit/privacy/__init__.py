"""Privacy-safe data handling.

- **Detection and redaction** of personal data in text: e-mail addresses,
  phone numbers, mainland-China resident ID numbers, payment cards, IP
  addresses (:func:`find_pii`, :func:`redact`).
- **Keyed pseudonyms** for authors, stable per key and rotatable
  (:class:`Pseudonymizer`).
- **Minimisation** of records by profile or field list (:func:`minimize`) and
  **export** of the result (:func:`export`).
- **Retention and erasure** across every store implementing :class:`DataStore`
  (:class:`RetentionPolicy`, :func:`erase_subject`), with reference stores of
  posts, comments and mentions in SQLite or PostgreSQL (:class:`SQLiteRecordStore`,
  :class:`PostgresRecordStore`).

```python
from socialkit.privacy import Pseudonymizer, export, redact

redact("call me at 138-1234-5678")                 # 'call me at [PHONE]'
p = Pseudonymizer(os.environ["SOCIALKIT_PSEUDONYM_KEY"])
export(posts, "posts.csv", pseudonymizer=p)        # analytics profile: no text, no names
```
"""

from socialkit.privacy._records import AnyRecord
from socialkit.privacy.export import EXPORT_FORMATS, export
from socialkit.privacy.minimize import PROFILES, Profile, minimize, project
from socialkit.privacy.pii import (
    DEFAULT_PLACEHOLDERS,
    PII_KINDS,
    PiiKind,
    PiiMatch,
    find_pii,
    redact,
)
from socialkit.privacy.pseudonym import Pseudonymizer
from socialkit.privacy.retention import (
    DataStore,
    ErasureError,
    ErasureReport,
    RetentionPolicy,
    erase_subject,
)
from socialkit.privacy.store import PostgresRecordStore, RecordStore, SQLiteRecordStore

__all__ = [
    "DEFAULT_PLACEHOLDERS",
    "EXPORT_FORMATS",
    "PII_KINDS",
    "PROFILES",
    "AnyRecord",
    "DataStore",
    "ErasureError",
    "ErasureReport",
    "PiiKind",
    "PiiMatch",
    "PostgresRecordStore",
    "Profile",
    "Pseudonymizer",
    "RecordStore",
    "RetentionPolicy",
    "SQLiteRecordStore",
    "erase_subject",
    "export",
    "find_pii",
    "minimize",
    "project",
    "redact",
]
