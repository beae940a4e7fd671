"""`config.asgi:application`: FastAPI under /api/v1, Django (admin, static files) for the rest."""

import os

from django.core.asgi import get_asgi_application

from config.startup import exit_on_bad_configuration

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

with exit_on_bad_configuration():
    django_application = get_asgi_application()  # sets Django up before anything imports models

    from api.app import API_PREFIX, create_app
    from config.dispatch import PrefixDispatcher

    api_application = create_app()

application = PrefixDispatcher(prefix=API_PREFIX, prefixed=api_application, default=django_application)
