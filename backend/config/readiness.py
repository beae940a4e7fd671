"""Readiness: is the database reachable and fully migrated?"""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor


def database_readiness() -> str | None:
    """None when the database answers and all migrations are applied, else a short reason."""
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return "database unavailable"
    if pending:
        return f"{len(pending)} migration(s) not applied"
    return None
