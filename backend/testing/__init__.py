"""What lives at Clerk, made on our side for the test suite and `make bench`: keys, session
tokens, signed Svix deliveries, histories of events, and a fake Backend API and JWKS server.

Never part of the application: the production image leaves this package out. The sample
events the `clerk_webhook` trigger command sends are Clerk's shapes, in `clerk.samples`.
"""
