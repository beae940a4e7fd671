"""Queries and mutations: each one line of context, one selector or service call, one type out."""

import strawberry
from strawberry.types import Info

from api.db import run_orm
from api.graphql.context import GraphQLContext
from api.graphql.types import Connection, Me, Project, connection, shown_as
from api.schemas import me_out, project_out
from common.pagination import DEFAULT_PAGE_SIZE
from projects import selectors, services

Context = Info[GraphQLContext, None]


@strawberry.type
class Query:
    @strawberry.field(description="The signed-in user: the same data as GET /api/v1/auth/me/.")
    async def me(self, info: Context) -> Me:
        signed = await info.context.signed_in()
        return shown_as(Me, me_out(signed.profile, signed.session))

    @strawberry.field(description="The active organization's projects, newest first.")
    async def projects(
        self, info: Context, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[Project]:
        member = await info.context.member()
        page = await run_orm(selectors.project_page, member.organization_id, limit=first, cursor=after)
        return connection(page, lambda row: shown_as(Project, project_out(row)))

    @strawberry.field(description="One project of the active organization (NOT_FOUND for any other).")
    async def project(self, info: Context, id: strawberry.ID) -> Project | None:
        member = await info.context.member()
        return shown_as(Project, project_out(await run_orm(selectors.project_of, member.organization_id, str(id))))


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Any member creates a project in the active organization.")
    async def create_project(self, info: Context, name: str, description: str = "") -> Project:
        member = await info.context.member()
        return shown_as(
            Project, project_out(await run_orm(services.create_project, member, name=name, description=description))
        )

    @strawberry.mutation(description="The creator or an org:admin changes a project.")
    async def update_project(
        self, info: Context, id: strawberry.ID, name: str | None = None, description: str | None = None
    ) -> Project:
        member = await info.context.member()
        project = await run_orm(services.update_project, member, str(id), name=name, description=description)
        return shown_as(Project, project_out(project))

    @strawberry.mutation(description="An org:admin deletes a project; answers its id.")
    async def delete_project(self, info: Context, id: strawberry.ID) -> strawberry.ID:
        member = await info.context.member()
        await run_orm(services.delete_project, member, str(id))
        return id
