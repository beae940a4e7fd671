"""What the projects' rules refuse; the API maps each to its status and code (api/errors.py)."""


class ProjectError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ProjectNotFound(ProjectError):
    """No such project in the active organization (another organization's is "not found" too)."""

    def __init__(self) -> None:
        super().__init__("project not found")


class ProjectNameTaken(ProjectError):
    def __init__(self) -> None:
        super().__init__("a project of this organization already has this name")


class InvalidProject(ProjectError):
    """A value the rules refuse; `field` names it."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"invalid {field}: {problem}")
        self.field = field


class NotAllowed(ProjectError):
    """The caller's role in the organization does not allow this change."""
