from fastapi import APIRouter, HTTPException, Request, status

from api.db import run_orm
from api.deps import ClerkDep
from api.schemas import WebhookOut
from clerk.errors import WebhookRejected
from users.services.webhooks import Outcome, record_and_apply

router = APIRouter(prefix="/auth", tags=["webhooks"])

MAX_BODY_BYTES = 1024 * 1024


@router.post(
    "/clerk_webhook/",
    response_model=WebhookOut,
    responses={400: {"description": "not a correctly signed Clerk event"}, 503: {"description": "retry later"}},
)
async def clerk_webhook(request: Request, clerk: ClerkDep) -> WebhookOut:
    """Receive a Clerk event through Svix: verify it, log it once, apply it."""
    if clerk.webhook_verifier is None:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, detail="webhooks are not configured: set CLERK_WEBHOOK_SIGNING_SECRET"
        )
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, detail="body too large")
    try:
        delivery = clerk.webhook_verifier.verify(body, request.headers)
    except WebhookRejected as rejected:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=rejected.reason) from None
    outcome, error = await run_orm(record_and_apply, delivery)
    if outcome is Outcome.FAILED:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=f"event not applied: {error}")
    return WebhookOut(status=outcome.value)
