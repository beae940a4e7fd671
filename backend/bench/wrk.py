"""Running wrk (Debian's HTTP load generator) and reading its report."""

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
# wrk gives up on an answer after 2 s by default and counts it as an error: on a slow or busy
# machine a queue of 32 connections' requests crosses that without anything failing. Longer
# than any answer of a working server, so what is counted is what failed.
TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class WrkResult:
    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx/3xx responses plus socket errors and timeouts
    non_2xx: int = 0
    timeouts: int = 0  # answers slower than the client's timeout (TIMEOUT_SECONDS): slowness, not failures

    @classmethod
    def parse(cls, output: str) -> "WrkResult":
        requests = int(_search(r"(\d+) requests in", output))
        rps = float(_search(r"Requests/sec:\s+([\d.]+)", output))
        non_2xx = int(_search(r"Non-2xx or 3xx responses:\s+(\d+)", output, default="0"))
        socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
        connect, read, write, timeouts = (int(n) for n in socket.groups()) if socket else (0, 0, 0, 0)
        return cls(
            requests=requests,
            requests_per_second=rps,
            p50_ms=_latency(output, "50%"),
            p99_ms=_latency(output, "99%"),
            errors=non_2xx + connect + read + write + timeouts,
            non_2xx=non_2xx,
            timeouts=timeouts,
        )


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise FileNotFoundError("wrk is not installed (apt-get install -y wrk; make bench does it)")
    return found


def run_wrk(
    url: str,
    *,
    seconds: float,
    connections: int = 32,
    threads: int = 2,
    headers: dict[str, str] | None = None,
    script: Path | None = None,
    script_args: list[str] | None = None,
) -> WrkResult:
    command = [
        wrk_binary(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={TIMEOUT_SECONDS}s",
        "--latency",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return WrkResult.parse(result.stdout)


def _search(pattern: str, text: str, default: str | None = None) -> str:
    match = re.search(pattern, text)
    if match is None:
        if default is not None:
            return default
        raise ValueError(f"wrk output has no {pattern!r}:\n{text}")
    return match.group(1)


def _latency(output: str, percentile: str) -> float:
    match = re.search(rf"^\s+{re.escape(percentile)}\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    if match is None:
        raise ValueError(f"wrk output has no {percentile} latency:\n{output}")
    return float(match.group(1)) * _UNITS[match.group(2)]
