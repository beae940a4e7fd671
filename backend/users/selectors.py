"""Reads of organizations for the API; the signed-in user's own profile is users/profile_reader.py."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from users.models import ClerkTombstone, Organization, OrganizationMembership


@dataclass(frozen=True)
class MemberView:
    clerk_id: str
    email: str | None
    first_name: str
    last_name: str
    role: str


@dataclass(frozen=True)
class OrganizationView:
    clerk_id: str
    name: str
    slug: str
    image_url: str
    member_count: int


def organization_by_clerk_id(clerk_id: str) -> OrganizationView | None:
    organization = Organization.objects.filter(clerk_id=clerk_id).annotate(member_count=Count("memberships")).first()
    if organization is None:
        return None
    return OrganizationView(
        clerk_id=organization.clerk_id,
        name=organization.name,
        slug=organization.slug,
        image_url=organization.image_url,
        member_count=organization.member_count,
    )


def members_of(organization_clerk_id: str) -> list[MemberView]:
    memberships = (
        OrganizationMembership.objects.filter(organization__clerk_id=organization_clerk_id)
        .select_related("user")
        .order_by("user__email", "user__clerk_id")
    )
    return [
        MemberView(
            clerk_id=m.user.clerk_id or "",
            email=m.user.email,
            first_name=m.user.first_name,
            last_name=m.user.last_name,
            role=m.role,
        )
        for m in memberships
    ]


def left_organization_since(*, user_id: str, organization_id: str, since: datetime) -> bool:
    """Whether the user's membership of the organization, or the organization itself, was deleted after `since`."""
    left = Q(kind=ClerkTombstone.Kind.MEMBERSHIP, user_clerk_id=user_id, organization_clerk_id=organization_id)
    dissolved = Q(kind=ClerkTombstone.Kind.ORGANIZATION, clerk_id=organization_id)
    return ClerkTombstone.objects.filter(left | dissolved, deleted_at__gt=since).exists()
