"""Child processes with their output in a log file, readiness polling, and clean shutdown."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def terminate_group(process: subprocess.Popen[bytes], *, timeout: float, kill_timeout: float = 10.0) -> None:
    """SIGTERM to the process group started with `process` (start_new_session), SIGKILL after `timeout`."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, kill_timeout)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


class StartupFailed(RuntimeError):
    pass


class ManagedProcess:
    def __init__(
        self,
        name: str,
        command: Sequence[str],
        *,
        cwd: Path,
        env: Mapping[str, str],
        log_path: Path,
    ) -> None:
        self.name = name
        self.command = list(command)
        self.cwd = cwd
        self.env = dict(env)
        self.log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> "ManagedProcess":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        # A session of its own, so stopping it also stops the workers it forks.
        self._process = subprocess.Popen(
            self.command, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        return self

    def wait_for_http(self, url: str, *, timeout: float = 60.0, accept: Sequence[int] = (200,)) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                raise StartupFailed(f"{self.name} exited during start-up:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local URL
                    if response.status in accept:
                        return
            except urllib.error.HTTPError as error:
                if error.code in accept:
                    return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        raise StartupFailed(f"{self.name} did not answer {url} within {timeout:.0f}s:\n{self.log_tail()}")

    def stop(self, *, timeout: float = 10.0) -> None:
        process = self._process
        if process is None or process.poll() is not None:
            return
        terminate_group(process, timeout=timeout, kill_timeout=5.0)

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no output)"
        return "\n".join(text.splitlines()[-lines:]) or "(no output)"
