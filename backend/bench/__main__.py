"""`make bench`: every performance figure of the project in one run, medians over rounds, plus ratios.

    uv run python -m bench            # the full run (about 8 minutes on 2 cores)
    uv run python -m bench --quick    # a short run that proves the benchmark works

Needs PostgreSQL (DATABASE_URL, default the local server), nginx and wrk.
"""

import argparse
import os
import platform
import statistics
import sys
import time

from bench import cpu, http_load, token_verification
from bench.stats import table
from bench.wrk import WrkResult
from devstack.stack import Stack, StackOptions
from testing.svix import new_signing_secret
from testing.tokens import AUTHORIZED_PARTY, SigningKey, make_publishable_key

TARGETS = {
    "unique_vs_pyjwt": 0.9,
    "repeated_vs_raw": 10.0,
    "me_vs_health": 0.5,
    "webhooks_per_second": 250.0,
    "two_vs_one_worker": 1.6,
}


def _verdict(value: float, target: float) -> str:
    return f"{value:.2f} (target ≥ {target:g}: {'met' if value >= target else 'MISSED'})"


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument(
        "--quick", action="store_true", help="short rounds: proves the benchmark runs, figures are rough"
    )
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args()
    quick = args.quick
    rounds = args.rounds or (1 if quick else 5)
    load_seconds = 2 if quick else 10
    webhook_users = 60 if quick else 1500
    database = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"

    print(
        f"machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"
    )
    print(
        f"command: python -m bench{' --quick' if quick else ''}; rounds: {rounds}; load: {load_seconds}s per wrk run\n"
    )

    print("1. Token verification (one core, tokens/s)")
    tokens = token_verification.measure(
        rounds=rounds, seconds=0.3 if quick else 1.0, unique_tokens=400 if quick else 3000
    )
    rows = [
        (m.name, f"{m.median:,.0f}", ", ".join(f"{r:,.0f}" for r in m.rounds))
        for m in (
            tokens.unique,
            tokens.repeated,
            tokens.raw_rsa,
            tokens.pyjwt,
            tokens.clerk_sdk,
            tokens.fastapi_clerk_auth,
        )
    ]
    print(table(rows, ("way", "median/s", "rounds")))
    print(f"   unique / PyJWT-with-cached-key = {_verdict(tokens.unique_vs_pyjwt, TARGETS['unique_vs_pyjwt'])}")
    print(f"   repeated / raw RSA verify      = {_verdict(tokens.repeated_vs_raw, TARGETS['repeated_vs_raw'])}")
    print(f"   unique / Clerk's Python SDK    = {tokens.unique_vs_clerk_sdk:.2f}")
    print(f"   unique / fastapi-clerk-auth    = {tokens.unique_vs_fastapi_clerk_auth:.2f}\n")

    key = SigningKey.generate("ins_bench_http")
    secret = new_signing_secret()
    env = {
        "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY": make_publishable_key("clerk.example.test"),
        "CLERK_JWT_KEY": key.public_pem,
        "CLERK_AUTHORIZED_PARTIES": AUTHORIZED_PARTY,
        "CLERK_WEBHOOK_SIGNING_SECRET": secret,
        "LOG_LEVEL": "WARNING",
    }
    failures = 0

    print("2. Authenticated request cost: 32 connections, 1 uvicorn worker, through nginx (wrk)")
    # Both stacks run side by side and their rounds alternate, so the 2-worker figure of (4)
    # meets the same machine state (and the same noise) as the 1-worker one it is divided by.
    one = Stack(StackOptions(env=env, database_server_url=database, nginx=True, backend_workers=1)).start()
    two: Stack | None = None
    try:
        two = Stack(StackOptions(env=env, database_server_url=database, nginx=True, backend_workers=2)).start()
        tokens = http_load.me_tokens(key, http_load.seed_me_users(one, secret))
        tokens_two = http_load.me_tokens(key, http_load.seed_me_users(two, secret))
        http_load.seed_projects(one, tokens)
        health, me, me_two, projects, projects_100, graphql, graphql_worst = [], [], [], [], [], [], []
        for _ in range(rounds):  # interleaved rounds
            health.append(http_load.load(one, "/api/v1/health", tokens, seconds=load_seconds))
            me.append(http_load.load_me(one, tokens, seconds=load_seconds))
            me_two.append(http_load.load_me(two, tokens_two, seconds=load_seconds))
            projects.append(http_load.load_projects(one, tokens, seconds=load_seconds))
            projects_100.append(http_load.load_large_projects_page(one, tokens, seconds=load_seconds))
            graphql.append(http_load.load_graphql_projects(one, tokens, seconds=load_seconds))
            graphql_worst.append(http_load.load_graphql_worst(one, tokens, seconds=load_seconds))
        two.stop()
        two = None
        rss_after_me = http_load.peak_rss_mb(one)
        print(_wrk_table({"GET /api/v1/health": health, "GET /api/v1/auth/me/": me}))
        me_vs_health = _median_rps(me) / _median_rps(health)
        print(f"   /me / health = {_verdict(me_vs_health, TARGETS['me_vs_health'])}")
        print(_cpu_table({"health, 1 worker": health, "/me, 1 worker": me}))
        failures += sum(r.wrk.errors for r in health + me + me_two + projects + projects_100 + graphql + graphql_worst)

        print("\n3. Webhook ingestion: signed deliveries into PostgreSQL, 1 uvicorn worker, 32 in flight")
        warm_up = http_load.run_webhooks(one, secret, users=100, id_prefix="warmup")  # not counted
        failures += warm_up.errors + (0 if warm_up.state_matches else 1)
        print(f"   warm-up: {warm_up.deliveries} deliveries, {warm_up.per_second:,.0f}/s (not counted)")
        runs = []
        for n in range(rounds):
            run = http_load.run_webhooks(
                one, secret, users=webhook_users, id_prefix=f"r{n}"
            )  # a fresh history each round
            runs.append(run)
            failures += run.errors + (0 if run.state_matches else 1)
        rss_after_webhooks = http_load.peak_rss_mb(one)
        rows = [
            (
                str(n + 1),
                str(run.deliveries),
                f"{run.per_second:,.0f}",
                f"{run.p50_ms:.1f}",
                f"{run.p99_ms:.1f}",
                str(run.errors),
                "exact" if run.state_matches else f"WRONG: {run.mismatch}",
            )
            for n, run in enumerate(runs)
        ]
        print(table(rows, ("round", "deliveries", "applied/s", "p50 ms", "p99 ms", "errors", "final state")))
        per_second = statistics.median(run.per_second for run in runs)
        print(f"   median applied/s = {_verdict(per_second, TARGETS['webhooks_per_second'])}")
    finally:
        one.stop()
        if two is not None:
            two.stop()

    print("\n4. Scale-out: the same /me load with 2 uvicorn workers (its rounds alternated with those of 2.)")
    print(_wrk_table({"GET /api/v1/auth/me/ (1 worker)": me, "GET /api/v1/auth/me/ (2 workers)": me_two}))
    scale = _median_rps(me_two) / _median_rps(me)
    print(f"   2 workers / 1 worker = {_verdict(scale, TARGETS['two_vs_one_worker'])}")
    print(_cpu_table({"/me, 1 worker": me, "/me, 2 workers": me_two}))
    busy_one = statistics.median(r.cpu.busy_cores for r in me)
    cores = os.cpu_count() or 1
    print(
        f"   ceiling: one worker already keeps {busy_one:.2f} of {cores} cores busy (nginx, PostgreSQL and wrk share\n"
        f"   them), so at the same CPU per request no number of workers can serve more than"
        f" {cores} / {busy_one:.2f} = {cores / busy_one:.2f}x"
    )

    print("\n5. Tenant-scoped reads: a page of projects with their creators, REST and GraphQL")
    print("   (1 worker, through nginx, the same tokens and wrk script as 2., rounds interleaved with them)")
    print(
        _wrk_table(
            {
                "GET /api/v1/health": health,
                "GET /api/v1/projects/?limit=20": projects,
                "GET /api/v1/projects/?limit=100": projects_100,
                "POST /api/v1/graphql projects(first: 20)": graphql,
                "POST /api/v1/graphql, the worst the limits allow": graphql_worst,
            }
        )
    )
    print(
        _cpu_table(
            {
                "/me": me,
                "projects, REST": projects,
                "projects, REST, limit=100": projects_100,
                "projects, GraphQL": graphql,
                "GraphQL, worst query": graphql_worst,
            }
        )
    )
    page_vs_me = _worker_cpu(projects) / _worker_cpu(me)
    graphql_vs_rest = _worker_cpu(graphql) / _worker_cpu(projects)
    large_vs_page = _worker_cpu(projects_100) / _worker_cpu(projects)
    print(f"   worker CPU, REST page / /me       = {_at_most(page_vs_me, 3.0)}")
    print(f"   worker CPU, GraphQL / REST page   = {_at_most(graphql_vs_rest, 2.0)}")
    print(f"   worker CPU, limit=100 / limit=20  = {_at_most(large_vs_page, 5.0)}")
    print(f"   worker CPU of the worst GraphQL query: {_worker_cpu(graphql_worst) / 1000:.1f} ms")

    print("\n6. Memory: peak RSS of the single backend worker")
    print(f"   after the /me load: {rss_after_me:.0f} MB; after webhook ingestion: {rss_after_webhooks:.0f} MB")
    print(f"\nerrors: {failures}")
    return 1 if failures else 0


def _worker_cpu(runs: list[http_load.LoadRun]) -> float:
    """Median worker CPU per request, µs."""
    return statistics.median(run.cpu_per_request_us["workers"] for run in runs)


def _at_most(value: float, target: float) -> str:
    return f"{value:.2f} (target ≤ {target:g}: {'met' if value <= target else 'MISSED'})"


def _median_rps(runs: list[http_load.LoadRun]) -> float:
    return statistics.median(r.wrk.requests_per_second for r in runs)


def _cpu_table(series: dict[str, list[http_load.LoadRun]]) -> str:
    columns = (*cpu.PARTS, "all")
    rows = []
    for name, runs in series.items():
        shares = [run.cpu_per_request_us for run in runs]
        rows.append(
            (
                name,
                *(f"{statistics.median(share[part] for share in shares):,.1f}" for part in columns),
                f"{statistics.median(run.cpu.busy_cores for run in runs):.2f}",
            )
        )
    caption = "   CPU per request (µs, medians) and cores the whole machine kept busy:\n"
    return caption + table(rows, ("load", *columns, "busy cores"))


def _wrk_table(series: dict[str, list[http_load.LoadRun]]) -> str:
    rows = []
    for name, runs in series.items():
        results = [run.wrk for run in runs]
        rows.append(
            (
                name,
                f"{_median_rps(runs):,.0f}",
                f"{statistics.median(r.p50_ms for r in results):.2f}",
                f"{statistics.median(r.p99_ms for r in results):.2f}",
                _errors(results),
                ", ".join(f"{r.requests_per_second:,.0f}" for r in results),
            )
        )
    return table(rows, ("endpoint", "req/s (median)", "p50 ms", "p99 ms", "errors", "rounds req/s"))


def _errors(results: list[WrkResult]) -> str:
    """Every failed answer, saying which were non-2xx and which took longer than wrk waits."""
    total = sum(r.errors for r in results)
    if not total:
        return "0"
    return f"{total} ({sum(r.non_2xx for r in results)} non-2xx, {sum(r.timeouts for r in results)} timeouts)"


if __name__ == "__main__":
    started = time.monotonic()
    code = main()
    print(f"took {time.monotonic() - started:.0f}s")
    sys.exit(code)
