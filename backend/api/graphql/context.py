"""The request's context: who is signed in, resolved once, by the very dependencies REST uses."""

from starlette.requests import Request
from strawberry.fastapi import BaseContext

from api.deps import SignedIn, organization_member, require_organization, signed_in
from api.errors import describe
from users.member import Member


class GraphQLContext(BaseContext):
    def __init__(self) -> None:
        super().__init__()
        self._signed_in: SignedIn | None = None

    async def signed_in(self) -> SignedIn:
        if self._signed_in is None:
            assert isinstance(self.request, Request)
            try:
                self._signed_in = await signed_in(self.request)
            except Exception as error:
                # Every field needs a signed-in user: none can run, so the answer is HTTP 401.
                described = describe(error)
                if self.response is not None and described is not None and described[0] == 401:
                    self.response.status_code = 401
                raise
        return self._signed_in

    async def member(self) -> Member:
        signed = await self.signed_in()
        return await organization_member(signed, await require_organization(signed))


async def graphql_context() -> GraphQLContext:
    """Strawberry's FastAPI integration fills in `request` and `response`."""
    return GraphQLContext()
