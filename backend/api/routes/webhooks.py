from fastapi import APIRouter, Request

from api.db import run_orm
from api.deps import ClerkDep
from api.errors import ApiError, ErrorCode, ErrorOut
from api.schemas import WebhookOut
from users.services.webhooks import record_and_apply

router = APIRouter(prefix="/auth", tags=["webhooks"])

# Clerk's events are a few KB; user metadata is capped at 8 KB each. Enforced for this path
# below the framework, with the rest of the API's limits (api.app.API_BODY_LIMITS).
MAX_BODY_BYTES = 1024 * 1024


@router.post(
    "/clerk_webhook/",
    response_model=WebhookOut,
    response_model_exclude_none=True,
    responses={
        400: {"model": ErrorOut, "description": "not a correctly signed Clerk event"},
        413: {"model": ErrorOut, "description": "body larger than 1 MiB"},
        503: {"model": ErrorOut, "description": "not configured, or the database is unavailable: retry later"},
    },
)
async def clerk_webhook(request: Request, clerk: ClerkDep) -> WebhookOut:
    """Receive a Clerk event through Svix: verify it, log it once, apply it.

    An event that cannot be applied is logged as failed and answered 200 (`status: failed`):
    Svix retrying it would fail the same way; an operator reprocesses it from the admin.
    """
    if clerk.webhook_verifier is None:
        raise ApiError(
            503, ErrorCode.WEBHOOKS_NOT_CONFIGURED, "webhooks are not configured: set CLERK_WEBHOOK_SIGNING_SECRET"
        )
    body = await request.body()  # 413 past MAX_BODY_BYTES, before it is all read
    delivery = clerk.webhook_verifier.verify(body, request.headers)  # WebhookRejected: 400 with its code
    outcome, error = await run_orm(record_and_apply, delivery)
    return WebhookOut(status=outcome.value, detail=error or None)
