"""/api/v1/ready: for the probes; cheap and silent about the database for anyone else who reaches it."""

import asyncio

import pytest
from starlette.testclient import TestClient

from api.routes.health import Readiness


def test_ready_says_ok_and_nothing_more(client: TestClient) -> None:
    answer = client.get("/api/v1/ready")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})


def test_a_burst_of_readiness_requests_shares_one_check_and_an_unready_answer_says_not_why(
    caplog: pytest.LogCaptureFixture,
) -> None:
    checks: list[None] = []

    async def three_migrations_pending() -> str | None:
        checks.append(None)
        await asyncio.sleep(0.01)
        return "3 migration(s) not applied"

    async def burst() -> list[bool]:
        readiness = Readiness(three_migrations_pending, ttl=60)
        return await asyncio.gather(*(readiness.ready() for _ in range(50)))

    assert asyncio.run(burst()) == [False] * 50
    assert len(checks) == 1
    assert "3 migration(s) not applied" in caplog.text  # for the operator, in the log


def test_the_answer_is_checked_again_once_it_is_older_than_its_ttl() -> None:
    answers = iter(["database unavailable", None])

    async def recovering() -> str | None:
        return next(answers)

    async def twice() -> list[bool]:
        readiness = Readiness(recovering, ttl=0.05)
        first = await readiness.ready()
        cached = await readiness.ready()
        await asyncio.sleep(0.06)
        return [first, cached, await readiness.ready()]

    assert asyncio.run(twice()) == [False, False, True]
