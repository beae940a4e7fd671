"""What lives at Clerk, made on our side: keys, session tokens, Svix signatures, sample events,
and a fake Backend API and JWKS server.

Used by the test suite, `make bench` and the `clerk_webhook` trigger command (`make webhook`);
never by the application's request path.
"""
