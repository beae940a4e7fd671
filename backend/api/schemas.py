"""Response shapes of the API (the frontend's types are generated from them: `make api-types`)."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from clerk.session import ActiveOrganization, Session
from projects.models import MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH
from projects.selectors import ProjectRow
from users.profile_reader import Profile


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


class ActorOut(BaseModel):
    subject: str  # who acts on the user's behalf: an impersonating operator's user id, or an agent's id
    type: str | None  # "agent" for an agent session; None for impersonation


class MeOut(BaseModel):
    """The signed-in user. Its fields are read from the profile by name (users/profile_reader.py):
    a field added to both appears here, in GraphQL's `me` and in the frontend's generated types."""

    id: int
    clerk_id: str
    email: str | None
    first_name: str
    last_name: str
    image_url: str
    profile_complete: bool
    organizations: list[OrganizationOut]
    active_organization: ActiveOrganizationOut | None
    actor: ActorOut | None  # set when someone else acts as the user (the token's `act` claim)


def me_out(profile: Profile, session: Session) -> MeOut:
    active = session.organization
    return MeOut.model_validate(
        {
            **vars(profile),  # by field name; organizations' too (from attributes)
            "active_organization": _active_organization_out(active, profile) if active else None,
            "actor": {"subject": session.actor.subject, "type": session.actor.type} if session.actor else None,
        },
        from_attributes=True,
    )


def _active_organization_out(active: ActiveOrganization, profile: Profile) -> dict[str, object]:
    name = next((o.name for o in profile.organizations if o.clerk_id == active.id), None)
    return {
        "clerk_id": active.id,
        "slug": active.slug,
        "role": active.role,
        "permissions": list(active.permissions),
        "name": name,
    }


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
    status: str  # ok | unavailable (why is in the log, not the answer)


class WebhookOut(BaseModel):
    status: str  # processed | duplicate | ignored | failed
    detail: str | None = None  # why a failed event could not be applied


# --- projects ----------------------------------------------------------------------------------


class CreatorOut(BaseModel):
    clerk_id: str
    name: str  # their full name; empty when they gave none (never their email: members see this)


class ProjectOut(BaseModel):
    id: str  # prj_…: the public id, never the row's key
    name: str
    description: str
    created_by: CreatorOut | None  # None once the creator's account is deleted
    created_at: datetime
    updated_at: datetime


class ProjectPageOut(BaseModel):
    items: list[ProjectOut]  # newest first
    next_cursor: str | None  # pass as `cursor` for the next page; None on the last one


# The limits are the model's, stated here so the OpenAPI schema (and the frontend's generated
# types) document them; projects.services applies them, and the rest of the rules, for GraphQL too.
ProjectName = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH)]
ProjectDescription = Annotated[str, Field(max_length=MAX_DESCRIPTION_LENGTH)]


class ProjectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ProjectName  # unique in the organization whatever the letter case
    description: ProjectDescription = ""


class ProjectChanges(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ProjectName | None = None
    description: ProjectDescription | None = None


def project_out(row: ProjectRow) -> ProjectOut:
    creator = None
    if row["created_by_id"] is not None:
        name = f"{row['creator_first_name'] or ''} {row['creator_last_name'] or ''}".strip()
        creator = CreatorOut(clerk_id=row["creator_clerk_id"] or "", name=name)
    return ProjectOut(
        id=row["public_id"],
        name=row["name"],
        description=row["description"],
        created_by=creator,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
