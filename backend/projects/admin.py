from django.contrib import admin

from projects.models import Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "public_id", "created_by", "created_at")
    list_filter = ("organization",)
    search_fields = ("name",)
    list_select_related = ("organization", "created_by")
    raw_id_fields = ("organization", "created_by")
    readonly_fields = ("public_id", "created_at", "updated_at")
    ordering = ("organization__name", "-created_at")
