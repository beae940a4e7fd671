"""Pages of a list, newest first, by keyset: what every list of the API uses.

The cursor carries the last item's creation time and public id (never its row key): a page
costs the same whatever its depth, and items created meanwhile never shift the pages already
read. `newest_first` takes the rows a selector built (scoped, and with the columns the schema
needs) and returns one page of them, fetched in one statement with one row more than the page
to know whether another follows.
"""

import base64
import binascii
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.db.models import Q, QuerySet

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
Row = TypeVar("Row", bound=Mapping[str, Any])


class InvalidPage(ValueError):
    """A `limit` or `cursor` the list cannot serve; `field` names which (answered 422)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"invalid {field}: {problem}")
        self.field = field
        self.reason = f"invalid {field}: {problem}"


@dataclass(frozen=True)
class Page(Generic[Row]):
    items: list[Row]
    next_cursor: str | None  # None on the last page


def newest_first(
    rows: "QuerySet[Any, Row]",
    *,
    limit: int | None,
    cursor: str | None,
    is_id: Callable[[str], bool],
    time: str = "created_at",
    id: str = "public_id",
) -> Page[Row]:
    """One page of `rows` (values() rows holding the `time` and `id` columns), newest first.

    `is_id` tells a public id from anything else, so a cursor can only name one.
    """
    size = DEFAULT_PAGE_SIZE if limit is None else limit
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise InvalidPage("limit", f"must be between 1 and {MAX_PAGE_SIZE}")
    ordered = rows.order_by(f"-{time}", f"-{id}")
    if cursor:
        when, after = _decode(cursor, is_id)
        ordered = ordered.filter(Q(**{f"{time}__lt": when}) | Q(**{time: when, f"{id}__lt": after}))
    items = list(ordered[: size + 1])
    if len(items) <= size:
        return Page(items, None)
    last = items[size - 1]
    return Page(items[:size], cursor_of(last[time], last[id]))


def cursor_of(created_at: datetime, public_id: str) -> str:
    """The cursor that continues a list after this item (its position, not its key)."""
    text = f"{created_at.isoformat()}|{public_id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor: str, is_id: Callable[[str], bool]) -> tuple[datetime, str]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created_at, public_id = text.split("|")
        when = datetime.fromisoformat(created_at)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidPage("cursor", "is not a cursor of this list") from None
    if when.tzinfo is None or not is_id(public_id):
        raise InvalidPage("cursor", "is not a cursor of this list")
    return when, public_id
