"""The host's firewall as the compose tests find it, touch it and leave it.

A host where a standard Docker daemon runs or ran has its iptables FORWARD policy set to DROP,
and with br_netfilter loaded (Docker loads it) that policy also filters the traffic between two
containers on one bridge. The private engine runs with --iptables=false, so nothing of its own
would admit its containers' traffic: the backend could not reach its database. `EngineNetworks`
admits exactly the engine's own networks (one rule at the top of FORWARD: from its address pool
to its address pool, commented with the engine's name) and takes the rule out again when the
engine stops, with the filter table if the rule created it. The engine's containers need
nothing else: they talk to each other and to the host (published ports go through
docker-proxy, images are built on the host's network), never through the host to elsewhere,
so there is no NAT rule and the engine leaves net.ipv4.ip_forward alone.
"""

import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

RULE_COMMENT = "saas-starter compose tests"  # what marks our rules, followed by the engine's name
SYSCTLS = (Path("/proc/sys/net/ipv4/ip_forward"), Path("/proc/sys/net/bridge/bridge-nf-call-iptables"))
BRIDGE_CALLS_IPTABLES = SYSCTLS[1]
BUILTIN_FILTER_CHAINS = ("INPUT", "FORWARD", "OUTPUT")


def _which(binary: str) -> str | None:
    return shutil.which(binary) or shutil.which(binary, path="/usr/sbin:/sbin")


def _iptables(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    binary = _which("iptables")
    if binary is None:
        raise FileNotFoundError("iptables")
    # -w: wait for the xtables lock rather than fail while another program holds it.
    return subprocess.run([binary, "-w", *args], capture_output=True, text=True, check=check)


def has_iptables() -> bool:
    return _which("iptables") is not None


def bridged_traffic_is_filtered() -> bool:
    """Whether iptables sees the traffic between containers on one bridge (br_netfilter loaded and on)."""
    try:
        return BRIDGE_CALLS_IPTABLES.read_text().strip() == "1"
    except OSError:
        return False


def snapshot() -> str:
    """iptables-save's filter and nat tables, without counters or timestamps, and the forwarding sysctls."""
    lines = [f"{path}: {path.read_text().strip()}" for path in SYSCTLS if path.exists()]
    for table, table_lines in _saved_tables().items():
        if table in ("filter", "nat"):
            lines += [f"*{table}", *table_lines]
    return "\n".join(lines) + "\n"


def _saved_tables() -> dict[str, list[str]]:
    """Each table iptables-save lists, as its lines (chains with their policies, then rules)."""
    binary = _which("iptables-save")
    if binary is None:
        return {}
    saved = subprocess.run([binary], capture_output=True, text=True, check=True).stdout
    tables: dict[str, list[str]] = {}
    current: list[str] = []
    for line in saved.splitlines():
        if line.startswith("*"):
            current = tables.setdefault(line[1:], [])
        elif line and not line.startswith("#") and line != "COMMIT":
            current.append(re.sub(r" \[\d+:\d+\]$", "", line))  # a chain's packet and byte counters
    return tables


def _filter_table_is_empty() -> bool:
    """No rules, no chains of anyone's own, and every built-in chain accepting: as if it did not exist."""
    return sorted(_saved_tables().get("filter", [])) == sorted(f":{chain} ACCEPT" for chain in BUILTIN_FILTER_CHAINS)


def _uses_nftables() -> bool:
    return "nf_tables" in _iptables("--version").stdout


@contextmanager
def filter_table_restored() -> Iterator[None]:
    """Whatever happens inside, a filter table that was not there before is taken out again if it is empty.

    iptables creates the table with the first rule or policy written into it, and leaves it
    behind when they are taken out; with the nftables backend `nft` deletes it.
    """
    was_there = "filter" in _saved_tables()
    try:
        yield
    finally:
        nft = _which("nft")
        if not was_there and nft and _uses_nftables() and _filter_table_is_empty():
            subprocess.run([nft, "delete", "table", "ip", "filter"], capture_output=True, check=True)


def forward_policy() -> str:
    return _iptables("-S", "FORWARD").stdout.splitlines()[0].split()[-1]  # "-P FORWARD DROP"


@contextmanager
def forward_policy_set_to(policy: str) -> Iterator[None]:
    """The FORWARD policy set to `policy` inside, and back to what it was after (the table too)."""
    with filter_table_restored():
        found = forward_policy()
        _iptables("-P", "FORWARD", policy)
        try:
            yield
        finally:
            _iptables("-P", "FORWARD", found)


class EngineNetworks:
    """The rule admitting the traffic of one engine's networks, in the host's FORWARD chain."""

    def __init__(self, *, address_pool: str, engine_name: str) -> None:
        self.rule = [
            "FORWARD",
            "-s", address_pool,
            "-d", address_pool,
            "-m", "comment", "--comment", f"{RULE_COMMENT} {engine_name}",
            "-j", "ACCEPT",
        ]  # fmt: skip
        self._undo = ExitStack()
        self.admitted = False

    def admit(self) -> None:
        """The rule inserted first in FORWARD; nothing on a host without iptables (nothing filters there)."""
        if self.admitted or not has_iptables():
            return
        if not _uses_nftables() and "filter" not in _saved_tables():
            # iptables-legacy's filter table, once loaded, stays; while there is none, nothing filters.
            return
        self._undo.enter_context(filter_table_restored())
        self.insert()
        self._undo.callback(self.delete)
        self.admitted = True

    def withdraw(self) -> None:
        """The rule taken out, and the filter table with it if the rule created it."""
        self.admitted = False
        self._undo.close()

    def insert(self) -> None:
        _iptables("-I", *self.rule)

    def delete(self) -> None:
        _iptables("-D", *self.rule)

    @contextmanager
    def left_out(self) -> Iterator[None]:
        """The rule out for a while (to see what the host's firewall does without it), then back in."""
        self.delete()
        try:
            yield
        finally:
            self.insert()


def remove_leftover_rules() -> list[str]:
    """Rules a killed session left behind (no session runs now: they wait their turn); what was removed."""
    if not has_iptables() or "filter" not in _saved_tables():
        return []
    removed = []
    for line in _iptables("-S", "FORWARD").stdout.splitlines():
        if RULE_COMMENT in line and line.startswith("-A "):
            _iptables("-D", *shlex.split(line)[1:], check=False)
            removed.append(line)
    return removed
