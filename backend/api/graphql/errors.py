"""Each GraphQL error gets `extensions.code` (Apollo's codes) from the same table REST answers with."""

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from api.errors import describe

logger = logging.getLogger(__name__)

GRAPHQL_CODES = {
    400: "BAD_USER_INPUT",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "CONFLICT",
    413: "BAD_USER_INPUT",
    422: "BAD_USER_INPUT",
    503: "SERVICE_UNAVAILABLE",
}


class ErrorCodes(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        result.errors = [_with_code(error) for error in result.errors]


def _with_code(error: GraphQLError) -> GraphQLError:
    cause = error.original_error
    if cause is None:  # the query itself: syntax, unknown fields, depth and size limits
        code, reason, message = "GRAPHQL_VALIDATION_FAILED", None, error.message
    elif (described := describe(cause)) is not None:
        status, reason_code, message = described
        code, reason = GRAPHQL_CODES.get(status, "INTERNAL_SERVER_ERROR"), reason_code.value
    elif isinstance(cause, GraphQLError):  # bad argument values, as GraphQL itself reports them
        code, reason, message = "BAD_USER_INPUT", None, error.message
    else:  # a bug: logged with its stack, never shown
        logger.error("Unhandled error in GraphQL %s", error.path, exc_info=cause)
        code, reason, message = "INTERNAL_SERVER_ERROR", "internal-error", "internal error"
    extensions = {"code": code, **({"reason": reason} if reason else {})}
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )
