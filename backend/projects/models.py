"""A project belongs to one organization; its public id is what the API shows, never the row's key."""

import re
import secrets

from django.db import models
from django.db.models.functions import Lower

from users.models import Organization, User

MAX_NAME_LENGTH = 100
MAX_DESCRIPTION_LENGTH = 2000
NAME_CONSTRAINT = "unique_project_name_per_organization"


_PUBLIC_ID = re.compile(r"prj_[0-9a-f]{24}")


def new_public_id() -> str:
    return f"prj_{secrets.token_hex(12)}"


def is_public_id(value: str) -> bool:
    """Whether `value` could be a project's id: anything else (a NUL, `..`) is not looked up at all."""
    return _PUBLIC_ID.fullmatch(value) is not None


class Project(models.Model):
    public_id = models.CharField("id", max_length=32, unique=True, default=new_public_id, editable=False)
    # Deleting an organization (its webhook) deletes its projects; deleting a user keeps theirs.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(max_length=MAX_NAME_LENGTH)
    description = models.TextField(max_length=MAX_DESCRIPTION_LENGTH, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="projects_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-public_id"]
        constraints = [models.UniqueConstraint(Lower("name"), "organization", name=NAME_CONSTRAINT)]
        # The list reads an organization's projects newest first, a page at a time.
        indexes = [models.Index(fields=["organization", "-created_at", "-public_id"], name="project_listing")]

    def __str__(self) -> str:
        return self.name
