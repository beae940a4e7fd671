"""Why the database cannot be reached, in words a person can act on: where it was looked for and
what the driver answered.

A connection pool that cannot connect only says that it waited ("couldn't get a connection after
10.00 sec"); why its connections fail (refused, no route, a firewall dropping the packets, a wrong
password) is in psycopg's own message, which these functions bring to the front.
"""

import psycopg
from django.db import connections
from psycopg_pool import PoolTimeout

PROBE_TIMEOUT = 5  # seconds: libpq's connect_timeout for the one connection that asks why


def database_address(alias: str = "default") -> str:
    """`host:port` of the database, as libpq reads the settings (its default socket when no host is set)."""
    settings = connections[alias].settings_dict
    host = settings.get("HOST") or "the local socket"
    return f"{host}:{settings.get('PORT') or 5432}"


def why_unreachable(alias: str = "default") -> str | None:
    """None when a new connection to PostgreSQL succeeds; else where it is and psycopg's reason.

    One connection of its own, outside any pool, given at most PROBE_TIMEOUT seconds.
    """
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return None
    parameters = connection.get_connection_params()
    parameters["connect_timeout"] = min(int(parameters.get("connect_timeout") or PROBE_TIMEOUT), PROBE_TIMEOUT)
    try:
        psycopg.connect(**parameters).close()
    except psycopg.Error as error:
        settings = connection.settings_dict
        return (
            f"PostgreSQL at {database_address(alias)} (database {settings['NAME']!r}, user {settings['USER']!r}) "
            f"cannot be reached: {_one_line(error)}"
        )
    return None


def describe_database_error(error: BaseException, alias: str = "default") -> str:
    """For a log line: a connection failure's message with the database's address; the class alone
    for anything else (a constraint's or a value's message may quote the row)."""
    chain = [error, *([error.__cause__] if error.__cause__ else [])]
    if any(isinstance(link, PoolTimeout | psycopg.OperationalError) for link in chain):
        return f"{type(error).__name__}: {_one_line(error)} (PostgreSQL at {database_address(alias)})"
    return type(error).__name__


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())
