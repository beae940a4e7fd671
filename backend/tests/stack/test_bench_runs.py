"""`make bench` prints figures, it never fails on a slow machine; this proves it runs end to end."""

import os
import subprocess
import sys

from devstack.paths import BACKEND_DIR


def test_the_quick_benchmark_runs_every_section_without_errors(database_server_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        cwd=BACKEND_DIR,
        env={**os.environ, "DATABASE_URL": database_server_url},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for section in (
        "1. Token verification",
        "2. Authenticated request cost",
        "3. Webhook ingestion",
        "4. Scale-out",
        "5. Tenant-scoped reads",
        "6. Memory",
    ):
        assert section in result.stdout
    assert "final state" in result.stdout
    assert result.stdout.count("CPU per request (µs, medians)") == 3
    assert "unique / Clerk's Python SDK" in result.stdout
    assert "ceiling: one worker already keeps" in result.stdout
    assert "WRONG" not in result.stdout
    assert "errors: 0" in result.stdout
