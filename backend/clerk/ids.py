"""Clerk's object ids (`user_2abc…`, `org_…`, `orgmem_…`, `sess_…`): short printable ASCII."""

from typing import TypeGuard

MAX_ID_LENGTH = 64  # the columns that hold them (users.models)


def is_clerk_id(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and 0 < len(value) <= MAX_ID_LENGTH and value.isascii() and value.isprintable()
