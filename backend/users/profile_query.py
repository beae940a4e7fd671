"""The profile read on the API's hot path: one SQL statement on an async connection.

Every API call reads its user, so this read runs in the event loop on psycopg's async
pool instead of through the ORM on a worker thread: building the ORM queries and the
thread hop cost several times the database round trip itself (docs/performance.md).
One statement reads any number of users, so concurrent requests can share it
(api/profile_loader.py). The statement is built from the models' metadata, so it
follows renamed tables. `selectors.profile_of` is the ORM twin used everywhere else.
"""

from typing import Any

from psycopg import AsyncConnection
from psycopg import sql as pgsql

from users.models import Organization, OrganizationMembership, User
from users.selectors import MembershipView, Profile


def _column(model: type, field: str) -> str:
    return model._meta.get_field(field).column  # type: ignore[attr-defined]


def _profile_statement() -> pgsql.Composed:
    user, membership, organization = (
        User._meta.db_table,
        OrganizationMembership._meta.db_table,
        Organization._meta.db_table,
    )
    return pgsql.SQL(
        "SELECT u.{u_id}, u.{u_clerk}, u.{u_email}, u.{u_first}, u.{u_last}, u.{u_image}, u.{u_updated},"
        " o.{o_clerk}, o.{o_name}, o.{o_slug}, o.{o_image}, m.{m_role}"
        " FROM {user} u"
        " LEFT JOIN {membership} m ON m.{m_user} = u.{u_id}"
        " LEFT JOIN {organization} o ON o.{o_id} = m.{m_org}"
        " WHERE u.{u_clerk} = ANY(%s)"
        " ORDER BY u.{u_clerk}, o.{o_name}, o.{o_clerk}"
    ).format(
        user=pgsql.Identifier(user),
        membership=pgsql.Identifier(membership),
        organization=pgsql.Identifier(organization),
        u_id=pgsql.Identifier(_column(User, "id")),
        u_clerk=pgsql.Identifier(_column(User, "clerk_id")),
        u_email=pgsql.Identifier(_column(User, "email")),
        u_first=pgsql.Identifier(_column(User, "first_name")),
        u_last=pgsql.Identifier(_column(User, "last_name")),
        u_image=pgsql.Identifier(_column(User, "image_url")),
        u_updated=pgsql.Identifier(_column(User, "clerk_updated_at")),
        o_id=pgsql.Identifier(_column(Organization, "id")),
        o_clerk=pgsql.Identifier(_column(Organization, "clerk_id")),
        o_name=pgsql.Identifier(_column(Organization, "name")),
        o_slug=pgsql.Identifier(_column(Organization, "slug")),
        o_image=pgsql.Identifier(_column(Organization, "image_url")),
        m_role=pgsql.Identifier(_column(OrganizationMembership, "role")),
        m_user=pgsql.Identifier(_column(OrganizationMembership, "user")),
        m_org=pgsql.Identifier(_column(OrganizationMembership, "organization")),
    )


# Rendered once: composing the identifiers on every call would cost more than the query.
PROFILE_STATEMENT = _profile_statement().as_string().encode()


async def read_profiles(connection: AsyncConnection[Any], *, clerk_ids: list[str]) -> dict[str, Profile]:
    """The profiles of those Clerk users that have a row, by Clerk id. One statement."""
    cursor = await connection.execute(PROFILE_STATEMENT, (clerk_ids,), prepare=True)
    rows_by_user: dict[str, list[Any]] = {}
    for row in await cursor.fetchall():
        rows_by_user.setdefault(row[1], []).append(row)
    return {clerk_id: _profile(rows) for clerk_id, rows in rows_by_user.items()}


def _profile(rows: list[Any]) -> Profile:
    first = rows[0]
    return Profile(
        id=first[0],
        clerk_id=first[1] or "",
        email=first[2],
        first_name=first[3],
        last_name=first[4],
        image_url=first[5],
        profile_complete=first[6] is not None,
        organizations=[
            MembershipView(clerk_id=row[7], name=row[8], slug=row[9], image_url=row[10], role=row[11])
            for row in rows
            if row[7] is not None
        ],
    )
