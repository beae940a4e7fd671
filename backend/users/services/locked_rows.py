"""Reading rows FOR UPDATE in plain SQL, as the model instances the ORM would build.

Every webhook delivery reads a few rows under lock before writing them. Building
those queries through the ORM costs several times their round trip to the database
(docs/performance.md), so the column list of each model is rendered once, the WHERE
clauses are constants, and `Model.from_db` makes ordinary instances: saving or
deleting them afterwards works as usual.
"""

from collections.abc import Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


@cache
def _select(model: type[models.Model]) -> tuple[str, tuple[str, ...]]:
    fields = [(column, field.attname) for field in model._meta.concrete_fields if (column := field.column)]
    columns = ", ".join(connection.ops.quote_name(column) for column, _ in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    select = f"SELECT {columns} FROM {table}"  # noqa: S608 (names from the model, no input)
    return select, tuple(name for _, name in fields)


def locked_rows(model: type[M], where: str, params: Sequence[Any]) -> list[M]:
    """Rows of `model` matching `where` (SQL with %s placeholders; never built from input), locked."""
    select, names = _select(model)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"{select} WHERE {where}{lock}", params)
        return [model.from_db(connection.alias, names, row) for row in cursor.fetchall()]


def locked_row(model: type[M], where: str, params: Sequence[Any]) -> M | None:
    """The matching row with the lowest primary key (as `QuerySet.first()`), locked, or None."""
    return min(locked_rows(model, where, params), key=lambda row: row.pk, default=None)
