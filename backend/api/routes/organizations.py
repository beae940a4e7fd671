"""The active organization of the session, as the backend knows it: examples of the organization guards."""

from fastapi import APIRouter, Depends

from api.db import run_orm
from api.deps import ActiveOrganizationDep, require_role
from api.errors import ORGANIZATION_ERRORS, ApiError, ErrorCode
from api.schemas import MemberOut, OrganizationDetailOut
from users.selectors import members_of, organization_by_clerk_id

router = APIRouter(prefix="/organizations", tags=["organizations"], responses=ORGANIZATION_ERRORS)

# A role, not Clerk's system permission `org:sys_memberships:read`: Clerk never puts system
# permissions in session tokens, so a guard on one could never pass.
ADMIN = "org:admin"


@router.get("/active/", response_model=OrganizationDetailOut)
async def active_organization(organization: ActiveOrganizationDep) -> OrganizationDetailOut:
    """The organization active in the session token (403 without one)."""
    detail = await run_orm(organization_by_clerk_id, organization.id)
    if detail is None:
        raise ApiError(404, ErrorCode.ORGANIZATION_NOT_SYNCED, "organization not synced yet")
    return OrganizationDetailOut(**vars(detail), role=organization.role, permissions=list(organization.permissions))


@router.get(
    "/active/members/",
    response_model=list[MemberOut],
    dependencies=[Depends(require_role(ADMIN))],
)
async def active_organization_members(organization: ActiveOrganizationDep) -> list[MemberOut]:
    """Members of the active organization; for its admins (`org:admin`)."""
    return [MemberOut(**vars(member)) for member in await run_orm(members_of, organization.id)]
