"""Deliveries write through the ORM's own `save()`: signals are sent; a delivery is a fixed handful of statements."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext

from tests.sync.test_sync_rules import apply, clerk_user, membership
from users.models import OrganizationMembership, User, WebhookEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved() -> Iterator[list[tuple[str, str, bool]]]:
    """(signal, model, created) for every save signal sent while the test runs."""
    seen: list[tuple[str, str, bool]] = []

    def on_pre_save(sender: type, instance: Any, **kwargs: Any) -> None:
        seen.append(("pre_save", sender.__name__, instance._state.adding))

    def on_post_save(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
        assert instance.pk is not None
        seen.append(("post_save", sender.__name__, created))

    pre_save.connect(on_pre_save, weak=False)
    post_save.connect(on_post_save, weak=False)
    yield seen
    pre_save.disconnect(on_pre_save)
    post_save.disconnect(on_post_save)


def test_a_webhook_created_user_sends_the_save_signals_with_created_true(saved: list[tuple[str, str, bool]]) -> None:
    apply("user.created", clerk_user(email="ada@example.com"))
    assert ("pre_save", "User", True) in saved
    assert ("post_save", "User", True) in saved
    assert ("post_save", "WebhookEvent", True) in saved


def test_a_webhook_update_sends_post_save_with_created_false(saved: list[tuple[str, str, bool]]) -> None:
    apply("user.created", clerk_user(first_name="Ada", updated_at=1))
    saved.clear()
    apply("user.updated", clerk_user(first_name="Ada L.", updated_at=2))
    assert ("post_save", "User", False) in saved
    assert User.objects.get(clerk_id="user_1").first_name == "Ada L."


def test_a_membership_event_saves_organization_user_and_membership(saved: list[tuple[str, str, bool]]) -> None:
    apply("organizationMembership.created", membership())
    created = {model for signal, model, was_created in saved if signal == "post_save" and was_created}
    assert created == {"Organization", "User", "OrganizationMembership", "WebhookEvent"}


def test_stored_rows_hold_what_the_models_define() -> None:
    apply("organizationMembership.created", membership(role="org:admin"))
    row = OrganizationMembership.objects.select_related("user", "organization").get(clerk_id="orgmem_1")
    assert (row.role, row.user.clerk_id, row.organization.clerk_id) == ("org:admin", "user_1", "org_1")
    assert row.created_at is not None  # auto_now_add applied
    assert row.user.has_usable_password() is False
    event = WebhookEvent.objects.get(object_id="orgmem_1")
    assert event.payload["type"] == "organizationMembership.created"  # JSON stored as JSON, not as a string
    assert event.received_at is not None


@pytest.mark.postgres  # SQLite takes no advisory locks, so it sends one statement fewer
@pytest.mark.parametrize(
    ("event_type", "data", "statements"),
    [
        # lock, the user by id or by email, tombstone check (no row), user, event row (a new
        # delivery is not looked up first: the event row's unique svix_id catches a repeat)
        ("user.created", clerk_user(email="ada@example.com"), 5),
        # ... plus the organization and the membership, each read and written
        ("organizationMembership.created", membership(), 9),
    ],
)
def test_a_delivery_is_a_fixed_handful_of_statements(event_type: str, data: dict[str, Any], statements: int) -> None:
    with CaptureQueriesContext(connection) as captured:
        apply(event_type, data)
    # Savepoints are left out: the one around applying, and the test's own transaction's.
    sent = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(sent) == statements, "\n".join(sent)


@pytest.mark.postgres
def test_locked_reads_lock_only_the_rows_they_read() -> None:
    # FOR UPDATE locks a row of every table in the query: a default ordering on a related
    # field (a membership's organization name) would join, sort and lock those tables too.
    apply("organizationMembership.created", membership(role="org:member", created_at=1_000))
    with CaptureQueriesContext(connection) as captured:
        apply("organizationMembership.updated", membership(role="org:admin", created_at=1_000, updated_at=2_000))
    locked = [q["sql"] for q in captured.captured_queries if q["sql"].endswith("FOR UPDATE")]
    assert len(locked) == 3  # the organization, the user, the membership
    assert not [sql for sql in locked if " JOIN " in sql or " ORDER BY " in sql]
