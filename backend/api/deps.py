"""Typed dependencies: the verified session, the signed-in user, and guards on organization, role and permission.

Every authenticated route depends on `SignedInDep` (directly or through a guard), so the
rules of who is signed in live here once: a verified token, and a user that exists (made
just in time when Clerk's webhook is late) and was not deleted.

All are `async def`: FastAPI runs plain `def` dependencies on its thread pool, a hop
per dependency per request that costs more than the work they do.
"""

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from api.clerk_state import ClerkState
from api.errors import ApiError, ErrorCode
from clerk.session import ActiveOrganization, Session
from config.request_log import RequestLog
from users.profile_reader import Profile, ProfileReader
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
    session: Session
    profile: Profile


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
    return SignedIn(session, profile)


SignedInDep = Annotated[SignedIn, Depends(signed_in)]


async def require_organization(signed: SignedInDep) -> ActiveOrganization:
    if signed.session.organization is None:
        raise ApiError(403, ErrorCode.NO_ACTIVE_ORGANIZATION, "no active organization")
    return signed.session.organization


ActiveOrganizationDep = Annotated[ActiveOrganization, Depends(require_organization)]


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
