"""`manage.py clerk_sync [--dry-run] [--yes]`: reconcile the local mirror with Clerk (`make sync`).

The work is done by `users.services.reconcile`; this command reads the settings,
asks before deleting and prints what happened.
"""

import sys
import time
from typing import Any, TextIO

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clerk.backend_api import MAX_PAGE_SIZE, ClerkBackendAPI
from clerk.errors import BackendAPIError
from users.services.reconcile import KindChanges, ReconcileSummary, reconcile


class Command(BaseCommand):
    help = "Reconcile users, organizations and memberships with Clerk's Backend API."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="print what would change and change nothing")
        parser.add_argument("--yes", action="store_true", help="delete local rows Clerk no longer has without asking")
        parser.add_argument(
            "--page-size",
            type=int,
            default=MAX_PAGE_SIZE,
            help=f"objects per Backend API request (1-{MAX_PAGE_SIZE}, default {MAX_PAGE_SIZE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        self._yes: bool = options["yes"]
        self._stdin: TextIO = options.get("stdin") or sys.stdin
        page_size: int = options["page_size"]
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise CommandError(f"--page-size must be between 1 and {MAX_PAGE_SIZE}")
        api = self._backend_api()
        try:
            summary = reconcile(
                api,
                dry_run=dry_run,
                page_size=page_size,
                progress=self.stdout.write,
                approve_deletions=self._approve_deletions,
            )
        except BackendAPIError as error:
            raise CommandError(f"Clerk's Backend API: {error}") from None
        self._print_summary(summary)

    def _backend_api(self) -> ClerkBackendAPI:
        clerk = settings.CLERK
        if clerk.secret_key is None:
            raise CommandError("CLERK_SECRET_KEY is not set: add your Clerk secret key (sk_…) to .env")
        return ClerkBackendAPI(secret_key=clerk.secret_key, api_url=clerk.api_url, sleep=self._wait)

    def _wait(self, seconds: float) -> None:
        """Clerk answered 429: say so, then wait as long as its Retry-After asks."""
        self.stdout.write(f"rate limited by Clerk: waiting {seconds:g} s")
        time.sleep(seconds)

    def _approve_deletions(self, summary: ReconcileSummary) -> bool:
        self.stdout.write("Local rows Clerk no longer has:")
        for kind, changes in summary.kinds():
            if changes.missing:
                self.stdout.write(f"  {kind}: {', '.join(changes.missing)}")
        if self._yes:
            return True
        if not self._stdin.isatty():
            self.stdout.write("Not deleting them: run with --yes to delete without a prompt.")
            return False
        self.stdout.write("Delete them? [y/N] ", ending="")
        self.stdout.flush()
        answer = self._stdin.readline().strip().lower()
        if answer in ("y", "yes"):
            return True
        self.stdout.write("Not deleting them.")
        return False

    def _print_summary(self, summary: ReconcileSummary) -> None:
        self.stdout.write("")
        for kind, changes in summary.kinds():
            self.stdout.write(f"{kind}: {self._counts(changes, dry_run=summary.dry_run)}")
            listed = [
                ("would create" if summary.dry_run else "created", changes.created),
                ("would update" if summary.dry_run else "updated", changes.updated),
                ("skipped (deleted locally or superseded)", changes.skipped),
                ("skipped (cannot be stored: reprocess after fixing)", changes.invalid),
                ("would delete", changes.missing) if summary.dry_run else ("deleted", changes.deleted),
            ]
            if summary.deletions_declined:
                listed.append(("not deleted", changes.missing))
            for label, ids in listed:
                if ids:
                    self.stdout.write(f"  {label}: {', '.join(ids)}")
        if summary.dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was changed."))
        elif summary.changed:
            self.stdout.write(self.style.SUCCESS("Synced with Clerk."))
        else:
            self.stdout.write(self.style.SUCCESS("Already in sync with Clerk."))

    @staticmethod
    def _counts(changes: KindChanges, *, dry_run: bool) -> str:
        if dry_run:
            counts = f"would create {len(changes.created)}, would update {len(changes.updated)}, "
            counts += f"would delete {len(changes.missing)}"
        else:
            counts = f"created {len(changes.created)}, updated {len(changes.updated)}, deleted {len(changes.deleted)}"
        return f"{counts}, unchanged {changes.unchanged}, skipped {len(changes.skipped) + len(changes.invalid)}"
