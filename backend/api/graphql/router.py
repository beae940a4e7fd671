"""The GraphQL endpoint: signed in before the body is read, limits that refuse abusive queries before they run.

In order: the session is verified as the context is built (api/graphql/context.py), and a
request without one is answered 401 here, its body never read; the body is bounded below the
framework (config.body_limit, 64 KiB for the whole API); the query's length and tokens are
checked before it is parsed, its depth and aliases as it is validated; each distinct query is
parsed and validated once, and validated off the event loop (api/graphql/documents.py).
No subscriptions, so no WebSocket transport (config.dispatch refuses every upgrade).
"""

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import strawberry
from django.conf import settings
from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    value_from_ast,
    visit,
)
from pydantic import TypeAdapter
from starlette.responses import JSONResponse, Response
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.fastapi import GraphQLRouter
from strawberry.http.base import HTTPException  # cross_web's, as Strawberry raises it
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext
from strawberry.types.unset import UNSET

from api.errors import describe
from api.graphql.context import GraphQLContext, graphql_context
from api.graphql.documents import DocumentCache
from api.graphql.errors import GRAPHQL_CODES, ErrorCodes
from api.graphql.schema import Mutation, Query

_DATETIMES = TypeAdapter(datetime)
# Written as REST writes it (pydantic's JSON form), so both answer the very same data.
DATE_TIME = strawberry.scalar(
    name="DateTime",
    description="Date with time, ISO 8601, as the REST API writes it",
    serialize=lambda value: _DATETIMES.dump_python(value, mode="json"),
    parse_value=datetime.fromisoformat,
)
# Sized to this schema, whose largest real query is under 100 tokens: raise them with your schema.
MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_TOKENS = 500
# Comments and strings cost nothing as tokens (a 60 KiB comment is one), so the query's length
# is bounded too, before the parser sees it.
MAX_QUERY_LENGTH = 16 * 1024
# The items all lists of one operation may ask for (the `first` of each, or its default): without
# it, 15 aliases of a 100-item page made one request cost ~0.45 s of the event loop's time.
MAX_ITEMS = 200


class ItemBudget(SchemaExtension):
    """Refuses an operation whose lists ask for more than MAX_ITEMS items in all, before it runs."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and not context.pre_execution_errors:
            items = requested_items(context.schema._schema, context.graphql_document, context.variables or {})
            if items > MAX_ITEMS:
                refusal = GraphQLError(f"the lists of this query ask for {items} items; at most {MAX_ITEMS}")
                context.pre_execution_errors = [refusal]
        yield


def requested_items(schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any]) -> int:
    """The sum of the `first` arguments (given, or their defaults) of every field that takes one."""
    type_info = TypeInfo(schema)
    total = 0

    class Count(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            nonlocal total
            field = type_info.get_field_def()
            if field is None or "first" not in field.args:
                return
            given = next((argument.value for argument in node.arguments or () if argument.name.value == "first"), None)
            value = (
                value_from_ast(given, field.args["first"].type, variables)
                if given
                else field.args["first"].default_value
            )
            total += value if isinstance(value, int) and value > 0 else 0

    visit(document, TypeInfoVisitor(type_info, Count()))
    return total


class QuietSchema(strawberry.Schema):
    """Strawberry logs every error at ERROR level, a client's "not found" as much as a bug; here the
    answers speak for themselves and ErrorCodes (api/graphql/errors.py) logs the bugs."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        return None


class SignedInGraphQLRouter(GraphQLRouter[GraphQLContext, None]):
    """Strawberry's router, answering a request without a session before its body is read."""

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        if isinstance(context, GraphQLContext) and context.refusal is not None:
            return _refusal(context.refusal)
        try:
            return await super().run(request, context=context, root_value=root_value)
        except HTTPException as error:  # not a GraphQL request (not JSON, too long, a GET): JSON, as every answer
            reason = _HTTP_REASONS.get(error.status_code, "invalid-request")
            return _error_answer(
                error.status_code, GRAPHQL_CODES.get(error.status_code, "BAD_USER_INPUT"), error.reason, reason
            )

    async def parse_http_body(self, request: Any) -> Any:
        data = await super().parse_http_body(request)
        for operation in data if isinstance(data, list) else [data]:
            if operation.query is not None and len(operation.query) > MAX_QUERY_LENGTH:
                raise HTTPException(400, f"query is longer than {MAX_QUERY_LENGTH} characters")
        return data


_HTTP_REASONS = {404: "not-found", 405: "method-not-allowed"}


def _refusal(error: Exception) -> Response:
    described = describe(error)
    assert described is not None  # GraphQLContext keeps refusals only
    status, code, detail = described
    response = _error_answer(status, GRAPHQL_CODES.get(status, "INTERNAL_SERVER_ERROR"), detail, code.value)
    if status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def _error_answer(status: int, code: str, message: str, reason: str) -> Response:
    error = {"message": message, "extensions": {"code": code, "reason": reason}}
    return JSONResponse({"data": None, "errors": [error]}, status_code=status)


def graphql_router() -> GraphQLRouter[GraphQLContext, None]:
    # Factories (Strawberry makes one of each per operation), so the list is typed as it expects.
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        ErrorCodes,
        DocumentCache().extension(),
        ItemBudget,  # after the cache, which sets the validation's outcome
    ]
    if not settings.GRAPHQL_INTROSPECTION:  # a map of the API for whoever asks: debug only, unless enabled
        extensions.append(DisableIntrospection)
    schema = QuietSchema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        config=StrawberryConfig(scalar_map={datetime: DATE_TIME}),
    )
    return SignedInGraphQLRouter(
        schema,
        path="/graphql",
        context_getter=graphql_context,
        graphql_ide="graphiql" if settings.DEBUG else None,
        allow_queries_via_get=False,
        multipart_uploads_enabled=False,
        subscription_protocols=(),
    )
