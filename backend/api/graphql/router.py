"""The GraphQL endpoint, with the limits that refuse abusive queries before they run."""

from collections.abc import Callable
from datetime import datetime

import strawberry
from django.conf import settings
from graphql import GraphQLError
from pydantic import TypeAdapter
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.fastapi import GraphQLRouter
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from api.graphql.context import GraphQLContext, graphql_context
from api.graphql.errors import ErrorCodes
from api.graphql.schema import Mutation, Query

_DATETIMES = TypeAdapter(datetime)
# Written as REST writes it (pydantic's JSON form), so both answer the very same data.
DATE_TIME = strawberry.scalar(
    name="DateTime",
    description="Date with time, ISO 8601, as the REST API writes it",
    serialize=lambda value: _DATETIMES.dump_python(value, mode="json"),
    parse_value=datetime.fromisoformat,
)
MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_TOKENS = 2000


class QuietSchema(strawberry.Schema):
    """Strawberry logs every error at ERROR level, a client's "not found" as much as a bug; here the
    answers speak for themselves and ErrorCodes (api/graphql/errors.py) logs the bugs."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        return None


def graphql_router() -> GraphQLRouter[GraphQLContext, None]:
    # Factories (Strawberry makes one of each per operation), so the list is typed as it expects.
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        ErrorCodes,
    ]
    if not settings.GRAPHQL_INTROSPECTION:  # a map of the API for whoever asks: debug only, unless enabled
        extensions.append(DisableIntrospection)
    schema = QuietSchema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        config=StrawberryConfig(scalar_map={datetime: DATE_TIME}),
    )
    return GraphQLRouter(
        schema,
        path="/graphql",
        context_getter=graphql_context,
        graphql_ide="graphiql" if settings.DEBUG else None,
        allow_queries_via_get=False,
        multipart_uploads_enabled=False,
    )
