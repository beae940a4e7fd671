"""Turning bad configuration, or a database out of reach, into one clear line instead of a stack trace."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError

from clerk.errors import ClerkConfigError
from config.database_reachability import why_unreachable


@contextmanager
def exit_on_bad_configuration() -> Iterator[None]:
    try:
        yield
    except (ImproperlyConfigured, ClerkConfigError) as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


@contextmanager
def exit_on_unreachable_database() -> Iterator[None]:
    """A command (`migrate`…) that cannot connect ends naming the database's address and psycopg's
    reason, where a pool would only say how long it waited."""
    try:
        yield
    except OperationalError:
        reason = why_unreachable()
        if reason is None:  # the database answers: the error was something else
            raise
        print(f"Database error: {reason}", file=sys.stderr)
        raise SystemExit(1) from None
