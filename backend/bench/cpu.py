"""Where a load run's CPU goes: the backend workers, nginx, PostgreSQL, the load generator, the rest.

The load generator, nginx, PostgreSQL and uvicorn share the machine's cores, so a
throughput figure alone cannot tell a slow worker from a saturated machine. These
figures can: CPU time per request for each part, and how many cores the whole
machine kept busy while the load ran.
"""

import resource
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import psutil

T = TypeVar("T")

PARTS = ("workers", "nginx", "PostgreSQL", "wrk", "rest")


@dataclass(frozen=True)
class CpuUse:
    seconds: dict[str, float]  # CPU seconds of each part of PARTS during the run
    busy_seconds: float  # CPU seconds of the whole machine, every process and the kernel
    wall_seconds: float

    @property
    def busy_cores(self) -> float:
        return self.busy_seconds / self.wall_seconds

    def per_request_us(self, requests: int) -> dict[str, float]:
        """Microseconds of CPU per request, by part, plus "all"."""
        answered = max(requests, 1)  # a run that answered nothing shows its whole cost
        shares = {part: seconds / answered * 1e6 for part, seconds in self.seconds.items()}
        return {**shares, "all": self.busy_seconds / answered * 1e6}


def measure(run: Callable[[], T], *, backend_pid: int, nginx_pid: int | None) -> tuple[T, CpuUse]:
    """Run `run` (which runs the load generator as a child process) and account for the CPU it caused.

    The load generator is counted through this process's finished children, so `run`
    must wait for it. PostgreSQL is every process of the local server: the benchmark is
    its only client.
    """
    roots = {"workers": backend_pid, "nginx": nginx_pid}
    before = {part: _process_tree_cpu(pid) for part, pid in roots.items()}
    before["PostgreSQL"] = _postgres_cpu()
    children_before = _finished_children_cpu()
    busy_before, started = _machine_busy(), time.perf_counter()

    result = run()

    wall = time.perf_counter() - started
    busy = _machine_busy() - busy_before
    after = {part: _process_tree_cpu(pid) for part, pid in roots.items()}
    after["PostgreSQL"] = _postgres_cpu()
    seconds = {part: _delta(before[part], after[part]) for part in after}
    seconds["wrk"] = _finished_children_cpu() - children_before
    seconds["rest"] = max(0.0, busy - sum(seconds.values()))  # the kernel's own work, other services, this script
    return result, CpuUse({part: seconds[part] for part in PARTS}, busy, wall)


# A process is told apart by pid and start time, so a pid reused during the run is not
# mistaken for the process that had it before.
_Snapshot = dict[tuple[int, float], float]


def _process_tree_cpu(pid: int | None) -> _Snapshot:
    if pid is None:
        return {}
    try:
        root = psutil.Process(pid)
        return _cpu_of([root, *root.children(recursive=True)])
    except psutil.NoSuchProcess:
        return {}


def _postgres_cpu() -> _Snapshot:
    return _cpu_of(p for p in psutil.process_iter(["name"]) if p.info["name"] in ("postgres", "postmaster"))


def _cpu_of(processes: Iterable[psutil.Process]) -> _Snapshot:
    snapshot: _Snapshot = {}
    for process in processes:
        try:
            times = process.cpu_times()
            snapshot[(process.pid, process.create_time())] = times.user + times.system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return snapshot


def _delta(before: _Snapshot, after: _Snapshot) -> float:
    # A process started during the run counts from zero; one that ended during it is lost
    # (PostgreSQL's and nginx's processes live as long as the servers).
    return sum(seconds - before.get(key, 0.0) for key, seconds in after.items())


def _finished_children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _machine_busy() -> float:
    times = psutil.cpu_times()
    return sum(getattr(times, name, 0.0) for name in ("user", "nice", "system", "irq", "softirq"))
