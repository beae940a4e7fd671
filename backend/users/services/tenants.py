"""What data owned by an organization needs from this app: the organization's row.

A product's tenant-scoped models (projects/, and yours) hold a foreign key to
`users.Organization`; their services take a `users.member.Member` (who acts, in which
organization, as the verified session says) and get the row from here, never from the
webhook sync's own modules.
"""

from django.db import transaction

from users.member import Member
from users.models import Organization
from users.services.clerk_objects import is_tombstoned
from users.services.locks import lock_keys, object_key


class OrganizationDeleted(Exception):
    """The organization was deleted at Clerk; a still-valid token must not bring it back."""


def organization_of(member: Member) -> Organization:
    """The row of the member's active organization, made as a stand-in when its webhook is late.

    Data can be made before Clerk's `organization.created` lands (as a just-in-time user's
    requests can): the stand-in has no `updated_at`, so the webhook's version completes it.
    Raises OrganizationDeleted for one deleted at Clerk.
    """
    organization = Organization.objects.filter(clerk_id=member.organization_id).first()
    if organization is not None:
        return organization
    with transaction.atomic():
        lock_keys([object_key(member.organization_id)])
        if is_tombstoned(member.organization_id):
            raise OrganizationDeleted(member.organization_id)
        organization, _ = Organization.objects.get_or_create(
            clerk_id=member.organization_id, defaults={"slug": member.organization_slug or ""}
        )
    return organization
