"""Per-object locks that serialize concurrent writes to the same Clerk objects.

On PostgreSQL, transaction-scoped advisory locks are taken in one global order
(sorted keys), so two deliveries touching the same objects wait for each other
instead of racing on unique constraints, and never deadlock on these locks.
SQLite serializes writers by itself.
"""

import hashlib
from collections.abc import Iterable

from django.db import connection


def lock_keys(keys: Iterable[str]) -> None:
    """Take an advisory lock per key until the current transaction ends."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted(set(keys)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_key_to_bigint(key)])


def _key_to_bigint(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)
