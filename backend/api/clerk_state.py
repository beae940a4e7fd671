"""The Clerk objects the API needs, built once from the settings when the app is created."""

from dataclasses import dataclass

from api.provisioning import JustInTimeProvisioner
from clerk.backend_api import ClerkBackendAPI
from clerk.config import ClerkSettings, build_session_verifier
from clerk.tokens import SessionVerifier
from clerk.webhooks import WebhookVerifier


@dataclass(frozen=True)
class ClerkState:
    settings: ClerkSettings
    verifier: SessionVerifier | None
    webhook_verifier: WebhookVerifier | None
    backend_api: ClerkBackendAPI | None  # None without CLERK_SECRET_KEY
    provisioner: JustInTimeProvisioner  # from the Backend API when there is one, else as stand-ins


def clerk_state(settings: ClerkSettings) -> ClerkState:
    backend_api = (
        ClerkBackendAPI(secret_key=settings.secret_key, api_url=settings.api_url, timeout=3.0, max_retries=0)
        if settings.secret_key
        else None
    )
    return ClerkState(
        settings=settings,
        verifier=build_session_verifier(settings),
        webhook_verifier=WebhookVerifier(settings.webhook_signing_secrets)
        if settings.webhook_signing_secrets
        else None,
        backend_api=backend_api,
        provisioner=JustInTimeProvisioner(backend_api.get_user if backend_api else None),
    )
