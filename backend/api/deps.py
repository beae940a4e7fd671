"""Typed dependencies: the verified session, the current user, and guards on organization, role and permission.

All are `async def`: FastAPI runs plain `def` dependencies on its thread pool, a hop
per dependency per request that costs more than the work they do.
"""

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status

from api.clerk_state import ClerkState
from api.db import run_orm
from api.profile_loader import ProfileLoader
from clerk.errors import SigningKeysUnavailable, TokenRejected
from clerk.session import ActiveOrganization, Session
from config.request_log import RequestLog
from users.models import User
from users.selectors import Profile, profile_of
from users.services.provisioning import ProfileFetcher, UserDeleted, get_or_provision_user

_BEARER = "bearer "


def unauthorized(reason: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=reason, headers={"WWW-Authenticate": "Bearer"})


async def get_clerk(request: Request) -> ClerkState:
    return request.app.state.clerk


ClerkDep = Annotated[ClerkState, Depends(get_clerk)]


def bearer_token(request: Request) -> str:
    """The token of an `Authorization: Bearer` header; the only place tokens are read from."""
    header = request.headers.get("authorization")
    if not header:
        raise unauthorized("missing bearer token")
    if header[: len(_BEARER)].lower() != _BEARER or not header[len(_BEARER) :].strip():
        raise unauthorized("authorization header is not a bearer token")
    return header[len(_BEARER) :].strip()


async def require_session(request: Request) -> Session:
    # Reads the header and the Clerk state itself rather than through sub-dependencies:
    # every dependency node costs FastAPI tens of microseconds, on every request.
    token = bearer_token(request)
    clerk: ClerkState = request.app.state.clerk
    if clerk.verifier is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail="authentication is not configured")
    try:
        session = await clerk.verifier.verify_async(token)
    except TokenRejected as rejected:
        raise unauthorized(rejected.reason) from None
    except SigningKeysUnavailable as unavailable:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=unavailable.reason) from None
    if (log := RequestLog.current()) is not None:
        log.user_id = session.user_id
        log.organization_id = session.organization.id if session.organization else None
    return session


SessionDep = Annotated[Session, Depends(require_session)]


async def current_user(request: Request, session: SessionDep) -> User:
    """The signed-in user's row, provisioned just in time if Clerk's webhook has not arrived yet."""
    clerk: ClerkState = request.app.state.clerk
    fetch = clerk.backend_api.get_user if clerk.backend_api is not None else None
    try:
        return await run_orm(get_or_provision_user, clerk_id=session.user_id, fetch_profile=fetch)
    except UserDeleted:
        raise unauthorized("user deleted") from None


CurrentUser = Annotated[User, Depends(current_user)]


async def require_organization(session: SessionDep) -> ActiveOrganization:
    if session.organization is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="no active organization")
    return session.organization


ActiveOrganizationDep = Annotated[ActiveOrganization, Depends(require_organization)]


def require_role(role: str) -> Callable[..., Coroutine[Any, Any, Session]]:
    """A dependency that admits sessions whose active organization role is `role` (e.g. "org:admin")."""

    async def guard(session: SessionDep, organization: ActiveOrganizationDep) -> Session:
        if not session.has_role(role):
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"requires role {role}")
        return session

    return guard


def require_permission(permission: str) -> Callable[..., Coroutine[Any, Any, Session]]:
    """A dependency that admits sessions holding `permission` (e.g. "org:dashboard:read")."""

    async def guard(session: SessionDep, organization: ActiveOrganizationDep) -> Session:
        if not session.has_permission(permission):
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"requires permission {permission}")
        return session

    return guard


def _profile(clerk_id: str, fetch: ProfileFetcher | None) -> Profile:
    return profile_of(get_or_provision_user(clerk_id=clerk_id, fetch_profile=fetch))


@dataclass(frozen=True, slots=True)
class SignedInProfile:
    session: Session
    profile: Profile


async def signed_in_profile(request: Request) -> SignedInProfile:
    """The verified session and the user's profile with organizations, as one dependency.

    The API's hottest path, so it calls `require_session` directly instead of nesting
    dependencies (see there). The common case is a read shared with concurrent requests
    on the async pool (api/profile_loader.py); a user without a row yet is provisioned
    just in time through the ORM.
    """
    session = await require_session(request)
    loader: ProfileLoader | None = request.app.state.profile_loader
    if loader is not None:
        profile = await loader.load(session.user_id)
        if profile is not None:
            return SignedInProfile(session, profile)
    clerk: ClerkState = request.app.state.clerk
    fetch = clerk.backend_api.get_user if clerk.backend_api is not None else None
    try:
        return SignedInProfile(session, await run_orm(_profile, session.user_id, fetch))
    except UserDeleted:
        raise unauthorized("user deleted") from None


CurrentProfile = Annotated[SignedInProfile, Depends(signed_in_profile)]
