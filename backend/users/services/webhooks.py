"""Recording and applying Clerk webhook deliveries.

A delivery is stored and applied in one transaction: either the event log row and
every change it implies are committed, or nothing is. Deliveries are deduplicated on
`svix-id`; concurrent copies of one delivery wait on its lock and then see it done.
Most deliveries arrive once, so a delivery is first applied without reading the log:
the log's unique `svix_id` refuses the row of one logged before, which rolls the whole
transaction back, and only then is the logged row read (as `get_or_create` does; so
PostgreSQL's log shows a unique-violation error for each repeat).

A delivery that cannot be applied (a value Clerk's limits or the database rule out) is
stored as FAILED and answered 2xx: retrying it would fail the same way forever. An
operator reprocesses it from the admin once the cause is fixed. Only a database that is
down or refusing writes makes a delivery fail as a whole (5xx), so that Svix retries it.
"""

import enum
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from clerk.errors import WebhookRejected
from clerk.payloads import PayloadError
from clerk.webhooks import WebhookDelivery, parse_event
from users.models import WebhookEvent
from users.services.locks import delivery_key, lock_keys


class Outcome(enum.Enum):
    PROCESSED = "processed"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"
    FAILED = "failed"  # the payload could not be applied; stored for an operator to inspect


T = TypeVar("T")


@dataclass(frozen=True)
class EventHandler(Generic[T]):
    """How one Clerk event type is applied.

    `read` turns the event's `data` into a typed value, completely, before anything is locked or
    written (PayloadError, naming the field, when it cannot be applied: a malformed payload writes
    nothing but its log row); `locks` names the objects the write may touch, locked first
    (users.services.locks); `apply` writes, idempotently and whatever the delivery order.
    """

    read: Callable[[Mapping[str, Any]], T]
    locks: Callable[[T], Iterable[str]]
    apply: Callable[[T], object]


# Every handled event type. Each app adds its own in its AppConfig.ready() (users/events.py):
# taking an app out of INSTALLED_APPS takes its events out; deliveries of them are then
# logged as ignored.
HANDLERS: dict[str, EventHandler[Any]] = {}


def handled_event_types() -> tuple[str, ...]:
    return tuple(HANDLERS)


REFUSED = "the database refused a value of this event"


def record_and_apply(delivery: WebhookDelivery) -> tuple[Outcome, str]:
    """Store the delivery and apply it once. Returns the outcome and, on failure, the reason.

    Database errors propagate so that the caller answers 5xx and Svix retries, except a
    value the database refuses although the payload read well (DataError): that would
    fail every retry, so the delivery is stored as failed instead, in a new transaction
    (cheaper than a savepoint around every delivery for a case validation already rules out).
    """
    payload = _read(delivery)
    try:
        try:
            return _record_first(delivery, payload)
        except IntegrityError:
            # Logged before (a retry, or a concurrent copy that got there first). Any other
            # IntegrityError is met again by _record, and propagates from there (5xx).
            return _record(delivery, payload)
    except DataError:
        return _record(delivery, _Payload(problem=REFUSED))


def _record_first(delivery: WebhookDelivery, payload: "_Payload | None") -> tuple[Outcome, str]:
    """Apply and log a delivery taken to be new; IntegrityError (and nothing written) if it is logged."""
    with transaction.atomic():
        _lock(delivery, payload)
        return _apply(_new_event(delivery), delivery, payload)


def _record(delivery: WebhookDelivery, payload: "_Payload | None") -> tuple[Outcome, str]:
    with transaction.atomic():
        _lock(delivery, payload)
        # The payload is not needed to recognize a duplicate: left unread.
        stored = WebhookEvent.objects.select_for_update().defer("payload").filter(svix_id=delivery.svix_id).order_by()
        event = next(iter(stored), None)
        if event is None:
            event = _new_event(delivery)
        elif event.status != WebhookEvent.Status.FAILED:
            return Outcome.DUPLICATE, ""
        else:
            event.attempts += 1
        return _apply(event, delivery, payload)


def _lock(delivery: WebhookDelivery, payload: "_Payload | None") -> None:
    lock_keys([delivery_key(delivery.svix_id), *_object_keys(delivery, payload)])


def _new_event(delivery: WebhookDelivery) -> WebhookEvent:
    return WebhookEvent(
        svix_id=delivery.svix_id,
        event_type=delivery.event_type,
        object_id=delivery.object_id or "",
        payload=storable(delivery.event),
    )


def reprocess(event_id: int) -> tuple[Outcome, str]:
    """Apply a stored event again (the admin's "reprocess" action). Applying is idempotent."""
    try:
        return _reprocess(event_id)
    except DataError:
        with transaction.atomic():
            event = WebhookEvent.objects.select_for_update().get(pk=event_id)
            event.status, event.error, event.attempts = WebhookEvent.Status.FAILED, REFUSED, event.attempts + 1
            event.save()
        return Outcome.FAILED, REFUSED


def _reprocess(event_id: int) -> tuple[Outcome, str]:
    with transaction.atomic():
        event = WebhookEvent.objects.select_for_update().get(pk=event_id)
        try:
            delivery = parse_event(event.svix_id, json.dumps(event.payload))
        except WebhookRejected as error:  # a stored payload that is not an event: record why
            event.status, event.error = WebhookEvent.Status.FAILED, error.reason
            event.save()
            return Outcome.FAILED, event.error
        payload = _read(delivery)
        lock_keys(_object_keys(delivery, payload))
        event.attempts += 1
        return _apply(event, delivery, payload)


@dataclass(frozen=True)
class _Payload:
    """A handled event's payload as read, or why it could not be read; None for other types."""

    change: Any = None
    problem: str | None = None


def _read(delivery: WebhookDelivery) -> _Payload | None:
    # Read completely before anything is locked or written: a malformed payload writes
    # nothing but its log row, and what was read names the objects to lock.
    handler = HANDLERS.get(delivery.event_type)
    if handler is None:
        return None
    try:
        return _Payload(change=handler.read(delivery.data))
    except PayloadError as problem:
        return _Payload(problem=str(problem))


def _apply(event: WebhookEvent, delivery: WebhookDelivery, payload: _Payload | None) -> tuple[Outcome, str]:
    outcome, error = Outcome.PROCESSED, ""
    if payload is None:
        outcome = Outcome.IGNORED
    elif payload.problem is not None:
        outcome, error = Outcome.FAILED, payload.problem
    else:
        HANDLERS[delivery.event_type].apply(payload.change)
    event.status = {
        Outcome.PROCESSED: WebhookEvent.Status.PROCESSED,
        Outcome.IGNORED: WebhookEvent.Status.IGNORED,
        Outcome.FAILED: WebhookEvent.Status.FAILED,
    }[outcome]
    event.error = error
    event.processed_at = timezone.now() if outcome is not Outcome.FAILED else None
    event.save()
    return outcome, error


def _object_keys(delivery: WebhookDelivery, payload: _Payload | None) -> list[str]:
    """The Clerk objects a delivery may write, to lock them before reading."""
    if payload is None or payload.problem is not None:
        return []  # nothing but the log row is written
    return list(HANDLERS[delivery.event_type].locks(payload.change))


# What PostgreSQL's text and jsonb cannot hold: NUL, and UTF-16 surrogates (json.loads
# turns a lone `\\ud800` escape into one).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


# How json.dumps writes them (and any character outside the BMP, as a surrogate pair).
_MAYBE_UNSTORABLE = re.compile(r"\\u(?:0000|d[89a-f])", re.IGNORECASE)


def storable(event: Mapping[str, Any]) -> Any:
    """The event with every unstorable character replaced by U+FFFD, so its log row can be written."""
    if not _MAYBE_UNSTORABLE.search(json.dumps(event)):
        return event  # the common case, decided at C speed
    return _replace_unstorable(event)


def _replace_unstorable(value: Any) -> Any:
    """Recursive: clerk.webhooks.parse_event has already bounded the depth."""
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_replace_unstorable(item) for item in value]
    if isinstance(value, dict):
        return {_replace_unstorable(key): _replace_unstorable(item) for key, item in value.items()}
    return value
