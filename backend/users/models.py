"""Users, organizations and memberships mirrored from Clerk, plus the webhook event log.

Models stay thin: the rules for applying Clerk's events live in `users.services`.
`clerk_updated_at` holds Clerk's `updated_at` (ms) of the version stored, so an older
version never overwrites a newer one; it is null for rows that only stand in for an
object whose own event has not arrived yet.
"""

from typing import Any

from django.db import models
from django_use_email_as_username.models import BaseUser, BaseUserManager

from clerk.emails import normalize_email


class UserManager(BaseUserManager):
    """Every address enters and is looked up in one normal form (clerk.emails), compared exactly."""

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        return normalize_email(email or "")

    def get_by_natural_key(self, username: Any) -> "User":
        return self.get(email=normalize_email(username) if isinstance(username, str) else username)


class User(BaseUser):
    # Nullable: users who signed up with a phone number, a username or a wallet have no email.
    # Held in normal form: createsuperuser, the admin's forms and the Clerk sync all normalize.
    email = models.EmailField("email address", unique=True, null=True, blank=True)
    # Clerk allows names of 256 characters (Django's own columns hold 150).
    first_name = models.CharField("first name", max_length=256, blank=True)
    last_name = models.CharField("last name", max_length=256, blank=True)
    clerk_id = models.CharField("Clerk id", max_length=64, unique=True, null=True, blank=True)
    image_url = models.URLField(max_length=2048, blank=True)
    clerk_updated_at = models.BigIntegerField(null=True, blank=True, editable=False)

    objects = UserManager()

    @classmethod
    def normalize_username(cls, username: str) -> str:
        # Django's own applies NFKC, which would rewrite an address in full-width letters into
        # its ASCII look-alike when an operator saves the row: an address Clerk never verified for
        # this user. The one normal form is the sync's (clerk.emails).
        return normalize_email(username) if isinstance(username, str) else username

    def __str__(self) -> str:
        return self.email or self.clerk_id or f"user {self.pk}"


class Organization(models.Model):
    clerk_id = models.CharField("Clerk id", max_length=64, unique=True)
    name = models.CharField(max_length=256, blank=True)
    # Not unique: Clerk's slugs are unique at any instant, but events that rename two
    # organizations can arrive in either order.
    slug = models.CharField(max_length=256, blank=True, db_index=True)
    image_url = models.URLField(max_length=2048, blank=True)
    clerk_updated_at = models.BigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(User, through="OrganizationMembership", related_name="organizations")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.clerk_id


class OrganizationMembership(models.Model):
    clerk_id = models.CharField("Clerk id", max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=128, db_index=True)  # as Clerk sends it: org:admin, org:member, org:<custom>
    clerk_created_at = models.BigIntegerField(null=True, blank=True, editable=False)
    clerk_updated_at = models.BigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_user_and_organization")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"


class ClerkTombstone(models.Model):
    """A Clerk object whose deletion was received: late events for it must not bring it back."""

    class Kind(models.TextChoices):
        USER = "user"
        ORGANIZATION = "organization"
        MEMBERSHIP = "membership"

    clerk_id = models.CharField("Clerk id", max_length=64, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # A membership's: who left which organization, so a session token issued before they left is
    # refused that organization (api.deps) although it still names it until it expires.
    user_clerk_id = models.CharField(max_length=64, blank=True, default="")
    organization_clerk_id = models.CharField(max_length=64, blank=True, default="")
    deleted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deleted_at"]
        indexes = [models.Index(fields=["organization_clerk_id", "user_clerk_id"], name="tombstone_membership")]

    def __str__(self) -> str:
        return f"deleted {self.kind} {self.clerk_id}"


class WebhookEvent(models.Model):
    """Every verified Clerk delivery, deduplicated by its svix-id."""

    class Status(models.TextChoices):
        PROCESSED = "processed"
        IGNORED = "ignored"
        FAILED = "failed"

    svix_id = models.CharField("svix id", max_length=100, unique=True)
    event_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, db_index=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=1)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.svix_id}"
