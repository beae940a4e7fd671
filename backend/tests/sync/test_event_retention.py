"""`manage.py clerk_purge_events`: applied events past retention go; failed and recent ones stay."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from users.models import WebhookEvent

pytestmark = pytest.mark.django_db


def event(svix_id: str, status: str, *, days_ago: float) -> None:
    with time_machine.travel(timezone.now() - timedelta(days=days_ago), tick=False):
        WebhookEvent.objects.create(
            svix_id=svix_id, event_type="user.updated", payload={"data": {"first_name": "Ada"}}, status=status
        )


def purge(*args: str) -> str:
    out = io.StringIO()
    call_command("clerk_purge_events", *args, stdout=out)
    return out.getvalue()


def remaining() -> list[str]:
    return sorted(WebhookEvent.objects.values_list("svix_id", flat=True))


def test_applied_events_past_retention_are_deleted_failed_ones_kept() -> None:
    event("old_processed", "processed", days_ago=31)
    event("old_ignored", "ignored", days_ago=40)
    event("old_failed", "failed", days_ago=90)
    event("recent_processed", "processed", days_ago=29)
    assert "deleted 2 applied webhook event(s) older than 30 days" in purge()
    assert remaining() == ["old_failed", "recent_processed"]


def test_a_dry_run_counts_and_deletes_nothing() -> None:
    event("old_processed", "processed", days_ago=10)
    assert "would delete 1" in purge("--days", "7", "--dry-run")
    assert remaining() == ["old_processed"]


def test_retention_shorter_than_svix_retries_is_refused() -> None:
    """A shorter log would forget svix-ids that Svix may still retry, and apply them twice."""
    with pytest.raises(CommandError, match="at least 3 days"):
        purge("--days", "1")
