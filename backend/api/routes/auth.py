from fastapi import APIRouter, Response

from api.deps import CurrentProfile
from api.schemas import MeOut

router = APIRouter(prefix="/auth", tags=["auth"])


@router.get("/me/", response_model=MeOut)
async def me(signed_in: CurrentProfile) -> Response:
    """The signed-in user, their organizations, and the active organization from the token."""
    body = MeOut.build(signed_in.profile, signed_in.session.organization)
    # Serialized straight from the model: FastAPI would validate it a second time.
    return Response(body.model_dump_json(), media_type="application/json")
