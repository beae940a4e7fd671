"""POST /api/v1/auth/clerk_webhook/: verified, logged once, applied all or nothing."""

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from starlette.testclient import TestClient

from clerk import samples
from testing.svix import new_signing_secret, signed_delivery
from users.models import ClerkTombstone, Organization, OrganizationMembership, User, WebhookEvent
from users.services.webhooks import handled_event_types

URL = "/api/v1/auth/clerk_webhook/"
Deliver = Callable[..., Any]


def post(client: TestClient, body: bytes, headers: dict[str, str]) -> Any:
    return client.post(URL, content=body, headers=headers)


def user_created(user_id: str = "user_1", **fields: Any) -> dict[str, Any]:
    return samples.event("user.created", samples.user_data(user_id=user_id, **fields))


def nothing_stored() -> bool:
    return not (WebhookEvent.objects.exists() or User.objects.exists() or Organization.objects.exists())


# --- rejected deliveries -------------------------------------------------------------------


def test_a_delivery_signed_with_another_secret_is_rejected_and_nothing_is_stored(client: TestClient) -> None:
    body, headers = signed_delivery(new_signing_secret(), user_created())
    response = post(client, body, headers)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid-signature"
    assert nothing_stored()


def test_a_body_changed_after_signing_is_rejected(client: TestClient, webhook_secret: str) -> None:
    body, headers = signed_delivery(webhook_secret, user_created(email="ada@example.com"))
    response = post(client, body.replace(b"ada@example.com", b"eve@example.com"), headers)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid-signature"
    assert nothing_stored()


@pytest.mark.parametrize("header", ["svix-id", "svix-timestamp", "svix-signature"])
def test_a_delivery_without_svix_headers_is_rejected(client: TestClient, webhook_secret: str, header: str) -> None:
    body, headers = signed_delivery(webhook_secret, user_created())
    del headers[header]
    response = post(client, body, headers)
    assert response.status_code == 400
    assert response.json()["code"] == "missing-svix-headers"
    assert nothing_stored()


@pytest.mark.parametrize("age", [timedelta(minutes=6), timedelta(minutes=-6)], ids=["stale", "from-the-future"])
def test_a_timestamp_outside_five_minutes_is_rejected(client: TestClient, webhook_secret: str, age: timedelta) -> None:
    body, headers = signed_delivery(webhook_secret, user_created(), timestamp=datetime.now(UTC) - age)
    response = post(client, body, headers)
    assert response.status_code == 400
    assert response.json()["code"] == "timestamp-outside-tolerance"
    assert nothing_stored()


@pytest.mark.parametrize(
    "body",
    [
        b"not json at all",
        b'["an", "array"]',
        b'{"object": "user", "type": "user.created", "data": {}}',
        b'{"object": "event", "type": "user.created", "data": "text"}',
        b'{"object": "event", "data": {"id": "user_1"}}',
        b'{"object": "event", "type": "user.\\u0000created", "data": {}}',
    ],
)
def test_a_correctly_signed_body_that_is_not_an_event_is_rejected(
    client: TestClient, webhook_secret: str, body: bytes
) -> None:
    response = post(client, *signed_delivery(webhook_secret, body))
    assert response.status_code == 400
    assert response.json()["code"] == "not-a-clerk-event"
    assert nothing_stored()


def test_without_a_signing_secret_the_endpoint_answers_503_with_the_reason(
    client: TestClient, clerk_env: dict[str, str], configure_clerk: Callable[[dict[str, str]], None], deliver: Deliver
) -> None:
    configure_clerk({**clerk_env, "CLERK_WEBHOOK_SIGNING_SECRET": ""})
    response = deliver(user_created())
    assert response.status_code == 503
    assert response.json()["code"] == "webhooks-not-configured"
    assert nothing_stored()


def test_while_rotating_a_delivery_signed_with_either_secret_is_accepted(
    client: TestClient, clerk_env: dict[str, str], configure_clerk: Callable[[dict[str, str]], None]
) -> None:
    old, new, other = new_signing_secret(), new_signing_secret(), new_signing_secret()
    configure_clerk({**clerk_env, "CLERK_WEBHOOK_SIGNING_SECRET": f"{new}, {old}"})
    for secret, user_id in ((old, "user_old"), (new, "user_new")):
        assert post(client, *signed_delivery(secret, user_created(user_id))).json() == {"status": "processed"}
    refused = post(client, *signed_delivery(other, user_created("user_other")))
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid-signature"
    stale = post(
        client, *signed_delivery(old, user_created("user_late"), timestamp=datetime.now(UTC) - timedelta(hours=1))
    )
    assert stale.json()["code"] == "timestamp-outside-tolerance"
    assert sorted(User.objects.values_list("clerk_id", flat=True)) == ["user_new", "user_old"]


# --- accepted deliveries -------------------------------------------------------------------


def test_a_repeated_svix_id_answers_200_and_changes_nothing_more(client: TestClient, deliver: Deliver) -> None:
    first = deliver(user_created(first_name="Ada", updated_at=1_000), msg_id="msg_once")
    assert first.json() == {"status": "processed"}
    # Even a newer version is not applied under a svix-id that was already processed.
    again = deliver(user_created(first_name="Changed", updated_at=2_000), msg_id="msg_once")
    assert again.status_code == 200
    assert again.json() == {"status": "duplicate"}
    assert User.objects.get(clerk_id="user_1").first_name == "Ada"
    event = WebhookEvent.objects.get()
    assert (event.svix_id, event.attempts, event.status) == ("msg_once", 1, WebhookEvent.Status.PROCESSED)


def test_a_repeated_delivery_writes_nothing_even_where_applying_it_again_would(deliver: Deliver) -> None:
    # A delivery is applied before its log row is written; a repeat is recognized by that
    # row's unique svix-id, and what applying it again wrote is rolled back.
    deliver(user_created("user_gone"), msg_id="msg_first")
    User.objects.filter(clerk_id="user_gone").delete()  # an operator deleted the row in the admin
    again = deliver(user_created("user_gone"), msg_id="msg_first")
    assert again.json() == {"status": "duplicate"}
    assert not User.objects.filter(clerk_id="user_gone").exists()
    assert WebhookEvent.objects.get().attempts == 1


def test_an_unhandled_event_type_is_recorded_as_ignored(client: TestClient, deliver: Deliver) -> None:
    response = deliver(samples.sample_event("email.created"), msg_id="msg_email")
    assert response.status_code == 200
    assert response.json() == {"status": "ignored"}
    event = WebhookEvent.objects.get()
    assert (event.svix_id, event.event_type, event.status) == ("msg_email", "email.created", "ignored")
    assert not User.objects.exists()


def _user_exists() -> bool:
    return User.objects.filter(clerk_id="user_sample", email="ada@example.com", first_name="Ada").exists()


def _organization_exists() -> bool:
    return Organization.objects.filter(clerk_id="org_sample", name="Acme Inc", slug="acme").exists()


def _membership_exists() -> bool:
    return OrganizationMembership.objects.filter(
        clerk_id="orgmem_sample", role="org:admin", user__clerk_id="user_sample", organization__clerk_id="org_sample"
    ).exists()


def _gone(model: Any, clerk_id: str) -> Callable[[], bool]:
    return lambda: (
        not model.objects.filter(clerk_id=clerk_id).exists()
        and ClerkTombstone.objects.filter(clerk_id=clerk_id).exists()
    )


OLD_ORG = samples.organization_data(organization_id="org_sample", name="Old name", slug="old", updated_at=1)
OLD_USER = samples.user_data(user_id="user_sample", first_name="Old", updated_at=1)
OLD_MEMBERSHIP = samples.membership_data(
    membership_id="orgmem_sample", organization=OLD_ORG, user_id="user_sample", role="org:member", updated_at=1
)
# For each handled type: events that must be there first, and the effect the sample event has.
HANDLED: dict[str, tuple[list[dict[str, Any]], Callable[[], bool]]] = {
    "user.created": ([], _user_exists),
    "user.updated": ([samples.event("user.created", OLD_USER)], _user_exists),
    "user.deleted": ([samples.sample_event("user.created")], _gone(User, "user_sample")),
    "organization.created": ([], _organization_exists),
    "organization.updated": ([samples.event("organization.created", OLD_ORG)], _organization_exists),
    "organization.deleted": ([samples.sample_event("organization.created")], _gone(Organization, "org_sample")),
    "organizationMembership.created": ([], _membership_exists),
    "organizationMembership.updated": (
        [samples.event("organizationMembership.created", OLD_MEMBERSHIP)],
        _membership_exists,
    ),
    "organizationMembership.deleted": (
        [samples.sample_event("organizationMembership.created")],
        _gone(OrganizationMembership, "orgmem_sample"),
    ),
}


def test_every_handled_type_has_a_case() -> None:
    assert set(HANDLED) == set(handled_event_types())


@pytest.mark.parametrize("event_type", handled_event_types())
def test_each_handled_event_type_is_applied(client: TestClient, deliver: Deliver, event_type: str) -> None:
    before, effect = HANDLED[event_type]
    for event in before:
        assert deliver(event).json() == {"status": "processed"}
    assert not effect()
    response = deliver(samples.sample_event(event_type), msg_id=f"msg_{event_type}")
    assert response.status_code == 200
    assert response.json() == {"status": "processed"}
    assert effect()
    stored = WebhookEvent.objects.get(svix_id=f"msg_{event_type}")
    assert (stored.event_type, stored.status, stored.error) == (event_type, "processed", "")
    assert stored.payload["type"] == event_type


def test_an_event_whose_data_cannot_be_applied_answers_200_and_is_kept_as_failed(
    client: TestClient, deliver: Deliver
) -> None:
    membership = samples.membership_data(
        membership_id="orgmem_1", organization=samples.organization_data(organization_id="org_1"), user_id="user_1"
    )
    del membership["public_user_data"]
    response = deliver(samples.event("organizationMembership.created", membership), msg_id="msg_bad")
    # 2xx: Svix retrying it would fail the same way forever; an operator reprocesses it.
    assert response.status_code == 200
    assert response.json() == {"status": "failed", "detail": "membership has no public_user_data"}
    event = WebhookEvent.objects.get()
    assert (event.svix_id, event.status, event.error) == ("msg_bad", "failed", "membership has no public_user_data")
    assert not Organization.objects.exists()  # the organization it embeds was not half-applied


# --- concurrency and database failures (real PostgreSQL) -----------------------------------


def _waiting_lock_requests() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        (count,) = cursor.fetchone()
    return int(count)


def _wait_for(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


@pytest.mark.postgres
def test_concurrent_copies_of_one_delivery_are_applied_once(client: TestClient, webhook_secret: str) -> None:
    body, headers = signed_delivery(webhook_secret, user_created("user_race"), msg_id="msg_race")
    copies = 4
    pool = ThreadPoolExecutor(max_workers=copies)
    try:
        # Hold the event log so that every copy is in flight, each on its own connection,
        # before any of them can record the delivery.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE users_webhookevent IN EXCLUSIVE MODE")
            futures = [pool.submit(post, client, body, headers) for _ in range(copies)]
            _wait_for(lambda: _waiting_lock_requests() >= copies)
        responses = [future.result(timeout=30) for future in futures]
    finally:
        pool.shutdown(wait=True)
    assert [r.status_code for r in responses] == [200] * copies
    assert sorted(r.json()["status"] for r in responses) == ["duplicate"] * (copies - 1) + ["processed"]
    event = WebhookEvent.objects.get()
    assert (event.svix_id, event.attempts) == ("msg_race", 1)
    assert User.objects.filter(clerk_id="user_race").count() == 1


@pytest.mark.postgres
def test_a_database_failure_answers_503_and_leaves_nothing_half_applied(
    client: TestClient, webhook_secret: str, refuse_inserts: Callable[..., Callable[[], None]]
) -> None:
    lift = refuse_inserts("users_organizationmembership")
    # The membership's organization and user stand-in are written before the membership row fails.
    body, headers = signed_delivery(webhook_secret, samples.sample_event("organizationMembership.created"))
    response = post(client, body, headers)
    assert response.status_code == 503
    assert response.json()["code"] == "database-unavailable"
    assert nothing_stored()
    assert not ClerkTombstone.objects.exists()

    # Svix retries the same delivery; once the database accepts writes it is applied in full.
    lift()
    retry = post(client, body, headers)
    assert retry.json() == {"status": "processed"}
    assert _membership_exists()
    assert WebhookEvent.objects.get().status == "processed"
