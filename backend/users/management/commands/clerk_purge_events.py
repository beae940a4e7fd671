"""`manage.py clerk_purge_events [--days N] [--dry-run]`: drop applied webhook events past retention.

Run it daily (cron, a Kubernetes CronJob, a scheduled task). The retention comes from
WEBHOOK_EVENT_RETENTION_DAYS (default 30); failed events are kept until resolved.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from users.services.event_log import purge_applied_events


class Command(BaseCommand):
    help = "Delete processed and ignored webhook events older than the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"retention in days (default: WEBHOOK_EVENT_RETENTION_DAYS={settings.WEBHOOK_EVENT_RETENTION_DAYS})",
        )
        parser.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        days: int = options["days"] if options["days"] is not None else settings.WEBHOOK_EVENT_RETENTION_DAYS
        try:
            count = purge_applied_events(retention=timedelta(days=days), dry_run=options["dry_run"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        verb = "would delete" if options["dry_run"] else "deleted"
        self.stdout.write(f"{verb} {count} applied webhook event(s) older than {days} days; failed events are kept")
