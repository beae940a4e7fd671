"""What the API's log says about a database error: a connection failure's reason and where, never a row."""

import psycopg
from django.db import IntegrityError, OperationalError
from psycopg_pool import PoolTimeout

from config.database_reachability import database_address, describe_database_error


def wrapped(error: Exception, cause: Exception) -> Exception:
    """As Django raises a driver's error: its own class, the driver's error as the cause."""
    error.__cause__ = cause
    return error


def test_a_pool_timeout_is_described_with_the_database_address() -> None:
    error = wrapped(OperationalError("couldn't get a connection after 10.00 sec"), PoolTimeout("…"))
    assert describe_database_error(error) == (
        f"OperationalError: couldn't get a connection after 10.00 sec (PostgreSQL at {database_address()})"
    )


def test_a_refused_connection_keeps_psycopg_message_on_one_line() -> None:
    message = 'connection to server at "db", port 5432 failed: Connection refused\n\tIs the server running?'
    error = wrapped(OperationalError(message), psycopg.OperationalError(message))
    assert describe_database_error(error) == (
        'OperationalError: connection to server at "db", port 5432 failed: Connection refused '
        f"Is the server running? (PostgreSQL at {database_address()})"
    )


def test_any_other_database_error_is_named_by_its_class_alone() -> None:
    detail = "duplicate key value violates unique constraint DETAIL: Key (email)=(ada@example.com) already exists."
    error = wrapped(IntegrityError(detail), psycopg.errors.UniqueViolation(detail))
    assert describe_database_error(error) == "IntegrityError"
