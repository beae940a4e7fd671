"""Just-in-time provisioning: a signed-in user's first API call may beat Clerk's `user.created`.

A valid session for an unknown Clerk user creates the row at once, from Clerk's
Backend API when a secret key is configured, otherwise as a stand-in with no
profile; the webhook completes the same row when it lands. A user whose deletion
was received is never re-created.
"""

import logging
from collections.abc import Callable

from django.db import transaction

from clerk.errors import BackendAPIError
from clerk.payloads import ClerkUser
from users.models import User
from users.services import clerk_objects
from users.services.locks import lock_keys

logger = logging.getLogger(__name__)

ProfileFetcher = Callable[[str], ClerkUser | None]


class UserDeleted(Exception):
    """The Clerk user was deleted; a still-valid token must not bring it back."""


def get_or_provision_user(*, clerk_id: str, fetch_profile: ProfileFetcher | None = None) -> User:
    user = User.objects.filter(clerk_id=clerk_id).first()
    if user is not None:
        return user
    if clerk_objects.is_tombstoned(clerk_id):
        raise UserDeleted(clerk_id)
    profile = _fetch(clerk_id, fetch_profile)  # outside the transaction: no lock held across the network
    with transaction.atomic():
        lock_keys([f"clerk:{clerk_id}", *([f"email:{profile.email}"] if profile and profile.email else [])])
        if clerk_objects.is_tombstoned(clerk_id):
            raise UserDeleted(clerk_id)
        if profile is not None:
            clerk_objects.upsert_user(profile)
        elif not User.objects.filter(clerk_id=clerk_id).exists():
            stand_in = User(clerk_id=clerk_id)
            stand_in.set_unusable_password()
            stand_in.save()
    return User.objects.get(clerk_id=clerk_id)


def _fetch(clerk_id: str, fetch_profile: ProfileFetcher | None) -> ClerkUser | None:
    if fetch_profile is None:
        return None
    try:
        profile = fetch_profile(clerk_id)
    except BackendAPIError as error:
        logger.warning("Could not fetch Clerk user %s for provisioning: %s", clerk_id, error)
        return None
    if profile is None:
        # Clerk no longer knows the user: its deletion webhook is on the way.
        raise UserDeleted(clerk_id)
    return profile
