"""`config.asgi:application`: FastAPI under /api/v1, Django (admin, static files) for the rest."""

import gc
import os

from django.core.asgi import get_asgi_application

from config.startup import exit_on_bad_configuration

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

with exit_on_bad_configuration():
    django_application = get_asgi_application()  # sets Django up before anything imports models

    from api.app import API_BODY_LIMITS, API_PREFIX, create_app
    from config.body_limit import BodyLimitMiddleware, BodyLimits
    from config.dispatch import PrefixDispatcher
    from config.request_log import RequestLogMiddleware

    api_application = create_app()

# The most a request may send (config.body_limit): Django's pages (the admin's forms), and the
# API's routes by prefix.
DJANGO_MAX_BODY_BYTES = 1024 * 1024
application = RequestLogMiddleware(
    BodyLimitMiddleware(
        PrefixDispatcher(prefix=API_PREFIX, prefixed=api_application, default=django_application),
        BodyLimits(default=DJANGO_MAX_BODY_BYTES, by_prefix=API_BODY_LIMITS),
    )
)

# Everything imported so far lives as long as the process. Taking it out of the
# collector's reach keeps full collections from walking Django's and FastAPI's
# hundreds of thousands of objects, pauses that showed as ~100 ms p99 latency.
gc.freeze()
