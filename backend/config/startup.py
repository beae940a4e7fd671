"""Turning bad configuration into one clear line instead of a stack trace."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured

from clerk.errors import ClerkConfigError


@contextmanager
def exit_on_bad_configuration() -> Iterator[None]:
    try:
        yield
    except (ImproperlyConfigured, ClerkConfigError) as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
