"""Applying Clerk's users, organizations and memberships to the database.

The rules that make the result independent of delivery order and duplicates:
- a version is applied only when its `updated_at` is newer than the stored one;
- a deletion leaves a tombstone, and nothing brings a tombstoned id back;
- a membership that arrives before its user or organization creates them from its
  own embedded copies (the organization copy is a full version; the user copy is a
  stand-in with no `updated_at`, completed when the user's own event arrives);
- at most one membership per user and organization: when Clerk removed and re-added
  a member, the membership created later wins, whatever order the events came in;
- addresses are compared exactly, in normal form (clerk.emails), and only addresses
  Clerk has verified are mirrored (clerk.payloads); an address belongs to the newer
  version when two Clerk users claim it; a local account (no Clerk id) keeps its
  address, and is linked to the Clerk user with the same verified address, unless it
  is a staff or superuser account: those are linked only by an operator, in the admin,
  and no Clerk event ever changes or takes their address (it is their login).

Callers hold a transaction and the object locks (see `users.services.webhooks`), so the
rows read here are also locked (`select_for_update`) for the rest of the transaction.
"""

import enum
import logging
from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from clerk.payloads import ClerkMembership, ClerkOrganization, ClerkUser, MembershipDeletion, PublicUserData
from users.models import ClerkTombstone, Organization, OrganizationMembership, User

logger = logging.getLogger(__name__)
M = TypeVar("M", bound=Model)


class Change(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DELETED = "deleted"
    SKIPPED = "skipped"  # tombstoned, or superseded by a newer object


def is_tombstoned(*clerk_ids: str) -> bool:
    return ClerkTombstone.objects.filter(clerk_id__in=clerk_ids).exists()


def is_later(incoming: int | None, stored: int | None) -> bool:
    """Whether a Clerk timestamp (`updated_at`, `created_at`) comes after the stored one.

    A row with none stored (a stand-in) takes any version; a version without one never
    replaces a stored one.
    """
    if stored is None:
        return True
    return incoming is not None and incoming > stored


# --- users -------------------------------------------------------------------------------

# What Clerk's user events write; a save of an existing row writes only these.
SYNCED_USER_FIELDS = ("first_name", "last_name", "image_url", "clerk_updated_at", "email")


def clerk_owned_fields(user: User) -> tuple[str, ...]:
    """The fields of `user` that Clerk's events write: none for a local account; all but the
    address for a linked staff account (their address is their login, never Clerk's)."""
    if not user.clerk_id:
        return ()
    return tuple(f for f in SYNCED_USER_FIELDS if not (f == "email" and _is_operator(user)))


def upsert_user(clerk_user: ClerkUser) -> Change:
    # The user's row and whoever holds the address, in one locked read: the address is
    # needed for linking a local account and for claiming the email.
    wanted = Q(clerk_id=clerk_user.id) | Q(email=clerk_user.email) if clerk_user.email else Q(clerk_id=clerk_user.id)
    rows = _locked(User.objects.filter(wanted))
    user = next((row for row in rows if row.clerk_id == clerk_user.id), None)
    holders = [row for row in rows if row.email == clerk_user.email and row is not user] if clerk_user.email else []
    # A tombstoned id never has a row, so only a missing row needs the tombstones asked.
    if user is None and is_tombstoned(clerk_user.id):
        return Change.SKIPPED
    change = Change.UPDATED
    if user is None:
        user, change = _linked_local_account(clerk_user, holders), Change.CREATED
        if user is None:
            user = User(clerk_id=clerk_user.id, is_staff=False, is_superuser=False)
            user.set_unusable_password()
    elif not is_later(clerk_user.updated_at, user.clerk_updated_at):
        return Change.UNCHANGED
    elif user.clerk_updated_at is None:
        # A stand-in (membership or just-in-time) row: if Clerk's verified address
        # belongs to a local account, that account is the user's and absorbs the stand-in.
        local = _linked_local_account(clerk_user, holders)
        if local is not None:
            _absorb_stand_in(stand_in=user, into=local)
            user, holders = local, []
    user.first_name = clerk_user.first_name
    user.last_name = clerk_user.last_name
    user.image_url = clerk_user.image_url
    user.clerk_updated_at = clerk_user.updated_at
    if not _is_operator(user):
        user.email = _claim_email(user, clerk_user.email, clerk_user.updated_at, holders)
    if change is Change.CREATED and user.pk is None:
        user.save()
    else:
        user.save(update_fields=[*SYNCED_USER_FIELDS, "clerk_id"])
    return change


def _user_or_stand_in(member: PublicUserData) -> User:
    user = next(iter(_locked(User.objects.filter(clerk_id=member.user_id))), None)
    if user is None:
        user = User(
            clerk_id=member.user_id,
            first_name=member.first_name,
            last_name=member.last_name,
            image_url=member.image_url,
        )
        user.set_unusable_password()
        user.save()
    return user


def delete_user(clerk_id: str) -> Change:
    _tombstone(clerk_id, ClerkTombstone.Kind.USER)
    user = next(iter(_locked(User.objects.filter(clerk_id=clerk_id))), None)
    if user is None:
        return Change.UNCHANGED
    if user.is_staff or user.has_usable_password():
        # A local account that was linked to Clerk: keep the account, drop the link.
        user.memberships.all().delete()
        user.clerk_id = None
        user.clerk_updated_at = None
        user.save(update_fields=["clerk_id", "clerk_updated_at"])
    else:
        user.delete()
    return Change.DELETED


def _is_operator(user: User) -> bool:
    return user.is_staff or user.is_superuser


def _locked(rows: "QuerySet[M]") -> list[M]:
    """The rows, locked until the transaction ends (where the database locks rows).

    Unordered: a model's default ordering would sort for nothing, and an ordering on a
    related field (a membership's organization name) would join those tables and lock
    their rows too.
    """
    return list(rows.select_for_update().order_by())


def _linked_local_account(clerk_user: ClerkUser, holders: list[User]) -> User | None:
    """The local account (no Clerk id) holding the user's verified address, now linked to it."""
    holder = next(iter(holders), None)
    if holder is None or holder.clerk_id is not None:
        return None
    if _is_operator(holder):
        # Whoever controls that address at Clerk would get the admin. Only an operator links them.
        logger.warning(
            "Clerk user %s has the verified address of staff account %s: not linked (link it in the admin)",
            clerk_user.id,
            holder.pk,
        )
        return None
    holder.clerk_id = clerk_user.id
    return holder


def _absorb_stand_in(*, stand_in: User, into: User) -> None:
    memberships = list(stand_in.memberships.all())
    clerk_id = stand_in.clerk_id
    stand_in.delete()
    into.clerk_id = clerk_id
    into.save(update_fields=["clerk_id"])
    for membership in memberships:
        if not into.memberships.filter(organization_id=membership.organization_id).exists():
            membership.pk = None
            membership.user = into
            membership.save()


def _claim_email(user: User, email: str | None, updated_at: int | None, holders: list[User]) -> str | None:
    """The email `user` may hold: the newer of two Clerk versions wins; local and staff accounts keep theirs."""
    if not email:
        return None
    if user.pk is not None and user.email == email:
        return email  # already held: the unique constraint leaves no other holder
    holder = next((u for u in holders if u.pk != user.pk), None)
    if holder is None:
        return email
    if holder.clerk_id is None or _is_operator(holder) or not is_later(updated_at, holder.clerk_updated_at):
        return None
    holder.email = None
    holder.save(update_fields=["email"])
    return email


# --- organizations -----------------------------------------------------------------------


def upsert_organization(clerk_org: ClerkOrganization) -> Change:
    organization = _locked_organization(clerk_org.id)
    # A tombstoned id never has a row, so only a missing row needs the tombstones asked.
    if organization is None and is_tombstoned(clerk_org.id):
        return Change.SKIPPED
    return _write_organization(organization, clerk_org)[1]


def _locked_organization(clerk_id: str) -> Organization | None:
    return next(iter(_locked(Organization.objects.filter(clerk_id=clerk_id))), None)


def _write_organization(organization: Organization | None, clerk_org: ClerkOrganization) -> tuple[Organization, Change]:
    """The organization's row (`organization`, or a new one) holding `clerk_org` if that is newer."""
    change = Change.UPDATED
    if organization is None:
        organization, change = Organization(clerk_id=clerk_org.id), Change.CREATED
    elif not is_later(clerk_org.updated_at, organization.clerk_updated_at):
        return organization, Change.UNCHANGED
    organization.name = clerk_org.name
    organization.slug = clerk_org.slug
    organization.image_url = clerk_org.image_url
    organization.clerk_updated_at = clerk_org.updated_at
    organization.save()  # every field it has but the automatic ones is Clerk's
    return organization, change


def delete_organization(clerk_id: str) -> Change:
    _tombstone(clerk_id, ClerkTombstone.Kind.ORGANIZATION)
    deleted, _ = Organization.objects.filter(clerk_id=clerk_id).delete()  # memberships cascade
    return Change.DELETED if deleted else Change.UNCHANGED


# --- memberships -------------------------------------------------------------------------


def upsert_membership(clerk_membership: ClerkMembership) -> Change:
    m = clerk_membership
    if is_tombstoned(m.id, m.member.user_id, m.organization.id):
        return Change.SKIPPED
    organization, _ = _write_organization(_locked_organization(m.organization.id), m.organization)
    user = _user_or_stand_in(m.member)
    # This membership by its id, and whichever membership holds the same user and organization.
    candidates = _locked(
        OrganizationMembership.objects.filter(Q(clerk_id=m.id) | Q(user_id=user.pk, organization_id=organization.pk))
    )
    membership = next((row for row in candidates if row.clerk_id == m.id), None)
    if membership is not None:
        if not is_later(m.updated_at, membership.clerk_updated_at):
            return Change.UNCHANGED
        membership.role = m.role
        membership.clerk_updated_at = m.updated_at
        membership.save(update_fields=["role", "clerk_updated_at"])
        return Change.UPDATED
    existing = next(iter(candidates), None)
    if existing is not None:
        if not is_later(m.created_at, existing.clerk_created_at):
            return Change.SKIPPED  # an older membership, replaced in Clerk by `existing`
        existing.delete()
    OrganizationMembership.objects.create(
        clerk_id=m.id,
        user=user,
        organization=organization,
        role=m.role,
        clerk_created_at=m.created_at,
        clerk_updated_at=m.updated_at,
    )
    return Change.CREATED


def delete_membership(deletion: MembershipDeletion) -> Change:
    """Who left which organization is recorded with the tombstone: from the row when there is one."""
    row = (
        OrganizationMembership.objects.filter(clerk_id=deletion.id)
        .values("user__clerk_id", "organization__clerk_id")
        .first()
    )
    user_id = (row["user__clerk_id"] if row else None) or deletion.user_id or ""
    organization_id = (row["organization__clerk_id"] if row else None) or deletion.organization_id or ""
    _tombstone(deletion.id, ClerkTombstone.Kind.MEMBERSHIP, user_id=user_id, organization_id=organization_id)
    deleted, _ = OrganizationMembership.objects.filter(clerk_id=deletion.id).delete()
    return Change.DELETED if deleted else Change.UNCHANGED


def _tombstone(clerk_id: str, kind: str, *, user_id: str = "", organization_id: str = "") -> None:
    # INSERT … ON CONFLICT DO NOTHING: one statement, where get_or_create takes four.
    tombstone = ClerkTombstone(
        clerk_id=clerk_id, kind=kind, user_clerk_id=user_id, organization_clerk_id=organization_id
    )
    ClerkTombstone.objects.bulk_create([tombstone], ignore_conflicts=True)


def local_rows_missing_from(
    *, user_ids: set[str], organization_ids: set[str], membership_ids: set[str]
) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """Clerk ids held locally but absent from the given sets (for reconciliation)."""
    users = list(
        User.objects.exclude(Q(clerk_id__isnull=True) | Q(clerk_id__in=user_ids)).values_list("clerk_id", flat=True)
    )
    organizations = list(Organization.objects.exclude(clerk_id__in=organization_ids).values_list("clerk_id", flat=True))
    memberships = list(
        OrganizationMembership.objects.exclude(clerk_id__in=membership_ids).values_list(
            "clerk_id", "organization__clerk_id"
        )
    )
    return [u for u in users if u], organizations, memberships
