from fastapi import APIRouter

from api.deps import SignedInDep
from api.errors import AUTHENTICATED_ERRORS
from api.schemas import MeOut, me_out

router = APIRouter(prefix="/auth", tags=["auth"], responses=AUTHENTICATED_ERRORS)


@router.get("/me/", response_model=MeOut)
async def me(signed_in: SignedInDep) -> MeOut:
    """The signed-in user, their organizations, and the active organization from the token."""
    return me_out(signed_in.profile, signed_in.session)
