"""Locked reads and inserts in plain SQL, with the model instances the ORM would use.

Every webhook delivery reads a few rows under lock and inserts a few. Building those
statements through the ORM costs several times their round trip to the database
(docs/performance.md), so each model's statements are rendered once from its metadata,
the WHERE clauses are constants, `Model.from_db` makes ordinary instances, and inserts
prepare their values with the fields' own conversions (defaults, `auto_now_add`, JSON).
Saving or deleting the instances afterwards works as usual.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from django.db import DatabaseError, connection, models
from django.db.models import signals

M = TypeVar("M", bound=models.Model)


Converter = Callable[[Any, Any, Any], Any]


@cache
def _select(model: type[models.Model]) -> tuple[str, tuple[str, ...], tuple[tuple[int, list[Converter], Any], ...]]:
    fields = [(column, field) for field in model._meta.concrete_fields if (column := field.column)]
    columns = ", ".join(connection.ops.quote_name(column) for column, _ in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    select = f"SELECT {columns} FROM {table}"  # noqa: S608 (names from the model, no input)
    # The conversions the ORM applies to what the driver returns (SQLite's datetimes, for one).
    converters = []
    for index, (_, field) in enumerate(fields):
        col = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if found:
            converters.append((index, found, col))
    return select, tuple(field.attname for _, field in fields), tuple(converters)


def locked_rows(model: type[M], where: str, params: Sequence[Any]) -> list[M]:
    """Rows of `model` matching `where` (SQL with %s placeholders; never built from input), locked."""
    select, names, converters = _select(model)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"{select} WHERE {where}{lock}", params)
        rows = cursor.fetchall()
    instances = []
    for row in rows:
        values = list(row)
        for index, functions, col in converters:
            for convert in functions:
                values[index] = convert(values[index], col, connection)
        instances.append(model.from_db(connection.alias, names, values))
    return instances


def locked_row(model: type[M], where: str, params: Sequence[Any]) -> M | None:
    """The matching row with the lowest primary key (as `QuerySet.first()`), locked, or None."""
    return min(locked_rows(model, where, params), key=lambda row: row.pk, default=None)


@dataclass(frozen=True)
class _Writes:
    insert: str  # … RETURNING the new primary key
    update: str  # … WHERE the primary key = the last parameter
    fields: "tuple[models.Field[Any, Any], ...]"  # the columns both set, in order


@cache
def _writes(model: type[models.Model]) -> _Writes:
    fields = tuple(field for field in model._meta.concrete_fields if not field.primary_key)
    columns = [connection.ops.quote_name(str(field.column)) for field in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    key = connection.ops.quote_name(str(model._meta.pk.column))
    placeholders = ", ".join(["%s"] * len(fields))
    assignments = ", ".join(f"{column} = %s" for column in columns)
    return _Writes(
        insert=f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders}) RETURNING {key}",  # noqa: S608
        update=f"UPDATE {table} SET {assignments} WHERE {key} = %s",  # noqa: S608 (names from the model, no input)
        fields=fields,
    )


def save_row(instance: models.Model) -> None:
    """What `instance.save()` does, signals included, with statements rendered once.

    The models written this way (users.services) keep Django's own `save()`; code built
    on them hooks in with `pre_save`/`post_save` receivers, which run as usual.
    """
    model, created = type(instance), instance._state.adding
    signals.pre_save.send(sender=model, instance=instance, raw=False, using=connection.alias, update_fields=None)
    writes = _writes(model)
    values = [field.get_db_prep_save(field.pre_save(instance, created), connection) for field in writes.fields]
    with connection.cursor() as cursor:
        if created:
            cursor.execute(writes.insert, values)
            row = cursor.fetchone()
            assert row is not None
            instance.pk = row[0]
        else:
            cursor.execute(writes.update, [*values, instance.pk])
            if cursor.rowcount != 1:
                raise DatabaseError(f"{model.__name__} {instance.pk} was not found to update")
    instance._state.adding = False
    instance._state.db = connection.alias
    signals.post_save.send(
        sender=model, instance=instance, created=created, raw=False, using=connection.alias, update_fields=None
    )
