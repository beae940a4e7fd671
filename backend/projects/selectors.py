"""Reads of projects. Every one takes the organization: no query of projects is ever unscoped.

Every read starts from `projects_of(organization_id)` and returns rows with exactly the
columns the API shows (`ProjectRow`, one statement with the creator's name joined in), not
model instances: a page of 20 is read, typed and converted in a fraction of what building the
instances would cost (docs/performance.md). Lists are pages newest first (common.pagination).
"""

from datetime import datetime
from typing import TypedDict

from django.db.models import F, QuerySet

from common.pagination import Page, newest_first
from projects.errors import ProjectNotFound
from projects.models import Project, is_public_id


class ProjectRow(TypedDict):
    public_id: str
    name: str
    description: str
    created_at: datetime
    updated_at: datetime
    created_by_id: int | None  # None once the creator's account is deleted
    creator_clerk_id: str | None
    creator_first_name: str | None
    creator_last_name: str | None


def projects_of(organization_id: str) -> QuerySet[Project]:
    """The one scoped queryset every read starts from (the organization's Clerk id)."""
    return Project.objects.filter(organization__clerk_id=organization_id)


def _rows(projects: QuerySet[Project]) -> "QuerySet[Project, ProjectRow]":
    return projects.values(  # type: ignore[return-value]  # the TypedDict names these very columns
        "public_id",
        "name",
        "description",
        "created_at",
        "updated_at",
        "created_by_id",
        creator_clerk_id=F("created_by__clerk_id"),
        creator_first_name=F("created_by__first_name"),
        creator_last_name=F("created_by__last_name"),
    )


def project_of(organization_id: str, public_id: str) -> ProjectRow:
    """The organization's project with this id; ProjectNotFound for any other (its existence is not disclosed)."""
    if not is_public_id(public_id):
        raise ProjectNotFound()
    row = _rows(projects_of(organization_id).filter(public_id=public_id)).first()
    if row is None:
        raise ProjectNotFound()
    return row


def project_page(organization_id: str, *, limit: int | None = None, cursor: str | None = None) -> Page[ProjectRow]:
    """A page of the organization's projects, newest first (`cursor`: the previous page's `next_cursor`)."""
    return newest_first(_rows(projects_of(organization_id)), limit=limit, cursor=cursor, is_id=is_public_id)
