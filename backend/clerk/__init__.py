"""Clerk's protocols, framework-free.

Nothing in this package imports Django or FastAPI: it parses publishable keys,
verifies session tokens against a key set, verifies Svix webhook envelopes,
decodes Clerk's payloads and talks to Clerk's Backend API. The web layers wrap it.
"""
