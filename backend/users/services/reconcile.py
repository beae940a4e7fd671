"""Reconciling the local mirror with Clerk's Backend API (`manage.py clerk_sync`).

Webhooks keep the mirror current; this repairs it after missed deliveries or when
the app is connected to a Clerk instance that already has users. Three steps:

1. fetch every user, organization and membership, page by page (no transaction is
   held across the network; 429s are waited out by the client);
2. apply them through the same services as the webhooks, under the same per-object
   locks, so `updated_at` decides as usual and tombstones are respected;
3. remove local Clerk rows that Clerk no longer has. Each row missing from the
   listings is first asked for by id (still before anything is written): one created
   while the listings were read is kept. Deletions go through the same services, so
   they leave tombstones, and a linked local account is unlinked rather than removed.

A dry run applies everything inside a transaction that is rolled back, so it reports
exactly what a real run would do and writes nothing.
"""

from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.db import DataError, transaction

from clerk.backend_api import MAX_PAGE_SIZE, ClerkBackendAPI, InvalidObject, Page
from clerk.payloads import ClerkMembership, ClerkOrganization, ClerkUser, MembershipDeletion, PayloadError
from users.models import User
from users.services import clerk_objects
from users.services.clerk_objects import Change
from users.services.locks import lock_keys, membership_keys, object_key, organization_keys, user_keys

# The three kinds reconciled; each has its Clerk `id`.
T = TypeVar("T", ClerkUser, ClerkOrganization, ClerkMembership)
Progress = Callable[[str], None]


@dataclass
class KindChanges:
    """What reconciling did (or, in a dry run, would do) to one kind of object, by Clerk id."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # deleted locally (tombstoned) or superseded
    invalid: list[str] = field(default_factory=list)  # "<id>: <reason>" of objects that cannot be stored
    missing: list[str] = field(default_factory=list)  # local rows Clerk no longer has
    deleted: list[str] = field(default_factory=list)  # of those, the rows actually removed

    def record(self, clerk_id: str, change: Change) -> None:
        if change is Change.CREATED:
            self.created.append(clerk_id)
        elif change is Change.UPDATED:
            self.updated.append(clerk_id)
        elif change is Change.SKIPPED:
            self.skipped.append(clerk_id)
        else:
            self.unchanged += 1


@dataclass
class ReconcileSummary:
    dry_run: bool
    users: KindChanges = field(default_factory=KindChanges)
    organizations: KindChanges = field(default_factory=KindChanges)
    memberships: KindChanges = field(default_factory=KindChanges)
    deletions_declined: bool = False  # rows were missing but `approve_deletions` said no

    def kinds(self) -> list[tuple[str, KindChanges]]:
        return [("users", self.users), ("organizations", self.organizations), ("memberships", self.memberships)]

    @property
    def has_missing(self) -> bool:
        return any(changes.missing for _, changes in self.kinds())

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated or c.deleted for _, c in self.kinds())


@dataclass
class _Listing(Generic[T]):
    pages: list[list[T]] = field(default_factory=list)
    invalid: list[InvalidObject] = field(default_factory=list)

    def ids(self, id_of: Callable[[T], str]) -> set[str]:
        """Every id Clerk listed, the unreadable objects' included: they exist, so they are not missing."""
        listed = {id_of(item) for page in self.pages for item in page}
        return listed | {invalid.id for invalid in self.invalid if invalid.id}


def reconcile(
    api: ClerkBackendAPI,
    *,
    dry_run: bool,
    page_size: int = MAX_PAGE_SIZE,
    progress: Progress = lambda _: None,
    approve_deletions: Callable[[ReconcileSummary], bool] = lambda _: True,
) -> ReconcileSummary:
    """Bring users, organizations and memberships in line with Clerk.

    Raises BackendAPIError (before anything is written) when Clerk cannot be read.
    `approve_deletions` is asked once, with `missing` filled in, before rows are removed.
    """
    summary = ReconcileSummary(dry_run=dry_run)
    users = _fetch("users", api.user_pages(page_size), progress)
    organizations = _fetch("organizations", api.organization_pages(page_size), progress)
    memberships = _fetch("memberships", api.membership_pages(page_size), progress)

    _find_missing(
        api,
        summary,
        user_ids=users.ids(lambda u: u.id),
        organization_ids=organizations.ids(lambda o: o.id),
        membership_ids=memberships.ids(lambda m: m.id),
        progress=progress,
    )

    with transaction.atomic() if dry_run else nullcontext():
        if dry_run:
            # One sorted acquisition for the whole run: the locks are held until the rollback,
            # and taking them page by page could deadlock with a concurrent webhook.
            lock_keys(
                [
                    *(key for page in users.pages for user in page for key in user_keys(user)),
                    *(key for page in organizations.pages for org in page for key in organization_keys(org)),
                    *(key for page in memberships.pages for m in page for key in membership_keys(m)),
                ]
            )
        report = _page_reporter(progress, dry_run=dry_run)
        _apply("users", users, summary.users, user_keys, clerk_objects.upsert_user, report)
        _apply(
            "organizations",
            organizations,
            summary.organizations,
            organization_keys,
            clerk_objects.upsert_organization,
            report,
        )
        _apply(
            "memberships", memberships, summary.memberships, membership_keys, clerk_objects.upsert_membership, report
        )
        if dry_run:
            transaction.set_rollback(True)

    if not dry_run and summary.has_missing:
        if approve_deletions(summary):
            _delete_missing(summary, progress)
        else:
            summary.deletions_declined = True
    return summary


# --- fetching ----------------------------------------------------------------------------


def _fetch(kind: str, pages: Iterator[Page[T]], progress: Progress) -> _Listing[T]:
    listing: _Listing[T] = _Listing()
    fetched = 0
    for number, page in enumerate(pages, start=1):
        listing.pages.append(page.items)
        listing.invalid.extend(page.invalid)
        fetched += len(page.items) + len(page.invalid)
        of_total = f" of {page.total}" if page.total is not None else ""
        progress(f"{kind}: page {number} fetched, {len(page.items)} items ({fetched}{of_total} so far)")
        for invalid in page.invalid:
            progress(f"{kind}: skipping {invalid.id or 'an object without a valid id'}: {invalid.reason}")
    return listing


def _find_missing(
    api: ClerkBackendAPI,
    summary: ReconcileSummary,
    *,
    user_ids: set[str],
    organization_ids: set[str],
    membership_ids: set[str],
    progress: Progress,
) -> None:
    users, organizations, memberships = clerk_objects.local_rows_missing_from(
        user_ids=user_ids, organization_ids=organization_ids, membership_ids=membership_ids
    )
    candidates = len(users) + len(organizations) + len(memberships)
    if candidates:
        progress(f"checking {candidates} local rows missing from Clerk's listings")
    summary.users.missing = sorted(u for u in users if _gone_from_clerk(api.get_user, u))
    summary.organizations.missing = sorted(o for o in organizations if _gone_from_clerk(api.get_organization, o))
    members_of: dict[str, set[str] | None] = {}
    for membership_id, organization_id in sorted(memberships):
        if organization_id not in members_of:
            members_of[organization_id] = api.membership_ids_of(organization_id)
        current = members_of[organization_id]
        if current is None or membership_id not in current:
            summary.memberships.missing.append(membership_id)


def _gone_from_clerk(get: Callable[[str], object | None], clerk_id: str) -> bool:
    try:
        return get(clerk_id) is None
    except PayloadError:  # Clerk has it, only not in a shape this app can store
        return False


# --- applying ----------------------------------------------------------------------------


PageReport = Callable[[str, int, KindChanges], None]


def _page_reporter(progress: Progress, *, dry_run: bool) -> PageReport:
    verb = "checked (dry run)" if dry_run else "applied"

    def report(kind: str, number: int, page: KindChanges) -> None:
        progress(
            f"{kind}: page {number} {verb}: {len(page.created)} created, {len(page.updated)} updated, "
            f"{page.unchanged} unchanged, {len(page.skipped)} skipped"
        )

    return report


def _apply(
    kind: str,
    listing: _Listing[T],
    changes: KindChanges,
    keys_of: Callable[[T], list[str]],
    apply_one: Callable[[T], Change],
    report: PageReport,
) -> None:
    changes.invalid += [f"{invalid.id or '?'}: {invalid.reason}" for invalid in listing.invalid]
    for number, items in enumerate(listing.pages, start=1):
        page = KindChanges()
        with transaction.atomic():
            lock_keys(key for item in items for key in keys_of(item))
            for item in items:
                try:
                    with transaction.atomic():  # a savepoint: one refused value skips one object
                        page.record(item.id, apply_one(item))
                except DataError:
                    page.invalid.append(f"{item.id}: the database refused a value")
        changes.created += page.created
        changes.updated += page.updated
        changes.unchanged += page.unchanged
        changes.skipped += page.skipped
        changes.invalid += page.invalid
        report(kind, number, page)


# --- deleting ----------------------------------------------------------------------------


def _delete_missing(summary: ReconcileSummary, progress: Progress) -> None:
    # Memberships first: deleting an organization or a user would take them along unreported.
    for membership_id in summary.memberships.missing:
        if _deleted(membership_id, _delete_membership):
            summary.memberships.deleted.append(membership_id)
            progress(f"deleted membership {membership_id}")
    for organization_id in summary.organizations.missing:
        if _deleted(organization_id, clerk_objects.delete_organization):
            summary.organizations.deleted.append(organization_id)
            progress(f"deleted organization {organization_id}")
    for user_id in summary.users.missing:
        local = User.objects.filter(clerk_id=user_id).first()
        keeps_account = local is not None and (local.is_staff or local.has_usable_password())
        if _deleted(user_id, clerk_objects.delete_user):
            summary.users.deleted.append(user_id)
            if keeps_account:
                progress(f"deleted user {user_id} (unlinked from local account {local})")
            else:
                progress(f"deleted user {user_id}")


def _delete_membership(clerk_id: str) -> Change:
    # A listing gives only its id; the local row says whose and of which organization.
    return clerk_objects.delete_membership(MembershipDeletion(id=clerk_id, organization_id=None, user_id=None))


def _deleted(clerk_id: str, delete: Callable[[str], Change]) -> bool:
    with transaction.atomic():
        lock_keys([object_key(clerk_id)])
        return delete(clerk_id) is Change.DELETED
