from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.db import run_orm
from api.schemas import ReadinessOut, StatusOut
from config.readiness import database_readiness

router = APIRouter(tags=["health"])


@router.get("/health", response_model=StatusOut)
async def health() -> StatusOut:
    """Liveness: the process answers. Touches no database."""
    return StatusOut(status="ok")


@router.get("/ready", response_model=ReadinessOut, responses={503: {"model": ReadinessOut}})
async def ready() -> JSONResponse:
    """Readiness: the database answers and every migration is applied."""
    problem = await run_orm(database_readiness)
    if problem is not None:
        return JSONResponse({"status": "unavailable", "detail": problem}, status_code=503)
    return JSONResponse({"status": "ok"})
