"""Just-in-time provisioning: a signed-in user's first API call may beat Clerk's `user.created`.

The row is created at once, from the profile Clerk's Backend API gave (fetched by the
caller, api/provisioning.py, so no database connection waits on the network), or as a
stand-in with no profile; the webhook completes the same row when it lands. A user whose
deletion was received is never re-created.
"""

import enum

from django.db import transaction

from clerk.payloads import ClerkUser
from users.models import User
from users.services import clerk_objects
from users.services.locks import lock_keys, object_key, user_keys


class UserDeleted(Exception):
    """The Clerk user was deleted; a still-valid token must not bring it back."""


class RowState(enum.Enum):
    EXISTS = "exists"
    DELETED = "deleted"
    MISSING = "missing"


def row_state(*, clerk_id: str) -> RowState:
    """Whether the user has a row, was deleted, or is still to be provisioned."""
    if User.objects.filter(clerk_id=clerk_id).exists():
        return RowState.EXISTS
    return RowState.DELETED if clerk_objects.is_tombstoned(clerk_id) else RowState.MISSING


def provision_user(*, clerk_id: str, profile: ClerkUser | None) -> None:
    """Give a signed-in user a row: `profile` applied as a user event would be, else a stand-in."""
    if profile is not None and profile.id != clerk_id:
        profile = None
    with transaction.atomic():
        lock_keys(user_keys(profile) if profile else [object_key(clerk_id)])
        if clerk_objects.is_tombstoned(clerk_id):
            raise UserDeleted(clerk_id)
        if profile is not None:
            clerk_objects.upsert_user(profile)
        elif not User.objects.filter(clerk_id=clerk_id).exists():
            stand_in = User(clerk_id=clerk_id)
            stand_in.set_unusable_password()
            stand_in.save()
