"""GraphQL's object types: the REST response shapes themselves (api/schemas.py), field for field.

Each is derived from its pydantic model by Strawberry (`all_fields=True`), so a field added to a
REST shape appears in GraphQL with the same name (camelCase), type and description, and both
answer the same data (tests/projects/test_graphql.py holds them equal). Only what GraphQL says
differently is written here: a project's id is an `ID`.
"""

from collections.abc import Callable
from typing import Generic, TypeVar, cast

import strawberry
from pydantic import BaseModel
from strawberry.experimental.pydantic import type as from_model

from api import schemas
from common.pagination import Page, Row, cursor_of

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


# Lists: Relay-style connections of any node type (`Connection[Project]` is `ProjectConnection`).
@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo


def connection(page: Page[Row], node: Callable[[Row], T]) -> Connection[T]:
    """A page of rows (common.pagination) as a connection, each row made a node by `node`."""
    edges = [Edge(node=node(row), cursor=cursor_of(row["created_at"], row["public_id"])) for row in page.items]
    end_cursor = edges[-1].cursor if edges else None
    page_info = PageInfo(has_next_page=page.next_cursor is not None, end_cursor=end_cursor)
    return Connection(edges=edges, page_info=page_info)
