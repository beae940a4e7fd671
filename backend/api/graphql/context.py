"""The request's context: who is signed in, resolved before the query is even read.

Every field needs a signed-in user, so the session is verified (by the very dependency REST
uses) as FastAPI resolves this context, before Strawberry reads or parses the body; a request
without one is answered 401 by the router (api/graphql/router.py) having parsed nothing.
"""

from starlette.requests import Request
from strawberry.fastapi import BaseContext

from api.deps import SignedIn, organization_member, require_organization, signed_in
from api.errors import describe
from users.member import Member


class GraphQLContext(BaseContext):
    def __init__(self, signed: SignedIn | None, refusal: Exception | None = None) -> None:
        super().__init__()
        self._signed_in = signed
        self.refusal = refusal  # why the request is not signed in; the router answers it

    async def signed_in(self) -> SignedIn:
        if self._signed_in is None:  # only the IDE page (GET) gets this far unsigned
            raise self.refusal or RuntimeError("GraphQL operation without a signed-in context")
        return self._signed_in

    async def member(self) -> Member:
        signed = await self.signed_in()
        return await organization_member(signed, await require_organization(signed))


async def graphql_context(request: Request) -> GraphQLContext:
    if request.method != "POST":  # GET serves the IDE page only (queries via GET are off)
        return GraphQLContext(None)
    try:
        return GraphQLContext(await signed_in(request))
    except Exception as error:
        if describe(error) is None:  # a bug, not a refusal: the error handlers log it
            raise
        return GraphQLContext(None, refusal=error)
