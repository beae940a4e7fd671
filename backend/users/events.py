"""The Clerk events this app applies: users, organizations and memberships.

One entry per event type: its payload reader (clerk.payloads), the objects its write locks
(users.services.locks) and the write (users.services.clerk_objects). Registered with the
webhook pipeline when the app is ready (users/apps.py).
"""

from typing import Any

from clerk.payloads import ClerkMembership, ClerkOrganization, ClerkUser, MembershipDeletion, deleted_object_id
from users.services import clerk_objects
from users.services.locks import (
    deletion_keys,
    membership_deletion_keys,
    membership_keys,
    organization_keys,
    user_keys,
)
from users.services.webhooks import EventHandler

_USER = EventHandler(ClerkUser.from_json, user_keys, clerk_objects.upsert_user)
_ORGANIZATION = EventHandler(ClerkOrganization.from_json, organization_keys, clerk_objects.upsert_organization)
_MEMBERSHIP = EventHandler(ClerkMembership.from_json, membership_keys, clerk_objects.upsert_membership)

EVENT_HANDLERS: dict[str, EventHandler[Any]] = {
    "user.created": _USER,
    "user.updated": _USER,
    "user.deleted": EventHandler(deleted_object_id, deletion_keys, clerk_objects.delete_user),
    "organization.created": _ORGANIZATION,
    "organization.updated": _ORGANIZATION,
    "organization.deleted": EventHandler(deleted_object_id, deletion_keys, clerk_objects.delete_organization),
    "organizationMembership.created": _MEMBERSHIP,
    "organizationMembership.updated": _MEMBERSHIP,
    "organizationMembership.deleted": EventHandler(
        MembershipDeletion.from_json, membership_deletion_keys, clerk_objects.delete_membership
    ),
}
