"""The operator's view: users, organizations with their members, memberships, and the webhook log."""

import json
import logging
from collections.abc import Mapping
from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django_use_email_as_username.admin import BaseUserAdmin

from users.models import ClerkTombstone, Organization, OrganizationMembership, User, WebhookEvent
from users.services.clerk_objects import clerk_owned_fields
from users.services.webhooks import Outcome, reprocess

logger = logging.getLogger(__name__)

# Clerk hands out https image URLs; Django 5.2 forms still assume http for a bare host.
HTTPS_URL_FIELDS: "Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]" = {
    models.URLField: {"assume_scheme": "https"}
}


class MembershipInline(admin.TabularInline):
    model = OrganizationMembership
    extra = 0
    fields = ("user", "role", "clerk_id")
    readonly_fields = ("clerk_id",)
    raw_id_fields = ("user",)


class UserMembershipInline(MembershipInline):
    fields = ("organization", "role", "clerk_id")
    raw_id_fields = ("organization",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets[:2],
        ("Clerk", {"fields": ("clerk_id", "image_url", "clerk_updated_at")}),
        *BaseUserAdmin.fieldsets[2:],
    )
    readonly_fields = ("clerk_updated_at",)
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ("email", "clerk_id", "first_name", "last_name", "is_staff", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "clerk_id", "first_name", "last_name")
    ordering = ("-date_joined",)
    inlines = [UserMembershipInline]

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        # What Clerk owns on a linked account is shown, not edited: the next event would overwrite
        # it, and an address typed here was never verified by Clerk for that user.
        owned = clerk_owned_fields(obj) if obj is not None else ()
        return (*super().get_readonly_fields(request, obj), *owned)

    def construct_change_message(self, request: HttpRequest, form: Any, formsets: Any, add: bool = False) -> Any:
        # The sync never links a Clerk user to a staff account by itself (users.services):
        # linking is this form's job, so the audit entry says what changed, from what to what.
        message = super().construct_change_message(request, form, formsets, add)
        if "clerk_id" in form.changed_data and not add:
            before, after = form.initial.get("clerk_id") or "none", form.cleaned_data.get("clerk_id") or "none"
            link = f"Clerk link changed from {before} to {after}"
            logger.warning("%s by admin user %s for user %s", link, request.user.pk, form.instance.pk)
            message = [*message, {"changed": {"name": "Clerk link", "object": f"{before} → {after}", "fields": []}}]
        return message


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "clerk_id", "member_count", "created_at")
    search_fields = ("name", "slug", "clerk_id")
    readonly_fields = ("clerk_updated_at", "created_at")
    formfield_overrides = HTTPS_URL_FIELDS
    inlines = [MembershipInline]

    @admin.display(description="members")
    def member_count(self, organization: Organization) -> int:
        return organization.memberships.count()


@admin.register(OrganizationMembership)
class OrganizationMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "clerk_id", "created_at")
    list_filter = ("role",)
    search_fields = ("clerk_id", "user__email", "user__clerk_id", "organization__name", "organization__clerk_id")
    list_select_related = ("user", "organization")
    raw_id_fields = ("user", "organization")
    readonly_fields = ("clerk_created_at", "clerk_updated_at", "created_at")


@admin.register(ClerkTombstone)
class ClerkTombstoneAdmin(admin.ModelAdmin):
    list_display = ("clerk_id", "kind", "deleted_at")
    list_filter = ("kind",)
    search_fields = ("clerk_id",)


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ("received_at", "event_type", "object_id", "status", "attempts", "svix_id")
    list_filter = ("event_type", "status")
    search_fields = ("svix_id", "object_id")
    readonly_fields = (
        "svix_id",
        "event_type",
        "object_id",
        "status",
        "error",
        "attempts",
        "received_at",
        "processed_at",
        "pretty_payload",
    )
    exclude = ("payload",)
    actions = ["reprocess_events"]
    date_hierarchy = "received_at"

    @admin.display(description="payload")
    def pretty_payload(self, event: WebhookEvent) -> str:
        return format_html("<pre style='white-space: pre-wrap'>{}</pre>", json.dumps(event.payload, indent=2))

    # Changes state (applies events, counts attempts): staff who may only view the log may not.
    @admin.action(description="Reprocess selected events", permissions=["change"])
    def reprocess_events(self, request: HttpRequest, queryset: QuerySet[WebhookEvent]) -> None:
        counts: dict[Outcome, int] = {}
        for event_id in queryset.values_list("pk", flat=True):
            outcome, _ = reprocess(event_id)
            counts[outcome] = counts.get(outcome, 0) + 1
        summary = ", ".join(f"{count} {outcome.value}" for outcome, count in counts.items()) or "nothing selected"
        failed = counts.get(Outcome.FAILED, 0)
        self.message_user(request, f"Reprocessed: {summary}.", messages.WARNING if failed else messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
