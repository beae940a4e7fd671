"""Reads of projects. Every one takes the organization: no query of projects is ever unscoped.

An organization's projects are listed newest first, a page at a time, by keyset (the
cursor carries the last item's creation time and public id): a page costs the same
whatever its depth, and items created meanwhile never shift the pages already read.
A page with its creators is one statement.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from projects.errors import InvalidProject, ProjectNotFound
from projects.models import Project, is_public_id

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class ProjectPage:
    items: list[Project]
    next_cursor: str | None  # None on the last page


def projects_of(organization_id: str) -> QuerySet[Project]:
    """The one scoped queryset every read starts from (the organization's Clerk id)."""
    return Project.objects.filter(organization__clerk_id=organization_id).select_related("created_by")


def project_of(organization_id: str, public_id: str) -> Project:
    """The organization's project with this id; ProjectNotFound for any other (its existence is not disclosed)."""
    if not is_public_id(public_id):
        raise ProjectNotFound()
    project = projects_of(organization_id).filter(public_id=public_id).first()
    if project is None:
        raise ProjectNotFound()
    return project


def project_page(organization_id: str, *, limit: int | None = None, cursor: str | None = None) -> ProjectPage:
    size = DEFAULT_PAGE_SIZE if limit is None else limit
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise InvalidProject("limit", f"must be between 1 and {MAX_PAGE_SIZE}")
    projects = projects_of(organization_id).order_by("-created_at", "-public_id")
    if cursor:
        created_at, public_id = _decode_cursor(cursor)
        projects = projects.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, public_id__lt=public_id))
    items = list(projects[: size + 1])  # one more than the page: is there a next one?
    if len(items) <= size:
        return ProjectPage(items, None)
    last = items[size - 1]
    return ProjectPage(items[:size], cursor_of(last.created_at, last.public_id))


def cursor_of(created_at: datetime, public_id: str) -> str:
    """The cursor that continues a list after this project (its position, not its key)."""
    text = f"{created_at.isoformat()}|{public_id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created_at, public_id = text.split("|")
        when = datetime.fromisoformat(created_at)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidProject("cursor", "is not a cursor of this list") from None
    if when.tzinfo is None or not is_public_id(public_id):
        raise InvalidProject("cursor", "is not a cursor of this list")
    return when, public_id
