"""Addresses are keys compared exactly in one normal form: a look-alike never takes over an account.

The security review's case, with its exact strings, on PostgreSQL (whose UPPER() on a UTF-8
locale folds the dotless `ı` of `alice@gmaıl.com` onto the `I` of `alice@gmail.com`).
"""

import json
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from starlette.testclient import TestClient

from clerk import samples
from clerk.emails import normalize_email
from clerk.webhooks import parse_event
from testing.fake_clerk import FakeClerk
from users.models import User
from users.services.webhooks import Outcome, record_and_apply

ADMIN_EMAIL = "alice@gmail.com"
LOOK_ALIKE = "alice@gma\u0131l.com"  # dotless i: a different, registrable domain
ADMIN_PASSWORD = "the-real-admins-password"


def apply(event_type: str, data: dict[str, Any]) -> None:
    delivery = parse_event(f"msg_{secrets.token_hex(8)}", json.dumps(samples.event(event_type, data)))
    outcome, error = record_and_apply(delivery)
    assert outcome is Outcome.PROCESSED, error


def superuser() -> User:
    return User.objects.create_superuser(email=ADMIN_EMAIL, password=ADMIN_PASSWORD, first_name="Alice")


def assert_untouched(admin: User) -> None:
    admin.refresh_from_db()
    assert (admin.email, admin.clerk_id, admin.first_name) == (ADMIN_EMAIL, None, "Alice")
    assert Client().login(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_itself_would_have_matched_them() -> None:
    """Why the comparison is not left to the database: its case mapping calls them equal."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT UPPER(%s) = UPPER(%s)", [LOOK_ALIKE, ADMIN_EMAIL])
        assert cursor.fetchone() == (True,)
    assert normalize_email(LOOK_ALIKE) != normalize_email(ADMIN_EMAIL)


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_verified_look_alike_never_links_to_the_superuser() -> None:
    admin = superuser()
    apply(
        "user.created",
        samples.user_data(user_id="user_attacker", email=LOOK_ALIKE, email_verified=True, first_name="Mallory"),
    )
    assert_untouched(admin)
    attacker = User.objects.get(clerk_id="user_attacker")
    assert attacker.pk != admin.pk
    assert (attacker.email, attacker.first_name, attacker.is_staff) == (LOOK_ALIKE, "Mallory", False)


@pytest.mark.postgres
def test_a_look_alike_provisioned_just_in_time_gets_its_own_row(
    client: TestClient, token: Callable[..., str], clerk_backend_api: FakeClerk
) -> None:
    admin = superuser()
    clerk_backend_api.state.users = [samples.user_data(user_id="user_attacker", email=LOOK_ALIKE, first_name="Mallory")]
    me = client.get("/api/v1/auth/me/", headers={"Authorization": f"Bearer {token(sub='user_attacker')}"}).json()
    assert (me["email"], me["first_name"]) == (LOOK_ALIKE, "Mallory")
    assert me["id"] != admin.pk
    assert_untouched(admin)


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("verified", [False, True], ids=["unverified", "verified"])
def test_no_clerk_user_takes_the_address_of_a_staff_account_linked_to_clerk(verified: bool) -> None:
    admin = superuser()
    User.objects.filter(pk=admin.pk).update(clerk_id="user_admin", clerk_updated_at=1_000)
    for address in (LOOK_ALIKE, ADMIN_EMAIL):
        apply(
            "user.created",
            samples.user_data(
                user_id=f"user_{secrets.token_hex(4)}", email=address, email_verified=verified, updated_at=2_000
            ),
        )
    admin.refresh_from_db()
    assert (admin.email, admin.clerk_id) == (ADMIN_EMAIL, "user_admin")
    assert Client().login(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)


@pytest.mark.django_db
def test_the_exact_address_of_a_superuser_links_only_when_an_operator_does_it() -> None:
    admin = superuser()
    apply("user.created", samples.user_data(user_id="user_alice", email=ADMIN_EMAIL, email_verified=True))
    assert_untouched(admin)
    assert User.objects.get(clerk_id="user_alice").email is None  # the superuser keeps the address

    # The operator links the two in the admin; the change is in the admin's history.
    apply("user.deleted", samples.deleted_data(object_id="user_alice", object_type="user"))
    apply("user.created", samples.user_data(user_id="user_alice2", email=ADMIN_EMAIL, updated_at=3_000))
    User.objects.filter(clerk_id="user_alice2").delete()
    operator = Client()
    assert operator.login(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    form = operator.get(f"/admin/users/user/{admin.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        {
            "clerk_id": "user_alice2",
            "date_joined_0": admin.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": admin.date_joined.strftime("%H:%M:%S"),
            "groups": [],
            "user_permissions": [],
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        }
    )
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = operator.post(f"/admin/users/user/{admin.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    admin.refresh_from_db()
    assert (admin.clerk_id, admin.email, admin.is_superuser) == ("user_alice2", ADMIN_EMAIL, True)
    entry = LogEntry.objects.filter(object_id=str(admin.pk)).latest("action_time")
    assert entry.user_id == admin.pk
    assert "none → user_alice2" in entry.get_change_message()


@pytest.mark.django_db
def test_a_verified_address_in_other_letter_case_links_an_ordinary_local_account() -> None:
    account = User.objects.create_user(email="Bob@Example.com", password="bobs-password")
    assert account.email == "bob@example.com"
    apply("user.created", samples.user_data(user_id="user_bob", email="BOB@EXAMPLE.COM", email_verified=True))
    account.refresh_from_db()
    assert account.clerk_id == "user_bob"
    assert Client().login(email="BOB@example.COM", password="bobs-password")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "look_alike",
    ["\u212aate@example.com", "kate@examp\u0131e.com", "kat\u0435@example.com", "kate@ex\u0430mple.com"],
    ids=["kelvin-sign", "dotless-i", "cyrillic-e", "cyrillic-a"],
)
def test_no_look_alike_links_an_ordinary_local_account(look_alike: str) -> None:
    account = User.objects.create_user(email="kate@example.com", password="kates-password")
    apply("user.created", samples.user_data(user_id="user_look_alike", email=look_alike, email_verified=True))
    account.refresh_from_db()
    assert (account.clerk_id, account.email) == (None, "kate@example.com")
    assert User.objects.get(clerk_id="user_look_alike").email == normalize_email(look_alike) != "kate@example.com"


@pytest.mark.django_db
def test_an_unverified_address_is_not_mirrored_and_claims_nothing() -> None:
    apply("user.created", samples.user_data(user_id="user_holder", email="shared@example.com", updated_at=1_000))
    apply(
        "user.created",
        samples.user_data(
            user_id="user_unverified", email="shared@example.com", email_verified=False, updated_at=2_000
        ),
    )
    assert User.objects.get(clerk_id="user_holder").email == "shared@example.com"
    assert User.objects.get(clerk_id="user_unverified").email is None
