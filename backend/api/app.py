"""The FastAPI application factory. Its routes live under /api/v1; Django serves the rest."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from django.conf import settings
from fastapi import FastAPI

from api.clerk_state import clerk_state
from api.db import run_orm
from api.errors import install_error_handlers
from api.graphql.router import graphql_router
from api.routes import auth, health, organizations, projects, webhooks
from clerk.config import ClerkSettings
from clerk.errors import ClerkConfigError
from users.profile_reader import ProfileReader

API_PREFIX = "/api/v1"
# The most a request may send, by path prefix, enforced below the framework (config.body_limit):
# the API's own bodies are a few KB; Clerk's webhook deliveries may be larger.
API_MAX_BODY_BYTES = 64 * 1024
API_BODY_LIMITS = {
    f"{API_PREFIX}/": API_MAX_BODY_BYTES,
    f"{API_PREFIX}/auth/clerk_webhook/": webhooks.MAX_BODY_BYTES,
}


def create_app(clerk: ClerkSettings | None = None) -> FastAPI:
    """Build the API with `clerk` (default: `settings.CLERK`, read once from the environment).

    Raises ClerkConfigError, naming the variable, when the settings are not fit to serve.
    """
    clerk = clerk if clerk is not None else settings.CLERK
    if not settings.DEBUG and clerk.can_verify_sessions and clerk.authorized_parties is None:
        # Clerk's advice: without an azp check, a token minted for another site is accepted
        # here, which opens the door to CSRF-style attacks with a user's session.
        raise ClerkConfigError(
            "CLERK_AUTHORIZED_PARTIES", "is required when DJANGO_DEBUG is off: the origins your app is served from"
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await app.state.profiles.open()
        try:
            yield
        finally:
            await app.state.profiles.close()

    app = FastAPI(
        lifespan=lifespan,
        title="SaaS starter API",
        version="1.0.0",
        docs_url=f"{API_PREFIX}/docs" if settings.API_DOCS else None,
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json" if settings.API_DOCS else None,
    )
    app.state.clerk = clerk_state(clerk)
    app.state.profiles = ProfileReader.for_database(run_sync=run_orm)  # its pool opens with the lifespan
    install_error_handlers(app)
    for router in (health.router, auth.router, organizations.router, projects.router, webhooks.router):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(graphql_router(), prefix=API_PREFIX, include_in_schema=False)
    return app
