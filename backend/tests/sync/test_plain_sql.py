"""The webhook path writes rows in plain SQL (users.services.plain_sql); to code built on
the models it must look like `save()`: the same stored values and the same signals."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext

from tests.sync.test_sync_rules import apply, clerk_user, membership
from users.models import Organization, OrganizationMembership, User, WebhookEvent
from users.services.plain_sql import locked_row, locked_rows, save_row

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


def test_inserted_rows_hold_what_the_orm_would_have_stored() -> None:
    apply("organizationMembership.created", membership(role="org:admin"))
    row = OrganizationMembership.objects.select_related("user", "organization").get(clerk_id="orgmem_1")
    assert (row.role, row.user.clerk_id, row.organization.clerk_id) == ("org:admin", "user_1", "org_1")
    assert row.created_at is not None  # auto_now_add applied
    assert row.user.has_usable_password() is False
    event = WebhookEvent.objects.get(object_id="orgmem_1")
    assert event.payload["type"] == "organizationMembership.created"  # JSON stored as JSON, not as a string
    assert event.received_at is not None


def test_locked_reads_build_ordinary_instances_that_save_and_delete() -> None:
    Organization.objects.create(clerk_id="org_a", name="A")
    with transaction.atomic():
        organization = locked_row(Organization, "clerk_id = %s", ["org_a"])
        assert organization is not None
        organization.name = "A Ltd"
        organization.save()
    assert Organization.objects.get(clerk_id="org_a").name == "A Ltd"
    with transaction.atomic():
        assert locked_rows(Organization, "clerk_id = %s", ["org_missing"]) == []
        assert locked_row(Organization, "clerk_id = %s", ["org_missing"]) is None
        rows = locked_rows(Organization, "clerk_id = %s", ["org_a"])
        rows[0].delete()
    assert not Organization.objects.exists()


def test_locked_row_is_the_lowest_primary_key_like_first() -> None:
    first = Organization.objects.create(clerk_id="org_a", name="Same")
    Organization.objects.create(clerk_id="org_b", name="Same")
    with transaction.atomic():
        found = locked_row(Organization, "name = %s", ["Same"])
    assert found is not None
    assert found.pk == first.pk


def test_updating_a_row_that_is_gone_is_an_error_not_a_silent_insert() -> None:
    organization = Organization.objects.create(clerk_id="org_gone", name="Gone")
    Organization.objects.filter(pk=organization.pk).delete()
    organization.name = "Back?"
    with pytest.raises(DatabaseError, match="not found"), transaction.atomic():
        save_row(organization)
    assert not Organization.objects.exists()


@pytest.mark.postgres  # SQLite takes no advisory locks, so it sends one statement fewer
@pytest.mark.parametrize(
    ("event_type", "data", "statements"),
    [
        # lock, dedup lookup, tombstone check, user by id, holders of the email, user, event row
        ("user.created", clerk_user(email="ada@example.com"), 7),
        # ... plus the organization and the membership, each read and written
        ("organizationMembership.created", membership(), 10),
    ],
)
def test_a_delivery_is_a_fixed_handful_of_statements(event_type: str, data: dict[str, Any], statements: int) -> None:
    with CaptureQueriesContext(connection) as captured:
        apply(event_type, data)
    # The test's own transaction turns the delivery's into a savepoint; a real one has none.
    sent = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(sent) == statements, sent
