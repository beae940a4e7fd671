"""`manage.py clerk_webhook`: a signed sample event, sent over real HTTP to the real backend on uvicorn."""

import io
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import uvicorn
from django.core.management import CommandError, call_command

from testing.svix import new_signing_secret
from users.models import OrganizationMembership, User, WebhookEvent
from users.services.webhooks import handled_event_types

WEBHOOK_PATH = "/api/v1/auth/clerk_webhook/"


@pytest.fixture
def backend_url(app: Any, transactional_db: None) -> Iterator[str]:
    """`config.asgi:application` (with the test's Clerk settings) served by uvicorn on a free port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, lifespan="on", log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped while starting"
        assert time.monotonic() < deadline, "uvicorn did not start within 10 s"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


@pytest.fixture
def signing_env(
    webhook_secret: str, use_clerk: Callable[[dict[str, str]], None], monkeypatch: pytest.MonkeyPatch
) -> str:
    """The command's settings: the same signing secret as the backend's."""
    use_clerk({"CLERK_WEBHOOK_SIGNING_SECRET": webhook_secret})
    monkeypatch.delenv("BACKEND_INTERNAL_URL", raising=False)
    return webhook_secret


def send(*args: str, **options: Any) -> str:
    out = io.StringIO()
    call_command("clerk_webhook", *args, stdout=out, **options)
    return out.getvalue()


def svix_id_in(output: str) -> str:
    match = re.search(r"^svix-id: (msg_\w+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def test_the_command_sends_a_signed_sample_that_the_backend_applies(backend_url: str, signing_env: str) -> None:
    out = send("user.created", "--url", backend_url + WEBHOOK_PATH)
    assert "status: 200" in out.splitlines()
    assert 'body: {"status":"processed"}' in out.splitlines()
    event = WebhookEvent.objects.get(svix_id=svix_id_in(out))
    assert (event.event_type, event.status) == ("user.created", "processed")
    user = User.objects.get(clerk_id="user_sample")
    assert (user.email, user.first_name) == ("ada@example.com", "Ada")


def test_the_samples_relate_so_a_sequence_builds_a_membership(backend_url: str, signing_env: str) -> None:
    for event_type in ("organizationMembership.created", "user.created", "organizationMembership.updated"):
        assert "status: 200" in send(event_type, "--url", backend_url + WEBHOOK_PATH)
    membership = OrganizationMembership.objects.select_related("user", "organization").get()
    assert (membership.clerk_id, membership.user.clerk_id, membership.organization.clerk_id) == (
        "orgmem_sample",
        "user_sample",
        "org_sample",
    )
    assert membership.user.email == "ada@example.com"  # the stand-in was completed by user.created
    assert WebhookEvent.objects.filter(status="processed").count() == 3


def test_the_default_url_is_the_backend_of_backend_internal_url(
    backend_url: str, signing_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKEND_INTERNAL_URL", backend_url + "/")
    out = send("organization.created")
    assert f"organization.created → {backend_url}{WEBHOOK_PATH}" in out
    assert "status: 200" in out.splitlines()
    assert WebhookEvent.objects.filter(svix_id=svix_id_in(out), event_type="organization.created").exists()


def test_an_answer_other_than_2xx_is_printed_and_fails_the_command(
    backend_url: str, signing_env: str, use_clerk: Callable[[dict[str, str]], None]
) -> None:
    use_clerk({"CLERK_WEBHOOK_SIGNING_SECRET": new_signing_secret()})  # not the backend's
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"^the endpoint answered 400: invalid signature$"):
        call_command("clerk_webhook", "user.created", url=backend_url + WEBHOOK_PATH, stdout=out)
    assert "status: 400" in out.getvalue().splitlines()
    assert not WebhookEvent.objects.exists()


def test_list_prints_the_handled_event_types(use_clerk: Callable[[dict[str, str]], None]) -> None:
    use_clerk({})  # listing needs no secret
    assert send("--list").splitlines() == list(handled_event_types())


def test_an_unknown_event_type_is_an_error_listing_the_valid_ones(signing_env: str) -> None:
    with pytest.raises(CommandError) as raised:
        send("user.exploded")
    assert str(raised.value) == f"unknown event type 'user.exploded'; valid types: {', '.join(handled_event_types())}"


def test_no_event_type_is_an_error_listing_the_valid_ones(signing_env: str) -> None:
    with pytest.raises(CommandError, match=r"^give an event type; valid types: user\.created, "):
        send()


def test_without_a_signing_secret_the_command_names_the_variable(use_clerk: Callable[[dict[str, str]], None]) -> None:
    use_clerk({})
    with pytest.raises(CommandError, match=r"^CLERK_WEBHOOK_SIGNING_SECRET is not set"):
        send("user.created", "--url", "http://127.0.0.1:9/")


def test_a_backend_that_is_not_running_is_reported_as_unreachable(signing_env: str) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
    with pytest.raises(CommandError) as raised:
        send("user.created", "--url", url)
    assert str(raised.value) == f"could not reach {url}: is the backend running?"
