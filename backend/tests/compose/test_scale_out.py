"""The production compose scaled to three backend replicas behind nginx (`up --scale backend=3`, then nginx reloaded).

Deliveries and GETs here go where Clerk's sender and browsers send them: through nginx,
except where a test needs each replica hit at once (then straight to each replica's address).
"""

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from clerk.samples import event, membership_data, organization_data, user_data
from tests.compose.logs import by_request_id
from tests.compose.project import ComposeProject
from tests.compose.site import Site, new_user
from tests.compose.stack_env import WEBHOOK_PATH, ClerkForTests
from tests.compose.test_production import DB_USER, production_site

REPLICAS = 3


@pytest.fixture(scope="module")
def scaled(production: ComposeProject) -> ComposeProject:
    production.up("--scale", f"backend={REPLICAS}")
    # nginx resolved `backend` when it started; a reload makes it see every replica (README).
    production.exec("nginx", "nginx", "-s", "reload")
    return production


@pytest.fixture(scope="module")
def site(scaled: ComposeProject, clerk: ClerkForTests) -> Site:
    return production_site(scaled, clerk)


def _replica_addresses(project: ComposeProject) -> dict[str, str]:
    """Hostname (what the request log's `host` says) → address, of each running backend replica."""
    return {
        container["Config"]["Hostname"]: next(iter(container["NetworkSettings"]["Networks"].values()))["IPAddress"]
        for container in project.containers("backend")
        if container["State"]["Running"]
    }


def _hosts_that_answered(project: ComposeProject, responses: list[requests.Response]) -> Counter[str]:
    request_ids = {response.headers["X-Request-ID"] for response in responses}
    lines = by_request_id(project, "backend", request_ids)
    assert set(lines) == request_ids
    return Counter(line["host"] for line in lines.values())


def test_nginx_spreads_requests_over_every_replica(site: Site, scaled: ComposeProject) -> None:
    responses = [site.get("/api/v1/health") for _ in range(30)]
    assert {response.status_code for response in responses} == {200}
    hosts = _hosts_that_answered(scaled, responses)
    assert set(hosts) == set(_replica_addresses(scaled))
    assert len(hosts) == REPLICAS


def test_one_delivery_sent_to_every_replica_at_once_is_applied_exactly_once(
    scaled: ComposeProject, clerk: ClerkForTests
) -> None:
    user_id, email = new_user()
    body, headers = clerk.delivery(clerk.user_created(user_id=user_id, email=email))
    addresses = list(_replica_addresses(scaled).values())
    assert len(addresses) == REPLICAS
    start = threading.Barrier(len(addresses))

    def deliver(address: str) -> requests.Response:
        start.wait()
        return requests.post(f"http://{address}:8000{WEBHOOK_PATH}", data=body, headers=headers, timeout=60)

    with ThreadPoolExecutor(len(addresses)) as pool:
        answers = list(pool.map(deliver, addresses))
    assert [answer.status_code for answer in answers] == [200] * REPLICAS, [answer.text for answer in answers]
    assert sorted(answer.json()["status"] for answer in answers) == ["duplicate"] * (REPLICAS - 1) + ["processed"]
    events = scaled.psql(
        "SELECT count(*) FROM users_webhookevent WHERE svix_id = :'id'", user=DB_USER, id=headers["svix-id"]
    )
    assert events == "1"
    assert scaled.psql("SELECT count(*) FROM users_user WHERE clerk_id = :'id'", user=DB_USER, id=user_id) == "1"


def test_a_burst_of_out_of_order_duplicated_deliveries_ends_in_the_in_order_state(
    site: Site, scaled: ComposeProject, clerk: ClerkForTests
) -> None:
    user_id, email = new_user()
    organization_id = f"org_{user_id.removeprefix('user_')}"
    start = 1_700_000_000_000
    organization = organization_data(organization_id=organization_id, created_at=start, updated_at=start)

    def user(n: int) -> dict[str, Any]:
        return user_data(user_id=user_id, email=email, first_name=f"v{n}", created_at=start, updated_at=start + n)

    history = [event("user.created", user(0))] + [event("user.updated", user(n)) for n in range(1, 8)]
    history += [event("organization.created", organization)]
    history += [
        event(
            "organizationMembership.updated" if n else "organizationMembership.created",
            membership_data(
                membership_id=f"orgmem_{organization_id}",
                organization=organization,
                user_id=user_id,
                role=role,
                created_at=start,
                updated_at=start + n,
            ),
        )
        for n, role in enumerate(["org:member", "org:admin", "org:member", "org:billing"])
    ]
    # Each event keeps its svix-id across its copies, as Svix's retries do.
    deliveries = [clerk.delivery(payload) for payload in history]
    burst = [delivery for delivery in deliveries for _ in range(3)]
    random.Random(12).shuffle(burst)

    def deliver(delivery: tuple[bytes, dict[str, str]]) -> int:
        body, headers = delivery
        return site.request("POST", WEBHOOK_PATH, data=body, headers=headers).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(deliver, burst))
    assert set(statuses) == {200}

    state = scaled.psql(
        "SELECT u.first_name, m.role FROM users_user u JOIN users_organizationmembership m ON m.user_id = u.id"
        " WHERE u.clerk_id = :'id'",
        user=DB_USER,
        id=user_id,
    )
    assert state == "v7|org:billing"
    svix_ids = [headers["svix-id"] for _, headers in deliveries]
    logged = scaled.psql(
        "SELECT count(DISTINCT svix_id) FROM users_webhookevent WHERE svix_id = ANY(string_to_array(:'ids', ','))",
        user=DB_USER,
        ids=",".join(svix_ids),
    )
    assert logged == str(len(history))


def test_killing_a_replica_under_get_load_gives_clients_no_5xx(
    site: Site, scaled: ComposeProject, clerk: ClerkForTests
) -> None:
    user_id, email = new_user()
    assert site.deliver(clerk.user_created(user_id=user_id, email=email)).status_code == 200
    bearer = clerk.bearer(user_id, authorized_party=site.authorized_party)
    victim, *survivors = sorted(_replica_addresses(scaled))
    before_kill: list[requests.Response] = []
    after_kill: list[requests.Response] = []
    killed = threading.Event()

    def load(request: Callable[[], requests.Response], count: int) -> None:
        for _ in range(count):
            response = request()
            (after_kill if killed.is_set() else before_kill).append(response)

    clients: list[Callable[[], requests.Response]] = [
        lambda: site.get("/api/v1/health"),
        lambda: site.get("/api/v1/auth/me/", headers=bearer),
    ] * 2
    with ThreadPoolExecutor(len(clients)) as pool:
        running = [pool.submit(load, client, 150) for client in clients]
        while len(before_kill) < 40 and not any(future.done() for future in running):
            time.sleep(0.05)
        scaled.engine.docker("kill", _container_of(scaled, victim))
        killed.set()
        for future in running:
            future.result()

    statuses = Counter(response.status_code for response in before_kill + after_kill)
    assert set(statuses) == {200}, statuses
    assert len(after_kill) >= 100, "the load ended before the kill"
    # Once nginx has seen the replica gone, the other two answer everything.
    assert set(_hosts_that_answered(scaled, after_kill[len(after_kill) // 2 :])) == set(survivors)


def _container_of(project: ComposeProject, hostname: str) -> str:
    (container,) = [c["Id"] for c in project.containers("backend") if c["Config"]["Hostname"] == hostname]
    return container
