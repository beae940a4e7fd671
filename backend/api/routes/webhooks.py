from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status

from api.db import run_orm
from api.deps import ClerkDep
from api.request_body import bounded_body
from api.schemas import WebhookOut
from clerk.errors import WebhookRejected
from users.services.webhooks import record_and_apply

router = APIRouter(prefix="/auth", tags=["webhooks"])

# Clerk's events are a few KB; user metadata is capped at 8 KB each.
MAX_BODY_BYTES = 1024 * 1024


@router.post(
    "/clerk_webhook/",
    response_model=WebhookOut,
    response_model_exclude_none=True,
    responses={
        400: {"description": "not a correctly signed Clerk event"},
        413: {"description": "body larger than 1 MiB"},
        503: {"description": "retry later"},
    },
)
async def clerk_webhook(
    request: Request, clerk: ClerkDep, body: Annotated[bytes, Depends(bounded_body(MAX_BODY_BYTES))]
) -> WebhookOut:
    """Receive a Clerk event through Svix: verify it, log it once, apply it.

    An event that cannot be applied is logged as failed and answered 200 (`status: failed`):
    Svix retrying it would fail the same way; an operator reprocesses it from the admin.
    """
    if clerk.webhook_verifier is None:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, detail="webhooks are not configured: set CLERK_WEBHOOK_SIGNING_SECRET"
        )
    try:
        delivery = clerk.webhook_verifier.verify(body, request.headers)
    except WebhookRejected as rejected:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=rejected.reason) from None
    outcome, error = await run_orm(record_and_apply, delivery)
    return WebhookOut(status=outcome.value, detail=error or None)
