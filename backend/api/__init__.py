"""The FastAPI application served under /api/v1."""
