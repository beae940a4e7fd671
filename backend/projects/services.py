"""Writes of projects, with their rules, for the REST API and GraphQL alike.

- any member of the organization creates a project; the creator or an `org:admin`
  updates it; only an `org:admin` deletes it;
- a project of another organization is not found (never "forbidden": not disclosed);
- names are 1 to 100 characters, unique per organization whatever their letter case,
  descriptions at most 2,000 characters; neither holds control characters.
"""

import unicodedata

from django.db import IntegrityError, transaction

from projects.errors import InvalidProject, NotAllowed, ProjectNameTaken, ProjectNotFound
from projects.models import MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, NAME_CONSTRAINT, Project, is_public_id
from projects.selectors import ProjectRow, project_of, projects_of
from users.member import Member
from users.services.tenants import organization_of


def create_project(member: Member, *, name: str, description: str = "") -> ProjectRow:
    project = Project(name=_name(name), description=_description(description), created_by_id=member.user_id)
    with transaction.atomic():
        project.organization = organization_of(member)
        _save(project)
    return project_of(member.organization_id, project.public_id)  # as every read has it: with its creator


def update_project(
    member: Member, public_id: str, *, name: str | None = None, description: str | None = None
) -> ProjectRow:
    with transaction.atomic():
        project = _locked(member, public_id)
        if not (member.is_admin or project.created_by_id == member.user_id):
            raise NotAllowed("only the project's creator or an org:admin may change it")
        if name is not None:
            project.name = _name(name)
        if description is not None:
            project.description = _description(description)
        _save(project)
    return project_of(member.organization_id, public_id)


def delete_project(member: Member, public_id: str) -> None:
    with transaction.atomic():
        project = _locked(member, public_id)
        if not member.is_admin:
            raise NotAllowed("only an org:admin may delete a project")
        project.delete()


def _locked(member: Member, public_id: str) -> Project:
    """The member's organization's project, locked for the change; ProjectNotFound for any other."""
    if not is_public_id(public_id):
        raise ProjectNotFound()
    project = projects_of(member.organization_id).filter(public_id=public_id).select_for_update().first()
    if project is None:
        raise ProjectNotFound()
    return project


def _save(project: Project) -> None:
    try:
        with transaction.atomic():  # a savepoint: the name check is the database's unique constraint
            project.save()
    except IntegrityError as error:
        if NAME_CONSTRAINT in str(error):
            raise ProjectNameTaken() from None
        raise


def _name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        raise InvalidProject("name", f"must be 1 to {MAX_NAME_LENGTH} characters")
    _printable(name, "name")
    return name


def _description(description: str) -> str:
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise InvalidProject("description", f"must be at most {MAX_DESCRIPTION_LENGTH} characters")
    _printable(description.replace("\r\n", "").replace("\n", "").replace("\t", ""), "description")
    return description


def _printable(text: str, field: str) -> None:
    """No control characters (NUL cannot even be stored), and no lone surrogates."""
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in text):
        raise InvalidProject(field, "must not contain control characters")
