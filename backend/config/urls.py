"""Django's URLs. /api/v1 never reaches Django: config.asgi sends it to FastAPI."""

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "SaaS starter administration"
admin.site.site_title = "SaaS starter admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
