"""Property: any delivery order, with duplicates, ends in the state the in-order history gives.

Hypothesis drives a small simulated Clerk instance (users, organizations, memberships,
email changes within a shared pool, deletions, members removed and re-added under a
new membership id) and records the events it would send, each with its own svix-id.
"""

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clerk import samples
from clerk.webhooks import parse_event
from tests.examples import property_examples
from users.models import ClerkTombstone, Organization, OrganizationMembership, User
from users.services.webhooks import Outcome, record_and_apply

pytestmark = pytest.mark.django_db

USERS, ORGANIZATIONS = 3, 2
EMAILS = ("a@example.com", "b@example.com", "c@example.com", None)
ROLES = ("org:admin", "org:member", "org:billing")
T0 = 1_700_000_000_000

Delivery = tuple[str, dict[str, Any]]  # (svix-id, event)


@dataclass
class SimulatedClerk:
    """Clerk's side: current objects, a clock, and every event sent so far."""

    deliveries: list[Delivery] = field(default_factory=list)
    users: dict[int, dict[str, Any]] = field(default_factory=dict)  # slot -> current version
    organizations: dict[int, dict[str, Any]] = field(default_factory=dict)
    memberships: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)  # (user, org) -> current
    generation: dict[str, int] = field(default_factory=dict)  # ids are never reused after a deletion
    clock: int = T0
    ids: itertools.count = field(default_factory=itertools.count)

    def tick(self) -> int:
        self.clock += 1_000
        return self.clock

    def send(self, event_type: str, data: dict[str, Any]) -> None:
        self.deliveries.append((f"msg_{next(self.ids)}", samples.event(event_type, data)))

    def new_id(self, prefix: str, slot: int) -> str:
        key = f"{prefix}_{slot}"
        self.generation[key] = self.generation.get(key, -1) + 1
        return f"{key}_g{self.generation[key]}"

    def free_email(self, wanted: str | None, owner: int | None = None) -> str | None:
        taken = {
            u["email_addresses"][0]["email_address"]
            for s, u in self.users.items()
            if u["email_addresses"] and s != owner
        }
        return wanted if wanted is None or wanted not in taken else None

    # --- operations; one that needs a missing object creates it first -------------------------

    def create_user(self, slot: int, email: str | None, verified: bool) -> None:
        if slot in self.users:
            return
        now = self.tick()
        user = samples.user_data(
            user_id=self.new_id("user", slot),
            email=self.free_email(email),
            email_verified=verified,
            first_name=f"U{slot}",
            created_at=now,
            updated_at=now,
        )
        self.users[slot] = user
        self.send("user.created", user)

    def update_user(self, slot: int, email: str | None, name: str) -> None:
        if slot not in self.users:
            self.create_user(slot, email, verified=True)
            return
        current = self.users[slot]
        new_email = self.free_email(email, owner=slot)
        user = samples.user_data(
            user_id=current["id"],
            email=new_email,
            email_verified=True,
            first_name=name,
            created_at=current["created_at"],
            updated_at=self.tick(),
        )
        self.users[slot] = user
        self.send("user.updated", user)

    def delete_user(self, slot: int, announce_memberships: bool) -> None:
        if slot not in self.users:
            return
        user = self.users.pop(slot)
        self.tick()
        self.end_memberships(lambda key: key[0] == slot, announce_memberships)
        self.send("user.deleted", samples.deleted_data(object_id=user["id"], object_type="user"))

    def create_organization(self, slot: int) -> None:
        if slot in self.organizations:
            return
        now = self.tick()
        organization = samples.organization_data(
            organization_id=self.new_id("org", slot), name=f"Org {slot}", slug=f"org-{slot}", created_at=now
        )
        self.organizations[slot] = organization
        self.send("organization.created", organization)

    def update_organization(self, slot: int, name: str) -> None:
        if slot not in self.organizations:
            self.create_organization(slot)
            return
        organization = {**self.organizations[slot], "name": name, "slug": name.lower(), "updated_at": self.tick()}
        self.organizations[slot] = organization
        self.send("organization.updated", organization)

    def delete_organization(self, slot: int, announce_memberships: bool) -> None:
        if slot not in self.organizations:
            return
        organization = self.organizations.pop(slot)
        self.tick()
        self.end_memberships(lambda key: key[1] == slot, announce_memberships)
        self.send(
            "organization.deleted", samples.deleted_data(object_id=organization["id"], object_type="organization")
        )

    def end_memberships(self, of: Callable[[tuple[int, int]], bool], announce: bool) -> None:
        """Memberships end with their user or organization; Clerk may or may not send their deletions."""
        for key in [key for key in self.memberships if of(key)]:
            ended = self.memberships.pop(key)
            if announce:
                self.send("organizationMembership.deleted", ended)

    def add_member(self, user_slot: int, org_slot: int, role: str) -> None:
        key = (user_slot, org_slot)
        if user_slot not in self.users:
            self.create_user(user_slot, EMAILS[user_slot], verified=True)
        if org_slot not in self.organizations:
            self.create_organization(org_slot)
        if key in self.memberships:
            self.change_role(user_slot, org_slot, role)
            return
        now = self.tick()
        user = self.users[user_slot]
        membership = samples.membership_data(
            membership_id=self.new_id(f"orgmem_{user_slot}", org_slot),
            organization=self.organizations[org_slot],
            user_id=user["id"],
            identifier=user["email_addresses"][0]["email_address"] if user["email_addresses"] else "",
            first_name=user["first_name"],
            role=role,
            created_at=now,
            updated_at=now,
        )
        self.memberships[key] = membership
        self.send("organizationMembership.created", membership)

    def change_role(self, user_slot: int, org_slot: int, role: str) -> None:
        key = (user_slot, org_slot)
        if key not in self.memberships:
            self.add_member(user_slot, org_slot, role)
            return
        membership = {
            **self.memberships[key],
            "role": role,
            "organization": self.organizations[org_slot],
            "updated_at": self.tick(),
        }
        self.memberships[key] = membership
        self.send("organizationMembership.updated", membership)

    def remove_member(self, user_slot: int, org_slot: int) -> None:
        key = (user_slot, org_slot)
        if key not in self.memberships:
            return
        self.tick()
        self.send("organizationMembership.deleted", self.memberships.pop(key))

    def re_add_member(self, user_slot: int, org_slot: int, role: str) -> None:
        """Remove a member and add them back: Clerk gives the new membership a new id."""
        self.remove_member(user_slot, org_slot)
        self.add_member(user_slot, org_slot, role)

    def expected_snapshot(self) -> dict[str, Any]:
        """What the database must hold: Clerk's objects now, and a tombstone per deletion."""
        deleted = {event["data"]["id"] for _, event in self.deliveries if event["type"].endswith(".deleted")}
        return {
            "users": sorted(
                (
                    u["id"],
                    verified_email(u),
                    u["first_name"],
                    u["updated_at"],
                )
                for u in self.users.values()
            ),
            "organizations": sorted(
                (o["id"], o["name"], o["slug"], o["updated_at"]) for o in self.organizations.values()
            ),
            "memberships": sorted(
                (m["id"], m["public_user_data"]["user_id"], m["organization"]["id"], m["role"], m["updated_at"])
                for m in self.memberships.values()
            ),
            "tombstones": sorted(deleted),
        }


def verified_email(user: dict[str, Any]) -> str | None:
    """Only addresses Clerk has verified are mirrored."""
    addresses = [a for a in user["email_addresses"] if a["verification"]["status"] == "verified"]
    return addresses[0]["email_address"] if addresses else None


user_slots = st.integers(0, USERS - 1)
org_slots = st.integers(0, ORGANIZATIONS - 1)
names = st.sampled_from(["Ada", "Grace", "Edsger"])
roles = st.sampled_from(ROLES)
membership_operations = st.one_of(
    st.tuples(st.just("add_member"), user_slots, org_slots, roles),
    st.tuples(st.just("change_role"), user_slots, org_slots, roles),
    st.tuples(st.just("remove_member"), user_slots, org_slots),
    st.tuples(st.just("re_add_member"), user_slots, org_slots, roles),
)
operations = st.one_of(
    st.tuples(st.just("create_user"), user_slots, st.sampled_from(EMAILS), st.booleans()),
    st.tuples(st.just("update_user"), user_slots, st.sampled_from(EMAILS), names),
    st.tuples(st.just("delete_user"), user_slots, st.booleans()),
    st.tuples(st.just("create_organization"), org_slots),
    st.tuples(st.just("update_organization"), org_slots, st.sampled_from(["Acme", "Globex", "Initech"])),
    st.tuples(st.just("delete_organization"), org_slots, st.booleans()),
    # Memberships weigh more: their replacement rules are the subtle ones.
    membership_operations,
    membership_operations,
    membership_operations,
)


@st.composite
def histories(draw: st.DrawFn) -> SimulatedClerk:
    clerk = SimulatedClerk()
    for name, *arguments in draw(st.lists(operations, min_size=8, max_size=40)):
        getattr(clerk, name)(*arguments)
    return clerk


def snapshot() -> dict[str, Any]:
    return {
        "users": sorted(User.objects.values_list("clerk_id", "email", "first_name", "clerk_updated_at")),
        "organizations": sorted(Organization.objects.values_list("clerk_id", "name", "slug", "clerk_updated_at")),
        "memberships": sorted(
            OrganizationMembership.objects.values_list(
                "clerk_id", "user__clerk_id", "organization__clerk_id", "role", "clerk_updated_at"
            )
        ),
        "tombstones": sorted(ClerkTombstone.objects.values_list("clerk_id", flat=True)),
    }


def state_after(deliveries: list[Delivery]) -> dict[str, Any]:
    """Apply the deliveries as the webhook does, snapshot the result, and roll it all back."""
    with transaction.atomic():
        for svix_id, event in deliveries:
            outcome, error = record_and_apply(parse_event(svix_id, json.dumps(event)))
            assert outcome is not Outcome.FAILED, error
        state = snapshot()
        transaction.set_rollback(True)
    return state


@settings(
    max_examples=property_examples(100),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(clerk=histories(), data=st.data())
def test_any_order_with_duplicates_ends_in_the_in_order_state(clerk: SimulatedClerk, data: st.DataObject) -> None:
    history = clerk.deliveries
    duplicates = data.draw(st.lists(st.sampled_from(history), max_size=len(history) // 2)) if history else []
    shuffled = data.draw(st.permutations(history + duplicates))

    in_order = state_after(history)
    assert in_order == clerk.expected_snapshot()
    assert state_after(shuffled) == in_order
    assert not User.objects.exists()  # each run was rolled back
