"""Every failure answers `{"detail": "<short sentence>", "code": "<kebab-case code>"}`.

The codes are one enum, `ErrorCode`: clients (the frontend, the tests) match on them,
never on the wording. Dependencies and routes raise domain errors (clerk.errors,
users.services) or `ApiError` and let them propagate; the handlers installed once by
`install_error_handlers` turn them into answers. Never a stack trace, never a token.
"""

import enum
import logging
from collections.abc import Mapping
from typing import Any

import psycopg
from django.db import DatabaseError, DataError, InterfaceError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from psycopg_pool import PoolTimeout
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from clerk import errors as clerk
from common.pagination import InvalidPage
from config.database_reachability import describe_database_error
from projects import errors as projects
from users.services.provisioning import UserDeleted
from users.services.tenants import OrganizationDeleted

logger = logging.getLogger(__name__)


class ErrorCode(enum.StrEnum):
    # 400, 413, 422: the request itself
    INVALID_REQUEST = "invalid-request"
    BODY_TOO_LARGE = "body-too-large"
    MISSING_SVIX_HEADERS = "missing-svix-headers"
    TIMESTAMP_OUTSIDE_TOLERANCE = "timestamp-outside-tolerance"
    NOT_A_CLERK_EVENT = "not-a-clerk-event"
    # 401: who is asking
    MISSING_TOKEN = "missing-token"
    NOT_A_BEARER_TOKEN = "not-a-bearer-token"
    MALFORMED_TOKEN = "malformed-token"
    UNSUPPORTED_TOKEN = "unsupported-token"
    MACHINE_TOKEN = "machine-token"
    INVALID_SIGNATURE = "invalid-signature"
    UNKNOWN_SIGNING_KEY = "unknown-signing-key"
    TOKEN_EXPIRED = "token-expired"
    TOKEN_NOT_YET_VALID = "token-not-yet-valid"
    INVALID_ISSUER = "invalid-issuer"
    UNAUTHORIZED_PARTY = "unauthorized-party"
    SESSION_NOT_ACTIVE = "session-not-active"
    USER_DELETED = "user-deleted"
    # 403: what they may do
    NO_ACTIVE_ORGANIZATION = "no-active-organization"
    NOT_A_MEMBER = "not-a-member"  # left the token's organization after the token was issued
    ORGANIZATION_DELETED = "organization-deleted"
    MISSING_ROLE = "missing-role"
    MISSING_PERMISSION = "missing-permission"
    NOT_ALLOWED = "not-allowed"
    # 404, 405, 409
    NOT_FOUND = "not-found"
    ORGANIZATION_NOT_SYNCED = "organization-not-synced"
    METHOD_NOT_ALLOWED = "method-not-allowed"
    NAME_TAKEN = "name-taken"
    # 5xx: ours, retry later
    AUTHENTICATION_NOT_CONFIGURED = "authentication-not-configured"
    WEBHOOKS_NOT_CONFIGURED = "webhooks-not-configured"
    SIGNING_KEYS_UNAVAILABLE = "signing-keys-unavailable"
    DATABASE_UNAVAILABLE = "database-unavailable"
    INTERNAL_ERROR = "internal-error"


class ErrorOut(BaseModel):
    """The body of every error answer."""

    detail: str
    code: ErrorCode


class ApiError(Exception):
    """An error the API answers with `status`, `code` and a short `detail`."""

    def __init__(self, status: int, code: ErrorCode, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail


# Domain errors and what they answer. Looked up along each exception's class hierarchy,
# so a subclass without its own entry answers as its parent does.
DOMAIN_ERRORS: Mapping[type[Exception], tuple[int, ErrorCode]] = {
    clerk.MalformedToken: (401, ErrorCode.MALFORMED_TOKEN),
    clerk.UnsupportedToken: (401, ErrorCode.UNSUPPORTED_TOKEN),
    clerk.MachineToken: (401, ErrorCode.MACHINE_TOKEN),
    clerk.InvalidSignature: (401, ErrorCode.INVALID_SIGNATURE),
    clerk.UnknownSigningKey: (401, ErrorCode.UNKNOWN_SIGNING_KEY),
    clerk.TokenExpired: (401, ErrorCode.TOKEN_EXPIRED),
    clerk.TokenNotYetValid: (401, ErrorCode.TOKEN_NOT_YET_VALID),
    clerk.InvalidIssuer: (401, ErrorCode.INVALID_ISSUER),
    clerk.UnauthorizedParty: (401, ErrorCode.UNAUTHORIZED_PARTY),
    clerk.SessionNotActive: (401, ErrorCode.SESSION_NOT_ACTIVE),
    clerk.SigningKeysUnavailable: (503, ErrorCode.SIGNING_KEYS_UNAVAILABLE),
    clerk.WebhookHeadersMissing: (400, ErrorCode.MISSING_SVIX_HEADERS),
    clerk.WebhookSignatureInvalid: (400, ErrorCode.INVALID_SIGNATURE),
    clerk.WebhookTimestampOutsideTolerance: (400, ErrorCode.TIMESTAMP_OUTSIDE_TOLERANCE),
    clerk.NotAClerkEvent: (400, ErrorCode.NOT_A_CLERK_EVENT),
    UserDeleted: (401, ErrorCode.USER_DELETED),
    OrganizationDeleted: (403, ErrorCode.ORGANIZATION_DELETED),
    projects.ProjectNotFound: (404, ErrorCode.NOT_FOUND),
    projects.ProjectNameTaken: (409, ErrorCode.NAME_TAKEN),
    projects.InvalidProject: (422, ErrorCode.INVALID_REQUEST),
    InvalidPage: (422, ErrorCode.INVALID_REQUEST),
    projects.NotAllowed: (403, ErrorCode.NOT_ALLOWED),
    # A value the database refuses (a NUL, a number out of range) is bad input, not the database
    # being down: every such value should be refused by validation first, so it is logged.
    DataError: (400, ErrorCode.INVALID_REQUEST),
    psycopg.DataError: (400, ErrorCode.INVALID_REQUEST),
}
# The database is down or refusing connections: Svix and clients retry later.
UNAVAILABLE_DATABASE_ERRORS = (DatabaseError, InterfaceError, psycopg.Error, PoolTimeout)
_FRAMEWORK_CODES = {404: ErrorCode.NOT_FOUND, 405: ErrorCode.METHOD_NOT_ALLOWED, 413: ErrorCode.BODY_TOO_LARGE}

# For the OpenAPI schema: routes list the error answers they can give.
AUTHENTICATED_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "no valid session (the code says why)"},
    503: {"model": ErrorOut, "description": "authentication or the database is unavailable: retry later"},
}
ORGANIZATION_ERRORS: dict[int | str, dict[str, Any]] = {
    **AUTHENTICATED_ERRORS,
    403: {"model": ErrorOut, "description": "no active organization, or a role or permission is missing"},
}


def default_detail(code: ErrorCode) -> str:
    """A sentence for an error that carries none: its code, in words."""
    return code.value.replace("-", " ")


def error_response(status: int, code: ErrorCode, detail: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    if status == 401:
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    return JSONResponse({"detail": detail, "code": code.value}, status_code=status, headers=headers)


def describe(exc: Exception) -> tuple[int, ErrorCode, str] | None:
    """The status, code and detail an error answers, or None for one that is a bug (a 500).

    One place for the REST handlers below and for GraphQL's errors (api/graphql).
    """
    if isinstance(exc, ApiError):
        return exc.status, exc.code, exc.detail
    for cls in type(exc).__mro__:  # the most specific entry along the class hierarchy
        if cls in DOMAIN_ERRORS:
            status, code = DOMAIN_ERRORS[cls]
            return status, code, getattr(exc, "reason", None) or default_detail(code)
    if isinstance(exc, UNAVAILABLE_DATABASE_ERRORS):
        return 503, ErrorCode.DATABASE_UNAVAILABLE, "database unavailable"
    return None


def install_error_handlers(app: FastAPI) -> None:
    async def known_error(request: Request, exc: Exception) -> JSONResponse:
        described = describe(exc)
        assert described is not None
        if described[1] is ErrorCode.DATABASE_UNAVAILABLE:
            logger.error("Database error on %s %s: %s", request.method, request.url.path, describe_database_error(exc))
        elif isinstance(exc, DataError | psycopg.DataError):  # validation let a value through: say where
            logger.warning(
                "The database refused a value on %s %s: %s", request.method, request.url.path, type(exc).__name__
            )
        return error_response(*described)

    async def invalid_request(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0] if exc.errors() else {}
        # Names the field, never echoes the value sent.
        location = list(first.get("loc", ()))
        if location and location[0] in ("body", "query", "path", "header"):  # where, not what
            location = location[1:]
        where = ".".join(str(part) for part in location)
        return error_response(422, ErrorCode.INVALID_REQUEST, f"invalid {where}: {first.get('msg', '')}".strip())

    async def framework_error(request: Request, exc: Exception) -> JSONResponse:
        # Only the framework's own (an unknown route, a wrong method): ours are ApiError.
        assert isinstance(exc, StarletteHTTPException)
        code = _FRAMEWORK_CODES.get(exc.status_code, ErrorCode.INVALID_REQUEST)
        return error_response(exc.status_code, code, str(exc.detail).lower(), exc.headers)

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("Unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, ErrorCode.INTERNAL_ERROR, "internal error")

    # Registered class by class: Starlette answers these without re-raising them, which it
    # does for the catch-all `Exception` handler (the server then logs a traceback).
    known: list[type[Exception]] = [ApiError, *DOMAIN_ERRORS, *UNAVAILABLE_DATABASE_ERRORS]
    for error_class in known:
        app.add_exception_handler(error_class, known_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, framework_error)
    app.add_exception_handler(Exception, unexpected)
