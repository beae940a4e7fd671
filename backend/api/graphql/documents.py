"""Each distinct GraphQL query is parsed and validated once, and validated off the event loop.

Validation is the costly step of a GraphQL request: graphql-core checks every pair of fields
that could merge, so it grows with the square of a selection's size (4 ms for the projects
page's query; 60 ms for the worst document the token limit admits, 250 copies of one field).
On the event loop that would hold up every other request of the worker, so a query seen for
the first time is validated on a thread of its own, one per process (a flood of new queries
waits its turn there rather than taking more cores). Parsing stays on the loop: its cost is
linear and the length and token limits bound it (api/graphql/router.py).

Both outcomes are kept by query text, for the most recent `maxsize` queries: a client's
repeated queries (every real client's) cost a dictionary lookup. Keyed by the text alone
because the schema and its validation rules are the same for every request.
"""

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from graphql import DocumentNode, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document


class DocumentCache:
    """The parsed documents and validation errors of recent queries, by query text (LRU)."""

    def __init__(self, maxsize: int = 128) -> None:
        self._maxsize = maxsize
        self._documents: OrderedDict[str, DocumentNode] = OrderedDict()
        self._errors: OrderedDict[str, list[GraphQLError]] = OrderedDict()
        self._validator = ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphql-validation")
        self.validations = 0  # how many queries were validated (not found here)

    def document(self, query: str) -> DocumentNode | None:
        return _get(self._documents, query)

    def keep_document(self, query: str, document: DocumentNode) -> None:
        _put(self._documents, query, document, self._maxsize)

    async def errors(self, query: str, validate: Callable[[], list[GraphQLError]]) -> list[GraphQLError]:
        errors = _get(self._errors, query)
        if errors is None:
            self.validations += 1
            errors = await asyncio.get_running_loop().run_in_executor(self._validator, validate)
            _put(self._errors, query, errors, self._maxsize)
        return list(errors)  # a copy: the operation's list is its own

    def extension(self) -> Callable[[], SchemaExtension]:
        """The schema extension that uses this cache (a factory: Strawberry makes one per operation)."""
        return lambda: _CachedDocuments(self)


class _CachedDocuments(SchemaExtension):
    def __init__(self, cache: DocumentCache) -> None:
        super().__init__()
        self._cache = cache

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query
        if query is not None and context.graphql_document is None:
            context.graphql_document = self._cache.document(query)
        yield  # Strawberry parses here when the document was not found
        if query is not None and context.graphql_document is not None:
            self._cache.keep_document(query, context.graphql_document)

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        query, document = context.query, context.graphql_document
        if query is not None and document is not None and context.pre_execution_errors is None:
            schema, rules = context.schema._schema, context.validation_rules

            def validate() -> list[GraphQLError]:
                return validate_document(schema, document, rules)

            # Set, even empty: Strawberry then skips its own validation on the loop.
            context.pre_execution_errors = await self._cache.errors(query, validate)
        yield


def _get(entries: "OrderedDict[str, Any]", key: str) -> Any:
    value = entries.get(key)
    if value is not None:
        entries.move_to_end(key)
    return value


def _put(entries: "OrderedDict[str, Any]", key: str, value: Any, maxsize: int) -> None:
    entries[key] = value
    entries.move_to_end(key)
    while len(entries) > maxsize:
        entries.popitem(last=False)
