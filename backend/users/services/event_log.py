"""Keeping the webhook event log from holding personal data forever.

Every delivery's payload (names, addresses, IP addresses of sign-ins) is stored for
deduplication and for operators. Once an event is applied (or ignored) and older than
the retention period, it has done both jobs: Svix's retries of a delivery end about a
day and a half after the first attempt, so a retention of a few days already keeps every
retry recognizable. Failed events stay until an operator has resolved them.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from users.models import WebhookEvent

# Svix retries for 5 s + 5 min + 30 min + 2 h + 5 h + 10 h + 10 h, about 27.6 hours in all.
MIN_RETENTION = timedelta(days=3)


def purge_applied_events(*, retention: timedelta, dry_run: bool = False) -> int:
    """Delete processed and ignored events received more than `retention` ago; returns how many."""
    if retention < MIN_RETENTION:
        raise ValueError(f"retention must be at least {MIN_RETENTION.days} days (Svix retries for about 28 hours)")
    old = WebhookEvent.objects.filter(
        received_at__lt=timezone.now() - retention,
        status__in=[WebhookEvent.Status.PROCESSED, WebhookEvent.Status.IGNORED],
    )
    if dry_run:
        return old.count()
    with transaction.atomic():
        deleted, _ = old.delete()
    return deleted
