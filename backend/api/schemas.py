"""Response shapes of the API (the frontend's `src/lib/api.ts` mirrors them)."""

from pydantic import BaseModel

from clerk.session import ActiveOrganization
from users.selectors import Profile


class OrganizationOut(BaseModel):
    clerk_id: str
    name: str
    slug: str
    role: str
    image_url: str


class ActiveOrganizationOut(BaseModel):
    clerk_id: str
    slug: str | None
    role: str | None
    permissions: list[str]
    name: str | None  # None until the organization's own data has arrived


class MeOut(BaseModel):
    id: int
    clerk_id: str
    email: str | None
    first_name: str
    last_name: str
    image_url: str
    profile_complete: bool
    organizations: list[OrganizationOut]
    active_organization: ActiveOrganizationOut | None

    @classmethod
    def build(cls, profile: Profile, active: ActiveOrganization | None) -> "MeOut":
        # model_construct: every value comes typed from the database row or the verified
        # session, so validating it again would only cost time on the API's hottest path.
        names = {m.clerk_id: m.name for m in profile.organizations}
        return cls.model_construct(
            id=profile.id,
            clerk_id=profile.clerk_id,
            email=profile.email,
            first_name=profile.first_name,
            last_name=profile.last_name,
            image_url=profile.image_url,
            profile_complete=profile.profile_complete,
            organizations=[
                OrganizationOut.model_construct(
                    clerk_id=m.clerk_id, name=m.name, slug=m.slug, role=m.role, image_url=m.image_url
                )
                for m in profile.organizations
            ],
            active_organization=(
                ActiveOrganizationOut.model_construct(
                    clerk_id=active.id,
                    slug=active.slug,
                    role=active.role,
                    permissions=list(active.permissions),
                    name=names.get(active.id),
                )
                if active is not None
                else None
            ),
        )


class OrganizationDetailOut(BaseModel):
    clerk_id: str
    name: str
    slug: str
    image_url: str
    member_count: int
    role: str | None  # the caller's role, from the token
    permissions: list[str]


class MemberOut(BaseModel):
    clerk_id: str
    email: str | None
    first_name: str
    last_name: str
    role: str


class StatusOut(BaseModel):
    status: str


class ReadinessOut(BaseModel):
    status: str
    detail: str | None = None


class WebhookOut(BaseModel):
    status: str  # processed | duplicate | ignored
