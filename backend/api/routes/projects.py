"""Projects of the active organization: the worked example of a tenant-scoped REST resource.

The organization comes from the verified session token, never from the request; every
read goes through `projects.selectors` with it, every write through `projects.services`.
"""

from fastapi import APIRouter, Response, status

from api.db import run_orm
from api.deps import MemberDep
from api.errors import ORGANIZATION_ERRORS, ErrorOut
from api.schemas import ProjectChanges, ProjectIn, ProjectOut, ProjectPageOut, project_out
from common.pagination import DEFAULT_PAGE_SIZE
from projects import selectors, services

router = APIRouter(
    prefix="/projects",
    tags=["projects"],
    responses={
        **ORGANIZATION_ERRORS,
        404: {"model": ErrorOut, "description": "no such project in the active organization"},
        422: {"model": ErrorOut, "description": "a value the rules refuse; the detail names the field"},
    },
)


@router.get("/", response_model=ProjectPageOut)
async def list_projects(member: MemberDep, limit: int = DEFAULT_PAGE_SIZE, cursor: str | None = None) -> ProjectPageOut:
    """The active organization's projects, newest first (`limit` 1-100, `cursor` from the previous page)."""
    page = await run_orm(selectors.project_page, member.organization_id, limit=limit, cursor=cursor)
    return ProjectPageOut(items=[project_out(p) for p in page.items], next_cursor=page.next_cursor)


@router.post(
    "/",
    response_model=ProjectOut,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": ErrorOut, "description": "the organization has a project of this name"}},
)
async def create_project(member: MemberDep, body: ProjectIn) -> ProjectOut:
    """Any member creates a project in the active organization."""
    project = await run_orm(services.create_project, member, name=body.name, description=body.description)
    return project_out(project)


@router.get("/{project_id}/", response_model=ProjectOut)
async def get_project(member: MemberDep, project_id: str) -> ProjectOut:
    return project_out(await run_orm(selectors.project_of, member.organization_id, project_id))


@router.patch(
    "/{project_id}/",
    response_model=ProjectOut,
    responses={409: {"model": ErrorOut, "description": "the organization has a project of this name"}},
)
async def update_project(member: MemberDep, project_id: str, changes: ProjectChanges) -> ProjectOut:
    """The creator or an org:admin changes the name or the description."""
    project = await run_orm(
        services.update_project, member, project_id, name=changes.name, description=changes.description
    )
    return project_out(project)


@router.delete("/{project_id}/", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
async def delete_project(member: MemberDep, project_id: str) -> Response:
    """Only an org:admin deletes a project."""
    await run_orm(services.delete_project, member, project_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
