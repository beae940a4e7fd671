"""Reads of organizations for the API; the signed-in user's own profile is users/profile_reader.py."""

from dataclasses import dataclass

from django.db.models import Count

from users.models import Organization, OrganizationMembership


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
