"""The operator's admin: the webhook log, reprocessing, and the mirrored users and organizations."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from clerk import samples
from clerk.webhooks import parse_event
from users.models import Organization, OrganizationMembership, User, WebhookEvent
from users.services.webhooks import record_and_apply

pytestmark = pytest.mark.django_db


def receive(svix_id: str, event_type: str, data: dict[str, Any]) -> WebhookEvent:
    record_and_apply(parse_event(svix_id, json.dumps(samples.event(event_type, data))))
    return WebhookEvent.objects.get(svix_id=svix_id)


def failed_event(svix_id: str = "msg_failed") -> WebhookEvent:
    broken = samples.membership_data(
        membership_id="orgmem_broken", organization=samples.organization_data(organization_id="org_b"), user_id="u"
    )
    del broken["organization"]
    event = receive(svix_id, "organizationMembership.created", broken)
    assert event.status == WebhookEvent.Status.FAILED
    return event


@pytest.fixture
def log() -> dict[str, WebhookEvent]:
    return {
        "user": receive("msg_user", "user.created", samples.user_data(user_id="user_1")),
        "org": receive("msg_org", "organization.created", samples.organization_data(organization_id="org_1")),
        "email": receive("msg_email", "email.created", {"id": "idn_1", "object": "email"}),
        "failed": failed_event(),
    }


def changelist(admin_client: Client, model: str, **query: str) -> str:
    response = admin_client.get(reverse(f"admin:users_{model}_changelist"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_webhook_log_filters_by_event_type(admin_client: Client, log: dict[str, WebhookEvent]) -> None:
    page = changelist(admin_client, "webhookevent", event_type="user.created")
    assert "msg_user" in page
    assert "msg_org" not in page
    assert "msg_email" not in page


def test_the_webhook_log_filters_by_status(admin_client: Client, log: dict[str, WebhookEvent]) -> None:
    failed = changelist(admin_client, "webhookevent", status="failed")
    assert "msg_failed" in failed
    assert "msg_user" not in failed
    ignored = changelist(admin_client, "webhookevent", status="ignored")
    assert "msg_email" in ignored
    assert "msg_failed" not in ignored


def test_the_webhook_log_is_searchable_by_svix_id(admin_client: Client, log: dict[str, WebhookEvent]) -> None:
    page = changelist(admin_client, "webhookevent", q="msg_org")
    assert "msg_org" in page
    assert "msg_user" not in page


def test_an_event_page_shows_its_payload_and_error(admin_client: Client, log: dict[str, WebhookEvent]) -> None:
    response = admin_client.get(reverse("admin:users_webhookevent_change", args=[log["failed"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "&quot;type&quot;: &quot;organizationMembership.created&quot;" in page
    assert "&quot;id&quot;: &quot;orgmem_broken&quot;" in page
    assert "membership has no organization object" in page


def reprocess(admin_client: Client, *events: WebhookEvent) -> str:
    response = admin_client.post(
        reverse("admin:users_webhookevent_changelist"),
        {"action": "reprocess_events", "_selected_action": [event.pk for event in events]},
        follow=True,
    )
    assert response.status_code == 200
    return " ".join(str(message) for message in response.context["messages"])


def test_reprocessing_applies_a_failed_event_once_its_payload_can_be_applied(admin_client: Client) -> None:
    # Stored as failed (say, by an earlier version that could not apply it); the payload is valid now.
    membership = samples.membership_data(
        membership_id="orgmem_1", organization=samples.organization_data(organization_id="org_1"), user_id="user_1"
    )
    event = WebhookEvent.objects.create(
        svix_id="msg_retry",
        event_type="organizationMembership.created",
        object_id="orgmem_1",
        payload=samples.event("organizationMembership.created", membership),
        status=WebhookEvent.Status.FAILED,
        error="an earlier problem",
    )
    assert reprocess(admin_client, event) == "Reprocessed: 1 processed."
    event.refresh_from_db()
    assert (event.status, event.error, event.attempts) == ("processed", "", 2)
    assert event.processed_at is not None
    assert OrganizationMembership.objects.filter(clerk_id="orgmem_1", user__clerk_id="user_1").exists()


def test_reprocessing_an_event_that_still_cannot_be_applied_keeps_it_failed(admin_client: Client) -> None:
    event = failed_event()
    assert reprocess(admin_client, event) == "Reprocessed: 1 failed."
    event.refresh_from_db()
    assert (event.status, event.attempts) == ("failed", 2)
    assert not Organization.objects.exists()


def test_webhook_events_cannot_be_added_by_hand(admin_client: Client) -> None:
    assert admin_client.get(reverse("admin:users_webhookevent_add")).status_code == 403


def test_users_are_searchable_by_clerk_id(admin_client: Client) -> None:
    receive("msg_1", "user.created", samples.user_data(user_id="user_findme", email="found@example.com"))
    receive("msg_2", "user.created", samples.user_data(user_id="user_other", email="other@example.com"))
    page = changelist(admin_client, "user", q="user_findme")
    assert "found@example.com" in page
    assert "other@example.com" not in page


def seed_acme() -> Organization:
    acme = samples.organization_data(organization_id="org_acme", name="Acme")
    for n, role in enumerate(["org:admin", "org:member"]):
        receive(f"msg_user_{n}", "user.created", samples.user_data(user_id=f"user_{n}", email=f"p{n}@example.com"))
        receive(
            f"msg_mem_{n}",
            "organizationMembership.created",
            samples.membership_data(membership_id=f"orgmem_{n}", organization=acme, user_id=f"user_{n}", role=role),
        )
    return Organization.objects.get(clerk_id="org_acme")


def test_an_organization_page_shows_its_memberships_inline(admin_client: Client) -> None:
    acme = seed_acme()
    response = admin_client.get(reverse("admin:users_organization_change", args=[acme.pk]))
    assert response.status_code == 200
    inline = response.context["inline_admin_formsets"][0]
    rows = [(f.original.clerk_id, f.original.role, f.original.user.email) for f in inline if f.original]
    assert sorted(rows) == [("orgmem_0", "org:admin", "p0@example.com"), ("orgmem_1", "org:member", "p1@example.com")]
    page = response.content.decode()
    assert "orgmem_0" in page
    assert 'value="org:member"' in page


def test_memberships_filter_by_role(admin_client: Client) -> None:
    seed_acme()
    admins = changelist(admin_client, "organizationmembership", role="org:admin")
    assert "orgmem_0" in admins
    assert "orgmem_1" not in admins
    members = changelist(admin_client, "organizationmembership", role="org:member")
    assert "orgmem_1" in members
    assert "orgmem_0" not in members


def test_the_user_page_shows_the_clerk_fields_and_memberships(admin_client: Client) -> None:
    seed_acme()
    user = User.objects.get(clerk_id="user_0")
    response = admin_client.get(reverse("admin:users_user_change", args=[user.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="user_0"' in page
    assert "orgmem_0" in page


def test_staff_who_may_only_view_the_log_cannot_reprocess() -> None:
    from django.contrib.auth.models import Permission

    client = Client()
    viewer = User.objects.create_user(email="viewer@example.com", password="view-only-pass", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_webhookevent"))
    client.force_login(viewer)
    event = failed_event()
    assert client.get(reverse("admin:users_webhookevent_changelist")).status_code == 200
    response = client.post(
        reverse("admin:users_webhookevent_changelist"),
        {"action": "reprocess_events", "_selected_action": [event.pk]},
        follow=True,
    )
    assert "Reprocessed" not in " ".join(str(message) for message in response.context["messages"])
    event.refresh_from_db()
    assert event.attempts == 1


def as_submitted(page: Any) -> dict[str, Any]:
    """What the browser sends when an operator saves an admin change page without editing it."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for form in forms:
        for field in form:
            widget = field.field.widget.get_context(field.html_name, field.value(), {}).get("widget")
            for part in (widget.get("subwidgets") or [widget]) if widget else []:  # none: the password's summary
                if part.get("type") == "checkbox":
                    if part["attrs"].get("checked"):
                        data[part["name"]] = "on"
                elif part.get("value") not in (None, "", []):
                    data[part["name"]] = part["value"]
    return data


# Full-width letters (written as escapes: they look like ASCII); NFKC would make it admin@EXAMPLE.com.
LOOK_ALIKE = "admin@\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25.com"


def test_saving_a_synced_user_in_the_admin_keeps_the_address_clerk_verified(admin_client: Client) -> None:
    receive("msg_wide", "user.created", samples.user_data(user_id="user_wide", email=LOOK_ALIKE, first_name="Wide"))
    user = User.objects.get(clerk_id="user_wide")
    assert user.email == LOOK_ALIKE  # stored as Clerk sent it: only ASCII letters are lowered
    page = admin_client.get(reverse("admin:users_user_change", args=[user.pk]))
    assert 'name="email"' not in page.content.decode()  # Clerk's, shown but not a form field
    response = admin_client.post(reverse("admin:users_user_change", args=[user.pk]), as_submitted(page))
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.email == LOOK_ALIKE


def test_the_models_own_normal_form_is_the_syncs() -> None:
    assert User.normalize_username(LOOK_ALIKE) == LOOK_ALIKE  # no NFKC, and only ASCII letters are lowered
    assert User.normalize_username("Ada@Example.COM") == "ada@example.com"
    local = User(email=LOOK_ALIKE)
    local.clean()
    assert local.email == LOOK_ALIKE
