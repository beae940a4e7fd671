"""GraphQL's object types, each built from the REST response shape of the same thing."""

from datetime import datetime

import strawberry

from api.schemas import ActiveOrganizationOut, MeOut, OrganizationOut, ProjectOut


@strawberry.type
class Organization:
    clerk_id: str
    name: str
    slug: str
    role: str
    image_url: str

    @classmethod
    def of(cls, out: OrganizationOut) -> "Organization":
        return cls(**out)


@strawberry.type
class ActiveOrganization:
    clerk_id: str
    slug: str | None
    role: str | None
    permissions: list[str]
    name: str | None

    @classmethod
    def of(cls, out: ActiveOrganizationOut) -> "ActiveOrganization":
        return cls(**out)


@strawberry.type
class Actor:
    subject: str
    type: str | None


@strawberry.type
class Me:
    id: int
    clerk_id: str
    email: str | None
    first_name: str
    last_name: str
    image_url: str
    profile_complete: bool
    organizations: list[Organization]
    active_organization: ActiveOrganization | None
    actor: Actor | None

    @classmethod
    def of(cls, out: MeOut) -> "Me":
        active, actor = out["active_organization"], out["actor"]
        return cls(
            id=out["id"],
            clerk_id=out["clerk_id"],
            email=out["email"],
            first_name=out["first_name"],
            last_name=out["last_name"],
            image_url=out["image_url"],
            profile_complete=out["profile_complete"],
            organizations=[Organization.of(o) for o in out["organizations"]],
            active_organization=ActiveOrganization.of(active) if active else None,
            actor=Actor(**actor) if actor else None,
        )


@strawberry.type
class Creator:
    clerk_id: str
    name: str


@strawberry.type
class Project:
    id: strawberry.ID
    name: str
    description: str
    created_by: Creator | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, out: ProjectOut) -> "Project":
        return cls(
            id=strawberry.ID(out.id),
            name=out.name,
            description=out.description,
            created_by=Creator(**out.created_by.model_dump()) if out.created_by else None,
            created_at=out.created_at,
            updated_at=out.updated_at,
        )


@strawberry.type
class ProjectEdge:
    node: Project
    cursor: str


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class ProjectConnection:
    edges: list[ProjectEdge]
    page_info: PageInfo
