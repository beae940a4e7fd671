"""Typed dependencies: the verified session, the signed-in user, and guards on organization, role and permission.

Every authenticated route depends on `SignedInDep` (directly or through a guard), so the
rules of who is signed in live here once: a verified token, and a user that exists (made
just in time when Clerk's webhook is late) and was not deleted.

All are `async def`: FastAPI runs plain `def` dependencies on its thread pool, a hop
per dependency per request that costs more than the work they do.
"""

from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request

from api.clerk_state import ClerkState
from api.db import run_orm
from api.errors import ApiError, ErrorCode
from clerk.session import ActiveOrganization, Session
from config.request_log import RequestLog
from users.member import Member
from users.profile_reader import Profile, ProfileReader
from users.selectors import left_organization_since
from users.services.provisioning import UserDeleted

_BEARER = "bearer "


async def get_clerk(request: Request) -> ClerkState:
    return request.app.state.clerk


ClerkDep = Annotated[ClerkState, Depends(get_clerk)]


def bearer_token(request: Request) -> str:
    """The token of an `Authorization: Bearer` header; the only place tokens are read from."""
    header = request.headers.get("authorization")
    if not header:
        raise ApiError(401, ErrorCode.MISSING_TOKEN, "missing bearer token")
    if header[: len(_BEARER)].lower() != _BEARER or not header[len(_BEARER) :].strip():
        raise ApiError(401, ErrorCode.NOT_A_BEARER_TOKEN, "authorization header is not a bearer token")
    return header[len(_BEARER) :].strip()


async def require_session(request: Request) -> Session:
    # Reads the header and the Clerk state itself rather than through sub-dependencies:
    # every dependency node costs FastAPI tens of microseconds, on every request.
    token = bearer_token(request)
    clerk: ClerkState = request.app.state.clerk
    if clerk.verifier is None:
        raise ApiError(503, ErrorCode.AUTHENTICATION_NOT_CONFIGURED, "authentication is not configured")
    session = await clerk.verifier.verify_async(token)  # TokenRejected: 401 with its code (api/errors.py)
    if (log := RequestLog.current()) is not None:
        log.user_id = session.user_id
        log.organization_id = session.organization.id if session.organization else None
        log.actor_id = session.actor.subject if session.actor else None
    return session


@dataclass(frozen=True, slots=True)
class SignedIn:
    session: Session  # as the token says, corrected by what the webhooks said since it was issued
    profile: Profile
    left_organization: bool = False  # the token's organization was left after it was issued


async def signed_in(request: Request) -> SignedIn:
    """The verified session and the user's profile; 401 for a user who was deleted.

    The API's hottest path, so it calls `require_session` directly instead of nesting
    dependencies (see there). A user without a row yet is provisioned just in time.
    """
    session = await require_session(request)
    profiles: ProfileReader = request.app.state.profiles
    profile = await profiles.get(session.user_id)
    if profile is None:
        clerk: ClerkState = request.app.state.clerk
        await clerk.provisioner.ensure_row(session.user_id)  # UserDeleted: 401
        profile = await profiles.get(session.user_id)
        if profile is None:  # deleted again in the meantime
            raise UserDeleted(session.user_id)
    return await _with_memberships_as_synced(session, profile)


async def _with_memberships_as_synced(session: Session, profile: Profile) -> SignedIn:
    """The token's organization and role, unless the webhooks said otherwise after it was issued.

    A token keeps its role and organization for its minute of life; the webhooks know better as
    soon as they land. A membership row newer than the token wins the role (and the token's
    permissions, which were the old role's, are dropped until the next token); an organization
    left (or deleted) after the token was issued is refused. No query when the membership is
    there (the profile carries it); one when it is not, to tell "left" from "joined, webhook on
    its way". The window left is the webhook's delay (docs/security.md).
    """
    organization = session.organization
    if organization is None:
        return SignedIn(session, profile)
    issued_at = session.issued_at or 0  # a token without `iat` is as old as can be
    membership = next((m for m in profile.organizations if m.clerk_id == organization.id), None)
    if membership is not None:
        # Later than the second the token was issued in (`iat` has whole seconds): within it, the token's role stands.
        synced_later = membership.role_updated_at is not None and membership.role_updated_at >= (issued_at + 1) * 1000
        if synced_later and membership.role != organization.role:
            corrected = replace(organization, role=membership.role, permissions=())
            return SignedIn(replace(session, organization=corrected), profile)
        return SignedIn(session, profile)
    since = datetime.fromtimestamp(issued_at, UTC)
    if await run_orm(left_organization_since, user_id=session.user_id, organization_id=organization.id, since=since):
        return SignedIn(replace(session, organization=None), profile, left_organization=True)
    return SignedIn(session, profile)


SignedInDep = Annotated[SignedIn, Depends(signed_in)]


async def require_organization(signed: SignedInDep) -> ActiveOrganization:
    if signed.left_organization:
        raise ApiError(403, ErrorCode.NOT_A_MEMBER, "no longer a member of the token's organization")
    if signed.session.organization is None:
        raise ApiError(403, ErrorCode.NO_ACTIVE_ORGANIZATION, "no active organization")
    return signed.session.organization


ActiveOrganizationDep = Annotated[ActiveOrganization, Depends(require_organization)]


async def organization_member(signed: SignedInDep, organization: ActiveOrganizationDep) -> Member:
    """The caller as a member of the token's active organization: what tenant-scoped routes act as."""
    return Member(
        user_id=signed.profile.id,
        organization_id=organization.id,
        organization_slug=organization.slug,
        role=organization.role,
    )


MemberDep = Annotated[Member, Depends(organization_member)]


def require_role(role: str) -> Callable[..., Coroutine[Any, Any, SignedIn]]:
    """A dependency that admits sessions whose active organization role is `role` (e.g. "org:admin")."""

    async def guard(signed: SignedInDep, organization: ActiveOrganizationDep) -> SignedIn:
        if not signed.session.has_role(role):
            raise ApiError(403, ErrorCode.MISSING_ROLE, f"requires role {role}")
        return signed

    return guard


def require_permission(permission: str) -> Callable[..., Coroutine[Any, Any, SignedIn]]:
    """A dependency that admits sessions holding `permission` (e.g. "org:dashboard:read")."""

    async def guard(signed: SignedInDep, organization: ActiveOrganizationDep) -> SignedIn:
        if not signed.session.has_permission(permission):
            raise ApiError(403, ErrorCode.MISSING_PERMISSION, f"requires permission {permission}")
        return signed

    return guard
