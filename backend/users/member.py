"""Who acts in an organization, as the verified session says; what tenant-scoped services take."""

from dataclasses import dataclass

ADMIN_ROLE = "org:admin"


@dataclass(frozen=True)
class Member:
    user_id: int  # the user's row
    organization_id: str  # the active organization's Clerk id: every read and write is scoped to it
    organization_slug: str | None
    role: str | None  # "org:admin", "org:member", or a custom "org:<role>"

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN_ROLE
