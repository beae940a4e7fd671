"""Reads: what the API shows about a user. A fixed number of queries, whatever the data."""

from dataclasses import dataclass

from django.db.models import Count

from users.models import Organization, OrganizationMembership, User


@dataclass(frozen=True)
class MembershipView:
    clerk_id: str
    name: str
    slug: str
    role: str
    image_url: str


@dataclass(frozen=True)
class Profile:
    id: int
    clerk_id: str
    email: str | None
    first_name: str
    last_name: str
    image_url: str
    profile_complete: bool
    organizations: list[MembershipView]


def profile_by_clerk_id(clerk_id: str) -> Profile | None:
    """The profile of the user with this Clerk id, or None when there is no row (yet). Two queries."""
    user = User.objects.filter(clerk_id=clerk_id).first()
    return profile_of(user) if user is not None else None


def profile_of(user: User) -> Profile:
    """The user's profile with their organizations, in one query."""
    memberships = (
        OrganizationMembership.objects.filter(user_id=user.pk)
        .select_related("organization")
        .only("role", "organization__clerk_id", "organization__name", "organization__slug", "organization__image_url")
        .order_by("organization__name", "organization__clerk_id")
    )
    return Profile(
        id=user.pk,
        clerk_id=user.clerk_id or "",
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        image_url=user.image_url,
        # A row only Clerk's user event or Backend API has filled carries Clerk's updated_at.
        profile_complete=user.clerk_updated_at is not None,
        organizations=[
            MembershipView(
                clerk_id=m.organization.clerk_id,
                name=m.organization.name,
                slug=m.organization.slug,
                role=m.role,
                image_url=m.organization.image_url,
            )
            for m in memberships
        ],
    )


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
