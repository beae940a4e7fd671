"""`config.asgi:application`: FastAPI under /api/v1, Django (admin, static files) for the rest."""

import gc
import os

from django.core.asgi import get_asgi_application

from config.startup import exit_on_bad_configuration

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

with exit_on_bad_configuration():
    django_application = get_asgi_application()  # sets Django up before anything imports models

    from api.app import API_PREFIX, create_app
    from config.dispatch import PrefixDispatcher
    from config.request_log import RequestLogMiddleware

    api_application = create_app()

application = RequestLogMiddleware(
    PrefixDispatcher(prefix=API_PREFIX, prefixed=api_application, default=django_application)
)

# Everything imported so far lives as long as the process. Taking it out of the
# collector's reach keeps full collections from walking Django's and FastAPI's
# hundreds of thousands of objects, pauses that showed as ~100 ms p99 latency.
gc.freeze()
