"""A valid history of Clerk events, shuffled, with duplicates, and the state it must end in."""

import random
from dataclasses import dataclass, field
from typing import Any

from clerk import samples


@dataclass
class History:
    deliveries: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (svix id, event)
    users: dict[str, tuple[str, str]] = field(default_factory=dict)  # clerk id -> (email, first name)
    organizations: dict[str, str] = field(default_factory=dict)  # clerk id -> name
    memberships: dict[str, str] = field(default_factory=dict)  # clerk id -> role

    @property
    def unique_deliveries(self) -> int:
        return len({svix_id for svix_id, _ in self.deliveries})


def build_history(*, users: int, prefix: str = "b", seed: int = 7, duplicate_share: float = 0.1) -> History:
    """Users, organizations (one per 5 users) and memberships, with updates and deletions.

    Every id (objects and svix ids) starts with `prefix`, so histories never share rows.
    """
    rng = random.Random(seed)
    history = History()
    t0 = 1_700_000_000_000
    counter = iter(range(10**9))

    def emit(event_type: str, data: dict[str, Any]) -> None:
        history.deliveries.append((f"msg_{prefix}_{next(counter)}", samples.event(event_type, data)))

    organizations = max(2, users // 5)
    deleted_orgs = {f"org_{prefix}_{j}" for j in range(organizations) if j % 20 == 19}
    org_versions: dict[str, dict[str, Any]] = {}
    for j in range(organizations):
        org_id = f"org_{prefix}_{j}"
        created = samples.organization_data(organization_id=org_id, name=f"Org {j}", slug=f"org-{j}", created_at=t0 + j)
        renamed = {**created, "name": f"Org {j} Ltd", "updated_at": t0 + 50_000 + j}
        emit("organization.created", created)
        emit("organization.updated", renamed)
        org_versions[org_id] = renamed
        if org_id in deleted_orgs:
            emit("organization.deleted", samples.deleted_data(object_id=org_id, object_type="organization"))
        else:
            history.organizations[org_id] = renamed["name"]
    for i in range(users):
        user_id = f"user_{prefix}_{i}"
        email = f"user{i}.{prefix}@bench.example"
        created = samples.user_data(user_id=user_id, email=email, first_name=f"U{i}", created_at=t0 + i)
        emit("user.created", created)
        emit("user.updated", {**created, "first_name": f"User {i}", "updated_at": t0 + 60_000 + i})
        user_deleted = i % 10 == 9
        if user_deleted:
            emit("user.deleted", samples.deleted_data(object_id=user_id, object_type="user"))
        else:
            history.users[user_id] = (email, f"User {i}")
        org_id = f"org_{prefix}_{i % organizations}"
        membership_id = f"orgmem_{prefix}_{i}"
        membership = samples.membership_data(
            membership_id=membership_id,
            organization=org_versions[org_id],
            user_id=user_id,
            identifier=email,
            role="org:member",
            created_at=t0 + 70_000 + i,
        )
        emit("organizationMembership.created", membership)
        role = "org:member"
        if i % 5 == 0:
            role = "org:admin"
            emit("organizationMembership.updated", {**membership, "role": role, "updated_at": t0 + 80_000 + i})
        membership_deleted = i % 7 == 3
        if membership_deleted:
            emit("organizationMembership.deleted", membership)
        if not (membership_deleted or user_deleted or org_id in deleted_orgs):
            history.memberships[membership_id] = role
    duplicates = rng.sample(history.deliveries, int(len(history.deliveries) * duplicate_share))
    history.deliveries.extend(duplicates)  # Svix's at-least-once: the same svix-id again
    rng.shuffle(history.deliveries)  # and no ordering guarantee
    return history
