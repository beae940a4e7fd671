"""The engine's containers talk on a host whose firewall drops forwarded traffic, as any host running Docker's has.

A standard Docker daemon sets the iptables FORWARD policy to DROP and loads br_netfilter, which
makes that policy apply between two containers on one bridge as well (the backend and its
database). Here the policy is set to DROP for the length of each test and put back after it;
the session checks that the firewall ends as it was found (conftest.py).
"""

import secrets
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tests.compose import host_firewall
from tests.compose.base_images import ensure_base_images
from tests.compose.engine import PrivateEngine

IMAGE = "python:3.11-slim"  # a base image the project builds on: present or stood in already


@pytest.fixture(scope="module")
def network(engine: PrivateEngine) -> Iterator[str]:
    """A network of the engine's with a web server on it, `server`, answering on port 8000."""
    if not engine.networks.admitted:
        pytest.skip("this host has no iptables filter table to admit the engine's networks in: nothing filters")
    ensure_base_images(engine, {IMAGE})
    name = f"firewall-{secrets.token_hex(4)}"
    engine.docker("network", "create", name)
    server = f"{name}-server"
    try:
        engine.docker(
            "run", "--detach", "--name", server, "--network", name, "--network-alias", "server",
            IMAGE, "python3", "-m", "http.server", "8000",
        )  # fmt: skip
        (inspected,) = engine.inspect(server)
        address = inspected["NetworkSettings"]["Networks"][name]["IPAddress"]
        _wait_until_answering(f"http://{address}:8000/")  # from the host: not forwarded, never filtered
        yield name
    finally:
        engine.docker("rm", "--force", server, check=False)
        engine.docker("network", "rm", name, check=False)


def _wait_until_answering(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (a URL of our own)
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def a_container_reaches_the_server(engine: PrivateEngine, network: str) -> bool:
    """A second container on the network fetches the server's page within 5 seconds."""
    fetch = "import urllib.request; urllib.request.urlopen('http://server:8000/', timeout=5).read()"
    result = engine.docker("run", "--rm", "--network", network, IMAGE, "python3", "-c", fetch, check=False, timeout=60)
    return result.returncode == 0


def test_containers_reach_each_other_when_the_host_drops_forwarded_traffic(engine: PrivateEngine, network: str) -> None:
    with host_firewall.forward_policy_set_to("DROP"):
        assert a_container_reaches_the_server(engine, network)


def test_without_the_engine_rule_the_host_firewall_would_cut_them_off(engine: PrivateEngine, network: str) -> None:
    """The condition the test above survives is real here: without the engine's rule, nothing gets through."""
    if not host_firewall.bridged_traffic_is_filtered():
        pytest.skip(
            f"br_netfilter is not loaded or is off ({host_firewall.BRIDGE_CALLS_IPTABLES} is not 1): "
            "the FORWARD policy does not apply between containers on one bridge on this host"
        )
    with host_firewall.forward_policy_set_to("DROP"), engine.networks.left_out():
        assert not a_container_reaches_the_server(engine, network)
    assert a_container_reaches_the_server(engine, network)
