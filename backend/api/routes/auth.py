from fastapi import APIRouter, Response
from pydantic_core import to_json

from api.deps import SignedInDep
from api.errors import AUTHENTICATED_ERRORS
from api.schemas import MeOut, me_out

router = APIRouter(prefix="/auth", tags=["auth"], responses=AUTHENTICATED_ERRORS)


@router.get("/me/", response_model=MeOut)
async def me(signed_in: SignedInDep) -> Response:
    """The signed-in user, their organizations, and the active organization from the token."""
    body = me_out(signed_in.profile, signed_in.session)
    # Encoded directly: FastAPI would validate the typed dict against MeOut once more.
    return Response(to_json(body), media_type="application/json")
