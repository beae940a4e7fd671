"""GraphQL's object types: the REST response shapes themselves (api/schemas.py), field for field.

Each is derived from its pydantic model by Strawberry (`all_fields=True`), so a field added to a
REST shape appears in GraphQL with the same name (camelCase), type and description, and both
answer the same data (tests/projects/test_graphql.py holds them equal). Only what GraphQL says
differently is written here: a project's id is an `ID`.
"""

from typing import TypeVar, cast

import strawberry
from pydantic import BaseModel
from strawberry.experimental.pydantic import type as from_model

from api import schemas

T = TypeVar("T")


def shown_as(graphql_type: type[T], shape: BaseModel) -> T:
    """A REST shape served as the GraphQL type derived from it, as it is: Strawberry resolves the
    fields of such a type from the model's own attributes. (`from_pydantic` would copy every
    field of every object first: a third of a page's time.)"""
    assert isinstance(shape, graphql_type._pydantic_type)  # type: ignore[attr-defined]
    return cast(T, shape)


@from_model(model=schemas.OrganizationOut, all_fields=True)
class Organization:
    pass


@from_model(model=schemas.ActiveOrganizationOut, all_fields=True)
class ActiveOrganization:
    pass


@from_model(model=schemas.ActorOut, all_fields=True)
class Actor:
    pass


@from_model(model=schemas.MeOut, all_fields=True)
class Me:
    pass


@from_model(model=schemas.CreatorOut, all_fields=True)
class Creator:
    pass


@from_model(model=schemas.ProjectOut, all_fields=True)
class Project:
    id: strawberry.ID


@strawberry.type
class ProjectEdge:
    node: Project
    cursor: str


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class ProjectConnection:
    edges: list[ProjectEdge]
    page_info: PageInfo
