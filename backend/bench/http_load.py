"""Sections 2-5: load through nginx on the native stack (uvicorn + PostgreSQL), measured with wrk."""

import asyncio
import json
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import requests

from bench.cpu import CpuUse, measure
from bench.wrk import WrkResult, run_wrk
from clerk import samples
from common.pagination import MAX_PAGE_SIZE
from devstack.stack import Stack
from testing.histories import History, build_history
from testing.svix import signed_delivery
from testing.tokens import SigningKey, mint, session_claims

WEBHOOK_PATH = "/api/v1/auth/clerk_webhook/"


@dataclass(frozen=True)
class WebhookRun:
    deliveries: int
    seconds: float
    errors: int  # answers other than 200, and connection failures
    p50_ms: float
    p99_ms: float
    state_matches: bool
    mismatch: str

    @property
    def per_second(self) -> float:
        return self.deliveries / self.seconds


ME_USERS = 200  # /me load rotates through this many signed-in users, as a real audience would

# Each request carries the next user's token, so the database read is not one hot row.
# The requests are formatted once, in init(): wrk shares the cores with the server, and
# formatting each request anew cost it about 30 % more CPU per request.
ROTATING_TOKENS_SCRIPT = """
function init(args)
  local method, body = args[2], nil
  if args[3] then
    local file = io.open(args[3])
    body = file:read("*a")
    file:close()
  end
  requests = {}
  for line in io.lines(args[1]) do
    local headers = {["Authorization"] = "Bearer " .. line}
    if body then headers["Content-Type"] = "application/json" end
    requests[#requests + 1] = wrk.format(method, nil, headers, body)
  end
  n = math.random(#requests)
end
function request()
  n = n % #requests + 1
  return requests[n]
end
"""

BENCH_PROJECTS = 120  # in the /me users' active organization, made by several of them
PROJECTS_PAGE_PATH = "/api/v1/projects/?limit=20"
PROJECTS_LARGE_PAGE_PATH = "/api/v1/projects/?limit=100"
GRAPHQL_PATH = "/api/v1/graphql"
_PROJECT_FIELDS = "edges { node { id name description createdBy { clerkId name } createdAt updatedAt } }"
GRAPHQL_PROJECTS_QUERY = f"{{ projects(first: 20) {{ {_PROJECT_FIELDS} pageInfo {{ hasNextPage endCursor }} }} }}"
# The most a query can make the server do within GraphQL's limits (api/graphql/router.py): the
# items budget spent on the largest pages, every field, and the other aliases on the profile.
# (Their values, not imports: this process does not set Django up. tests/unit/test_bench_queries.py
# holds them equal.)
MAX_ITEMS, MAX_ALIASES = 200, 15
_PAGES = MAX_ITEMS // MAX_PAGE_SIZE
_ME_FIELDS = (
    "id clerkId email firstName lastName organizations { clerkId name slug role } activeOrganization { clerkId }"
)
GRAPHQL_WORST_QUERY = (
    "{ "
    + " ".join(f"p{n}: projects(first: {MAX_PAGE_SIZE}) {{ {_PROJECT_FIELDS} }}" for n in range(_PAGES))
    + " "
    + " ".join(f"m{n}: me {{ {_ME_FIELDS} }}" for n in range(MAX_ALIASES - _PAGES))
    + " }"
)


def seed_me_users(stack: Stack, secret: str, count: int = ME_USERS) -> list[str]:
    """Users with three organizations each, through the real webhook endpoint."""
    organizations = [
        samples.organization_data(organization_id=f"org_me{n}", name=f"Bench Org {n}", slug=f"bench-{n}")
        for n in range(3)
    ]
    user_ids = [f"user_me{i}" for i in range(count)]
    with requests.Session() as session:
        for i, user_id in enumerate(user_ids):
            email = f"me{i}@bench.example"
            events = [samples.event("user.created", samples.user_data(user_id=user_id, email=email))]
            for n, organization in enumerate(organizations):
                membership = samples.membership_data(
                    membership_id=f"orgmem_me{i}_{n}", organization=organization, user_id=user_id, identifier=email
                )
                events.append(samples.event("organizationMembership.created", membership))
            for event in events:
                body, headers = signed_delivery(secret, event)
                session.post(f"{stack.url}{WEBHOOK_PATH}", data=body, headers=headers, timeout=10).raise_for_status()
    return user_ids


def me_tokens(key: SigningKey, user_ids: list[str]) -> list[str]:
    expires = int(time.time()) + 3600
    return [
        mint(key, session_claims(sub=user_id, exp=expires, v=2, o={"id": "org_me0", "rol": "admin"}))
        for user_id in user_ids
    ]


@dataclass(frozen=True)
class LoadRun:
    wrk: WrkResult
    cpu: CpuUse

    @property
    def cpu_per_request_us(self) -> dict[str, float]:
        return self.cpu.per_request_us(self.wrk.requests)


def load(
    stack: Stack, path: str, tokens: list[str], *, seconds: float, body: str | None = None, connections: int = 32
) -> LoadRun:
    """wrk on `path` (a GET, or a POST of `body`), each request with the next of `tokens` as its
    bearer token, and the CPU it cost.

    Every endpoint compared gets the same script and headers: wrk shares the machine's
    cores with the server, so its own per-request work must be the same on both sides.
    """
    assert stack.backend is not None
    assert stack.backend.pid is not None
    with tempfile.TemporaryDirectory() as scratch:
        token_file = Path(scratch) / "tokens.txt"
        token_file.write_text("\n".join(tokens) + "\n")
        script = Path(scratch) / "rotate.lua"
        script.write_text(ROTATING_TOKENS_SCRIPT)
        script_args = [str(token_file), "GET" if body is None else "POST"]
        if body is not None:
            body_file = Path(scratch) / "body.json"
            body_file.write_text(body)
            script_args.append(str(body_file))
        result, cpu = measure(
            lambda: run_wrk(
                f"{stack.url}{path}", seconds=seconds, script=script, script_args=script_args, connections=connections
            ),
            backend_pid=stack.backend.pid,
            nginx_pid=stack.nginx.pid if stack.nginx is not None else None,
        )
    return LoadRun(result, cpu)


def load_me(stack: Stack, tokens: list[str], *, seconds: float) -> LoadRun:
    return load(stack, "/api/v1/auth/me/", tokens, seconds=seconds)


def seed_projects(stack: Stack, tokens: list[str], count: int = BENCH_PROJECTS) -> None:
    """Projects in the /me users' active organization, each made by one of the first users (its creator)."""
    with requests.Session() as session:
        for n in range(count):
            headers = {"Authorization": f"Bearer {tokens[n % 5]}"}
            body = {"name": f"Bench project {n}", "description": "A project of the benchmark."}
            session.post(f"{stack.url}/api/v1/projects/", json=body, headers=headers, timeout=10).raise_for_status()


def load_projects(stack: Stack, tokens: list[str], *, seconds: float) -> LoadRun:
    return load(stack, PROJECTS_PAGE_PATH, tokens, seconds=seconds)


def load_large_projects_page(stack: Stack, tokens: list[str], *, seconds: float) -> LoadRun:
    return load(stack, PROJECTS_LARGE_PAGE_PATH, tokens, seconds=seconds)


def load_graphql_projects(stack: Stack, tokens: list[str], *, seconds: float) -> LoadRun:
    return load(stack, GRAPHQL_PATH, tokens, seconds=seconds, body=json.dumps({"query": GRAPHQL_PROJECTS_QUERY}))


def load_graphql_worst(stack: Stack, tokens: list[str], *, seconds: float) -> LoadRun:
    """Two at a time: each answer is large, and 32 of them queued would outlast a short run."""
    body = json.dumps({"query": GRAPHQL_WORST_QUERY})
    return load(stack, GRAPHQL_PATH, tokens, seconds=seconds, body=body, connections=2)


def peak_rss_mb(stack: Stack) -> float:
    """Peak resident memory (VmHWM) of the busiest uvicorn worker process."""
    assert stack.backend is not None
    assert stack.backend.pid is not None
    pids = [stack.backend.pid, *_children(stack.backend.pid)]
    peaks = [_vm_hwm_kb(pid) for pid in pids]
    return max(peaks) / 1024


def run_webhooks(stack: Stack, secret: str, *, users: int, id_prefix: str, concurrency: int = 32) -> WebhookRun:
    """Sends every delivery of a fresh history exactly once, `concurrency` at a time, then checks the database.

    Not wrk: a load generator repeats requests for a duration, and this figure needs each
    delivery sent once so the final state can be compared with the history's.
    """
    history = build_history(users=users, prefix=id_prefix)
    signed = [
        signed_delivery(secret, json.dumps(event, separators=(",", ":")).encode(), msg_id=svix_id)
        for svix_id, event in history.deliveries
    ]
    started = time.perf_counter()
    latencies, errors = asyncio.run(_send_all(f"{stack.backend_url}{WEBHOOK_PATH}", signed, concurrency))
    seconds = time.perf_counter() - started
    mismatch = _compare_state(stack, history, id_prefix)
    cuts = statistics.quantiles(latencies, n=100)
    return WebhookRun(len(signed), seconds, errors, cuts[49], cuts[98], not mismatch, mismatch)


async def _send_all(
    url: str, deliveries: list[tuple[bytes, dict[str, str]]], concurrency: int
) -> tuple[list[float], int]:
    """`concurrency` keep-alive HTTP/1.1 connections, each sending its next delivery when
    the previous one is answered. Requests are pre-built bytes, so the sender costs the
    machine little of the CPU that the server under test needs."""
    target = urlsplit(url)
    host, port = target.hostname or "127.0.0.1", target.port or 80
    requests_ = iter([_raw_post(target.netloc, target.path, body, headers) for body, headers in deliveries])
    latencies: list[float] = []
    errors = 0

    async def connection() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for request in requests_:
                began = time.perf_counter()
                writer.write(request)
                status = await _read_response(reader)
                errors += status != 200
                latencies.append((time.perf_counter() - began) * 1000)
        finally:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return latencies, errors


def _raw_post(netloc: str, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {netloc}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items() if name.lower() != "content-length"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


def _compare_state(stack: Stack, history: History, prefix: str) -> str:
    assert stack.database_url is not None
    with psycopg.connect(stack.database_url) as connection:
        users = {
            row[0]: (row[1], row[2])
            for row in connection.execute(
                "SELECT clerk_id, email, first_name FROM users_user WHERE clerk_id LIKE %s", [f"user_{prefix}_%"]
            )
        }
        organizations: dict[str, str] = dict(
            connection.execute(
                "SELECT clerk_id, name FROM users_organization WHERE clerk_id LIKE %s", [f"org_{prefix}_%"]
            ).fetchall()
        )
        memberships: dict[str, str] = dict(
            connection.execute(
                "SELECT clerk_id, role FROM users_organizationmembership WHERE clerk_id LIKE %s", [f"orgmem_{prefix}_%"]
            ).fetchall()
        )
        events = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'processed') FROM users_webhookevent "
            "WHERE svix_id LIKE %s",
            [f"msg_{prefix}_%"],
        ).fetchone()
    problems = []
    if users != history.users:
        problems.append(f"users differ ({len(users)} stored, {len(history.users)} expected)")
    if organizations != history.organizations:
        problems.append(f"organizations differ ({len(organizations)} vs {len(history.organizations)})")
    if memberships != history.memberships:
        problems.append(f"memberships differ ({len(memberships)} vs {len(history.memberships)})")
    if events is None or events[0] != history.unique_deliveries or events[1] != history.unique_deliveries:
        problems.append(f"event log {events} vs {history.unique_deliveries} unique deliveries")
    return "; ".join(problems)


def _children(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children += [int(child) for child in text]
    return children


def _vm_hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
