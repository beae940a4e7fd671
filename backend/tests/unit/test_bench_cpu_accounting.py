"""`make bench` splits a load run's CPU between the server, the load generator and the rest."""

import subprocess
import sys

import pytest

from bench.cpu import PARTS, measure

# Each burns a set amount of CPU time (not wall time), so the figures hold on a busy machine too.
BURN = """
import sys, time
def burn(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
"""
SERVER = f"""{BURN}
sys.stdin.readline()
burn(0.4)
print("done", flush=True)
sys.stdin.readline()
"""
LOAD_GENERATOR = f"{BURN}\nburn(0.25)"


def test_the_servers_cpu_and_the_load_generators_are_told_apart() -> None:
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert server.stdin is not None
    assert server.stdout is not None

    def run() -> int:
        server.stdin.write("go\n")  # the server burns while the load generator does
        server.stdin.flush()
        subprocess.run([sys.executable, "-c", LOAD_GENERATOR], check=True)
        assert server.stdout.readline() == "done\n"
        return 7

    try:
        result, use = measure(run, backend_pid=server.pid, nginx_pid=None)
    finally:
        server.communicate("exit\n", timeout=10)

    assert result == 7
    assert set(use.seconds) == set(PARTS)
    # CPU clocks tick every 10 ms; a Python start-up adds a few tens of ms to each process.
    assert 0.38 <= use.seconds["workers"] <= 0.55
    assert 0.24 <= use.seconds["wrk"] <= 0.40
    assert use.seconds["nginx"] == 0
    assert use.busy_seconds >= use.seconds["workers"] + use.seconds["wrk"] - 0.05
    per_request = use.per_request_us(1000)
    assert per_request["workers"] == pytest.approx(use.seconds["workers"] * 1000)
    assert per_request["all"] == pytest.approx(use.busy_seconds * 1000)
