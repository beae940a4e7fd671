"""Recording and applying Clerk webhook deliveries.

A delivery is stored and applied in one transaction: either the event log row and
every change it implies are committed, or nothing is. Deliveries are deduplicated on
`svix-id`; concurrent copies of one delivery wait on its lock and then see it done.
"""

import enum
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from clerk.errors import WebhookRejected
from clerk.payloads import ClerkMembership, ClerkOrganization, ClerkUser, PayloadError, deleted_object_id
from clerk.webhooks import WebhookDelivery, parse_event
from users.models import WebhookEvent
from users.services import clerk_objects
from users.services.locks import lock_keys


class Outcome(enum.Enum):
    PROCESSED = "processed"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"
    FAILED = "failed"  # the payload could not be applied; stored for an operator to inspect


def _user_created_or_updated(data: Mapping[str, Any]) -> None:
    clerk_objects.upsert_user(ClerkUser.from_json(data))


def _user_deleted(data: Mapping[str, Any]) -> None:
    clerk_objects.delete_user(deleted_object_id(data))


def _organization_created_or_updated(data: Mapping[str, Any]) -> None:
    clerk_objects.upsert_organization(ClerkOrganization.from_json(data))


def _organization_deleted(data: Mapping[str, Any]) -> None:
    clerk_objects.delete_organization(deleted_object_id(data))


def _membership_created_or_updated(data: Mapping[str, Any]) -> None:
    clerk_objects.upsert_membership(ClerkMembership.from_json(data))


def _membership_deleted(data: Mapping[str, Any]) -> None:
    clerk_objects.delete_membership(deleted_object_id(data))


HANDLERS: dict[str, Callable[[Mapping[str, Any]], None]] = {
    "user.created": _user_created_or_updated,
    "user.updated": _user_created_or_updated,
    "user.deleted": _user_deleted,
    "organization.created": _organization_created_or_updated,
    "organization.updated": _organization_created_or_updated,
    "organization.deleted": _organization_deleted,
    "organizationMembership.created": _membership_created_or_updated,
    "organizationMembership.updated": _membership_created_or_updated,
    "organizationMembership.deleted": _membership_deleted,
}


def record_and_apply(delivery: WebhookDelivery) -> tuple[Outcome, str]:
    """Store the delivery and apply it once. Returns the outcome and, on failure, the reason.

    Database errors propagate so that the caller answers 5xx and Svix retries.
    """
    with transaction.atomic():
        lock_keys([f"svix:{delivery.svix_id}", *_object_keys(delivery)])
        event = WebhookEvent.objects.select_for_update().filter(svix_id=delivery.svix_id).first()
        if event is not None and event.status != WebhookEvent.Status.FAILED:
            return Outcome.DUPLICATE, ""
        if event is None:
            event = WebhookEvent(
                svix_id=delivery.svix_id,
                event_type=delivery.event_type,
                object_id=(delivery.object_id or "")[:64],
                payload=delivery.event,
            )
        else:
            event.attempts += 1
        return _apply(event, delivery)


def reprocess(event_id: int) -> tuple[Outcome, str]:
    """Apply a stored event again (the admin's "reprocess" action). Applying is idempotent."""
    with transaction.atomic():
        event = WebhookEvent.objects.select_for_update().get(pk=event_id)
        try:
            delivery = parse_event(event.svix_id, json.dumps(event.payload))
        except WebhookRejected as error:  # a stored payload that is not an event: record why
            event.status, event.error = WebhookEvent.Status.FAILED, error.reason
            event.save()
            return Outcome.FAILED, event.error
        lock_keys(_object_keys(delivery))
        event.attempts += 1
        return _apply(event, delivery)


def _apply(event: WebhookEvent, delivery: WebhookDelivery) -> tuple[Outcome, str]:
    handler = HANDLERS.get(delivery.event_type)
    outcome, error = Outcome.PROCESSED, ""
    if handler is None:
        outcome = Outcome.IGNORED
    else:
        try:
            with transaction.atomic():  # a savepoint: a failed apply leaves nothing half-done
                handler(delivery.data)
        except PayloadError as problem:
            outcome, error = Outcome.FAILED, str(problem)
    event.status = {
        Outcome.PROCESSED: WebhookEvent.Status.PROCESSED,
        Outcome.IGNORED: WebhookEvent.Status.IGNORED,
        Outcome.FAILED: WebhookEvent.Status.FAILED,
    }[outcome]
    event.error = error
    event.processed_at = timezone.now() if outcome is not Outcome.FAILED else None
    event.save()
    return outcome, error


def _object_keys(delivery: WebhookDelivery) -> list[str]:
    """The Clerk objects a delivery may write, to lock them before reading."""
    data = delivery.data
    keys = [f"clerk:{delivery.object_id}"] if delivery.object_id else []
    if delivery.event_type.startswith("organizationMembership."):
        organization = data.get("organization")
        member = data.get("public_user_data")
        if isinstance(organization, Mapping) and isinstance(organization.get("id"), str):
            keys.append(f"clerk:{organization['id']}")
        if isinstance(member, Mapping) and isinstance(member.get("user_id"), str):
            keys.append(f"clerk:{member['user_id']}")
    if delivery.event_type.startswith("user."):
        try:
            email = ClerkUser.from_json(data).email
        except PayloadError:
            email = None
        if email:
            keys.append(f"email:{email}")
    return keys
