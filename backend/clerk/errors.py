"""Errors raised by the Clerk protocol layer.

Each carries a short, public `reason`: it is safe to return to a client and never
contains the token, a secret or key material. The classes say what kind of problem it
is; the API maps each class to its status and error code in one place (api/errors.py).
"""


class ClerkConfigError(ValueError):
    """A configuration value is malformed; `variable` names the environment variable."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
        self.problem = problem


# --- session tokens (HTTP 401) ------------------------------------------------------------


class TokenRejected(Exception):
    """The presented token is not a valid signed-in Clerk session."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MalformedToken(TokenRejected):
    """Not a well-formed JWS, or a claim of the wrong type or outside its range."""


class UnsupportedToken(TokenRejected):
    """A well-formed token of a kind that is never accepted: algorithm, type, header, category."""


class MachineToken(TokenRejected):
    """A machine's token (API key, M2M, OAuth access token): it signs no user in."""


class InvalidSignature(TokenRejected):
    """The signature does not verify."""


class UnknownSigningKey(InvalidSignature):
    """The token names a `kid` the key set does not hold (maybe rotated in since the last fetch)."""

    def __init__(self, kid: str | None) -> None:
        super().__init__("unknown signing key")
        self.kid = kid


class TokenExpired(TokenRejected):
    pass


class TokenNotYetValid(TokenRejected):
    """`nbf` or `iat` is in the future, beyond the leeway."""


class InvalidIssuer(TokenRejected):
    pass


class UnauthorizedParty(TokenRejected):
    """`azp` is not one of the authorized parties (the origins the app is served from)."""


class SessionNotActive(TokenRejected):
    """The session is pending (tasks to complete) or in another state than active."""


class SigningKeysUnavailable(Exception):
    """No verification key is available at all, e.g. the JWKS endpoint never answered (HTTP 503)."""

    reason = "signing keys unavailable"


# --- webhooks (HTTP 400) -------------------------------------------------------------------


class WebhookRejected(Exception):
    """A webhook delivery failed verification or is not a Clerk event."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WebhookHeadersMissing(WebhookRejected):
    pass


class WebhookSignatureInvalid(WebhookRejected):
    pass


class WebhookTimestampOutsideTolerance(WebhookRejected):
    """Svix's fixed 5 minutes: a replay, or a server clock that is off."""


class NotAClerkEvent(WebhookRejected):
    """Correctly signed, but not JSON, nested too deeply, or not shaped like Clerk's events."""


class BackendAPIError(Exception):
    """Clerk's Backend API could not be reached or answered with an error."""
