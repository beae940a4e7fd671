"""Errors raised by the Clerk protocol layer.

Each carries a short, public `reason`: it is safe to return to a client and never
contains the token, a secret or key material.
"""


class ClerkConfigError(ValueError):
    """A configuration value is malformed; `variable` names the environment variable."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
        self.problem = problem


class TokenRejected(Exception):
    """The presented token is not a valid signed-in Clerk session (HTTP 401)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnknownSigningKey(TokenRejected):
    """The token names a `kid` the key set does not hold (maybe rotated in since the last fetch)."""

    def __init__(self, kid: str | None) -> None:
        super().__init__("unknown signing key")
        self.kid = kid


class SigningKeysUnavailable(Exception):
    """No verification key is available at all, e.g. the JWKS endpoint never answered (HTTP 503)."""

    reason = "signing keys unavailable"


class WebhookRejected(Exception):
    """A webhook delivery failed verification or is not a Clerk event (HTTP 400)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BackendAPIError(Exception):
    """Clerk's Backend API could not be reached or answered with an error."""
