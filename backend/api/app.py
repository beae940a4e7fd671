"""The FastAPI application factory. Its routes live under /api/v1; Django serves the rest."""

import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from django.conf import settings
from fastapi import FastAPI

from api.clerk_state import clerk_state_from_env
from api.errors import install_error_handlers
from api.profile_loader import ProfileLoader
from api.read_pool import build_read_pool
from api.routes import auth, health, organizations, webhooks

API_PREFIX = "/api/v1"


def create_app(env: Mapping[str, str] | None = None) -> FastAPI:
    """Build the API. Raises ClerkConfigError (naming the variable) on malformed Clerk settings."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = build_read_pool(settings.DATABASES["default"])
        if pool is not None:
            await pool.open(wait=False)  # connects in the background: start-up never waits on the database
        app.state.profile_loader = ProfileLoader(pool) if pool is not None else None
        try:
            yield
        finally:
            app.state.profile_loader = None
            if pool is not None:
                await pool.close()

    app = FastAPI(
        lifespan=lifespan,
        title="SaaS starter API",
        version="1.0.0",
        docs_url=f"{API_PREFIX}/docs" if settings.API_DOCS else None,
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json" if settings.API_DOCS else None,
    )
    app.state.clerk = clerk_state_from_env(os.environ if env is None else env)
    app.state.profile_loader = None  # set up by the lifespan, on PostgreSQL
    install_error_handlers(app)
    for router in (health.router, auth.router, organizations.router, webhooks.router):
        app.include_router(router, prefix=API_PREFIX)
    return app
