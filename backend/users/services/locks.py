"""Per-object locks that serialize concurrent writes to the same Clerk objects.

On PostgreSQL, transaction-scoped advisory locks are taken in one global order
(sorted keys), so two deliveries touching the same objects wait for each other
instead of racing on unique constraints, and never deadlock on these locks.
SQLite serializes writers by itself.
"""

import hashlib
from collections.abc import Iterable

from django.db import connection

from clerk.payloads import ClerkMembership, ClerkOrganization, ClerkUser, MembershipDeletion


def lock_keys(keys: Iterable[str]) -> None:
    """Take an advisory lock per key until the current transaction ends."""
    if connection.vendor != "postgresql":
        return
    ordered = [_key_to_bigint(key) for key in sorted(set(keys))]
    if not ordered:
        return
    with connection.cursor() as cursor:
        # One round trip; WITH ORDINALITY keeps the acquisition order of the sorted keys.
        cursor.execute(
            "SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) WITH ORDINALITY AS t(k, n) ORDER BY n",
            [ordered],
        )


def _key_to_bigint(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


# The keys, formatted here only. What a write of each object locks: its own id, plus
# whatever else the write may touch (a user's email may move between rows; a membership
# may create its user and organization). Webhook deliveries, reconciliation and
# just-in-time provisioning take the same keys, so they serialize with each other.
def object_key(clerk_id: str) -> str:
    return f"clerk:{clerk_id}"


def delivery_key(svix_id: str) -> str:
    return f"svix:{svix_id}"


def user_keys(user: ClerkUser) -> list[str]:
    return [object_key(user.id), *([f"email:{user.email}"] if user.email else [])]


def organization_keys(organization: ClerkOrganization) -> list[str]:
    return [object_key(organization.id)]


def membership_keys(membership: ClerkMembership) -> list[str]:
    return [object_key(membership.id), object_key(membership.organization.id), object_key(membership.member.user_id)]


def deletion_keys(clerk_id: str) -> list[str]:
    return [object_key(clerk_id)]


def membership_deletion_keys(deletion: MembershipDeletion) -> list[str]:
    named = (deletion.id, deletion.organization_id, deletion.user_id)
    return [object_key(clerk_id) for clerk_id in named if clerk_id]
