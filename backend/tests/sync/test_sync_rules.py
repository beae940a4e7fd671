"""The rules that map Clerk's users, organizations and memberships onto local rows.

Events go through `record_and_apply`, the webhook's own path, each with a fresh svix-id.
"""

import json
import secrets
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import Client

from clerk import samples
from clerk.webhooks import parse_event
from users.models import ClerkTombstone, Organization, OrganizationMembership, User
from users.services.webhooks import Outcome, record_and_apply

pytestmark = pytest.mark.django_db


def apply(event_type: str, data: dict[str, Any]) -> Outcome:
    delivery = parse_event(f"msg_{secrets.token_hex(8)}", json.dumps(samples.event(event_type, data)))
    outcome, error = record_and_apply(delivery)
    assert outcome is not Outcome.FAILED, error
    return outcome


def clerk_user(user_id: str = "user_1", **fields: Any) -> dict[str, Any]:
    return samples.user_data(user_id=user_id, **fields)


def org(organization_id: str = "org_1", **fields: Any) -> dict[str, Any]:
    return samples.organization_data(organization_id=organization_id, **fields)


def membership(membership_id: str = "orgmem_1", *, user_id: str = "user_1", **fields: Any) -> dict[str, Any]:
    fields.setdefault("organization", org())
    return samples.membership_data(membership_id=membership_id, user_id=user_id, **fields)


def deleted(object_id: str, object_type: str) -> dict[str, Any]:
    return samples.deleted_data(object_id=object_id, object_type=object_type)


def local_account(email: str = "ada@example.com", **fields: Any) -> User:
    return User.objects.create_user(email=email, password="a-local-password", **fields)


# --- users ----------------------------------------------------------------------------------


def test_the_email_is_the_primary_address_by_its_id_not_the_first_listed() -> None:
    data = clerk_user(email="first@example.com")
    data["email_addresses"].append(
        {**data["email_addresses"][0], "id": "idn_primary", "email_address": "Primary@Example.com"}
    )
    data["primary_email_address_id"] = "idn_primary"
    apply("user.created", data)
    assert User.objects.get(clerk_id="user_1").email == "primary@example.com"


def test_a_user_without_an_email_is_stored() -> None:
    apply("user.created", clerk_user(email=None, first_name="Phone", last_name="Only"))
    user = User.objects.get(clerk_id="user_1")
    assert (user.email, user.first_name, user.last_name) == (None, "Phone", "Only")


def test_clerk_users_get_an_unusable_password_and_no_staff_rights() -> None:
    apply("user.created", clerk_user())
    user = User.objects.get(clerk_id="user_1")
    assert not user.has_usable_password()
    assert (user.is_staff, user.is_superuser, user.is_active) == (False, False, True)
    assert authenticate(email="ada@example.com", password="") is None


def test_a_verified_email_links_the_clerk_user_to_the_existing_local_account() -> None:
    account = local_account()
    apply("user.created", clerk_user(email="ADA@example.com", email_verified=True, first_name="Ada"))
    assert User.objects.count() == 1
    linked = User.objects.get(pk=account.pk)
    assert (linked.clerk_id, linked.email, linked.first_name) == ("user_1", "ada@example.com", "Ada")
    assert linked.check_password("a-local-password")  # the local login keeps working


def test_an_unverified_email_never_links_to_a_local_account() -> None:
    account = local_account()
    apply("user.created", clerk_user(email="ada@example.com", email_verified=False))
    account.refresh_from_db()
    assert account.clerk_id is None
    assert account.email == "ada@example.com"  # the local account keeps its address
    clerk_row = User.objects.get(clerk_id="user_1")
    assert clerk_row.pk != account.pk
    assert clerk_row.email is None


@pytest.mark.parametrize("newer_first", [True, False], ids=["newer-first", "older-first"])
def test_when_two_clerk_users_claim_an_email_the_newer_holds_it_and_the_other_is_kept(newer_first: bool) -> None:
    older = ("user.created", clerk_user("user_old", email="shared@example.com", updated_at=1_000))
    newer = ("user.created", clerk_user("user_new", email="shared@example.com", updated_at=2_000))
    for event_type, data in [newer, older] if newer_first else [older, newer]:
        apply(event_type, data)
    assert User.objects.get(clerk_id="user_new").email == "shared@example.com"
    kept = User.objects.get(clerk_id="user_old")
    assert kept.email is None
    assert kept.first_name == "Ada"


def test_a_superuser_made_with_createsuperuser_still_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "an-admin-password")
    call_command("createsuperuser", interactive=False, email="admin@example.com", verbosity=0)
    apply("user.created", clerk_user("user_other", email="someone@example.com"))
    apply("user.created", clerk_user("user_admin", email="admin@example.com", email_verified=True))

    # Never linked by the sync (an operator links staff accounts in the admin): the admin is intact.
    admin = User.objects.get(email="admin@example.com")
    assert (admin.is_staff, admin.is_superuser, admin.clerk_id) == (True, True, None)
    assert User.objects.get(clerk_id="user_admin").email is None
    browser = Client()
    assert browser.login(email="admin@example.com", password="an-admin-password")
    assert browser.get("/admin/").status_code == 200

    # Linked by an operator, then deleted at Clerk: the account is unlinked and its login survives.
    User.objects.filter(clerk_id="user_admin").delete()
    User.objects.filter(pk=admin.pk).update(clerk_id="user_admin")
    apply(
        "user.updated",
        clerk_user("user_admin", email="admin@example.com", first_name="Ad", updated_at=samples.now_ms()),
    )
    admin.refresh_from_db()
    assert (admin.first_name, admin.email) == ("Ad", "admin@example.com")
    apply("user.deleted", deleted("user_admin", "user"))
    admin.refresh_from_db()
    assert (admin.clerk_id, admin.is_superuser) == (None, True)
    assert Client().login(email="admin@example.com", password="an-admin-password")


# --- order independence ---------------------------------------------------------------------


def test_an_older_user_version_never_overwrites_a_newer_one() -> None:
    apply("user.updated", clerk_user(first_name="New", email="new@example.com", updated_at=2_000))
    apply("user.created", clerk_user(first_name="Old", email="old@example.com", updated_at=1_000))
    user = User.objects.get(clerk_id="user_1")
    assert (user.first_name, user.email, user.clerk_updated_at) == ("New", "new@example.com", 2_000)


def test_an_older_organization_version_never_overwrites_a_newer_one() -> None:
    apply("organization.updated", org(name="New", slug="new", updated_at=2_000))
    apply("organization.created", org(name="Old", slug="old", updated_at=1_000))
    assert Organization.objects.values_list("name", "slug").get() == ("New", "new")


def test_an_older_membership_version_never_overwrites_a_newer_role() -> None:
    apply("organizationMembership.updated", membership(role="org:admin", created_at=500, updated_at=2_000))
    apply("organizationMembership.created", membership(role="org:member", created_at=500, updated_at=1_000))
    assert OrganizationMembership.objects.get().role == "org:admin"


def test_the_organization_copy_in_a_membership_is_applied_only_when_newer() -> None:
    apply("organization.updated", org(name="Renamed", updated_at=2_000))
    apply("organizationMembership.created", membership(organization=org(name="Stale", updated_at=1_000)))
    assert Organization.objects.get().name == "Renamed"


@pytest.mark.parametrize(
    ("create", "delete", "model"),
    [
        (("user.created", clerk_user()), ("user.deleted", deleted("user_1", "user")), User),
        (("organization.created", org()), ("organization.deleted", deleted("org_1", "organization")), Organization),
        (
            ("organizationMembership.created", membership()),
            ("organizationMembership.deleted", membership()),
            OrganizationMembership,
        ),
    ],
    ids=["user", "organization", "membership"],
)
def test_a_deletion_leaves_a_tombstone_that_late_events_cannot_undo(
    create: tuple[str, dict[str, Any]], delete: tuple[str, dict[str, Any]], model: Any
) -> None:
    apply(*delete)  # the deletion overtook the creation
    apply(*create)
    updated_type = create[0].replace(".created", ".updated")
    apply(updated_type, {**create[1], "updated_at": samples.now_ms()})
    clerk_id = delete[1]["id"]
    assert not model.objects.filter(clerk_id=clerk_id).exists()
    assert ClerkTombstone.objects.filter(clerk_id=clerk_id).exists()


def test_a_membership_before_its_user_and_organization_creates_stand_ins_that_they_complete() -> None:
    apply(
        "organizationMembership.created",
        membership(organization=org(name="Acme", updated_at=1_000), first_name="Ada", identifier="ada@example.com"),
    )
    stand_in = User.objects.get(clerk_id="user_1")
    assert (stand_in.first_name, stand_in.clerk_updated_at) == ("Ada", None)
    assert not stand_in.has_usable_password()
    assert Organization.objects.get(clerk_id="org_1").name == "Acme"

    apply("user.created", clerk_user(email="ada@example.com", first_name="Augusta", updated_at=1_000))
    apply("organization.created", org(name="Acme Inc", updated_at=2_000))
    user = User.objects.get(clerk_id="user_1")
    assert (user.pk, user.email, user.first_name, user.clerk_updated_at) == (
        stand_in.pk,
        "ada@example.com",
        "Augusta",
        1_000,
    )
    assert Organization.objects.get(clerk_id="org_1").name == "Acme Inc"
    assert OrganizationMembership.objects.get().user_id == stand_in.pk


def test_a_membership_after_its_user_was_deleted_creates_nothing() -> None:
    apply("user.created", clerk_user())
    apply("user.deleted", deleted("user_1", "user"))
    apply("organizationMembership.created", membership())
    assert not User.objects.exists()
    assert not OrganizationMembership.objects.exists()


RE_ADDED = [
    ("organizationMembership.created", membership("orgmem_old", role="org:member", created_at=1_000)),
    ("organizationMembership.deleted", membership("orgmem_old", role="org:member", created_at=1_000)),
    ("organizationMembership.created", membership("orgmem_new", role="org:admin", created_at=2_000)),
]


@pytest.mark.parametrize(
    "order",
    [(0, 1, 2), (0, 2, 1), (2, 0, 1), (2, 1, 0), (1, 2, 0), (1, 0, 2)],
)
def test_a_re_added_member_keeps_the_new_membership_whatever_the_order(order: tuple[int, int, int]) -> None:
    for index in order:
        apply(*RE_ADDED[index])
    assert list(OrganizationMembership.objects.values_list("clerk_id", "role")) == [("orgmem_new", "org:admin")]


def test_deleting_an_organization_removes_its_memberships_but_not_its_members() -> None:
    apply("user.created", clerk_user("user_1", email="one@example.com"))
    apply("user.created", clerk_user("user_2", email="two@example.com"))
    apply("organizationMembership.created", membership("orgmem_1", user_id="user_1"))
    apply("organizationMembership.created", membership("orgmem_2", user_id="user_2"))
    other = org("org_2", name="Other", slug="other")
    apply("organizationMembership.created", membership("orgmem_3", user_id="user_1", organization=other))

    apply("organization.deleted", deleted("org_1", "organization"))
    assert list(OrganizationMembership.objects.values_list("clerk_id", flat=True)) == ["orgmem_3"]
    assert User.objects.filter(clerk_id__in=["user_1", "user_2"]).count() == 2


def test_deleting_a_user_removes_their_memberships() -> None:
    apply("organizationMembership.created", membership())
    apply("user.deleted", deleted("user_1", "user"))
    assert not OrganizationMembership.objects.exists()
    assert Organization.objects.filter(clerk_id="org_1").exists()


@pytest.mark.parametrize("role", ["org:admin", "org:member", "org:billing_manager", "basic_member"])
def test_roles_are_stored_as_clerk_sends_them(role: str) -> None:
    apply("organizationMembership.created", membership(role=role))
    assert OrganizationMembership.objects.get().role == role


def test_a_role_change_is_stored_as_sent() -> None:
    apply("organizationMembership.created", membership(role="org:member", created_at=1_000, updated_at=1_000))
    apply("organizationMembership.updated", membership(role="org:support_lead", created_at=1_000, updated_at=2_000))
    assert OrganizationMembership.objects.get().role == "org:support_lead"
