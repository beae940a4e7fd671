"""`manage.py clerk_sync`: reconcile with Clerk's Backend API, served by the real local fake."""

import io
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command

from clerk import samples
from clerk.backend_api import ClerkBackendAPI
from clerk.payloads import ClerkMembership, ClerkOrganization, ClerkUser
from testing.fake_clerk import FakeClerk
from users.models import ClerkTombstone, Organization, OrganizationMembership, User
from users.services import clerk_objects
from users.services.reconcile import reconcile

pytestmark = pytest.mark.django_db

T0 = 1_700_000_000_000


@pytest.fixture
def clerk_api(fake_clerk: FakeClerk, use_clerk: Callable[[dict[str, str]], None]) -> FakeClerk:
    """The fake Clerk, with the command's settings pointing at it."""
    use_clerk({"CLERK_SECRET_KEY": fake_clerk.state.secret_key, "CLERK_API_URL": fake_clerk.api_url})
    return fake_clerk


def user(n: int, *, updated_at: int = T0, **fields: Any) -> dict[str, Any]:
    fields.setdefault("email", f"person{n}@example.com")
    fields.setdefault("first_name", f"Person {n}")
    return samples.user_data(user_id=f"user_{n}", created_at=T0, updated_at=updated_at, **fields)


def organization(n: int, *, updated_at: int = T0, name: str | None = None) -> dict[str, Any]:
    return samples.organization_data(
        organization_id=f"org_{n}", name=name or f"Org {n}", slug=f"org-{n}", created_at=T0, updated_at=updated_at
    )


def membership(user_n: int, org_n: int, role: str = "org:member", *, updated_at: int = T0) -> dict[str, Any]:
    return samples.membership_data(
        membership_id=f"orgmem_{user_n}_{org_n}",
        organization=organization(org_n),
        user_id=f"user_{user_n}",
        role=role,
        created_at=T0,
        updated_at=updated_at,
    )


def seed_clerk(fake: FakeClerk, *, users: int = 3, organizations: int = 2) -> None:
    fake.state.users = [user(n) for n in range(users)]
    fake.state.organizations = [organization(n) for n in range(organizations)]
    fake.state.memberships = [
        membership(n, n % organizations, "org:admin" if n == 0 else "org:member") for n in range(users)
    ]


def sync(*args: str, **options: Any) -> str:
    out = io.StringIO()
    call_command("clerk_sync", *args, stdout=out, **options)
    return out.getvalue()


def local_state() -> dict[str, list[Any]]:
    return {
        "users": sorted(User.objects.values_list("clerk_id", "email", "first_name", "clerk_updated_at"), key=repr),
        "organizations": sorted(Organization.objects.values_list("clerk_id", "name", "clerk_updated_at")),
        "memberships": sorted(OrganizationMembership.objects.values_list("clerk_id", "role", "user__clerk_id")),
        "tombstones": sorted(ClerkTombstone.objects.values_list("clerk_id", flat=True)),
    }


# The local rows: one Clerk no longer has of each kind, one it has.
def seed_local_rows_clerk_deleted() -> None:
    clerk_objects.upsert_user(ClerkUser.from_json(user(0)))
    clerk_objects.upsert_user(ClerkUser.from_json(user(9, email="gone@example.com")))
    clerk_objects.upsert_organization(ClerkOrganization.from_json(organization(9)))
    clerk_objects.upsert_membership(ClerkMembership.from_json(membership(0, 0, "org:admin")))
    clerk_objects.upsert_membership(ClerkMembership.from_json(membership(0, 1)))  # orgmem_0_1: gone from Clerk


# --- creating and updating ------------------------------------------------------------------


def test_sync_creates_the_users_organizations_and_memberships_clerk_has(clerk_api: FakeClerk) -> None:
    seed_clerk(clerk_api)
    out = sync("--yes")
    assert local_state() == {
        "users": [(f"user_{n}", f"person{n}@example.com", f"Person {n}", T0) for n in range(3)],
        "organizations": [("org_0", "Org 0", T0), ("org_1", "Org 1", T0)],
        "memberships": [
            ("orgmem_0_0", "org:admin", "user_0"),
            ("orgmem_1_1", "org:member", "user_1"),
            ("orgmem_2_0", "org:member", "user_2"),
        ],
        "tombstones": [],
    }
    assert "users: created 3, updated 0, deleted 0, unchanged 0, skipped 0" in out
    assert "  created: user_0, user_1, user_2" in out
    assert "memberships: created 3, updated 0, deleted 0" in out
    assert "Synced with Clerk." in out
    assert all(not u.has_usable_password() and not u.is_staff for u in User.objects.all())


def test_sync_updates_a_row_only_when_clerk_has_a_newer_version(clerk_api: FakeClerk) -> None:
    clerk_objects.upsert_user(ClerkUser.from_json(user(0, first_name="Stale", updated_at=T0 - 1)))
    clerk_objects.upsert_user(ClerkUser.from_json(user(1, first_name="Newer here", updated_at=T0 + 1)))
    clerk_api.state.users = [user(0, updated_at=T0), user(1, updated_at=T0)]
    out = sync("--yes")
    assert User.objects.get(clerk_id="user_0").first_name == "Person 0"
    assert User.objects.get(clerk_id="user_1").first_name == "Newer here"
    assert "users: created 0, updated 1, deleted 0, unchanged 1, skipped 0" in out
    assert "  updated: user_0" in out


def test_a_second_sync_finds_nothing_to_do(clerk_api: FakeClerk) -> None:
    seed_clerk(clerk_api)
    sync("--yes")
    before = local_state()
    out = sync("--yes")
    assert local_state() == before
    assert "users: created 0, updated 0, deleted 0, unchanged 3, skipped 0" in out
    assert "Already in sync with Clerk." in out


def test_objects_deleted_locally_are_not_brought_back(clerk_api: FakeClerk) -> None:
    seed_clerk(clerk_api, users=1, organizations=1)
    clerk_objects.delete_user("user_0")  # its user.deleted arrived while Clerk still lists it
    out = sync("--yes")
    assert not User.objects.filter(clerk_id="user_0").exists()
    assert not OrganizationMembership.objects.exists()
    assert "users: created 0, updated 0, deleted 0, unchanged 0, skipped 1" in out


# --- removing -------------------------------------------------------------------------------


def test_sync_removes_local_rows_clerk_no_longer_has_and_prints_them(clerk_api: FakeClerk) -> None:
    seed_local_rows_clerk_deleted()
    superuser = User.objects.create_superuser(email="admin@example.com", password="an-admin-password")
    seed_clerk(clerk_api, users=1, organizations=2)

    out = sync("--yes")
    assert "deleted membership orgmem_0_1" in out
    assert "deleted organization org_9" in out
    assert "deleted user user_9" in out
    assert "  deleted: user_9" in out
    state = local_state()
    assert [row[0] for row in state["users"]] == ["user_0", None]  # the local superuser stays
    assert [row[0] for row in state["organizations"]] == ["org_0", "org_1"]
    assert [row[0] for row in state["memberships"]] == ["orgmem_0_0"]
    assert state["tombstones"] == ["org_9", "orgmem_0_1", "user_9"]
    assert User.objects.filter(pk=superuser.pk, is_superuser=True).exists()


def test_a_row_missing_from_the_listing_that_clerk_still_has_is_kept(clerk_api: FakeClerk) -> None:
    # Created in Clerk after the listing was read: its webhook may already have landed here.
    clerk_objects.upsert_user(ClerkUser.from_json(user(5)))
    clerk_api.state.users = [user(5)]
    clerk_api.state.unlisted = {"user_5"}
    out = sync("--yes")
    assert User.objects.filter(clerk_id="user_5").exists()
    assert not ClerkTombstone.objects.exists()
    assert "users: created 0, updated 0, deleted 0, unchanged 0, skipped 0" in out
    assert clerk_api.count("/v1/users/user_5") == 1  # asked for by id before anything was removed


def test_without_yes_and_without_a_terminal_nothing_is_deleted(clerk_api: FakeClerk) -> None:
    seed_local_rows_clerk_deleted()
    seed_clerk(clerk_api, users=1, organizations=2)
    out = sync(stdin=io.StringIO(""))
    assert "Not deleting them: run with --yes to delete without a prompt." in out
    assert "  not deleted: user_9" in out
    assert User.objects.filter(clerk_id="user_9").exists()
    assert not ClerkTombstone.objects.exists()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "deleted"), [("y\n", True), ("\n", False), ("no\n", False)])
def test_at_a_terminal_the_command_asks_before_deleting(clerk_api: FakeClerk, answer: str, deleted: bool) -> None:
    seed_local_rows_clerk_deleted()
    seed_clerk(clerk_api, users=1, organizations=2)
    out = sync(stdin=Terminal(answer))
    assert "Local rows Clerk no longer has:" in out
    assert "  users: user_9" in out
    assert "Delete them? [y/N]" in out
    assert User.objects.filter(clerk_id="user_9").exists() is not deleted


# --- dry run --------------------------------------------------------------------------------


def test_a_dry_run_changes_nothing_and_prints_what_would_change(clerk_api: FakeClerk) -> None:
    seed_local_rows_clerk_deleted()
    clerk_objects.upsert_user(ClerkUser.from_json(user(1, first_name="Stale", updated_at=T0 - 1)))
    seed_clerk(clerk_api, users=3, organizations=2)
    before = local_state()

    out = sync("--dry-run")
    assert local_state() == before
    assert "users: would create 1, would update 1, would delete 1, unchanged 1, skipped 0" in out
    assert "  would create: user_2" in out
    assert "  would update: user_1" in out
    assert "  would delete: user_9" in out
    assert "organizations: would create 0, would update 0, would delete 1, unchanged 2, skipped 0" in out
    assert "memberships: would create 2, would update 0, would delete 1, unchanged 1, skipped 0" in out
    assert "  would delete: org_9" in out
    assert "  would delete: orgmem_0_1" in out
    assert "Dry run: nothing was changed." in out
    assert "deleted " not in out  # no deletion was made, and none was asked for

    # The real run then does exactly what the dry run announced.
    sync("--yes")
    assert User.objects.get(clerk_id="user_1").first_name == "Person 1"
    assert User.objects.filter(clerk_id="user_2").exists()
    assert not User.objects.filter(clerk_id="user_9").exists()


# --- paging and rate limits -----------------------------------------------------------------


def test_progress_is_printed_for_every_page(clerk_api: FakeClerk) -> None:
    seed_clerk(clerk_api, users=5, organizations=3)
    out = sync("--yes", "--page-size", "2")
    for line in [
        "users: page 1 fetched, 2 items (2 so far)",
        "users: page 2 fetched, 2 items (4 so far)",
        "users: page 3 fetched, 1 items (5 so far)",
        "organizations: page 1 fetched, 2 items (2 of 3 so far)",
        "organizations: page 2 fetched, 1 items (3 of 3 so far)",
        "memberships: page 3 fetched, 1 items (5 of 5 so far)",
        "users: page 3 applied: 1 created, 0 updated, 0 unchanged, 0 skipped",
        "memberships: page 1 applied: 2 created, 0 updated, 0 unchanged, 0 skipped",
    ]:
        assert line in out.splitlines()
    assert User.objects.count() == 5
    assert OrganizationMembership.objects.count() == 5
    offsets = [
        parse_qs(urlsplit(r).query)["offset"] for r in clerk_api.state.requests if urlsplit(r).path == "/v1/users"
    ]
    assert offsets == [["0"], ["2"], ["4"]]


def test_a_rate_limited_page_is_retried_after_the_retry_after_delay(clerk_api: FakeClerk) -> None:
    seed_clerk(clerk_api)
    clerk_api.state.rate_limits = {"/v1/organizations": 1}
    clerk_api.state.retry_after = "1"
    started = time.monotonic()
    out = sync("--yes")
    assert time.monotonic() - started >= 1.0
    assert "rate limited by Clerk: waiting 1 s" in out.splitlines()
    organization_requests = [r for r in clerk_api.state.requests if urlsplit(r).path == "/v1/organizations"]
    assert len(organization_requests) == 2  # the 429, then the same page again
    assert organization_requests[0] == organization_requests[1]
    assert Organization.objects.count() == 2


# --- errors ---------------------------------------------------------------------------------


def test_without_a_secret_key_the_command_names_the_variable(
    clerk_api: FakeClerk, use_clerk: Callable[[dict[str, str]], None]
) -> None:
    use_clerk({"CLERK_API_URL": clerk_api.api_url})
    with pytest.raises(CommandError, match="CLERK_SECRET_KEY is not set"):
        sync()
    assert clerk_api.state.requests == []


def test_a_rejected_secret_key_is_a_short_error_and_changes_nothing(
    clerk_api: FakeClerk, use_clerk: Callable[[dict[str, str]], None]
) -> None:
    seed_local_rows_clerk_deleted()
    before = local_state()
    use_clerk({"CLERK_SECRET_KEY": "sk_test_wrong", "CLERK_API_URL": clerk_api.api_url})
    with pytest.raises(CommandError) as raised:
        sync("--yes")
    assert str(raised.value) == "Clerk's Backend API: GET /users: HTTP 401"
    assert local_state() == before


def test_an_unreachable_backend_api_is_a_short_error(clerk_api: FakeClerk) -> None:
    clerk_api.stop()
    with pytest.raises(CommandError, match=r"^Clerk's Backend API: GET /users: ConnectionError$"):
        sync("--yes")


def test_the_page_size_is_bounded(clerk_api: FakeClerk) -> None:
    with pytest.raises(CommandError, match="--page-size must be between 1 and 500"):
        sync("--page-size", "0")


# --- the service ----------------------------------------------------------------------------


def test_the_service_returns_a_typed_summary(clerk_api: FakeClerk) -> None:
    seed_local_rows_clerk_deleted()
    seed_clerk(clerk_api, users=2, organizations=2)
    api = ClerkBackendAPI(secret_key=clerk_api.state.secret_key, api_url=clerk_api.api_url)
    lines: list[str] = []
    summary = reconcile(api, dry_run=False, page_size=1, progress=lines.append)
    assert (summary.users.created, summary.users.updated, summary.users.unchanged) == (["user_1"], [], 1)
    assert (summary.users.missing, summary.users.deleted) == (["user_9"], ["user_9"])
    assert summary.organizations.deleted == ["org_9"]
    assert summary.memberships.deleted == ["orgmem_0_1"]
    assert summary.changed
    assert not summary.deletions_declined
    assert "users: page 2 fetched, 1 items (2 so far)" in lines


def test_an_object_that_cannot_be_stored_is_reported_and_skipped_not_fatal(clerk_api: FakeClerk) -> None:
    seed_clerk(clerk_api)
    clerk_api.state.users.insert(1, user(7, first_name="N" * 300))
    clerk_api.state.users.append(user(8, last_name="nul\x00"))
    # A local row for one of them: Clerk still has it, unreadable or not, so it is not deleted.
    User.objects.create(clerk_id="user_7", first_name="Kept")
    out = sync("--yes")
    assert "users: skipping user_7: first_name is longer than 256 characters" in out
    assert "user_8: last_name contains a NUL character" in out
    assert "skipped (cannot be stored: reprocess after fixing): user_7: first_name is longer" in out
    assert sorted(User.objects.values_list("clerk_id", flat=True)) == ["user_0", "user_1", "user_2", "user_7"]
    assert User.objects.get(clerk_id="user_7").first_name == "Kept"
    assert OrganizationMembership.objects.count() == 3
